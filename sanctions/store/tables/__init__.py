"""The whole relational schema: one ``metadata``, one module of tables per room.

Every table of every room lives here so that the schema, its Alembic migrations and the test
that compares them see the same thing, whatever the room importing the store. To add a table,
write ``tables/<room>.py`` against :data:`metadata`, import it below, and add a migration (see
docs/store.md).
"""

from __future__ import annotations

from sanctions.store.tables import audit, books, cases, jobs, lists, users
from sanctions.store.tables.base import metadata

__all__ = ["audit", "books", "cases", "jobs", "lists", "metadata", "users"]
