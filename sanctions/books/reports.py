"""Reading what monitoring stored: alerts, the change feed, and coverage proof per book."""

from __future__ import annotations

from collections import Counter
from typing import Any

import orjson
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from sanctions.books.alerting import OPEN, QUEUE, alert_dict
from sanctions.books.lists import ListView
from sanctions.errors import QueryError
from sanctions.model import ALERT_FILTERS
from sanctions.store import SqlStore
from sanctions.store.tables import books as t

STATES = ALERT_FILTERS


def list_alerts(
    engine: Engine, book_id: int | None = None, state: str = "open", limit: int | None = None, offset: int = 0
) -> list[dict[str, Any]]:
    """Alerts (of one book, in one state or all), newest change first."""
    if state not in STATES:
        raise QueryError(f"unknown alert state {state!r}; expected one of {', '.join(STATES)}")
    a, b = t.alerts.c, t.books.c
    query = select(t.alerts, b.name.label("book_name")).join(t.books, b.id == a.book_id)
    if book_id is not None:
        query = query.where(a.book_id == book_id)
    if state == "queue":
        query = query.where(a.state.in_(QUEUE))
    elif state != "all":
        query = query.where(a.state == state)
    query = query.order_by(a.id.desc()).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    with engine.connect() as conn:
        return [alert_dict(r, r.book_name) for r in conn.execute(query)]


def alert_changes(engine: Engine, since: int = 0, limit: int = 1000) -> tuple[list[dict[str, Any]], int]:
    """Events after the cursor ``since``, in order, and the cursor to store for the next call."""
    if since < 0 or limit < 1:
        raise QueryError("the cursor is a non-negative integer and the limit at least 1")
    e = t.alert_events.c
    query = select(t.alert_events).where(e.seq > since).order_by(e.seq).limit(limit)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    events = [
        {
            "seq": r.seq,
            "alert_id": r.alert_id,
            "book": r.book,
            "reason": r.reason,
            "at": r.at,
            "alert": orjson.loads(r.data),
        }
        for r in rows
    ]
    return events, (rows[-1].seq if rows else since)


def coverage(store: SqlStore, book_id: int, datasets: list[str] | None) -> dict[str, Any]:
    """Which version of each list every customer was last screened against.

    A customer's own screening run gives its versions; each later delta run of a list moves
    the customers that were at the delta's old version to its new one.
    """
    view = ListView.current(store, datasets)
    c, r = t.customers.c, t.runs.c
    with store.engine.connect() as conn:
        groups = conn.execute(
            select(c.run_id, func.count()).where(c.book_id == book_id).group_by(c.run_id)
        ).all()
        runs = {
            row.id: row
            for row in conn.execute(select(t.runs).where(r.book_id == book_id, r.complete.is_(True)))
        }
        own = {row.id: row for row in conn.execute(select(t.runs).where(r.book_id == book_id))}
    deltas = sorted((i, row) for i, row in runs.items() if row.kind == "delta")
    tally: dict[str, Counter[int | None]] = {d: Counter() for d in view.versions}
    total = 0
    for run_id, n in groups:
        total += n
        run = own.get(run_id)
        versions: dict[str, int] = orjson.loads(run.versions) if run is not None else {}
        for delta_id, delta in deltas:
            if delta_id <= run_id:
                continue
            before, after = orjson.loads(delta.from_versions), orjson.loads(delta.versions)
            for dataset, old in before.items():
                if versions.get(dataset) == old:
                    versions[dataset] = after[dataset]
        for dataset in tally:
            tally[dataset][versions.get(dataset) if run is not None else None] += n
    lists = []
    for dataset, current in sorted(view.versions.items()):
        counts = tally[dataset]
        lists.append(
            {
                "dataset": dataset,
                "current_version": current,
                "customers_at_current": counts.get(current, 0),
                "customers_behind": {str(v): n for v, n in counts.items() if v not in (current, None)},
                "customers_never_screened": counts.get(None, 0),
            }
        )
    return {
        "customers": total,
        "lists": lists,
        "complete": all(item["customers_at_current"] == total for item in lists),
    }


def open_count(engine: Engine, book_id: int) -> int:
    """Open alerts of a book."""
    a = t.alerts.c
    with engine.connect() as conn:
        return int(
            conn.execute(select(func.count()).where(a.book_id == book_id, a.state == OPEN)).scalar_one()
        )
