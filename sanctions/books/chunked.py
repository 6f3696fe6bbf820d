"""Runs that screen many customers, committed chunk by chunk: an import's waiting customers and
a full re-screen. Either can be driven in the foreground (CLI, a small API request) or by a
background runner (sanctions/books/background.py); either resumes where it stopped, stops at
the next chunk once cancelled, and under a time budget (:mod:`sanctions.budget`) stops within
one customer (that chunk rolls back).

:class:`~sanctions.books.monitor.Monitor` inherits these methods.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import Engine, select, update
from sqlalchemy.engine import Connection

from sanctions import budget
from sanctions.audit import SYSTEM, record
from sanctions.books.alerting import regroup
from sanctions.books.runs import (
    CANCELLED,
    LEASE_SECONDS,
    PENDING,
    RUNNING,
    Run,
    load_run,
    run_row,
    save_run,
    set_state,
    start_run,
)
from sanctions.matching.engine import get_algorithm
from sanctions.records import Customer
from sanctions.store.tables import books as t

if TYPE_CHECKING:
    from sanctions.books.lists import ListView
    from sanctions.books.monitor import Book

CHUNK = 2000  # customers of a full run screened and committed together
IMPORT_CHUNK = 500  # customers of an import screened and committed together (its progress steps)
RunProgress = Callable[[Run], None]  # called after each committed chunk of a run


class RunStopped(Exception):
    """A run was cancelled (its stored state says so) between two of its chunks."""


def customer_from_row(row: Any) -> Customer:
    """A stored customer."""
    data = orjson.loads(row.data)
    return Customer(row.customer_id, row.schema or None, data["properties"], data.get("extra", {}))


class ChunkedRuns:
    """Import screening and full runs, by chunks (a part of Monitor)."""

    engine: Engine
    import_chunk: int = IMPORT_CHUNK
    full_chunk: int = CHUNK

    if TYPE_CHECKING:  # provided by Monitor

        def book(self, name: str) -> Book: ...
        def view(self, book: Book) -> ListView: ...
        def count(self, book: Book) -> int: ...
        def _set_versions(self, conn: Connection, book: Book, view: ListView, run: Run) -> None: ...
        def _screen(
            self,
            conn: Connection,
            book: Book,
            chunk: Sequence[Customer],
            view: ListView,
            run: Run,
            *,
            waiting: bool = False,
        ) -> None: ...

    def screen_import(
        self, run: Run, progress: RunProgress | None = None, *, interrupted: str | None = None
    ) -> Run:
        """Screen the customers an import left waiting for ``run``, by committed chunks; an
        interrupted import resumes with those still waiting.

        When the lists change before it ends, the rest is screened against the new versions (the
        list update re-screened the customers done before). ``interrupted``: the state to leave
        the run in when the current budget runs out (``pending``: a background runner finishes
        it); a cancelled run (its stored state) stops at the next chunk (:class:`RunStopped`).
        """
        book = self.book(run.book)
        c = t.customers.c
        try:
            while True:
                view = self.view(book)
                if view.versions != run.versions:
                    run.versions, run.whole = view.versions, False
                with self.engine.begin() as conn:
                    self._still_wanted(conn, run)
                    query = (
                        select(t.customers)
                        .where(c.book_id == book.id, c.run_id == -run.id)
                        .order_by(c.customer_id)
                        .limit(self.import_chunk)
                    )
                    chunk = [customer_from_row(r) for r in conn.execute(query)]
                    if not chunk:
                        if run.whole:
                            self._set_versions(conn, book, view, run)
                        save_run(conn, run, complete=True)
                        return run
                    self._screen(conn, book, chunk, view, run, waiting=True)
                    regroup(
                        conn, book.ref, [cu.id for cu in chunk], view, run.id, run.alerts, actor=run.actor
                    )
                    save_run(conn, run, complete=False)
                if progress is not None:
                    progress(run)
        except budget.BudgetExceededError:
            self._leave(run, interrupted)
            raise

    def _leave(self, run: Run, state: str | None) -> None:
        """Leave a run its budget stopped in ``state`` (None: as it is), for a runner to resume."""
        if state is not None:
            with self.engine.begin() as conn:
                set_state(conn, run, state)

    def _still_wanted(self, conn: Connection, run: Run) -> None:
        """Raise :class:`RunStopped` when the run was cancelled (by anyone, in any process)."""
        row = run_row(conn, run.id)
        if row is not None and row.state == CANCELLED:
            run.state, run.error = CANCELLED, row.error
            raise RunStopped(f"run {run.id} was cancelled")

    # -- full runs -----------------------------------------------------------------------------
    def screen_full(
        self,
        name: str,
        *,
        algorithm: str | None = None,
        threshold: float | None = None,
        trigger: str = "screen",
        actor: str = SYSTEM,
        defer: bool = False,
        progress: RunProgress | None = None,
    ) -> Run:
        """Screen the whole book again (after a change of algorithm, threshold or scope).

        Customers are screened in id order and committed by chunks; an interrupted run with the
        same settings and list versions resumes after its last committed chunk. ``defer``: only
        record the run as ``pending`` for a background runner. A run another runner is driving
        right now is returned as it is.
        """
        book = self.book(name)
        if algorithm is not None or threshold is not None:
            book = self._change_settings(book, algorithm, threshold, actor)
        view = self.view(book)
        run, after, busy = self._resumable(book, view)
        if run is not None and busy:
            return run
        state = PENDING if defer else RUNNING
        if run is None:
            run = Run(0, book.name, "full", view.versions, book.algorithm, book.threshold, actor=actor)
            run.total, run.state = self.count(book), state
            with self.engine.begin() as conn:
                start_run(conn, book.id, run, trigger)
        elif run.state != state:
            with self.engine.begin() as conn:
                set_state(conn, run, state)
        if defer:
            return run
        return self.continue_full(run, after, progress, interrupted=PENDING)

    def _change_settings(
        self, book: Book, algorithm: str | None, threshold: float | None, actor: str
    ) -> Book:
        algo = get_algorithm(algorithm or book.algorithm)
        limit = (
            threshold if threshold is not None else (book.threshold if algorithm is None else algo.threshold)
        )
        with self.engine.begin() as conn:
            conn.execute(
                update(t.books).where(t.books.c.id == book.id).values(algorithm=algo.name, threshold=limit)
            )
            settings = {"algorithm": algo.name, "threshold": limit}
            was = {"algorithm": book.algorithm, "threshold": book.threshold}
            record(conn, actor, "book.settings_changed", f"book:{book.name}", {"from": was, "to": settings})
        return self.book(book.name)

    def continue_full(
        self,
        run: Run,
        after: str = "",
        progress: RunProgress | None = None,
        *,
        interrupted: str | None = None,
    ) -> Run:
        """Drive a full run to its end from the customer id ``after``.

        When the lists change before it ends, it starts over against the new versions (so the
        book, as a whole, is at one version of each list when it ends). ``interrupted`` as for
        :meth:`screen_import`.
        """
        book = self.book(run.book)
        c = t.customers.c
        try:
            while True:
                view = self.view(book)
                if view.versions != run.versions:
                    run.versions, after = view.versions, ""
                with self.engine.begin() as conn:
                    self._still_wanted(conn, run)
                    query = (
                        select(t.customers)
                        .where(c.book_id == book.id, c.customer_id > after)
                        .order_by(c.customer_id)
                        .limit(self.full_chunk)
                    )
                    chunk = [customer_from_row(r) for r in conn.execute(query)]
                    if not chunk:
                        self._set_versions(conn, book, view, run)
                        save_run(conn, run, complete=True)
                        return run
                    self._screen(conn, book, chunk, view, run)
                    regroup(
                        conn, book.ref, [cu.id for cu in chunk], view, run.id, run.alerts, actor=run.actor
                    )
                    after = chunk[-1].id
                    save_run(conn, run, complete=False, resume_after=after)
                if progress is not None:
                    progress(run)
        except budget.BudgetExceededError:
            self._leave(run, interrupted)
            raise

    def _resumable(self, book: Book, view: ListView) -> tuple[Run | None, str, bool]:
        """The book's latest run if it is an unfinished full run with the same settings and
        versions, where it stopped, and whether a live runner is driving it now."""
        r = t.runs.c
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.runs).where(r.book_id == book.id).order_by(r.id.desc()).limit(1)
            ).first()
        if row is None or row.kind != "full" or row.complete:
            return None, "", False
        if (row.algorithm, row.threshold, orjson.loads(row.versions)) != (
            book.algorithm,
            book.threshold,
            view.versions,
        ):
            return None, "", False
        busy = row.state == RUNNING and (row.heartbeat or 0.0) > time.time() - LEASE_SECONDS
        return load_run(row, book.name), row.resume_after or "", busy
