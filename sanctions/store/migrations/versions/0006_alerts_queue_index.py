"""alerts: a covering index for the queue's filters and counts

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 23:45:06.085155
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COLUMNS = ["state", "book_id", "score", "assignee", "created_at", "datasets"]


def upgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.create_index("ix_alerts_queue", COLUMNS, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index("ix_alerts_queue")
