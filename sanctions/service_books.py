"""The monitoring section of :class:`~sanctions.service.Screener`: books, alerts, webhooks.

Kept in its own module (Screener inherits it) so the service stays readable; the faces call
these methods on a Screener and never the books room directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sanctions.errors import SanctionsError

if TYPE_CHECKING:
    import httpx

    from sanctions.books import ImportResult, Monitor, Run
    from sanctions.books.webhooks import DeliveryReport, Webhooks
    from sanctions.model import ListVersion
    from sanctions.service_cases import Housekeeping
    from sanctions.store import SqlStore


class BookMethods:
    """Customer books kept screened as the lists change (docs/monitoring.md)."""

    store: SqlStore
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
    ) -> ImportResult:
        """Upsert a customer file into a book and screen the customers added or changed.

        A file that cannot be read raises before anything changes; bad rows are left out and
        reported in the result (with line numbers).
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
            trigger=f"import {path}",
            actor=actor or self.actor,
        )
        result.problems = read.problems
        return result

    def book_mirror(
        self, name: str, records: Sequence[dict[str, Any]], actor: str | None = None
    ) -> ImportResult:
        """Make a book hold exactly these customers (refused when any record is rejected)."""
        return self.book_upsert(name, records, remove_missing=True, actor=actor)

    def book_upsert(
        self,
        name: str,
        records: Sequence[dict[str, Any]],
        *,
        remove_missing: bool = False,
        actor: str | None = None,
    ) -> ImportResult:
        """Upsert customers given as ``{"id", "schema", "properties"}`` (the API's body)."""
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
            name, customers, remove_missing=remove_missing, trigger="api", actor=actor or self.actor
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
    ) -> Run:
        """Screen a whole book again (resumes an interrupted run with the same settings)."""
        return self.monitor.screen_full(
            name, algorithm=algorithm, threshold=threshold, trigger="book screen", actor=actor or self.actor
        )

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
