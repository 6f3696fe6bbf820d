"""book_runs: the state of background runs (pending, running, done, cancelled, failed), their
size, error, runner heartbeat, and whether they screen the book whole

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 03:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch copy): SQLite adds a column with a constant default in place,
    # and the DDL renders offline for a DBA.
    op.add_column("book_runs", sa.Column("state", sa.String(16), nullable=False, server_default="done"))
    op.add_column("book_runs", sa.Column("total", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("book_runs", sa.Column("error", sa.Text(), nullable=True))
    op.add_column("book_runs", sa.Column("heartbeat", sa.Float(), nullable=True))
    op.add_column("book_runs", sa.Column("whole", sa.Boolean(), nullable=False, server_default=sa.false()))
    # A run left incomplete before runs had states was interrupted: resumable, never picked up
    # by a runner on its own.
    op.execute(
        "UPDATE book_runs SET state = 'failed', error = 'interrupted (before background runs)' "
        "WHERE complete = false"
    )


def downgrade() -> None:
    with op.batch_alter_table("book_runs", schema=None) as batch_op:
        for name in ("whole", "heartbeat", "error", "total", "state"):
            batch_op.drop_column(name)
