"""The cases and audit section of :class:`~sanctions.service.Screener`: deciding alerts with four
eyes, the false-positive memory, the audit trail, its checkpoints and exports (docs/cases.md).

The faces call these methods on a Screener and never the rooms directly. ``actor`` is the user
acting; the faces establish who that is (CLI ``--user``, API key, UI session).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sanctions.audit.checkpoint import Checkpoint
    from sanctions.audit.verify import Verification
    from sanctions.cases import CaseRoom
    from sanctions.settings import Settings
    from sanctions.store import SqlStore


log = logging.getLogger(__name__)


class Housekeeping:
    """Runs a job now and then every ``every`` seconds in a daemon thread until stopped."""

    def __init__(self, job: Callable[[], object], every: float, name: str = "housekeeping"):
        self.job = job
        self.every = every
        self.name = name
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _loop(self) -> None:
        while True:
            try:
                self.job()
            except Exception:  # noqa: BLE001 - the schedule outlives one failure
                log.exception("%s failed", self.name)
            if self._stop.wait(self.every):
                return

    def start(self) -> None:
        """Start in the background."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop (waits for a running job to end)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None


class CaseMethods:
    """Alerts decided by analysts and approved by checkers; the audit trail an examiner verifies."""

    store: SqlStore
    settings: Settings
    _cases: CaseRoom | None = None

    @property
    def cases(self) -> CaseRoom:
        """The cases room on this Screener's store."""
        if self._cases is None:
            from sanctions.cases import CaseRoom

            self._cases = CaseRoom(self.store, self.settings.four_eyes, self.settings.review_days)
        return self._cases

    # -- decisions -----------------------------------------------------------------------------
    def alert_decide(
        self,
        alert_id: int,
        verdict: str,
        actor: str,
        *,
        reason_code: str | None = None,
        note: str = "",
        review_days: int | None = None,
    ) -> dict[str, Any]:
        """Decide an alert: ``true_match``, ``false_positive`` (with a reason code) or ``needs_info``."""
        return self.cases.decide(
            alert_id, verdict, actor, reason_code=reason_code, note=note, review_days=review_days
        )

    def alert_approve(self, alert_id: int, actor: str, note: str = "") -> dict[str, Any]:
        """Approve the decision awaiting a checker (never by the user who made it)."""
        return self.cases.approve(alert_id, actor, note)

    def alert_reject(self, alert_id: int, actor: str, note: str = "") -> dict[str, Any]:
        """Send a decision awaiting approval back to the analysts."""
        return self.cases.reject(alert_id, actor, note)

    def alert_assign(self, alert_id: int, assignee: str | None, actor: str) -> None:
        """Give an alert to an analyst (None: nobody)."""
        self.cases.assign(alert_id, assignee, actor)

    def alert_attach(
        self, alert_id: int, filename: str, content: bytes, actor: str, content_type: str = ""
    ) -> dict[str, Any]:
        """Keep a document with an alert's case."""
        return self.cases.attach(alert_id, filename, content, content_type, actor)

    def alert_attachment(self, attachment_id: int) -> tuple[dict[str, Any], bytes]:
        """An attachment's description and bytes."""
        return self.cases.attachment(attachment_id)

    def alerts_expire(self, actor: str = "system") -> int:
        """Bring back the decided alerts whose re-review date has passed; returns how many."""
        return self.cases.expire_due(actor)

    # -- reading -------------------------------------------------------------------------------
    def alert_case(self, alert_id: int) -> dict[str, Any]:
        """One alert whole: customer, listed party, explanation, decisions, approvals, history."""
        from sanctions.cases import case

        return case(self.store.engine, alert_id)

    def alert_queue(
        self,
        *,
        book: str | None = None,
        state: str = "queue",
        dataset: str | None = None,
        min_score: float | None = None,
        assignee: str | None = None,
        older_than_days: float | None = None,
        before: int | None = None,
        limit: int = 50,
    ) -> dict[str, Any]:
        """A page of the analysts' queue (state ``queue``: open, review_required, needs_info; or
        any one state, or ``all``), newest first, with the total and the ``next`` cursor
        (pass it as ``before``). ``assignee=""`` means unassigned."""
        from sanctions.cases import QueueFilter, queue

        filters = QueueFilter(book, state, dataset, min_score, assignee, older_than_days, before, limit)
        return queue(self.store.engine, filters)

    def approvals(self, limit: int = 200) -> list[dict[str, Any]]:
        """The alerts whose decision awaits a checker."""
        from sanctions.cases import approvals_queue

        return approvals_queue(self.store.engine, limit)

    def alert_memory(self, book: str | None = None) -> list[dict[str, Any]]:
        """The decisions in force that keep alerts quiet, with their expiry."""
        from sanctions.cases import memory

        return memory(self.store.engine, book)

    def case_report(self, alert_id: int) -> str:
        """A printable HTML report of one alert's case, for an examiner."""
        from sanctions.cases.report import render_case

        return render_case(self.alert_case(alert_id))

    def case_report_pdf(self, alert_id: int, target: Path) -> bool:
        """Print the case report to a PDF file; False when no converter (Chromium) is installed."""
        from sanctions.cases.report import write_pdf

        return write_pdf(self.case_report(alert_id), target)

    # -- the audit trail -----------------------------------------------------------------------
    def audit_verify(self, checkpoints: Path | None = None, public_key: Path | None = None) -> Verification:
        """Recompute the chain and hold it against the signed checkpoints (default: this data
        dir's checkpoints and key)."""
        from sanctions.audit.checkpoint import load_public_key, public_path, read_checkpoints, verify

        folder = checkpoints or self.settings.checkpoint_dir
        found = read_checkpoints(folder) if (checkpoints or folder.is_dir()) else []
        key_file = public_key or public_path(self.settings.signing_key_path)
        key = load_public_key(key_file) if (public_key or key_file.exists()) else None
        return verify(self.store.engine, found, key)

    def audit_checkpoint(self) -> tuple[Checkpoint, Path]:
        """Sign the chain's head and write it to the checkpoint folder (and POST it when a
        checkpoint URL is set). Returns the checkpoint and its file."""
        from sanctions.audit.checkpoint import load_or_create_key, sign_checkpoint, write_checkpoint

        key = load_or_create_key(self.settings.signing_key_path)
        checkpoint = sign_checkpoint(self.store.engine, key)
        path = write_checkpoint(self.settings.checkpoint_dir, checkpoint)
        if self.settings.audit_checkpoint_url:
            import httpx

            httpx.post(self.settings.audit_checkpoint_url, json=checkpoint.to_dict(), timeout=10.0)
        return checkpoint, path

    def audit_checkpoint_due(self, every_seconds: float = 86_400.0) -> bool:
        """Sign a checkpoint when the newest is older than ``every_seconds`` (the daily one)."""
        import time

        folder = self.settings.checkpoint_dir
        newest = (
            max((p.stat().st_mtime for p in folder.glob("*.json")), default=0.0) if folder.is_dir() else 0.0
        )
        if time.time() - newest < every_seconds:
            return False
        self.audit_checkpoint()
        return True

    def housekeeping(self) -> dict[str, Any]:
        """What `serve` does hourly: the daily signed checkpoint, decisions due for re-review, and
        (SQLite) a write-ahead-log checkpoint outside any request."""
        self.store.checkpoint_wal()
        return {"checkpoint": self.audit_checkpoint_due(), "expired": self.alerts_expire()}

    def housekeeping_schedule(self, every_seconds: float = 3600.0) -> Housekeeping:
        """A daemon thread running :meth:`housekeeping` now and every ``every_seconds``."""
        return Housekeeping(self.housekeeping, every_seconds)

    def checkpoint_after_load(self) -> None:
        """Sign a checkpoint after a list load; a failure is logged, never undoes the load."""
        try:
            self.audit_checkpoint()
        except Exception:  # noqa: BLE001 - the load is committed; the next checkpoint catches up
            log.exception("audit checkpoint after a list load failed")

    def audit_export(
        self, fmt: str = "jsonl", start: str | None = None, end: str | None = None
    ) -> Iterator[str]:
        """The audit events between two times as JSON lines or CSV text chunks."""
        from sanctions.audit.export import export_lines

        return export_lines(self.store.engine, fmt, start, end)

    def audit_events(self, start: str | None = None, end: str | None = None) -> Iterator[dict[str, Any]]:
        """The audit events between two times, as dicts, in order."""
        from sanctions.audit.export import events

        return events(self.store.engine, start, end)

    def audit_record(self, actor: str, action: str, obj: str, data: dict[str, Any] | None = None) -> int:
        """Append one event of the faces' own (a request that starts a system job); its seq."""
        from sanctions.audit import record

        with self.store.engine.begin() as conn:
            return record(conn, actor, action, obj, data)

    def audit_recent(self, limit: int = 100) -> list[dict[str, Any]]:
        """The newest audit events, newest first."""
        from sanctions.audit.export import recent

        return recent(self.store.engine, limit)

    def audit_purge(self, actor: str) -> int:
        """Delete the audit events older than the retention period (``audit_retention_days``)."""
        from sanctions.audit.export import purge

        return purge(self.store.engine, self.settings.audit_retention_days, actor)
