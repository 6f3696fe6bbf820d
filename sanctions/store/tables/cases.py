"""Tables of the cases room: decisions on alerts (append-only), their approvals (four eyes),
attachments, and the false-positive memory that approved decisions leave behind.

``decisions`` and ``approvals`` are history: triggers refuse UPDATE and DELETE (migration 0005),
and a trigger refuses an approval whose approver made the decision. ``alert_memory`` is derived
state (one row per approved decision still in force) that screening reads to keep a cleared
pair quiet until either side changes.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, LargeBinary, String, Table, Text

from sanctions.store.tables.base import metadata

decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", Integer, nullable=False, index=True),
    Column("verdict", String(16), nullable=False),  # true_match | false_positive | needs_info
    Column("reason_code", String(50)),
    Column("note", Text, nullable=False, default=""),
    Column("decided_by", String(100), nullable=False),
    Column("decided_at", String(32), nullable=False),
    Column("needs_approval", Integer, nullable=False),  # 1: takes effect only once approved
    Column("supersedes", Integer),  # the decision this one replaces
    Column("expires_at", String(32)),  # re-review after this time (NULL: never)
    Column("customer_fingerprint", String(64), nullable=False),
    Column("party_fingerprint", String(64), nullable=False),
    Column("snapshot", Text, nullable=False),  # JSON {"customer": {...}, "party": {...}} at decision
)

approvals = Table(
    "approvals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("decision_id", Integer, nullable=False, unique=True),  # one outcome per decision
    Column("outcome", String(16), nullable=False),  # approved | rejected
    Column("approver", String(100), nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("at", String(32), nullable=False),
)

attachments = Table(
    "attachments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", Integer, nullable=False, index=True),
    Column("decision_id", Integer),
    Column("filename", String(255), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("uploaded_by", String(100), nullable=False),
    Column("at", String(32), nullable=False),
)

# One row per approved decision in force: (book, customer) and the listed records it covers.
alert_memory = Table(
    "alert_memory",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("book_id", Integer, nullable=False),
    Column("customer_id", String(200), nullable=False),
    Column("alert_id", Integer, nullable=False, unique=True),
    Column("decision_id", Integer, nullable=False),
    Column("verdict", String(16), nullable=False),
    Column("entity_ids", Text, nullable=False),  # JSON list: the party's records at decision
    Column("expires_at", String(32)),
    Index("ix_alert_memory_customer", "book_id", "customer_id"),
)
