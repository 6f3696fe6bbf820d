"""Tables of the books room (monitoring): books, customers, their blocking keys, hits, alerts,
the alert change feed, screening runs, and webhooks with their transactional outbox.

JSON columns are text written by orjson (the rooms read them back whole, never query inside).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from sanctions.store.tables.base import metadata

books = Table(
    "books",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("created_at", String(32), nullable=False),
    Column("algorithm", String(50), nullable=False),
    Column("threshold", Float, nullable=False),
    Column("datasets", Text),  # JSON list: the lists in scope; NULL = every loaded list
)

customers = Table(
    "book_customers",
    metadata,
    Column("book_id", Integer, ForeignKey("books.id", ondelete="CASCADE"), primary_key=True),
    Column("customer_id", String(200), primary_key=True),
    Column("schema", String(32), nullable=False),
    Column("caption", Text, nullable=False),
    Column("fingerprint", String(40), nullable=False),
    Column("data", Text, nullable=False),  # JSON: properties and extra columns
    Column("n_keys", Integer, nullable=False),
    Column("run_id", Integer, nullable=False),  # the last run that screened this customer itself
    # Waiting customers (run_id = -run) and coverage (counts per run) without reading the book.
    Index("ix_book_customers_run", "book_id", "run_id"),
)

# Blocking keys of each customer, for reverse lookups: which customers could a listed entity be?
customer_keys = Table(
    "book_customer_keys",
    metadata,
    Column("book_id", Integer, nullable=False),
    Column("key", String(100), nullable=False),
    Column("customer_id", String(200), nullable=False),
    Index("ix_book_keys", "book_id", "key"),
    Index("ix_book_keys_customer", "book_id", "customer_id"),
)

# Every (customer, listed record) pair scored at or above the book's threshold.
hits = Table(
    "book_hits",
    metadata,
    Column("book_id", Integer, primary_key=True),
    Column("customer_id", String(200), primary_key=True),
    Column("entity_id", String(200), primary_key=True),
    Column("dataset", String(100), nullable=False),
    Column("version_id", Integer, nullable=False),
    Column("score", Float, nullable=False),
    Column("explanation", Text, nullable=False),  # JSON list of feature explanations
    Index("ix_book_hits_entity", "book_id", "entity_id"),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("book_id", Integer, ForeignKey("books.id", ondelete="CASCADE"), nullable=False),
    Column("customer_id", String(200), nullable=False),
    Column("party", String(200), nullable=False),  # the smallest entity id of the listed party
    Column("entity_id", String(200), nullable=False),  # the best-scoring record of the party
    Column("entity_ids", Text, nullable=False),  # JSON: every record of the party the customer hit
    Column("caption", Text, nullable=False),
    Column("customer_caption", Text, nullable=False),
    Column("datasets", Text, nullable=False),  # JSON list
    Column("score", Float, nullable=False),
    # open | review_required | pending | needs_info | cleared | confirmed | delisted | closed
    Column("state", String(16), nullable=False),
    Column("reason", String(16), nullable=False),  # new | changed | delisted
    Column("explanation", Text, nullable=False),
    Column("digest", String(40), nullable=False),  # of the party's screening-relevant fields
    Column("versions", Text, nullable=False),  # JSON {dataset: version id}
    Column("algorithm", String(50), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("run_id", Integer, nullable=False),
    Column("assignee", String(100)),
    Column("decision_id", Integer),  # the latest decision (cases room)
    Column("review", Text),  # JSON: field-level differences since the decision (review_required)
    UniqueConstraint("book_id", "customer_id", "party", name="uq_alert_party"),
    Index("ix_alerts_state", "state", "book_id"),
    # The analysts' queue counts its matches under any filter from this index alone (covering:
    # no row is read), and reads the ids of a small result off it (docs/cases.md, Figures).
    Index("ix_alerts_queue", "state", "book_id", "score", "assignee", "created_at", "datasets"),
)

# The change feed: one event per alert raised, changed or delisted; seq is the pull cursor.
alert_events = Table(
    "alert_events",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", Integer, nullable=False, index=True),
    Column("book", String(100), nullable=False),
    Column("reason", String(16), nullable=False),
    Column("at", String(32), nullable=False),
    Column("run_id", Integer, nullable=False),
    Column("data", Text, nullable=False),  # JSON: the alert as it was after the change
)

runs = Table(
    "book_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("book_id", Integer, ForeignKey("books.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # import | full | delta | customer
    Column("trigger", Text, nullable=False),
    Column("started_at", String(32), nullable=False),
    Column("finished_at", String(32)),
    Column("algorithm", String(50), nullable=False),
    Column("threshold", Float, nullable=False),
    Column("versions", Text, nullable=False),  # JSON {dataset: version id} screened against
    Column("from_versions", Text, nullable=False, default="{}"),  # delta runs: {dataset: old id}
    Column("customers", Integer, nullable=False, default=0),
    Column("entities", Integer, nullable=False, default=0),
    Column("pairs", Integer, nullable=False, default=0),
    Column("hits", Integer, nullable=False, default=0),
    Column("no_hits", Integer, nullable=False, default=0),
    Column("alerts_new", Integer, nullable=False, default=0),
    Column("alerts_changed", Integer, nullable=False, default=0),
    Column("alerts_delisted", Integer, nullable=False, default=0),
    Column("resume_after", String(200)),  # full runs: the last customer id done
    Column("complete", Boolean, nullable=False, default=False),
    # Background runs (docs/monitoring.md): pending | running | done | cancelled | failed.
    Column("state", String(16), nullable=False, server_default="done"),
    Column("total", Integer, nullable=False, server_default="0"),  # customers to screen, when known
    Column("error", Text),  # why a run failed or was stopped
    Column("heartbeat", Float),  # unix time of its runner's last commit: a stale one is taken over
    Column("whole", Boolean, nullable=False, server_default=false()),  # screens the book whole
)

# The lists version each book as a whole was last brought up to (by a full or delta run).
book_versions = Table(
    "book_versions",
    metadata,
    Column("book_id", Integer, ForeignKey("books.id", ondelete="CASCADE"), primary_key=True),
    Column("dataset", String(100), primary_key=True),
    Column("version_id", Integer, nullable=False),
    Column("run_id", Integer, nullable=False),
)

webhooks = Table(
    "webhooks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False),
    Column("secrets", Text, nullable=False),  # JSON list, newest first: every one signs
    Column("book", String(100)),  # NULL: every book
    Column("created_at", String(32), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
)

# The transactional outbox: written with the alert event, delivered by the webhook runner.
outbox = Table(
    "webhook_outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("webhook_id", Integer, nullable=False, index=True),
    Column("message_id", String(64), nullable=False, unique=True),
    Column("event_seq", Integer, nullable=False),
    Column("body", Text, nullable=False),
    Column("state", String(16), nullable=False),  # pending | delivered | dead
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt", Float, nullable=False),  # unix time
    Column("last_error", Text),
    Column("delivered_at", String(32)),
    Index("ix_outbox_due", "state", "next_attempt"),
)
