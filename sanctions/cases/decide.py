"""Deciding alerts: decisions (append-only), four-eyes approvals, assignment, attachments.

A decision is one of :data:`VERDICTS`. Verdicts in ``Settings.four_eyes`` take effect only once
a second user approves them; the store refuses an approval by the decision's maker (a trigger),
and this module says so first, clearly. A new decision supersedes the previous one; nothing is
ever updated or deleted in ``decisions`` or ``approvals``.

Every change writes its audit event in the same transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from sanctions.audit import SYSTEM, record
from sanctions.books import alerting as al
from sanctions.books.memory import customer_snapshot, fingerprint, party_snapshot
from sanctions.clock import days_from_now, stamp
from sanctions.errors import ConflictError, FourEyesError, InvalidInputError, NotFoundError
from sanctions.model import REASON_CODES, VERDICTS, Entity
from sanctions.store import SqlStore
from sanctions.store.tables import books as t
from sanctions.store.tables import cases as ct
from sanctions.store.tables.lists import entities_table

EFFECT = {"true_match": al.CONFIRMED, "false_positive": al.CLEARED, "needs_info": al.NEEDS_INFO}
DECIDABLE = frozenset({al.OPEN, al.REVIEW_REQUIRED, al.NEEDS_INFO, al.PENDING, al.CLEARED, al.CONFIRMED})
MAX_NOTE = 10_000
MAX_ATTACHMENT = 20_000_000


@dataclass(slots=True)
class CaseRoom:
    """Decisions on the alerts of the books in one store."""

    store: SqlStore
    four_eyes: frozenset[str]
    review_days: int = 0

    @property
    def engine(self) -> Engine:
        return self.store.engine

    # -- deciding ------------------------------------------------------------------------------
    def decide(
        self,
        alert_id: int,
        verdict: str,
        actor: str,
        *,
        reason_code: str | None = None,
        note: str = "",
        review_days: int | None = None,
    ) -> dict[str, Any]:
        """Record a decision on an alert; returns it. It supersedes the alert's previous one."""
        if verdict not in VERDICTS:
            raise InvalidInputError(f"unknown verdict {verdict!r}; use one of {', '.join(VERDICTS)}")
        if verdict == "false_positive" and not reason_code:
            raise InvalidInputError(f"a false positive needs a reason code: one of {', '.join(REASON_CODES)}")
        if reason_code is not None and reason_code not in REASON_CODES:
            raise InvalidInputError(
                f"unknown reason code {reason_code!r}; use one of {', '.join(REASON_CODES)}"
            )
        if len(note) > MAX_NOTE:
            raise InvalidInputError(f"the note is {len(note):,} characters; the limit is {MAX_NOTE:,}")
        days = self.review_days if review_days is None else review_days
        if days < 0:
            raise InvalidInputError("review days must be 0 (never) or more")
        with self.engine.begin() as conn:
            alert = _alert(conn, alert_id)
            if alert.state not in DECIDABLE:
                raise ConflictError(f"alert {alert_id} is {alert.state}: there is nothing to decide")
            snapshot = self._snapshot(conn, alert)
            needs_approval = verdict in self.four_eyes
            values = {
                "alert_id": alert_id,
                "verdict": verdict,
                "reason_code": reason_code,
                "note": note,
                "decided_by": actor,
                "decided_at": stamp(),
                "needs_approval": int(needs_approval),
                "supersedes": alert.decision_id,
                "expires_at": days_from_now(days) if days and verdict != "needs_info" else None,
                "customer_fingerprint": fingerprint(snapshot["customer"]),
                "party_fingerprint": fingerprint(snapshot["party"]),
                "snapshot": orjson.dumps(snapshot, option=orjson.OPT_SORT_KEYS).decode(),
            }
            pk = conn.execute(insert(ct.decisions), values).inserted_primary_key
            assert pk is not None
            decision_id = int(pk[0])
            state = al.PENDING if needs_approval else EFFECT[verdict]
            conn.execute(
                update(t.alerts)
                .where(t.alerts.c.id == alert_id)
                .values(state=state, decision_id=decision_id, updated_at=al.now())
            )
            audit = {k: v for k, v in values.items() if k != "snapshot"}
            record(conn, actor, "decision.made", f"alert:{alert_id}", {**audit, "decision_id": decision_id})
            if not needs_approval:
                self._take_effect(conn, alert, decision_id, verdict, values["expires_at"], actor)
            return {"id": decision_id, "state": state, **audit}

    def approve(self, alert_id: int, actor: str, note: str = "") -> dict[str, Any]:
        """Approve the decision awaiting a checker on this alert: it takes effect now."""
        return self._conclude(alert_id, actor, "approved", note)

    def reject(self, alert_id: int, actor: str, note: str = "") -> dict[str, Any]:
        """Send the awaiting decision back: the alert returns to the analysts' queue."""
        return self._conclude(alert_id, actor, "rejected", note)

    def _conclude(self, alert_id: int, actor: str, outcome: str, note: str) -> dict[str, Any]:
        if len(note) > MAX_NOTE:
            raise InvalidInputError(f"the note is {len(note):,} characters; the limit is {MAX_NOTE:,}")
        try:
            with self.engine.begin() as conn:
                alert = _alert(conn, alert_id)
                if alert.state != al.PENDING or alert.decision_id is None:
                    raise ConflictError(f"alert {alert_id} is {alert.state}: no decision awaits approval")
                d = ct.decisions.c
                decision = conn.execute(select(ct.decisions).where(d.id == alert.decision_id)).one()
                if decision.decided_by == actor:
                    raise FourEyesError(
                        f"{actor} made decision {decision.id} on alert {alert_id}: another user must "
                        f"{'approve' if outcome == 'approved' else 'reject'} it"
                    )
                conn.execute(
                    insert(ct.approvals),
                    {
                        "decision_id": decision.id,
                        "outcome": outcome,
                        "approver": actor,
                        "note": note,
                        "at": stamp(),
                    },
                )
                data = {"decision_id": decision.id, "verdict": decision.verdict, "note": note}
                record(conn, actor, f"decision.{outcome}", f"alert:{alert_id}", data)
                if outcome == "approved":
                    self._take_effect(conn, alert, decision.id, decision.verdict, decision.expires_at, actor)
                    state = EFFECT[decision.verdict]
                else:
                    state = al.REVIEW_REQUIRED if alert.review else al.OPEN
                    conn.execute(
                        update(t.alerts)
                        .where(t.alerts.c.id == alert_id)
                        .values(state=state, updated_at=al.now())
                    )
                return {"alert_id": alert_id, "decision_id": decision.id, "outcome": outcome, "state": state}
        except DBAPIError as exc:  # the store's own four-eyes trigger: a race past the check above
            if "four eyes" in str(exc.orig):
                raise FourEyesError(f"the store refused: {exc.orig}") from exc
            raise

    def _take_effect(
        self, conn: Connection, alert: Any, decision_id: int, verdict: str, expires: str | None, actor: str
    ) -> None:
        state = EFFECT[verdict]
        a = t.alerts.c
        conn.execute(
            update(t.alerts).where(a.id == alert.id).values(state=state, review=None, updated_at=al.now())
        )
        m = ct.alert_memory.c
        conn.execute(delete(ct.alert_memory).where(m.alert_id == alert.id))
        if verdict in ("false_positive", "true_match"):
            conn.execute(
                insert(ct.alert_memory),
                {
                    "book_id": alert.book_id,
                    "customer_id": alert.customer_id,
                    "alert_id": alert.id,
                    "decision_id": decision_id,
                    "verdict": verdict,
                    "entity_ids": alert.entity_ids,
                    "expires_at": expires,
                },
            )
        record(
            conn, actor, "alert.decided", f"alert:{alert.id}", {"state": state, "decision_id": decision_id}
        )

    def _snapshot(self, conn: Connection, alert: Any) -> dict[str, Any]:
        """Both sides of the alert as screened now: the memory a decision keeps."""
        c = t.customers.c
        row = conn.execute(
            select(c.schema, c.data).where(c.book_id == alert.book_id, c.customer_id == alert.customer_id)
        ).one_or_none()
        if row is None:
            raise ConflictError(f"alert {alert.id}: customer {alert.customer_id!r} is no longer in the book")
        customer = customer_snapshot(row.schema or None, orjson.loads(row.data)["properties"])
        # The records the alert's hits point at, read in this transaction (one query, no second
        # connection: deciding is interactive, its latency is a figure in docs/cases.md).
        h, e = t.hits.c, entities_table.c
        found = conn.execute(
            select(e.data)
            .select_from(t.hits.join(entities_table, (e.version_id == h.version_id) & (e.id == h.entity_id)))
            .where(
                h.book_id == alert.book_id,
                h.customer_id == alert.customer_id,
                h.entity_id.in_(orjson.loads(alert.entity_ids)),
            )
        )
        records = sorted((Entity.from_dict(orjson.loads(r.data)) for r in found), key=lambda x: x.id)
        return {"customer": customer, "party": party_snapshot(records)}

    # -- expiry, assignment, attachments -------------------------------------------------------
    def expire_due(self, actor: str = SYSTEM) -> int:
        """Bring back every decided alert whose decision's re-review date has passed."""
        a, m = t.alerts.c, ct.alert_memory.c
        now = stamp()
        with self.engine.begin() as conn:
            due = conn.execute(
                select(m.alert_id, m.decision_id, m.expires_at).where(
                    m.expires_at.is_not(None), m.expires_at <= now
                )
            ).all()
            for row in due:
                review = {"expired": {"expires_at": row.expires_at}}
                conn.execute(
                    update(t.alerts)
                    .where(a.id == row.alert_id)
                    .values(
                        state=al.REVIEW_REQUIRED,
                        reason=al.REVIEW_REQUIRED,
                        review=orjson.dumps(review).decode(),
                    )
                )
                conn.execute(delete(ct.alert_memory).where(m.alert_id == row.alert_id))
                record(conn, actor, "alert.review_required", f"alert:{row.alert_id}", review)
        return len(due)

    def assign(self, alert_id: int, assignee: str | None, actor: str) -> None:
        """Give an alert to an analyst (None: unassign)."""
        with self.engine.begin() as conn:
            alert = _alert(conn, alert_id)
            conn.execute(update(t.alerts).where(t.alerts.c.id == alert_id).values(assignee=assignee))
            data = {"from": alert.assignee, "to": assignee}
            record(conn, actor, "alert.assigned", f"alert:{alert_id}", data)

    def attach(
        self, alert_id: int, filename: str, content: bytes, content_type: str, actor: str
    ) -> dict[str, Any]:
        """Keep a document with an alert's case (stored in the database, hashed)."""
        name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
        if not name or len(name) > 255 or not name.isprintable():
            raise InvalidInputError("an attachment needs a printable file name of at most 255 characters")
        if len(content) > MAX_ATTACHMENT:
            raise InvalidInputError(
                f"the attachment is {len(content):,} bytes; the limit is {MAX_ATTACHMENT:,}"
            )
        digest = hashlib.sha256(content).hexdigest()
        with self.engine.begin() as conn:
            alert = _alert(conn, alert_id)
            values = {
                "alert_id": alert_id,
                "decision_id": alert.decision_id,
                "filename": name,
                "content_type": content_type[:100] or "application/octet-stream",
                "size": len(content),
                "sha256": digest,
                "uploaded_by": actor,
                "at": stamp(),
            }
            pk = conn.execute(insert(ct.attachments).values(data=content, **values)).inserted_primary_key
            assert pk is not None
            record(conn, actor, "attachment.added", f"alert:{alert_id}", {**values, "id": int(pk[0])})
            return {"id": int(pk[0]), **values}

    def attachment(self, attachment_id: int) -> tuple[dict[str, Any], bytes]:
        """An attachment's description and content."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(ct.attachments).where(ct.attachments.c.id == attachment_id)
            ).one_or_none()
        if row is None:
            raise NotFoundError(f"no attachment {attachment_id}")
        meta = {
            k: getattr(row, k) for k in ("id", "alert_id", "filename", "content_type", "size", "sha256", "at")
        }
        return meta, bytes(row.data)


def _alert(conn: Connection, alert_id: int) -> Any:
    row = conn.execute(select(t.alerts).where(t.alerts.c.id == alert_id)).one_or_none()
    if row is None:
        raise NotFoundError(f"no alert {alert_id}")
    return row
