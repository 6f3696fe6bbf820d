"""The audit trail for an examiner: JSON lines or CSV between two times, and retention purges.

Each exported event carries its ``prev_hash`` and ``hash``, so the export itself can be checked
with nothing but SHA-256 (docs/cases.md shows how).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Engine

from sanctions.audit.chain import now, record
from sanctions.errors import InvalidInputError
from sanctions.store.tables.audit import audit_events, audit_purges

FORMATS = ("jsonl", "csv")
CSV_FIELDS = ("seq", "at", "actor", "action", "object", "data", "prev_hash", "hash")


def _bound(text: str | None, name: str) -> str | None:
    """An ISO date or date-time bound, as the sortable UTC text the chain stores."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InvalidInputError(f"--{name}: {text!r} is not an ISO date or date-time") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def events(engine: Engine, start: str | None = None, end: str | None = None) -> Iterator[dict[str, Any]]:
    """Events with ``start <= at < end`` (ISO dates or times, UTC when no zone), in order."""
    lo, hi = _bound(start, "from"), _bound(end, "to")
    c = audit_events.c
    query = select(audit_events).order_by(c.seq)
    if lo:
        query = query.where(c.at >= lo)
    if hi:
        query = query.where(c.at < hi)
    with engine.connect() as conn:
        for row in conn.execution_options(stream_results=True, yield_per=5_000).execute(query):
            yield {
                "seq": row.seq,
                "at": row.at,
                "actor": row.actor,
                "action": row.action,
                "object": row.object,
                "data": orjson.loads(row.data),
                "prev_hash": row.prev_hash,
                "hash": row.hash,
            }


def recent(engine: Engine, limit: int = 100) -> list[dict[str, Any]]:
    """The newest events, newest first."""
    c = audit_events.c
    with engine.connect() as conn:
        rows = conn.execute(select(audit_events).order_by(c.seq.desc()).limit(limit)).all()
    return [
        {
            "seq": r.seq,
            "at": r.at,
            "actor": r.actor,
            "action": r.action,
            "object": r.object,
            "data": orjson.loads(r.data),
            "hash": r.hash,
        }
        for r in rows
    ]


def export_lines(engine: Engine, fmt: str, start: str | None = None, end: str | None = None) -> Iterator[str]:
    """The export as text chunks: one JSON object per line, or CSV with a header."""
    if fmt not in FORMATS:
        raise InvalidInputError(f"unknown export format {fmt!r}; use {' or '.join(FORMATS)}")
    if fmt == "jsonl":
        for event in events(engine, start, end):
            yield orjson.dumps(event).decode() + "\n"
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_FIELDS)
    for event in events(engine, start, end):
        event["data"] = orjson.dumps(event["data"], option=orjson.OPT_SORT_KEYS).decode()
        writer.writerow([event[f] for f in CSV_FIELDS])
        if buffer.tell() > 65_536:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def purge(engine: Engine, retention_days: int, actor: str) -> int:
    """Delete the events older than the retention period; returns how many.

    The first event kept becomes the chain's anchor (recorded in ``audit_purges``, append-only),
    so ``verify`` starts there; the purge itself is an audit event.
    """
    if retention_days < 1:
        raise InvalidInputError("the retention period is at least one day")
    cutoff = (datetime.now(UTC) - timedelta(days=retention_days)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    c = audit_events.c
    with engine.begin() as conn:
        first_kept = conn.execute(
            select(c.seq, c.prev_hash).where(c.at >= cutoff).order_by(c.seq).limit(1)
        ).first()
        if first_kept is None:
            return 0  # never purge the whole chain: the head must stay to link the next event
        gone = conn.execute(select(func.count()).where(c.seq < first_kept.seq)).scalar_one()
        if not gone:
            return 0
        conn.execute(
            insert(audit_purges).values(
                before_seq=first_kept.seq,
                anchor_hash=first_kept.prev_hash,
                cutoff=cutoff,
                at=now(),
                actor=actor,
            )
        )
        conn.execute(delete(audit_events).where(c.seq < first_kept.seq))
        record(
            conn,
            actor,
            "audit.purged",
            "audit",
            {"before_seq": first_kept.seq, "events": gone, "cutoff": cutoff},
        )
    return int(gone)
