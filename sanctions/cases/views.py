"""Reading cases: the analysts' queue, the checkers' queue, and one case whole.

The queue pages by key (``before``: the last id seen), so the 100,000th alert costs what the
first does; filters are book, state, list, score, assignee and age.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.engine import Engine

from sanctions.books import alerting as al
from sanctions.books.reports import STATES
from sanctions.clock import days_from_now
from sanctions.errors import InvalidInputError, NotFoundError
from sanctions.model import Entity
from sanctions.store.tables import books as t
from sanctions.store.tables import cases as ct
from sanctions.store.tables.audit import audit_events
from sanctions.store.tables.lists import entities_table
from sanctions.store.tables.lists import versions_table as list_versions

MAX_PAGE = 500
FEW = 5_000  # at most this many matches: the page is chosen from their ids (see queue)


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """What the alert queue shows: ``state`` "queue" is open, review_required and needs_info."""

    book: str | None = None
    state: str = "queue"
    dataset: str | None = None
    min_score: float | None = None
    assignee: str | None = None  # "" : unassigned
    older_than_days: float | None = None
    before: int | None = None  # keyset paging: alerts with a smaller id
    limit: int = 50


def queue(engine: Engine, f: QueueFilter) -> dict[str, Any]:
    """One page of alerts (newest first) and the total that match the filters."""
    if f.state not in STATES:
        raise InvalidInputError(f"unknown alert state {f.state!r}; expected one of {', '.join(STATES)}")
    if not 1 <= f.limit <= MAX_PAGE:
        raise InvalidInputError(f"page size must be between 1 and {MAX_PAGE}")
    a, b = t.alerts.c, t.books.c
    where: list[ColumnElement[bool]] = []
    if f.state == "queue":
        where.append(a.state.in_(al.QUEUE))
    elif f.state != "all":
        where.append(a.state == f.state)
    if f.book is not None:
        where.append(b.name == f.book)
    if f.dataset:
        where.append(a.datasets.contains(orjson.dumps(f.dataset).decode()))
    if f.min_score is not None:
        where.append(a.score >= f.min_score)
    if f.assignee is not None:
        where.append(a.assignee.is_(None) if f.assignee == "" else a.assignee == f.assignee)
    if f.older_than_days is not None:
        cutoff = days_from_now(-f.older_than_days)
        where.append(a.created_at <= cutoff)
    joined = t.alerts.join(t.books, b.id == a.book_id)
    cursor = [a.id < f.before] if f.before is not None else []
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(joined).where(*where)).scalar_one()
        page = select(t.alerts, b.name.label("book_name")).select_from(joined).order_by(a.id.desc())
        rows: Sequence[Any] = []
        if 0 < total <= FEW:
            # A few matches among many alerts: walking the table by id would read most of it to
            # fill a page, so take their ids off the queue index (ix_alerts_queue) first.
            ids = conn.execute(select(a.id).select_from(joined).where(*where, *cursor)).scalars().all()
            chosen = sorted(ids, reverse=True)[: f.limit]
            rows = conn.execute(page.where(a.id.in_(chosen))).all() if chosen else []
        elif total:
            rows = conn.execute(page.where(*where, *cursor).limit(f.limit)).all()
    items = [al.alert_dict(r, r.book_name) for r in rows]
    more = len(rows) == f.limit and rows[-1].id > 0
    return {"total": total, "alerts": items, "next": rows[-1].id if more and rows else None}


def approvals_queue(engine: Engine, limit: int = 200) -> list[dict[str, Any]]:
    """Alerts whose decision awaits a checker, oldest decision first."""
    a, d, b = t.alerts.c, ct.decisions.c, t.books.c
    query = (
        select(
            t.alerts, b.name.label("book_name"), d.verdict, d.reason_code, d.note, d.decided_by, d.decided_at
        )
        .join(t.books, b.id == a.book_id)
        .join(ct.decisions, d.id == a.decision_id)
        .where(a.state == al.PENDING)
        .order_by(d.decided_at, a.id)
        .limit(limit)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [
        {
            **al.alert_dict(r, r.book_name),
            "decision": {
                "verdict": r.verdict,
                "reason_code": r.reason_code,
                "note": r.note,
                "decided_by": r.decided_by,
                "decided_at": r.decided_at,
            },
        }
        for r in rows
    ]


def case(engine: Engine, alert_id: int) -> dict[str, Any]:
    """An alert with both sides, every decision and approval, attachments, list versions and
    its audit events: what a case page and an examiner's report show."""
    a, b = t.alerts.c, t.books.c
    with engine.connect() as conn:
        row = conn.execute(
            select(t.alerts, b.name.label("book_name"))
            .join(t.books, b.id == a.book_id)
            .where(a.id == alert_id)
        ).one_or_none()
        if row is None:
            raise NotFoundError(f"no alert {alert_id}")
        alert = al.alert_dict(row, row.book_name)
        c = t.customers.c
        customer_row = conn.execute(
            select(t.customers).where(c.book_id == row.book_id, c.customer_id == row.customer_id)
        ).one_or_none()
        customer = (
            {
                "id": row.customer_id,
                "caption": customer_row.caption,
                "schema": customer_row.schema or None,
                **orjson.loads(customer_row.data),
            }
            if customer_row
            else {"id": row.customer_id, "caption": row.customer_caption, "removed": True}
        )
        versions = {int(v) for v in alert["versions"].values()}
        e = entities_table.c
        records = [
            Entity.from_dict(orjson.loads(r.data)).to_dict()
            for r in conn.execute(
                select(e.data).where(e.id.in_(alert["entity_ids"]), e.version_id.in_(sorted(versions)))
            )
        ]
        lv = list_versions.c
        lists = [
            {
                "id": r.id,
                "dataset": r.dataset,
                "published": r.published,
                "loaded_at": r.loaded_at,
                "sha256": r.sha256,
            }
            for r in conn.execute(
                select(list_versions).where(lv.id.in_(sorted(versions))).order_by(lv.dataset)
            )
        ]
        decisions = _decisions(conn, alert_id)
        at = ct.attachments.c
        attachments = [
            dict(r._mapping)
            for r in conn.execute(
                select(
                    at.id,
                    at.decision_id,
                    at.filename,
                    at.content_type,
                    at.size,
                    at.sha256,
                    at.uploaded_by,
                    at.at,
                )
                .where(at.alert_id == alert_id)
                .order_by(at.id)
            )
        ]
        ev = audit_events.c
        history = [
            {
                "seq": r.seq,
                "at": r.at,
                "actor": r.actor,
                "action": r.action,
                "data": orjson.loads(r.data),
                "hash": r.hash,
            }
            for r in conn.execute(
                select(audit_events).where(ev.object == f"alert:{alert_id}").order_by(ev.seq)
            )
        ]
    return {
        "alert": alert,
        "customer": customer,
        "party": sorted(records, key=lambda r: r["id"]),
        "lists": lists,
        "decisions": decisions,
        "attachments": attachments,
        "history": history,
    }


