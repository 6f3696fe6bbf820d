"""From hits to alerts: one alert per (customer, listed party), and only what changed is emitted.

Each change writes, in the caller's transaction, the alert row, an event in the change feed
(the pull cursor) and one outbox message per webhook: nothing is notified that was not stored,
and nothing stored goes unnotified.
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

from sanctions.books.groups import party_groups
from sanctions.books.lists import RELEVANT_FIELDS, ListView
from sanctions.model import Entity
from sanctions.store.tables import books as t
from sanctions.store.tables.lists import entities_table

OPEN, DELISTED, CLOSED = "open", "delisted", "closed"
NEW, CHANGED, REMOVED = "new", "changed", "removed"  # and DELISTED as a reason too


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
    extra: dict[str, Any] = field(default_factory=dict)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


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
    }


def regroup(
    conn: Connection,
    book: BookRef,
    customer_ids: Sequence[str],
    view: ListView,
    run_id: int,
    counts: Counts,
    removed: frozenset[str] = frozenset(),
) -> None:
    """Bring the alerts of these customers in line with their hits (``removed``: left the book)."""
    for start in range(0, len(customer_ids), 500):
        _regroup(conn, book, list(customer_ids[start : start + 500]), view, run_id, counts, removed)


def _regroup(
    conn: Connection,
    book: BookRef,
    chunk: list[str],
    view: ListView,
    run_id: int,
    counts: Counts,
    removed: frozenset[str],
) -> None:
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
    now = _now()
    stale: list[Any] = []
    for cid in chunk:
        desired = _desired(by_customer.get(cid, []), records)
        for party, want in desired.items():
            _raise(
                conn, book, cid, captions.get(cid, cid), want, existing.get((cid, party)), run_id, now, counts
            )
        stale.extend(r for (owner, party), r in existing.items() if owner == cid and party not in desired)
    listed = _still_listed(
        conn, view, {e for r in stale if r.state == OPEN for e in orjson.loads(r.entity_ids)}
    )
    for row in stale:
        if row.state != OPEN:
            continue
        if row.customer_id in removed:
            state, reason = CLOSED, REMOVED
        elif any(e in listed for e in orjson.loads(row.entity_ids)):
            state, reason = CLOSED, CHANGED  # still listed, but no longer matches
        else:
            state, reason = DELISTED, DELISTED
        values = {"state": state, "reason": reason, "updated_at": now, "run_id": run_id}
        conn.execute(update(t.alerts).where(a.id == row.id).values(**values))
        _emit(conn, book, row.id, reason, run_id, now)
        if state == DELISTED:
            counts.delisted += 1
        else:
            counts.closed += 1


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
        )
        out[want.party] = want
    return out


def _raise(
    conn: Connection,
    book: BookRef,
    cid: str,
    caption: str,
    want: _Desired,
    row: Any,
    run_id: int,
    now: str,
    counts: Counts,
) -> None:
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
        "algorithm": book.algorithm,
        "updated_at": now,
        "run_id": run_id,
        "state": OPEN,
    }
    if row is None:
        values |= {
            "book_id": book.id,
            "customer_id": cid,
            "party": want.party,
            "created_at": now,
            "reason": NEW,
        }
        pk = conn.execute(insert(t.alerts).values(**values)).inserted_primary_key
        assert pk is not None
        _emit(conn, book, int(pk[0]), NEW, run_id, now)
        counts.new += 1
        return
    same = (
        row.state == OPEN
        and row.entity_id == want.best.id
        and orjson.loads(row.entity_ids) == want.entity_ids
        and row.score == want.score
        and row.digest == want.digest
    )
    if same:
        return
    reason = CHANGED if row.state == OPEN else NEW  # a party listed again is a new alert
    conn.execute(update(t.alerts).where(t.alerts.c.id == row.id).values(reason=reason, **values))
    _emit(conn, book, row.id, reason, run_id, now)
    if reason == NEW:
        counts.new += 1
    else:
        counts.changed += 1


def _still_listed(conn: Connection, view: ListView, entity_ids: set[str]) -> set[str]:
    if not entity_ids:
        return set()
    c = entities_table.c
    query = select(c.id).where(c.id.in_(sorted(entity_ids)), c.version_id.in_(list(view.versions.values())))
    return {r.id for r in conn.execute(query)}


def _emit(conn: Connection, book: BookRef, alert_id: int, reason: str, run_id: int, now: str) -> None:
    """The change-feed event of an alert, and an outbox message per webhook, in this transaction."""
    row = conn.execute(select(t.alerts).where(t.alerts.c.id == alert_id)).one()
    data = alert_dict(row, book.name)
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
