"""Tables of the lists room: list versions and the entities and relations of each version.

Entities and relations are kept as JSON documents keyed by (version, id): the index is rebuilt
from them by every worker, so the store needs no relational schema of names.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)

from sanctions.store.tables.base import metadata

versions_table = Table(
    "list_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dataset", String(100), nullable=False, index=True),
    Column("source", String(100), nullable=False),
    Column("published", String(32)),
    Column("loaded_at", String(32), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("entities", Integer, nullable=False, default=0),
    Column("names", Integer, nullable=False, default=0),
    Column("relations", Integer, nullable=False, default=0),
    Column("current", Boolean, nullable=False, default=False),
    Column("complete", Boolean, nullable=False, default=False),
    Column("warnings", Text, nullable=False, default="[]"),
    Column("dated_by", String(16)),  # publisher / given / http: how `published` is known
    Column("size", BigInteger),  # bytes of the input file(s)
)

entities_table = Table(
    "entities",
    metadata,
    Column("version_id", Integer, ForeignKey("list_versions.id", ondelete="CASCADE"), primary_key=True),
    Column("id", String(200), primary_key=True),
    Column("schema", String(32), nullable=False),
    Column("caption", Text, nullable=False),
    Column("digest", String(40), nullable=False),
    Column("data", LargeBinary, nullable=False),
    Index("ix_entities_id", "id"),
)

relations_table = Table(
    "relations",
    metadata,
    Column("version_id", Integer, ForeignKey("list_versions.id", ondelete="CASCADE"), primary_key=True),
    Column("id", String(300), primary_key=True),
    Column("subject_id", String(200), nullable=False, index=True),
    Column("object_id", String(200), nullable=False, index=True),
    Column("data", LargeBinary, nullable=False),
)
