"""From hits to alerts: one alert per (customer, listed party), and only what changed is emitted.

Each change writes, in the caller's transaction, the alert row, an event in the change feed
(the pull cursor), one outbox message per webhook and an audit event: nothing is notified that
was not stored, and nothing stored goes unnotified.

A decided alert (pending approval, needs info, cleared, confirmed) stays decided through
re-screens, list re-loads and engine upgrades while the customer and the listed party are
unchanged (:mod:`sanctions.books.memory`); when either changes, or the decision expires, it
comes back as ``review_required`` with the field-level difference.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from sanctions.audit import SYSTEM, record
from sanctions.books.groups import party_groups
from sanctions.books.lists import RELEVANT_FIELDS, ListView
from sanctions.books.memory import compare, customer_snapshot, party_snapshot
from sanctions.clock import stamp
from sanctions.model import Entity
from sanctions.store.tables import books as t
from sanctions.store.tables import cases as ct
from sanctions.store.tables.lists import entities_table

OPEN, DELISTED, CLOSED = "open", "delisted", "closed"
REVIEW_REQUIRED, PENDING, NEEDS_INFO = "review_required", "pending", "needs_info"
CLEARED, CONFIRMED = "cleared", "confirmed"
NEW, CHANGED, REMOVED = "new", "changed", "removed"  # and DELISTED, REVIEW_REQUIRED as reasons too
# States a decision put the alert in: kept while both sides are unchanged.
DECIDED = frozenset({PENDING, NEEDS_INFO, CLEARED, CONFIRMED})
# States whose alert closes when the pair no longer matches (a decided match stays as decided).
ACTIVE = frozenset({OPEN, REVIEW_REQUIRED, PENDING, NEEDS_INFO})
# The analysts' queue.
QUEUE = (OPEN, REVIEW_REQUIRED, NEEDS_INFO)


@dataclass(slots=True)
class Counts:
    """What a run did to the alerts."""

    new: int = 0
    changed: int = 0
    delisted: int = 0
    closed: int = 0


@dataclass(slots=True)
class BookRef:
    """What alerting needs to know of a book."""

    id: int
    name: str
    algorithm: str


@dataclass(slots=True)
class _Desired:
    party: str
    best: Entity
    score: float
    entity_ids: list[str]
    datasets: list[str]
    explanation: Any
    versions: dict[str, int]
    digest: str = ""
    snapshot: dict[str, Any] = field(default_factory=dict)


def now() -> str:
    """The alert time stamp: UTC to the second, ISO 8601."""
    return stamp()


def _digest(entities: Sequence[Entity]) -> str:
    """A digest of the screening-relevant fields of a party's records."""
    parts = [[e.id, *(d.get(k) for k in RELEVANT_FIELDS)] for e in entities for d in [e.to_dict()]]
    return hashlib.sha1(orjson.dumps(parts, option=orjson.OPT_SORT_KEYS)).hexdigest()


def alert_dict(row: Any, book: str) -> dict[str, Any]:
    """An alert as the faces show it."""
    return {
        "id": row.id,
        "book": book,
        "customer_id": row.customer_id,
        "customer": row.customer_caption,
        "entity_id": row.entity_id,
        "entity_ids": orjson.loads(row.entity_ids),
        "caption": row.caption,
        "datasets": orjson.loads(row.datasets),
        "score": row.score,
        "state": row.state,
        "reason": row.reason,
        "explanation": orjson.loads(row.explanation),
        "versions": orjson.loads(row.versions),
        "algorithm": row.algorithm,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "run_id": row.run_id,
        "assignee": row.assignee,
        "decision_id": row.decision_id,
        "review": orjson.loads(row.review) if row.review else None,
    }


def regroup(
    conn: Connection,
    book: BookRef,
    customer_ids: Sequence[str],
    view: ListView,
    run_id: int,
    counts: Counts,
    removed: frozenset[str] = frozenset(),
    actor: str = SYSTEM,
) -> None:
    """Bring the alerts of these customers in line with their hits (``removed``: left the book)."""
    for start in range(0, len(customer_ids), 500):
        chunk = list(customer_ids[start : start + 500])
        _regroup(conn, _Ctx(book, view, run_id, counts, actor), chunk, removed)


@dataclass(slots=True)
class _Ctx:
    """What one regrouping pass shares: the book, the lists, the run, the tally and the actor."""

    book: BookRef
    view: ListView
    run_id: int
    counts: Counts
    actor: str
    now: str = field(default_factory=stamp)


