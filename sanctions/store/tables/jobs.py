"""The background-job queue: one row per unit of work (a re-screen, a webhook delivery, ...).

Workers take rows with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL (see ``sanctions.store.jobs``).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table, Text, text

from sanctions.store.tables.base import Json, UtcDateTime, metadata

# BIGINT on PostgreSQL; SQLite only auto-increments a column declared INTEGER.
JobId = BigInteger().with_variant(Integer(), "sqlite")

jobs_table = Table(
    "jobs",
    metadata,
    Column("id", JobId, primary_key=True, autoincrement=True),
    Column("kind", String(64), nullable=False),
    Column("key", String(200)),  # optional: at most one queued or running job per (kind, key)
    Column("payload", Json, nullable=False),
    Column("state", String(16), nullable=False),  # queued, running, done, failed
    Column("attempts", Integer, nullable=False),
    Column("max_attempts", Integer, nullable=False),
    Column("run_after", UtcDateTime, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("locked_by", String(200)),
    Column("locked_until", UtcDateTime),
    Column("finished_at", UtcDateTime),
    Column("last_error", Text),
    Index("ix_jobs_due", "state", "run_after"),
    Index(
        "uq_jobs_active_key",
        "kind",
        "key",
        unique=True,
        sqlite_where=text("state IN ('queued', 'running') AND key IS NOT NULL"),
        postgresql_where=text("state IN ('queued', 'running') AND key IS NOT NULL"),
    ),
)
