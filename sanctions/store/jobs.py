"""A durable job queue in the store, shared by every process that opens it.

A worker *claims* due jobs in one statement, ``UPDATE jobs ... WHERE id IN (SELECT ... FOR
UPDATE SKIP LOCKED)``, so two workers on PostgreSQL never take the same job and never wait for
each other. A claim is a lease: the job is the worker's until ``locked_until``; a worker that
dies lets the lease run out and the job is claimed again. On SQLite the same UPDATE is atomic
(SQLite has one writer at a time), and one runner is expected (see ``locks``).

Jobs can be enqueued inside the caller's own transaction (pass ``conn``), which makes the
queue a transactional outbox: the job exists if and only if the change that asked for it does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from sanctions.errors import StoreError
from sanctions.store.tables.base import utc_now
from sanctions.store.tables.jobs import jobs_table

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
_ACTIVE_KEY = jobs_table.c.state.in_([QUEUED, RUNNING]) & jobs_table.c.key.is_not(None)


@dataclass(slots=True, frozen=True)
class Job:
    """A claimed job: do the work, then :meth:`JobQueue.complete` or :meth:`JobQueue.fail` it."""

    id: int
    kind: str
    key: str | None
    payload: dict[str, Any]
    attempts: int  # including this one
    max_attempts: int
    locked_by: str
    locked_until: datetime


class JobQueue:
    """The ``jobs`` table seen as a queue. Times are UTC; ``now`` is injectable for tests."""

    def __init__(self, engine: Engine, *, lease: timedelta = timedelta(minutes=5)):
        self.engine = engine
        self.lease = lease

    def enqueue(
        self,
        kind: str,
        payload: Mapping[str, Any] | None = None,
        *,
        key: str | None = None,
        run_after: datetime | None = None,
        max_attempts: int = 5,
        conn: Connection | None = None,
    ) -> int | None:
        """Add a job; with ``key``, None when a job of that kind and key is already queued or running.

        Pass ``conn`` to enqueue inside the caller's transaction (committed with it).
        """
        if max_attempts < 1:
            raise StoreError(f"max_attempts must be at least 1, not {max_attempts}")
        now = utc_now()
        values = {
            "kind": kind,
            "key": key,
            "payload": dict(payload or {}),
            "state": QUEUED,
            "attempts": 0,
            "max_attempts": max_attempts,
            "run_after": run_after or now,
            "created_at": now,
        }
        if conn is not None:
            return self._insert(conn, values)
        with self.engine.begin() as own:
            return self._insert(own, values)

    def _insert(self, conn: Connection, values: dict[str, Any]) -> int | None:
        if values["key"] is None:
            stmt = insert(jobs_table).values(values).returning(jobs_table.c.id)
            return int(conn.execute(stmt).scalar_one())
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        stmt = (
            dialect.insert(jobs_table)
            .values(values)
            .on_conflict_do_nothing(index_elements=["kind", "key"], index_where=_ACTIVE_KEY)
            .returning(jobs_table.c.id)
        )
        found = conn.execute(stmt).scalar()
        return None if found is None else int(found)

    def claim(
        self, worker: str, kinds: Iterable[str] | None = None, *, limit: int = 1, now: datetime | None = None
    ) -> list[Job]:
        """Take up to ``limit`` due jobs (oldest first) for ``worker``; [] when there are none."""
        now = now or utc_now()
        c = jobs_table.c
        due = or_(
            and_(c.state == QUEUED, c.run_after <= now),
            and_(c.state == RUNNING, c.locked_until < now),  # its worker died: the lease ran out
        )
        chosen = select(c.id).where(due, c.attempts < c.max_attempts)
        if kinds is not None:
            chosen = chosen.where(c.kind.in_(list(kinds)))
        chosen = chosen.order_by(c.run_after, c.id).limit(limit).with_for_update(skip_locked=True)
        until = now + self.lease
        stmt = (
            update(jobs_table)
            .where(c.id.in_(chosen.scalar_subquery()))
            .values(state=RUNNING, attempts=c.attempts + 1, locked_by=worker, locked_until=until)
            .returning(c.id, c.kind, c.key, c.payload, c.attempts, c.max_attempts)
        )
        with self.engine.begin() as conn:
            self._expire_exhausted(conn, now)
            rows = conn.execute(stmt).all()
        jobs = [Job(r.id, r.kind, r.key, r.payload, r.attempts, r.max_attempts, worker, until) for r in rows]
        return sorted(jobs, key=lambda j: j.id)

    def _expire_exhausted(self, conn: Connection, now: datetime) -> None:
        c = jobs_table.c
        conn.execute(
            update(jobs_table)
            .where(c.state == RUNNING, c.locked_until < now, c.attempts >= c.max_attempts)
            .values(state=FAILED, finished_at=now, locked_until=None, last_error="lease expired")
        )

    def heartbeat(self, job: Job, *, now: datetime | None = None) -> bool:
        """Extend the lease of a long job; False when the worker no longer holds it."""
        until = (now or utc_now()) + self.lease
        return self._finish(job, locked_until=until)

    def complete(self, job: Job) -> bool:
        """Mark a job done; False when its lease had run out and another worker took it."""
        return self._finish(job, state=DONE, finished_at=utc_now(), locked_until=None)

    def fail(self, job: Job, error: str, *, retry_in: timedelta | None = None) -> bool:
        """Record a failure; the job is queued again after ``retry_in`` (default: exponential
        backoff from 30 s, at most 6 h) until it has used ``max_attempts``, then it stays failed."""
        now = utc_now()
        if job.attempts >= job.max_attempts:
            return self._finish(job, state=FAILED, finished_at=now, locked_until=None, last_error=error)
        delay = retry_in if retry_in is not None else backoff(job.attempts)
        return self._finish(job, state=QUEUED, run_after=now + delay, locked_until=None, last_error=error)

    def _finish(self, job: Job, **values: Any) -> bool:
        c = jobs_table.c
        stmt = (
            update(jobs_table)
            .where(c.id == job.id, c.state == RUNNING)
            .where(c.locked_by == job.locked_by, c.attempts == job.attempts)
            .values(**values)
        )
        with self.engine.begin() as conn:
            return conn.execute(stmt).rowcount == 1

    def counts(self, kind: str | None = None) -> dict[str, int]:
        """Number of jobs in each state (optionally of one kind)."""
        c = jobs_table.c
        query = select(c.state, func.count()).group_by(c.state)
        if kind is not None:
            query = query.where(c.kind == kind)
        with self.engine.connect() as conn:
            return {state: int(n) for state, n in conn.execute(query).all()}

    def purge(self, finished_before: datetime) -> int:
        """Delete done and failed jobs finished before a time; returns how many went."""
        c = jobs_table.c
        with self.engine.begin() as conn:
            result = conn.execute(
                jobs_table.delete().where(c.state.in_([DONE, FAILED]), c.finished_at < finished_before)
            )
        return int(result.rowcount)


def backoff(
    attempts: int, base: timedelta = timedelta(seconds=30), cap: timedelta = timedelta(hours=6)
) -> timedelta:
    """The delay before retry number ``attempts`` + 1: ``base`` doubled per failed attempt, capped."""
    delay: timedelta = base * (2 ** max(attempts - 1, 0))
    return min(delay, cap)