def _regroup(conn: Connection, ctx: _Ctx, chunk: list[str], removed: frozenset[str]) -> None:
    book, view = ctx.book, ctx.view
    h = t.hits.c
    rows = conn.execute(select(t.hits).where(h.book_id == book.id, h.customer_id.in_(chunk))).all()
    records = view.entities((r.version_id, r.entity_id) for r in rows)
    by_customer: dict[str, list[Any]] = defaultdict(list)
    for r in rows:
        if (r.version_id, r.entity_id) in records:
            by_customer[r.customer_id].append(r)
    a = t.alerts.c
    existing: dict[tuple[str, str], Any] = {
        (r.customer_id, r.party): r
        for r in conn.execute(select(t.alerts).where(a.book_id == book.id, a.customer_id.in_(chunk)))
    }
    c = t.customers.c
    captions = dict(
        conn.execute(
            select(c.customer_id, c.caption).where(c.book_id == book.id, c.customer_id.in_(chunk))
        ).all()
    )
    stale: list[Any] = []
    for cid in chunk:
        desired = _desired(by_customer.get(cid, []), records)
        mine = {party: r for (owner, party), r in existing.items() if owner == cid}
        used: set[str] = set()
        for party, want in desired.items():
            row = mine.get(party) or _same_party(mine, want, desired)
            if row is not None:
                used.add(row.party)
            _raise(conn, ctx, cid, captions.get(cid, cid), want, row)
        stale.extend(r for party, r in mine.items() if party not in used)
    active = [r for r in stale if r.state in ACTIVE]
    listed = _still_listed(conn, view, {e for r in active for e in orjson.loads(r.entity_ids)})
    for row in active:
        if row.customer_id in removed:
            state, reason = CLOSED, REMOVED
        elif any(e in listed for e in orjson.loads(row.entity_ids)):
            state, reason = CLOSED, CHANGED  # still listed, but no longer matches
        else:
            state, reason = DELISTED, DELISTED
        values = {"state": state, "reason": reason, "updated_at": ctx.now, "run_id": ctx.run_id}
        conn.execute(update(t.alerts).where(a.id == row.id).values(**values))
        _emit(conn, ctx, row.id, reason)
        if state == DELISTED:
            ctx.counts.delisted += 1
        else:
            ctx.counts.closed += 1


def _same_party(mine: dict[str, Any], want: _Desired, desired: dict[str, _Desired]) -> Any:
    """The customer's alert on the same party under another key (a record joined or left it)."""
    ids = set(want.entity_ids)
    for party, row in sorted(mine.items()):
        if party not in desired and ids & set(orjson.loads(row.entity_ids)):
            return row
    return None


def _desired(rows: list[Any], records: dict[tuple[int, str], Entity]) -> dict[str, _Desired]:
    by_id = {r.entity_id: r for r in rows}
    out: dict[str, _Desired] = {}
    for group in party_groups([records[(r.version_id, r.entity_id)] for r in rows]):
        best = min(group, key=lambda e: (-by_id[e.id].score, e.id))
        datasets = list(dict.fromkeys([best.dataset, *(e.dataset for e in group)]))
        want = _Desired(
            party=group[0].id,
            best=best,
            score=by_id[best.id].score,
            entity_ids=[e.id for e in group],
            datasets=datasets,
            explanation=orjson.loads(by_id[best.id].explanation),
            versions={e.dataset: by_id[e.id].version_id for e in group},
            digest=_digest(group),
            snapshot=party_snapshot(group),
        )
        out[want.party] = want
    return out


def _raise(conn: Connection, ctx: _Ctx, cid: str, caption: str, want: _Desired, row: Any) -> None:
    values = {
        "entity_id": want.best.id,
        "entity_ids": orjson.dumps(want.entity_ids).decode(),
        "caption": want.best.caption,
        "customer_caption": caption,
        "datasets": orjson.dumps(want.datasets).decode(),
        "score": want.score,
        "explanation": orjson.dumps(want.explanation).decode(),
        "digest": want.digest,
        "versions": orjson.dumps(want.versions).decode(),
        "algorithm": ctx.book.algorithm,
        "updated_at": ctx.now,
        "run_id": ctx.run_id,
    }
    counts = ctx.counts
    if row is None:
        values |= {
            "book_id": ctx.book.id,
            "customer_id": cid,
            "party": want.party,
            "created_at": ctx.now,
            "reason": NEW,
            "state": OPEN,
        }
        pk = conn.execute(insert(t.alerts).values(**values)).inserted_primary_key
        assert pk is not None
        _emit(conn, ctx, int(pk[0]), NEW)
        counts.new += 1
        return
    alerts = t.alerts.c
    if row.state in DECIDED and row.decision_id is not None:
        review = _review(conn, ctx, row, want)
        if not review:  # the decision holds: refresh the hit, keep the state, tell nobody
            conn.execute(update(t.alerts).where(alerts.id == row.id).values(**values))
            return
        values |= {"state": REVIEW_REQUIRED, "review": orjson.dumps(review).decode()}
        conn.execute(update(t.alerts).where(alerts.id == row.id).values(reason=REVIEW_REQUIRED, **values))
        conn.execute(delete(ct.alert_memory).where(ct.alert_memory.c.alert_id == row.id))
        _emit(conn, ctx, row.id, REVIEW_REQUIRED)
        counts.changed += 1
        return
    same = (
        row.state in (OPEN, REVIEW_REQUIRED, CLEARED, CONFIRMED)
        and row.entity_id == want.best.id
        and orjson.loads(row.entity_ids) == want.entity_ids
        and row.score == want.score
        and row.digest == want.digest
    )
    if same:
        return
    if row.state in (OPEN, REVIEW_REQUIRED):
        reason, values["state"] = CHANGED, row.state
    else:  # delisted or closed: a party listed, or matching, again is a new alert
        reason, values["state"] = NEW, OPEN
    conn.execute(update(t.alerts).where(alerts.id == row.id).values(reason=reason, **values))
    _emit(conn, ctx, row.id, reason)
    if reason == NEW:
        counts.new += 1
    else:
        counts.changed += 1


