"""books: customers, keys, hits, alerts, events, runs, webhooks, outbox

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 20:56:11.941289
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alert_events",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("book", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_alert_events")),
    )
    with op.batch_alter_table("alert_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_events_alert_id"), ["alert_id"], unique=False)

    op.create_table(
        "book_customer_keys",
        sa.Column("book_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("customer_id", sa.String(length=200), nullable=False),
    )
    with op.batch_alter_table("book_customer_keys", schema=None) as batch_op:
        batch_op.create_index("ix_book_keys", ["book_id", "key"], unique=False)
        batch_op.create_index("ix_book_keys_customer", ["book_id", "customer_id"], unique=False)

    op.create_table(
        "book_hits",
        sa.Column("book_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.String(length=200), nullable=False),
        sa.Column("entity_id", sa.String(length=200), nullable=False),
        sa.Column("dataset", sa.String(length=100), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("book_id", "customer_id", "entity_id", name=op.f("pk_book_hits")),
    )
    with op.batch_alter_table("book_hits", schema=None) as batch_op:
        batch_op.create_index("ix_book_hits_entity", ["book_id", "entity_id"], unique=False)

    op.create_table(
        "books",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("algorithm", sa.String(length=50), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("datasets", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_books")),
        sa.UniqueConstraint("name", name=op.f("uq_books_name")),
    )
    op.create_table(
        "webhook_outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("webhook_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt", sa.Float(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("delivered_at", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_outbox")),
        sa.UniqueConstraint("message_id", name=op.f("uq_webhook_outbox_message_id")),
    )
    with op.batch_alter_table("webhook_outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_due", ["state", "next_attempt"], unique=False)
        batch_op.create_index(batch_op.f("ix_webhook_outbox_webhook_id"), ["webhook_id"], unique=False)

    op.create_table(
        "webhooks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("secrets", sa.Text(), nullable=False),
        sa.Column("book", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhooks")),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("book_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.String(length=200), nullable=False),
        sa.Column("party", sa.String(length=200), nullable=False),
        sa.Column("entity_id", sa.String(length=200), nullable=False),
        sa.Column("entity_ids", sa.Text(), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("customer_caption", sa.Text(), nullable=False),
        sa.Column("datasets", sa.Text(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=40), nullable=False),
        sa.Column("versions", sa.Text(), nullable=False),
        sa.Column("algorithm", sa.String(length=50), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["book_id"], ["books.id"], name=op.f("fk_alerts_book_id_books"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
        sa.UniqueConstraint("book_id", "customer_id", "party", name="uq_alert_party"),
    )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.create_index("ix_alerts_state", ["state", "book_id"], unique=False)

    op.create_table(
        "book_customers",
        sa.Column("book_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.String(length=200), nullable=False),
        sa.Column("schema", sa.String(length=32), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=40), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("n_keys", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["book_id"], ["books.id"], name=op.f("fk_book_customers_book_id_books"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("book_id", "customer_id", name=op.f("pk_book_customers")),
    )
    op.create_table(
        "book_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("book_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("trigger", sa.Text(), nullable=False),
        sa.Column("started_at", sa.String(length=32), nullable=False),
        sa.Column("finished_at", sa.String(length=32), nullable=True),
        sa.Column("algorithm", sa.String(length=50), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("versions", sa.Text(), nullable=False),
        sa.Column("from_versions", sa.Text(), nullable=False),
        sa.Column("customers", sa.Integer(), nullable=False),
        sa.Column("entities", sa.Integer(), nullable=False),
        sa.Column("pairs", sa.Integer(), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("no_hits", sa.Integer(), nullable=False),
        sa.Column("alerts_new", sa.Integer(), nullable=False),
        sa.Column("alerts_changed", sa.Integer(), nullable=False),
        sa.Column("alerts_delisted", sa.Integer(), nullable=False),
        sa.Column("resume_after", sa.String(length=200), nullable=True),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["book_id"], ["books.id"], name=op.f("fk_book_runs_book_id_books"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_book_runs")),
    )
    with op.batch_alter_table("book_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_book_runs_book_id"), ["book_id"], unique=False)

    op.create_table(
        "book_versions",
        sa.Column("book_id", sa.Integer(), nullable=False),
        sa.Column("dataset", sa.String(length=100), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["book_id"], ["books.id"], name=op.f("fk_book_versions_book_id_books"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("book_id", "dataset", name=op.f("pk_book_versions")),
    )


def downgrade() -> None:
    op.drop_table("book_versions")
    with op.batch_alter_table("book_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_book_runs_book_id"))

    op.drop_table("book_runs")
    op.drop_table("book_customers")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index("ix_alerts_state")

    op.drop_table("alerts")
    op.drop_table("webhooks")
    with op.batch_alter_table("webhook_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_outbox_webhook_id"))
        batch_op.drop_index("ix_outbox_due")

    op.drop_table("webhook_outbox")
    op.drop_table("books")
    with op.batch_alter_table("book_hits", schema=None) as batch_op:
        batch_op.drop_index("ix_book_hits_entity")

    op.drop_table("book_hits")
    with op.batch_alter_table("book_customer_keys", schema=None) as batch_op:
        batch_op.drop_index("ix_book_keys_customer")
        batch_op.drop_index("ix_book_keys")

    op.drop_table("book_customer_keys")
    with op.batch_alter_table("alert_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_events_alert_id"))

    op.drop_table("alert_events")
