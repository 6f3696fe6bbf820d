"""list_versions: how the publication date is known (dated_by) and the input's size in bytes

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 21:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("list_versions") as batch:
        batch.add_column(sa.Column("dated_by", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("size", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("list_versions") as batch:
        batch.drop_column("size")
        batch.drop_column("dated_by")