def _review(conn: Connection, ctx: _Ctx, row: Any, want: _Desired) -> dict[str, Any]:
    """What changed since the alert's decision (empty: it still holds)."""
    d = ct.decisions.c
    decision = conn.execute(
        select(d.snapshot, d.expires_at, d.decided_at).where(d.id == row.decision_id)
    ).one_or_none()
    if decision is None:
        return {}
    c = t.customers.c
    data = conn.execute(
        select(c.schema, c.data).where(c.book_id == ctx.book.id, c.customer_id == row.customer_id)
    ).one_or_none()
    customer = customer_snapshot(data.schema or None, orjson.loads(data.data)["properties"]) if data else {}
    review = compare(orjson.loads(decision.snapshot), want.snapshot, customer)
    if decision.expires_at and decision.expires_at <= ctx.now:
        review["expired"] = {"decided_at": decision.decided_at, "expires_at": decision.expires_at}
    return review


def _still_listed(conn: Connection, view: ListView, entity_ids: set[str]) -> set[str]:
    if not entity_ids:
        return set()
    c = entities_table.c
    query = select(c.id).where(c.id.in_(sorted(entity_ids)), c.version_id.in_(list(view.versions.values())))
    return {r.id for r in conn.execute(query)}


def _emit(conn: Connection, ctx: _Ctx, alert_id: int, reason: str) -> None:
    """The change-feed event of an alert, an outbox message per webhook and an audit event."""
    book, now, run_id = ctx.book, ctx.now, ctx.run_id
    row = conn.execute(select(t.alerts).where(t.alerts.c.id == alert_id)).one()
    data = alert_dict(row, book.name)
    record(
        conn,
        ctx.actor,
        f"alert.{reason}",
        f"alert:{alert_id}",
        {
            "book": book.name,
            "customer_id": row.customer_id,
            "entity_ids": data["entity_ids"],
            "state": row.state,
            "score": row.score,
            "versions": data["versions"],
            "algorithm": row.algorithm,
            "run_id": run_id,
            **({"review": data["review"]} if reason == REVIEW_REQUIRED else {}),
        },
    )
    body = orjson.dumps(data).decode()
    pk = conn.execute(
        insert(t.alert_events).values(
            alert_id=alert_id, book=book.name, reason=reason, at=now, run_id=run_id, data=body
        )
    ).inserted_primary_key
    assert pk is not None
    seq = int(pk[0])
    w = t.webhooks.c
    hooks = conn.execute(
        select(w.id).where(w.active.is_(True), (w.book.is_(None)) | (w.book == book.name))
    ).all()
    if not hooks:
        return
    message = orjson.dumps({"type": f"alert.{reason}", "timestamp": now, "seq": seq, "data": data}).decode()
    conn.execute(
        insert(t.outbox),
        [
            {
                "webhook_id": hook.id,
                "message_id": "msg_" + uuid.uuid4().hex,
                "event_seq": seq,
                "body": message,
                "state": "pending",
                "attempts": 0,
                "next_attempt": time.time(),
            }
            for hook in hooks
        ],
    )


def drop_hits(conn: Connection, book_id: int, customer_ids: Sequence[str]) -> None:
    """Forget the hits of these customers (before they are screened again, or removed)."""
    h = t.hits.c
    for start in range(0, len(customer_ids), 500):
        chunk = list(customer_ids[start : start + 500])
        conn.execute(delete(t.hits).where(h.book_id == book_id, h.customer_id.in_(chunk)))