def _decisions(conn: Any, alert_id: int) -> list[dict[str, Any]]:
    d, p = ct.decisions.c, ct.approvals.c
    query = (
        select(ct.decisions, p.outcome, p.approver, p.note.label("approval_note"), p.at.label("approved_at"))
        .outerjoin(ct.approvals, p.decision_id == d.id)
        .where(d.alert_id == alert_id)
        .order_by(d.id)
    )
    out = []
    for r in conn.execute(query):
        out.append(
            {
                "id": r.id,
                "verdict": r.verdict,
                "reason_code": r.reason_code,
                "note": r.note,
                "decided_by": r.decided_by,
                "decided_at": r.decided_at,
                "needs_approval": bool(r.needs_approval),
                "supersedes": r.supersedes,
                "expires_at": r.expires_at,
                "customer_fingerprint": r.customer_fingerprint,
                "party_fingerprint": r.party_fingerprint,
                "snapshot": orjson.loads(r.snapshot),
                "approval": (
                    {"outcome": r.outcome, "by": r.approver, "note": r.approval_note, "at": r.approved_at}
                    if r.outcome
                    else None
                ),
            }
        )
    return out


def memory(engine: Engine, book: str | None = None) -> list[dict[str, Any]]:
    """The decisions in force that keep alerts quiet (the false-positive memory, and confirmed
    matches), with their expiry."""
    m, b = ct.alert_memory.c, t.books.c
    query = select(ct.alert_memory, b.name.label("book_name")).join(t.books, b.id == m.book_id)
    if book is not None:
        query = query.where(b.name == book)
    with engine.connect() as conn:
        return [
            {
                "book": r.book_name,
                "customer_id": r.customer_id,
                "alert_id": r.alert_id,
                "decision_id": r.decision_id,
                "verdict": r.verdict,
                "entity_ids": orjson.loads(r.entity_ids),
                "expires_at": r.expires_at,
            }
            for r in conn.execute(query.order_by(m.alert_id))
        ]


__all__ = ["QueueFilter", "approvals_queue", "case", "memory", "queue"]
