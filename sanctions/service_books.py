"""The monitoring section of :class:`~sanctions.service.Screener`: books, alerts, webhooks.

Kept in its own module (Screener inherits it) so the service stays readable; the faces call
these methods on a Screener and never the books room directly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sanctions.errors import SanctionsError

if TYPE_CHECKING:
    import httpx

    from sanctions.books import ImportResult, Monitor, Run
    from sanctions.books.chunked import RunProgress
    from sanctions.books.webhooks import DeliveryReport, Webhooks
    from sanctions.budget import Budget
    from sanctions.model import ListVersion
    from sanctions.service_cases import Housekeeping
    from sanctions.settings import Settings
    from sanctions.store import SqlStore


class BookMethods:
    """Customer books kept screened as the lists change (docs/monitoring.md)."""

    store: SqlStore
    settings: Settings
    actor: str  # who acts when a method is not told (Screener: SANCTIONS_USER, else "system")
    _monitor: Monitor | None = None

    @property
    def monitor(self) -> Monitor:
        """The books room on this Screener's store."""
        if self._monitor is None:
            from sanctions.books import Monitor

            self._monitor = Monitor(self.store)
        return self._monitor

    @property
    def webhooks(self) -> Webhooks:
        """Webhook endpoints and their outbox."""
        from sanctions.books.webhooks import Webhooks

        return Webhooks(self.store.engine)

    # -- books and customers -------------------------------------------------------------------
    def book_import(
        self,
        name: str,
        path: Path | str,
        *,
        fmt: str | None = None,
        mapping: dict[str, str] | None = None,
        remove_missing: bool = False,
        actor: str | None = None,
        background: bool = False,
        progress: RunProgress | None = None,
    ) -> ImportResult:
        """Upsert a customer file into a book and screen the customers added or changed.

        A file that cannot be read raises before anything changes; bad rows are left out and
        reported in the result (with line numbers). ``background``: as :meth:`book_upsert`.
        """
        from sanctions.records import read_customers

        read = read_customers(path, fmt, mapping)
        if remove_missing and read.problems:
            # Mirroring a file whose rows were partly rejected would delete those customers.
            raise SanctionsError(
                f"{len(read.problems)} row(s) of {path} were rejected; fix them before --remove-missing "
                f"(first: {read.problems[0]})"
            )
        result = self.monitor.upsert(
            name,
            read.customers,
            remove_missing=remove_missing,
            trigger=f"import {Path(path).name}",
            actor=actor or self.actor,
            defer_over=self.settings.book_sync_rows if background else None,
            progress=progress,
        )
        result.problems = read.problems
        return result

    def book_import_upload(
        self,
        name: str,
        filename: str,
        content: bytes,
        *,
        remove_missing: bool = False,
        actor: str | None = None,
        background: bool = False,
    ) -> ImportResult:
        """:meth:`book_import` of an uploaded file (its format from ``filename``'s extension): kept
        in a private temporary folder for the read only; errors name the upload, never the folder."""
        import tempfile

        safe = Path(filename.replace("\\", "/")).name.strip() or "customers"
        with tempfile.TemporaryDirectory(prefix="sanctions-book-") as folder:
            path = Path(folder) / safe
            path.write_bytes(content)
            try:
                result = self.book_import(
                    name, path, remove_missing=remove_missing, actor=actor, background=background
                )
            except SanctionsError as exc:
                exc.args = tuple(str(a).replace(f"{folder}/", "") for a in exc.args)
                raise
        return result

    def book_mirror(
        self,
        name: str,
        records: Sequence[dict[str, Any]],
        actor: str | None = None,
        *,
        background: bool = False,
    ) -> ImportResult:
        """Make a book hold exactly these customers (refused when any record is rejected)."""
        return self.book_upsert(name, records, remove_missing=True, actor=actor, background=background)

    def book_upsert(
        self,
        name: str,
        records: Sequence[dict[str, Any]],
        *,
        remove_missing: bool = False,
        actor: str | None = None,
        background: bool = False,
    ) -> ImportResult:
        """Upsert customers given as ``{"id", "schema", "properties"}`` (the API's body).

        ``background``: when more than ``book_sync_rows`` customers are added or changed, they
        are stored and the run is left ``pending`` (``result.run.state``) for the background
        runner (:meth:`book_runs_due`); fewer are screened at once, as without it.
        """
        from sanctions.records import Customer, RowProblem, make_customer

        customers: list[Customer] = []
        problems: list[RowProblem] = []
        for number, record in enumerate(records, start=1):
            props = record.get("properties") or {}
            if not isinstance(props, dict):
                problems.append(RowProblem(number, "properties", "expected an object"))
                continue
            values = {k: [v] if isinstance(v, str) else [str(x) for x in v] for k, v in props.items()}
            values["id"] = [str(record.get("id") or "")]
            values["schema"] = [str(record.get("schema") or "")]
            made = make_customer(number, values)
            if isinstance(made, RowProblem):
                problems.append(made)
            else:
                customers.append(made)
        if remove_missing and problems:
            raise SanctionsError(f"{len(problems)} record(s) rejected; none mirrored (first: {problems[0]})")
        result = self.monitor.upsert(
            name,
            customers,
            remove_missing=remove_missing,
            trigger="api",
            actor=actor or self.actor,
            defer_over=self.settings.book_sync_rows if background else None,
        )
        result.problems = problems
        return result

    def books(self) -> list[dict[str, Any]]:
        """Every book with its size and open alerts."""
        from sanctions.books.reports import open_count

        monitor = self.monitor
        out = []
        for book in monitor.books():
            runs = monitor.runs(book, 1)
            out.append(
                {
                    "name": book.name,
                    "customers": monitor.count(book),
                    "open_alerts": open_count(monitor.engine, book.id),
                    "algorithm": book.algorithm,
                    "threshold": book.threshold,
                    "last_run": runs[0].to_dict() if runs else None,
                    "created_at": book.created_at,
                }
            )
        return out

    def book(self, name: str, runs: int = 10) -> dict[str, Any]:
        """One book: settings, size, open alerts, recent runs and coverage."""
        from sanctions.books.reports import coverage, open_count

        monitor = self.monitor
        book = monitor.book(name)
        return {
            "name": book.name,
            "algorithm": book.algorithm,
            "threshold": book.threshold,
            "datasets": book.datasets,
            "created_at": book.created_at,
            "customers": monitor.count(book),
            "open_alerts": open_count(monitor.engine, book.id),
            "versions": monitor.book_versions(book),
            "runs": [r.to_dict() for r in monitor.runs(book, runs)],
            "coverage": coverage(self.store, book.id, book.datasets),
        }

    def book_customers(self, name: str) -> list[dict[str, Any]]:
        """The customers of a book, by id."""
        monitor = self.monitor
        return [c.to_dict() for c in monitor.customers(monitor.book(name))]

    def book_screen(
        self,
        name: str,
        *,
        algorithm: str | None = None,
        threshold: float | None = None,
        actor: str | None = None,
        background: bool = False,
        progress: RunProgress | None = None,
    ) -> Run:
        """Screen a whole book again (resumes an interrupted run with the same settings).

        ``background``: a book of more than ``book_sync_rows`` customers is left to the
        background runner (the run is returned ``pending``)."""
        monitor = self.monitor
        defer = background and monitor.count(monitor.book(name)) > self.settings.book_sync_rows
        return monitor.screen_full(
            name,
            algorithm=algorithm,
            threshold=threshold,
            trigger="book screen",
            actor=actor or self.actor,
            defer=defer,
            progress=progress,
        )

    # -- runs ------------------------------------------------------------------------------------
    def book_run(self, name: str, run_id: int) -> Run:
        """One run of a book, with its state and progress (customers done of ``total``)."""
        from sanctions.books.background import find_run

        return find_run(self.monitor, name, run_id)

    def book_run_cancel(self, name: str, run_id: int, actor: str | None = None) -> Run:
        """Cancel a pending or running run; its runner stops at the next chunk. Resumable."""
        from sanctions.books.background import cancel

        return cancel(self.monitor, name, run_id, actor or self.actor)

    def book_run_resume(self, name: str, run_id: int, actor: str | None = None) -> Run:
        """Queue a cancelled or failed run again (it goes on where it stopped)."""
        from sanctions.books.background import resume

        return resume(self.monitor, name, run_id, actor or self.actor)

    def book_runs_due(
        self,
        *,
        lease_seconds: float | None = None,
        on_budget: Callable[[Budget], None] | None = None,
        progress: RunProgress | None = None,
    ) -> list[Run]:
        """Drive every run waiting for a runner, oldest first, each under ``max_job_seconds``;
        one runner at a time across processes (a lock in the store: [] when another has it).

        ``on_budget`` sees each run's budget before it starts: cancelling it stops the runner
        (that run goes back to pending). ``lease_seconds``: when a running run's runner counts as
        dead (default :data:`~sanctions.books.runs.LEASE_SECONDS`).
        """
        from sanctions.books import background
        from sanctions.books.runs import LEASE_SECONDS
        from sanctions.budget import Budget

        lease = LEASE_SECONDS if lease_seconds is None else lease_seconds
        done: list[Run] = []
        with self.store.run_once("book-runs") as mine:
            if not mine:
                return done
            while (run := background.due(self.monitor, lease)) is not None:
                job = Budget(
                    self.settings.max_job_seconds, what=f"book run {run.id}", limit="max_job_seconds"
                )
                if on_budget is not None:
                    on_budget(job)
                if job.cancelled.is_set():
                    break
                done.append(background.drive(self.monitor, run, job, progress))
                if job.cancelled.is_set():
                    break
        return done

    def book_run_schedule(self, every_seconds: float = 5.0) -> Housekeeping:
        """A daemon thread driving the waiting book runs every ``every_seconds`` (`serve` and
        `sanctions monitor` run one); stopping it stops the run at hand (back to pending)."""
        from sanctions.service_cases import Housekeeping

        class BookRunSchedule(Housekeeping):
            def __init__(self, runner: BookMethods) -> None:
                super().__init__(self.tick, every_seconds, "book-runs")
                self.runner = runner
                self.current: Budget | None = None
                self.stopping = False

            def tick(self) -> None:
                self.runner.book_runs_due(on_budget=self.started)

            def started(self, job: Budget) -> None:
                self.current = job
                if self.stopping:
                    job.cancel()

            def stop(self) -> None:
                self.stopping = True
                if self.current is not None:
                    self.current.cancel()
                super().stop()

        return BookRunSchedule(self)

    def book_coverage(self, name: str) -> dict[str, Any]:
        """Which version of each list every customer of the book was last screened against."""
        from sanctions.books.reports import coverage

        book = self.monitor.book(name)
        return {"book": name} | coverage(self.store, book.id, book.datasets)

    def book_remove(self, name: str, ids: Sequence[str], actor: str | None = None) -> Run:
        """Take customers out of a book (their open alerts close as ``removed``)."""
        return self.monitor.remove(name, ids, actor or self.actor)

    def rescreen_books(self, loaded: Sequence[ListVersion], trigger: str = "load") -> list[Run]:
        """Re-screen every book against what changed in the list versions just loaded."""
        return self.monitor.after_load(loaded, trigger)

    # -- alerts --------------------------------------------------------------------------------
    def alerts(
        self, *, book: str | None = None, state: str = "open", limit: int | None = None, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Alerts, newest first: ``state`` is open, delisted, closed or all."""
        from sanctions.books.reports import list_alerts

        book_id = self.monitor.book(book).id if book is not None else None
        return list_alerts(self.monitor.engine, book_id, state, limit, offset)

    def alert_changes(self, since: int = 0, limit: int = 1000) -> tuple[list[dict[str, Any]], int]:
        """Alert events after the cursor, in order, and the next cursor."""
        from sanctions.books.reports import alert_changes

        return alert_changes(self.monitor.engine, since, limit)

    # -- webhooks ------------------------------------------------------------------------------
    def webhook_add(
        self, url: str, *, book: str | None = None, secret: str | None = None, actor: str | None = None
    ) -> dict[str, Any]:
        """Register an endpoint for alert events (the secret is shown once)."""
        if book is not None:
            self.monitor.book(book)
        return self.webhooks.add(url, book, secret, actor or self.actor)

    def webhook_list(self) -> list[dict[str, Any]]:
        """Endpoints with their outbox counts."""
        self.monitor  # noqa: B018 (the tables exist once the room is opened)
        return self.webhooks.endpoints()

    def webhook_remove(self, webhook_id: int, actor: str | None = None) -> None:
        """Stop sending to an endpoint."""
        self.webhooks.remove(webhook_id, actor or self.actor)

    def webhook_rotate(
        self, webhook_id: int, secret: str | None = None, actor: str | None = None
    ) -> dict[str, Any]:
        """Sign with a new secret (and the previous one, until the next rotation)."""
        return self.webhooks.rotate(webhook_id, secret, actor or self.actor)

    def webhook_replay(self, webhook_id: int, *, since_seq: int | None = None) -> int:
        """Queue dead messages again (or every message after the event ``since_seq``)."""
        return self.webhooks.replay(webhook_id, since_seq=since_seq)

    def webhook_deliver(self, client: httpx.Client | None = None, **options: Any) -> DeliveryReport:
        """Send the outbox messages that are due."""
        return self.webhooks.deliver(client, **options)

    def deliver_due(self) -> DeliveryReport | None:
        """One delivery pass, by one runner at a time across processes (None: another runner has
        the lock, or no webhook exists)."""
        with self.store.run_once("webhook-delivery") as mine:
            if not mine or not self.webhook_list():
                return None
            return self.webhook_deliver()

    def delivery_schedule(self, every_seconds: float = 5.0) -> Housekeeping:
        """A daemon thread delivering the due webhook messages every ``every_seconds``
        (`serve` and `sanctions monitor` run one)."""
        from sanctions.service_cases import Housekeeping

        return Housekeeping(self.deliver_due, every_seconds, "webhook-delivery")
