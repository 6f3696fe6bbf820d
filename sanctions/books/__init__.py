"""Customer books kept screened as the lists change: delta re-screening, alerts, webhooks."""

from sanctions.books.monitor import Book, ImportResult, Monitor
from sanctions.books.runs import Run

__all__ = ["Book", "ImportResult", "Monitor", "Run"]
