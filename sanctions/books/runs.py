"""Screening runs: every run is stored with its lists versions, algorithm, time and counts."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from sanctions.audit import SYSTEM, record
from sanctions.books.alerting import Counts
from sanctions.clock import stamp
from sanctions.store.tables import books as t

# A run's states: queued for a runner, being screened, finished, stopped by a user, stopped by
# an error or its budget. Cancelled and failed runs are resumable (they become pending again).
PENDING, RUNNING, DONE, CANCELLED, FAILED = "pending", "running", "done", "cancelled", "failed"
STATES = (PENDING, RUNNING, DONE, CANCELLED, FAILED)
# A running run whose runner has not committed for this long is taken over by another runner
# (its runner died). Chunks commit every few seconds, so a live runner stays well inside it.
LEASE_SECONDS = 300.0


def now() -> str:
    """UTC time, to the second, ISO 8601."""
    return stamp()


@dataclass(slots=True)
class Run:
    """One screening run of a book, its counts growing as it goes."""

    id: int
    book: str
    kind: str  # import | customer | full | delta | remove
    versions: dict[str, int]
    algorithm: str
    threshold: float
    from_versions: dict[str, int] = field(default_factory=dict)
    customers: int = 0
    entities: int = 0
    pairs: int = 0
    hits: int = 0
    no_hits: int = 0
    alerts: Counts = field(default_factory=Counts)
    started_at: str = ""
    finished_at: str | None = None
    complete: bool = False
    state: str = RUNNING  # pending | running | done | cancelled | failed (see STATES)
    total: int = 0  # customers it has to screen, when known at its start (imports, full runs)
    error: str | None = None
    whole: bool = False  # an import that screens every customer of a book never screened whole
    actor: str = SYSTEM  # who started it (not stored on the run row; the audit trail has it)

    @property
    def waiting(self) -> bool:
        """Not ended yet: pending for a runner, or running."""
        return self.state in (PENDING, RUNNING)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "book": self.book,
            "kind": self.kind,
            "versions": self.versions,
            "from_versions": self.from_versions,
            "algorithm": self.algorithm,
            "threshold": self.threshold,
            "customers": self.customers,
            "entities": self.entities,
            "pairs": self.pairs,
            "hits": self.hits,
            "no_hits": self.no_hits,
            "alerts_new": self.alerts.new,
            "alerts_changed": self.alerts.changed,
            "alerts_delisted": self.alerts.delisted,
            "alerts_closed": self.alerts.closed,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "complete": self.complete,
            "state": self.state,
            "total": self.total,
            "error": self.error,
        }


def start_run(conn: Connection, book_id: int, run: Run, trigger: str) -> Run:
    """Record a run as started and give it its id."""
    run.started_at = now()
    pk = conn.execute(
        insert(t.runs).values(
            book_id=book_id,
            kind=run.kind,
            trigger=trigger,
            started_at=run.started_at,
            algorithm=run.algorithm,
            threshold=run.threshold,
            versions=orjson.dumps(run.versions).decode(),
            from_versions=orjson.dumps(run.from_versions).decode(),
            complete=False,
            state=run.state,
            total=run.total,
            whole=run.whole,
            heartbeat=time.time(),
        )
    ).inserted_primary_key
    assert pk is not None
    run.id = int(pk[0])
    record(conn, run.actor, "run.started", f"run:{run.id}", {**run.to_dict(), "trigger": trigger})
    return run


def save_run(conn: Connection, run: Run, *, complete: bool, resume_after: str | None = None) -> None:
    """Write a run's counts (and, when complete, its end time and state ``done``); each save is
    also its runner's heartbeat."""
    run.complete = complete
    if complete:
        run.finished_at = now()
        run.state = DONE
    conn.execute(
        update(t.runs)
        .where(t.runs.c.id == run.id)
        .values(
            customers=run.customers,
            entities=run.entities,
            pairs=run.pairs,
            hits=run.hits,
            no_hits=run.no_hits,
            alerts_new=run.alerts.new,
            alerts_changed=run.alerts.changed,
            alerts_delisted=run.alerts.delisted,
            finished_at=run.finished_at,
            complete=complete,
            resume_after=resume_after,
            versions=orjson.dumps(run.versions).decode(),  # a long run may move to newer lists
            state=run.state,
            error=run.error,
            total=run.total,
            heartbeat=time.time(),
        )
    )
    if complete:
        record(conn, run.actor, "run.completed", f"run:{run.id}", run.to_dict())


def load_run(row: Any, book: str) -> Run:
    """A stored run."""
    return Run(
        id=row.id,
        book=book,
        kind=row.kind,
        versions=orjson.loads(row.versions),
        algorithm=row.algorithm,
        threshold=row.threshold,
        from_versions=orjson.loads(row.from_versions or "{}"),
        customers=row.customers,
        entities=row.entities,
        pairs=row.pairs,
        hits=row.hits,
        no_hits=row.no_hits,
        alerts=Counts(row.alerts_new, row.alerts_changed, row.alerts_delisted),
        started_at=row.started_at,
        finished_at=row.finished_at,
        complete=bool(row.complete),
        state=row.state,
        total=row.total,
        error=row.error,
        whole=bool(row.whole),
    )


def runs_of(conn: Connection, book_id: int, book: str, limit: int | None = None) -> list[Run]:
    """The runs of a book, newest first."""
    query = select(t.runs).where(t.runs.c.book_id == book_id).order_by(t.runs.c.id.desc())
    if limit:
        query = query.limit(limit)
    return [load_run(r, book) for r in conn.execute(query)]


def run_row(conn: Connection, run_id: int) -> Any:
    """The stored row of a run (None if there is none)."""
    return conn.execute(select(t.runs).where(t.runs.c.id == run_id)).first()


def set_state(conn: Connection, run: Run, state: str, error: str | None = None) -> None:
    """Move a run to ``state`` (recording why, for cancelled and failed runs)."""
    run.state, run.error = state, error
    values: dict[str, Any] = {"state": state, "error": error}
    if state == RUNNING:  # a runner takes it now: its lease starts afresh
        values["heartbeat"] = time.time()
    conn.execute(update(t.runs).where(t.runs.c.id == run.id).values(**values))
