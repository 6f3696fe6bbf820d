"""Users, their personal API keys and UI sessions.

Passwords are stored as argon2id hashes; API keys and session tokens are random 256-bit
secrets stored as SHA-256 digests (shown once, never stored in clear).
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Integer, String, Table

from sanctions.store.tables.base import metadata

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("role", String(16), nullable=False),  # analyst | checker | admin | auditor
    Column("password_hash", String(200)),  # NULL: no UI login (API keys or CLI only)
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", String(32), nullable=False),
    # Failed UI logins in a row, and until when the account refuses logins (migration 0008).
    Column("failed_logins", Integer, nullable=False, default=0, server_default="0"),
    Column("locked_until", String(32)),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, nullable=False, index=True),
    Column("prefix", String(16), nullable=False),  # shown in listings to tell keys apart
    Column("digest", String(64), nullable=False, unique=True),  # SHA-256 of the key
    Column("label", String(100), nullable=False, default=""),
    Column("created_at", String(32), nullable=False),
    Column("revoked_at", String(32)),
)

sessions = Table(
    "sessions",
    metadata,
    Column("digest", String(64), primary_key=True),  # SHA-256 of the cookie token
    Column("user_id", Integer, nullable=False, index=True),
    Column("csrf", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=False),
)
