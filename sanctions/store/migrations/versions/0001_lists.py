"""Lists: list versions, and the entities and relations of each version (the baseline schema).

Revision ID: 0001
Revises:
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "list_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("dataset", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("published", sa.String(length=32), nullable=True),
        sa.Column("loaded_at", sa.String(length=32), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("entities", sa.Integer(), nullable=False),
        sa.Column("names", sa.Integer(), nullable=False),
        sa.Column("relations", sa.Integer(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("warnings", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_versions")),
    )
    op.create_index(op.f("ix_list_versions_dataset"), "list_versions", ["dataset"], unique=False)
    op.create_table(
        "entities",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("schema", sa.String(length=32), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=40), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["list_versions.id"],
            name=op.f("fk_entities_version_id_list_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_id", "id", name=op.f("pk_entities")),
    )
    op.create_index("ix_entities_id", "entities", ["id"], unique=False)
    op.create_table(
        "relations",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=300), nullable=False),
        sa.Column("subject_id", sa.String(length=200), nullable=False),
        sa.Column("object_id", sa.String(length=200), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["list_versions.id"],
            name=op.f("fk_relations_version_id_list_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_id", "id", name=op.f("pk_relations")),
    )
    op.create_index(op.f("ix_relations_object_id"), "relations", ["object_id"], unique=False)
    op.create_index(op.f("ix_relations_subject_id"), "relations", ["subject_id"], unique=False)


def downgrade() -> None:
    op.drop_table("relations")
    op.drop_table("entities")
    op.drop_table("list_versions")
