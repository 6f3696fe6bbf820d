"""Versioned storage behind one interface. ``open_store(settings)`` picks the backend from the URL.

SQLite (the default, a file in the data dir) and PostgreSQL (``postgresql+psycopg://``) share
one SQLAlchemy schema (``sanctions.store.tables``) and its Alembic migrations.
"""

from __future__ import annotations

from sanctions.settings import Settings
from sanctions.store.base import EntityChange, ListDiff, Store, VersionWriter
from sanctions.store.jobs import Job, JobQueue
from sanctions.store.locks import RunLock
from sanctions.store.sql import SqlStore

__all__ = [
    "EntityChange",
    "Job",
    "JobQueue",
    "ListDiff",
    "RunLock",
    "SqlStore",
    "Store",
    "VersionWriter",
    "open_store",
]


def open_store(settings: Settings) -> SqlStore:
    """Open the store configured by ``settings`` (SQLite in the data dir unless a URL is set)."""
    return SqlStore.open(settings.url, keep_versions=settings.keep_versions)
