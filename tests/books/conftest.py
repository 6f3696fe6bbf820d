"""Helpers for monitoring tests: a store in a temporary folder, lists written as FtM files."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

from sanctions.books import Monitor
from sanctions.books.reports import list_alerts
from sanctions.ingest import LoadRequest, load
from sanctions.model import ListVersion
from sanctions.store import SqlStore


def write_ftm(path: Path, entities: Iterable[dict[str, Any]]) -> Path:
    """An FtM JSON lines file of these entities."""
    path.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in entities))
    return path


def load_ftm(store: SqlStore, path: Path, dataset: str) -> ListVersion:
    """Load an FtM file as a new version of ``dataset`` (forced: the random versions of the
    invariant shrink and grow freely, which the safe-update guard would refuse)."""
    return load(store, LoadRequest("ftm", path, dataset, force=True))


def open_alerts(monitor: Monitor, book: str) -> set[tuple[str, str, tuple[str, ...], float]]:
    """The open alerts of a book, comparable across books: customer, party, records, score."""
    found = list_alerts(monitor.engine, monitor.book(book).id, "open")
    return {(a["customer_id"], a["entity_ids"][0], tuple(a["entity_ids"]), a["score"]) for a in found}
