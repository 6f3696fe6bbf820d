"""Local users with argon2id password hashes, and their personal API keys.

Every change is recorded in the audit trail in the same transaction as the change itself.
Secrets never reach the audit data: keys are shown once and stored as SHA-256 digests,
passwords only as argon2id hashes (argon2-cffi's RFC 9106 defaults).
"""

from __future__ import annotations

import builtins
import hashlib
import re
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.exc import IntegrityError

from sanctions.audit import record
from sanctions.clock import stamp_us as stamp
from sanctions.errors import NotFoundError, UserError, UserExists
from sanctions.store.tables.users import api_keys, sessions, users
from sanctions.users.roles import ROLES, Permission, Role, allowed

NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
ANONYMOUS = "anonymous"  # the actor of a failed login
RESERVED = frozenset({"api-key", "system", "bootstrap", ANONYMOUS})  # built-in actors of the audit trail
MIN_PASSWORD = 12
MAX_PASSWORD = 1024  # hashing is deliberately slow: bound the work one request can ask for
KEY_PREFIX = "sk_"
Clock = Callable[[], float]


def digest(secret: str) -> str:
    """The SHA-256 hex digest under which a key or session token is stored."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class User:
    """A local user (the password hash never leaves the store)."""

    name: str
    role: str
    active: bool
    created_at: str
    locked_until: str | None = None  # UI logins refused until then (failed logins in a row)

    def can(self, permission: Permission | str) -> bool:
        """Whether this user's role has ``permission`` (a disabled user has none)."""
        return self.active and allowed(self.role, permission)


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A personal API key as listed: never the key itself."""

    id: int
    user: str
    prefix: str
    label: str
    created_at: str
    revoked_at: str | None


UNLOCKED: dict[str, object] = {"failed_logins": 0, "locked_until": None}  # enable, new password


def _user(row: RowMapping) -> User:
    locked = row.get("locked_until")
    created = str(row["created_at"])
    return User(str(row["name"]), str(row["role"]), bool(row["active"]), created, locked and str(locked))


def check_name(name: str) -> str:
    """``name`` when it is a valid, unreserved user name, else :class:`UserError`."""
    if not NAME.match(name):
        raise UserError(
            f"invalid user name {name!r}: 1 to 64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit"
        )
    if name in RESERVED:
        raise UserError(f"the user name {name!r} is reserved")
    return name


def check_role(role: str) -> str:
    """``role`` when it is one of the roles, else :class:`UserError`."""
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    return role


def check_password(password: str) -> str:
    """``password`` when long enough (12 characters at least), else :class:`UserError`."""
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password is too short: {MIN_PASSWORD} characters at least")
    if len(password) > MAX_PASSWORD or "\x00" in password:
        raise UserError(f"the password is not usable: at most {MAX_PASSWORD} characters, no NUL")
    return password


class Accounts:
    """Users and their API keys on the store's engine."""

    def __init__(self, engine: Engine, clock: Clock = time.time):
        self.engine = engine
        self.clock = clock
        self.hasher = PasswordHasher()  # argon2id
        self._dummy: str | None = None

    # -- users ---------------------------------------------------------------------------------
    def count(self) -> int:
        """How many users exist (disabled ones included)."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(users)).scalar_one())

    def add(self, name: str, role: str, password: str | None = None, *, actor: str) -> User:
        """Create a user (no password: API keys only). The first user of a store must be an admin."""
        check_name(name)
        check_role(role)
        hashed = self.hasher.hash(check_password(password)) if password is not None else None
        created = stamp(self.clock())
        with self.engine.begin() as conn:
            first = conn.execute(select(func.count()).select_from(users)).scalar_one() == 0
            if first and role != Role.ADMIN:
                raise UserError("the first user must be an admin (--role admin): it adds the others")
            if self._row(conn, name) is not None:
                raise UserExists(f"a user {name!r} exists already")
            try:
                conn.execute(
                    insert(users).values(
                        name=name, role=role, password_hash=hashed, active=True, created_at=created
                    )
                )
            except IntegrityError as exc:  # a concurrent add of the same name
                raise UserExists(f"a user {name!r} exists already") from exc
            data = {"role": role, "password": hashed is not None, "first": first}
            record(conn, actor, "user.added", f"user:{name}", data)
        return User(name, role, True, created)

    def list(self) -> builtins.list[User]:
        """Every user, by name."""
        with self.engine.connect() as conn:
            return [_user(r) for r in conn.execute(select(users).order_by(users.c.name)).mappings()]

    def get(self, name: str) -> User:
        """One user; :class:`NotFoundError` when there is none of that name."""
        with self.engine.connect() as conn:
            row = self._row(conn, name)
        if row is None:
            raise NotFoundError(f"no user {name!r}")
        return _user(row)

    def disable(self, name: str, *, actor: str) -> User:
        """Refuse the user's logins, keys and sessions from now on (nothing is deleted)."""
        return self._set(name, actor, "user.disabled", {"active": False}, {}, end_sessions=True)

    def enable(self, name: str, *, actor: str) -> User:
        """Let a disabled user in again (their unrevoked keys work again)."""
        return self._set(name, actor, "user.enabled", {"active": True, **UNLOCKED}, {})

    def set_role(self, name: str, role: str, *, actor: str) -> User:
        """Give the user another role."""
        check_role(role)
        old = self.get(name).role
        return self._set(name, actor, "user.role_changed", {"role": role}, {"from": old, "to": role})

    def set_password(self, name: str, password: str | None, *, actor: str) -> User:
        """Set or (None) remove the user's password; their UI sessions end."""
        hashed = self.hasher.hash(check_password(password)) if password is not None else None
        data = {"removed": hashed is None}
        values = {"password_hash": hashed, **UNLOCKED}
        return self._set(name, actor, "user.password_set", values, data, end_sessions=True)

    def authenticate(self, name: str, password: str) -> User | None:
        """The active user with this name and password, else None.

        An unknown name still costs one hash verification, so timing does not tell which names exist.
        """
        with self.engine.connect() as conn:
            row = self._row(conn, name) if NAME.match(name) else None
        stored = None if row is None else row["password_hash"]
        ok: bool
        try:
            ok = self.hasher.verify(stored or self._dummy_hash(), password[:MAX_PASSWORD])
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok or row is None or stored is None or not row["active"]:
            return None
        return _user(row)

    def _dummy_hash(self) -> str:
        if self._dummy is None:
            self._dummy = self.hasher.hash(secrets.token_urlsafe(16))
        return self._dummy

    def _row(self, conn: Connection, name: str) -> RowMapping | None:
        return conn.execute(select(users).where(users.c.name == name)).mappings().first()

    def _set(
        self,
        name: str,
        actor: str,
        action: str,
        values: dict[str, object],
        data: Mapping[str, object],
        *,
        end_sessions: bool = False,
    ) -> User:
        with self.engine.begin() as conn:
            row = self._row(conn, name)
            if row is None:
                raise NotFoundError(f"no user {name!r}")
            conn.execute(update(users).where(users.c.id == row["id"]).values(**values))
            if end_sessions:
                conn.execute(sessions.delete().where(sessions.c.user_id == row["id"]))
            record(conn, actor, action, f"user:{name}", data)
            row = self._row(conn, name)
        assert row is not None
        return _user(row)

    # -- API keys ------------------------------------------------------------------------------
    def create_key(self, name: str, label: str = "", *, actor: str) -> tuple[int, str]:
        """A new personal key for the user: ``(key_id, key)``. The key is shown only this once."""
        if len(label) > 100 or not label.isprintable():
            raise UserError("a key label is at most 100 printable characters")
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        prefix = key[:10]
        with self.engine.begin() as conn:
            row = self._row(conn, name)
            if row is None:
                raise NotFoundError(f"no user {name!r}")
            key_id = int(
                conn.execute(
                    insert(api_keys)
                    .values(
                        user_id=row["id"],
                        prefix=prefix,
                        digest=digest(key),
                        label=label,
                        created_at=stamp(self.clock()),
                    )
                    .returning(api_keys.c.id)
                ).scalar_one()
            )
            data = {"key_id": key_id, "prefix": prefix, "label": label, "user": name}
            record(conn, actor, "key.created", f"key:{key_id}", data)
        return key_id, key

    def revoke_key(self, key_id: int, *, actor: str) -> ApiKey:
        """Stop a key from working (it stays listed, with its revocation time)."""
        with self.engine.begin() as conn:
            found = self._keys(conn, api_keys.c.id == key_id)
            if not found:
                raise NotFoundError(f"no API key {key_id}")
            if found[0].revoked_at is None:
                at = stamp(self.clock())
                conn.execute(update(api_keys).where(api_keys.c.id == key_id).values(revoked_at=at))
                data = {"key_id": key_id, "prefix": found[0].prefix, "user": found[0].user}
                record(conn, actor, "key.revoked", f"key:{key_id}", data)
            key = self._keys(conn, api_keys.c.id == key_id)[0]
        return key

    def keys(self, name: str | None = None) -> builtins.list[ApiKey]:
        """Every key (of one user when ``name`` is given), revoked ones included, oldest first."""
        with self.engine.connect() as conn:
            if name is not None and self._row(conn, name) is None:
                raise NotFoundError(f"no user {name!r}")
            return self._keys(conn, users.c.name == name if name is not None else None)

    def _keys(self, conn: Connection, where: object | None) -> builtins.list[ApiKey]:
        k = api_keys.c
        query = select(k.id, users.c.name, k.prefix, k.label, k.created_at, k.revoked_at).join(
            users, users.c.id == k.user_id
        )
        if where is not None:
            query = query.where(where)  # type: ignore[arg-type]
        return [ApiKey(int(r[0]), r[1], r[2], r[3], r[4], r[5]) for r in conn.execute(query.order_by(k.id))]

    def user_for_key(self, key: str) -> User | None:
        """The active user holding this unrevoked key, else None."""
        if not key.startswith(KEY_PREFIX) or len(key) > 100:
            return None
        k = api_keys.c
        query = (
            select(users)
            .join(api_keys, users.c.id == k.user_id)
            .where(k.digest == digest(key), k.revoked_at.is_(None), users.c.active.is_(True))
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return None if row is None else _user(row)
