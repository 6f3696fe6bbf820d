"""Book runs in the background: the queue is the ``book_runs`` table itself.

A run left ``pending`` (a large import or re-screen asked for over HTTP), or ``running`` with a
heartbeat older than :data:`~sanctions.books.runs.LEASE_SECONDS` (its runner died), is due. A
runner, one at a time across processes (a lock in the store, taken by the service), drives each
due run under its own time budget (``max_job_seconds``): a run out of time is recorded as
``failed``, one cancelled by a user as ``cancelled``; both can be resumed, and a resumed run
goes on where it stopped. A runner asked to stop puts its run back to ``pending``.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from sqlalchemy import and_, or_, select

from sanctions import budget
from sanctions.audit import record
from sanctions.books.chunked import RunProgress, RunStopped
from sanctions.books.runs import (
    CANCELLED,
    FAILED,
    LEASE_SECONDS,
    PENDING,
    RUNNING,
    Run,
    load_run,
    run_row,
    set_state,
)
from sanctions.errors import ConflictError, NotFoundError
from sanctions.store.tables import books as t

if TYPE_CHECKING:
    from sanctions.books.monitor import Monitor

log = logging.getLogger(__name__)


def find_run(monitor: Monitor, name: str, run_id: int) -> Run:
    """Run ``run_id`` of book ``name``; NotFoundError if the book has no such run."""
    book = monitor.book(name)
    with monitor.engine.connect() as conn:
        row = run_row(conn, run_id)
    if row is None or row.book_id != book.id:
        raise NotFoundError(f"book {name!r} has no run {run_id}")
    return load_run(row, book.name)


def due(monitor: Monitor, lease_seconds: float = LEASE_SECONDS) -> Run | None:
    """The oldest run waiting for a runner (pending, or running under a dead runner)."""
    r = t.runs.c
    stale = time.time() - lease_seconds
    query = (
        select(t.runs, t.books.c.name.label("book_name"))
        .join(t.books, t.books.c.id == r.book_id)
        .where(
            or_(r.state == PENDING, and_(r.state == RUNNING, or_(r.heartbeat.is_(None), r.heartbeat < stale)))
        )
        .order_by(r.id)
        .limit(1)
    )
    with monitor.engine.connect() as conn:
        row = conn.execute(query).first()
    return None if row is None else load_run(row, row.book_name)


def drive(monitor: Monitor, run: Run, job: budget.Budget, progress: RunProgress | None = None) -> Run:
    """Screen a due run to its end under the budget ``job``; record how it ended."""
    with monitor.engine.begin() as conn:
        row = run_row(conn, run.id)
        if row is None or row.state not in (PENDING, RUNNING):
            return run
        set_state(conn, run, RUNNING)
        record(
            conn,
            run.actor,
            "run.picked_up",
            f"run:{run.id}",
            {"book": run.book, "done": run.customers},
        )
    try:
        with budget.running(job):
            if run.kind == "import":
                return monitor.screen_import(run, progress)
            if run.kind == "full":
                return monitor.continue_full(run, row.resume_after or "", progress)
            raise ConflictError(f"run {run.id} is a {run.kind} run, which never waits for a runner")
    except RunStopped:
        return run  # cancelled: the cancel recorded it
    except budget.CancelledError:  # the runner is stopping: another start goes on with it
        with monitor.engine.begin() as conn:
            set_state(conn, run, PENDING)
        return run
    except budget.BudgetExceededError as exc:
        return _failed(monitor, run, str(exc))
    except Exception as exc:
        log.exception("book run %s failed", run.id)
        return _failed(monitor, run, f"{type(exc).__name__}: {exc}")


def _failed(monitor: Monitor, run: Run, error: str) -> Run:
    with monitor.engine.begin() as conn:
        set_state(conn, run, FAILED, error)
        record(conn, run.actor, "run.failed", f"run:{run.id}", run.to_dict())
    return run


def cancel(monitor: Monitor, name: str, run_id: int, actor: str) -> Run:
    """Cancel a pending or running run (its runner stops at the next chunk); it stays resumable."""
    run = find_run(monitor, name, run_id)
    if run.state not in (PENDING, RUNNING):
        raise ConflictError(f"run {run_id} is {run.state}: only a pending or running run can be cancelled")
    with monitor.engine.begin() as conn:
        set_state(conn, run, CANCELLED, f"cancelled by {actor}")
        record(conn, actor, "run.cancelled", f"run:{run.id}", run.to_dict())
    return run


def resume(monitor: Monitor, name: str, run_id: int, actor: str) -> Run:
    """Queue a cancelled or failed run again; a runner goes on where it stopped."""
    run = find_run(monitor, name, run_id)
    if run.state not in (CANCELLED, FAILED) or run.kind not in ("import", "full"):
        raise ConflictError(
            f"run {run_id} is a {run.state} {run.kind} run: only a cancelled or failed "
            "import or full run can be resumed"
        )
    with monitor.engine.begin() as conn:
        set_state(conn, run, PENDING)
        record(conn, actor, "run.resumed", f"run:{run.id}", run.to_dict())
    return run
