"""book_customers: an index on (book_id, run_id) for waiting customers and coverage

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 04:35:00
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("book_customers", schema=None) as batch_op:
        batch_op.create_index("ix_book_customers_run", ["book_id", "run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("book_customers", schema=None) as batch_op:
        batch_op.drop_index("ix_book_customers_run")
