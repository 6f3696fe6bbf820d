"""Run-once locks: at most one holder of a named lock across every process using the store.

PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``) on a connection kept for
the lock's lifetime, so a crashed holder releases it when its connection drops. SQLite: an
exclusive ``flock`` on a file beside the database, which the kernel releases the same way; an
in-memory database only has this process, so a thread lock is enough.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import threading
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine, func, select
from sqlalchemy.engine import Connection

from sanctions.errors import StoreError

_LOCAL: dict[tuple[int, str], threading.Lock] = {}
_LOCAL_GUARD = threading.Lock()
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,99}$")


class RunLock(Protocol):
    """A held lock; :meth:`release` is idempotent."""

    name: str

    def release(self) -> None: ...


def advisory_key(name: str) -> int:
    """The signed 64-bit PostgreSQL advisory-lock key of a lock name (stable across processes)."""
    digest = hashlib.sha256(b"sanctions-lock:" + name.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def acquire(engine: Engine, name: str, *, wait: bool = False) -> RunLock | None:
    """Take the lock ``name``; None when another holder has it and ``wait`` is false."""
    if not _NAME.match(name):
        raise StoreError(f"bad lock name {name!r}: lower-case letters, digits, '_', '.', '-'")
    if engine.dialect.name == "postgresql":
        return _PgLock.take(engine, name, wait)
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if not database or database == ":memory:" or database.startswith("file::memory:"):
            return _ThreadLock.take(engine, name, wait)
        return _FileLock.take(Path(f"{database}.{name}.lock"), name, wait)
    raise StoreError(f"run-once locks are not implemented for {engine.dialect.name}")


class _PgLock:
    def __init__(self, conn: Connection, name: str, key: int):
        self.name = name
        self._conn: Connection | None = conn
        self._key = key

    @classmethod
    def take(cls, engine: Engine, name: str, wait: bool) -> _PgLock | None:
        key = advisory_key(name)
        conn = engine.connect()
        try:
            if wait:
                conn.execute(select(func.pg_advisory_lock(key)))
                got = True
            else:
                got = bool(conn.execute(select(func.pg_try_advisory_lock(key))).scalar())
            conn.commit()  # session-level lock: it outlives the transaction
        except BaseException:
            conn.close()
            raise
        if not got:
            conn.close()
            return None
        return cls(conn, name, key)

    def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            conn.execute(select(func.pg_advisory_unlock(self._key)))
            conn.commit()
        except Exception:
            conn.invalidate()  # never hand a connection that may still hold the lock back to the pool
            raise
        finally:
            conn.close()


class _FileLock:
    def __init__(self, fd: int, name: str):
        self.name = name
        self._fd: int | None = fd

    @classmethod
    def take(cls, path: Path, name: str, wait: bool) -> _FileLock | None:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        except BaseException:
            os.close(fd)
            raise
        return cls(fd, name)

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


class _ThreadLock:
    def __init__(self, lock: threading.Lock, name: str):
        self.name = name
        self._lock: threading.Lock | None = lock

    @classmethod
    def take(cls, engine: Engine, name: str, wait: bool) -> _ThreadLock | None:
        with _LOCAL_GUARD:
            lock = _LOCAL.setdefault((id(engine), name), threading.Lock())
        return cls(lock, name) if lock.acquire(blocking=wait) else None

    def release(self) -> None:
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.release()
