"""The audit trail: one append-only table of hash-chained events (see docs/cases.md).

``seq`` is gapless (the writer assigns head + 1); ``prev_hash`` is unique, so two writers can
never fork the chain. Triggers refuse UPDATE and DELETE (migration 0005); deletes are allowed
only below the retention cutoff recorded in ``audit_purges``, itself append-only.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Integer, String, Table, Text

from sanctions.store.tables.base import metadata

Seq = BigInteger().with_variant(Integer(), "sqlite")

audit_events = Table(
    "audit_events",
    metadata,
    Column("seq", Seq, primary_key=True, autoincrement=False),
    Column("at", String(32), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(64), nullable=False, index=True),
    Column("object", String(300), nullable=False),
    Column("data", Text, nullable=False),  # canonical JSON (sorted keys, no spaces)
    Column("prev_hash", String(64), nullable=False, unique=True),
    Column("hash", String(64), nullable=False),
)

# Retention purges: events strictly before ``before_seq`` may be deleted; verify starts there.
audit_purges = Table(
    "audit_purges",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("before_seq", Seq, nullable=False),
    Column("anchor_hash", String(64), nullable=False),  # prev_hash of the first event kept
    Column("cutoff", String(32), nullable=False),
    Column("at", String(32), nullable=False),
    Column("actor", String(100), nullable=False),
)
