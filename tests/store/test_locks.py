"""Run-once locks: one holder across processes, released when the holder dies (both databases)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sanctions.errors import StoreError
from sanctions.store import SqlStore
from sanctions.store.locks import advisory_key

ROOT = Path(__file__).resolve().parents[2]
HOLDER = """
import sys, time
from sanctions.store import SqlStore
store = SqlStore.open(sys.argv[1])
lock = store.try_lock("monitor")
print("held" if lock else "busy", flush=True)
time.sleep(600)
"""


@pytest.fixture()
def store(db_url: str) -> Iterator[SqlStore]:
    opened = SqlStore.open(db_url)
    yield opened
    opened.close()


def test_one_holder_at_a_time_then_the_next(store: SqlStore, db_url: str) -> None:
    other = SqlStore.open(db_url)  # another engine: another session on PostgreSQL
    lock = store.try_lock("monitor")
    assert lock is not None
    assert other.try_lock("monitor") is None
    assert other.try_lock("webhooks") is not None  # locks are per name
    lock.release()
    lock.release()  # idempotent
    with other.run_once("monitor") as held:
        assert held
        with store.run_once("monitor") as second:
            assert not second
    with store.run_once("monitor") as held:
        assert held
    other.close()


def test_a_killed_holder_releases_the_lock(store: SqlStore, db_url: str) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, db_url],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        assert store.try_lock("monitor") is None
    finally:
        holder.kill()
        holder.wait()
    # The kernel drops the flock at once; PostgreSQL ends the session when it sees the socket close.
    for _ in range(100):
        lock = store.try_lock("monitor")
        if lock is not None:
            break
        time.sleep(0.1)
    assert lock is not None
    lock.release()


def test_lock_names_are_checked(store: SqlStore) -> None:
    with pytest.raises(StoreError, match="bad lock name"):
        store.try_lock("../etc/passwd")


def test_advisory_keys_are_stable_signed_64_bit() -> None:
    key = advisory_key("monitor")
    assert key == advisory_key("monitor") != advisory_key("webhooks")
    assert -(2**63) <= key < 2**63
