"""Appending to the audit chain, in the caller's transaction.

Each event is canonical JSON (sorted keys, no spaces, UTF-8) of its ``seq``, time, actor, action,
object and data; ``hash = SHA-256(prev_hash ‖ event)``, hex. The first event's ``prev_hash`` is
:data:`GENESIS`. Writers are serialised (an advisory lock on PostgreSQL; SQLite has one writer),
and ``prev_hash`` is unique, so the chain can never fork.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

import orjson
from sqlalchemy import insert, select, text
from sqlalchemy.engine import Connection

from sanctions.clock import stamp_us
from sanctions.store.locks import advisory_key
from sanctions.store.tables.audit import audit_events

GENESIS = "0" * 64
SYSTEM = "system"  # the actor of jobs nobody started by hand (scheduled updates, re-screens)
_LOCK = advisory_key("sanctions.audit.chain")


def now() -> str:
    """The audit time stamp: UTC to the microsecond, ISO 8601, sorting in time order."""
    return stamp_us()


def canonical(data: Mapping[str, Any]) -> str:
    """``data`` as canonical JSON text: sorted keys, no insignificant space, UTF-8 unescaped.

    The text is stored as written and hashed as stored, so verification never serialises again.
    """
    try:
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:  # what orjson refuses (integers past 64 bits): the standard library's form
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def event_bytes(seq: int, at: str, actor: str, action: str, obj: str, data: str) -> bytes:
    """The canonical bytes of one event (``data`` is already canonical JSON text)."""
    head = orjson.dumps({"action": action, "actor": actor, "at": at}, option=orjson.OPT_SORT_KEYS)
    tail = orjson.dumps({"object": obj, "seq": seq}, option=orjson.OPT_SORT_KEYS)
    return head[:-1] + b',"data":' + data.encode() + b"," + tail[1:]


def chain_hash(prev_hash: str, event: bytes) -> str:
    """SHA-256 of the previous hash (hex text) followed by the event bytes."""
    return hashlib.sha256(prev_hash.encode() + event).hexdigest()


# Built once: recording is on the path of every decision and alert (docs/cases.md, Figures).
_HEAD = select(audit_events.c.seq, audit_events.c.hash).order_by(audit_events.c.seq.desc()).limit(1)
_APPEND = insert(audit_events)


def head(conn: Connection) -> tuple[int, str]:
    """The last event's sequence number and hash ((0, GENESIS) on an empty chain)."""
    row = conn.execute(_HEAD).first()
    return (0, GENESIS) if row is None else (int(row.seq), str(row.hash))


def record(
    conn: Connection,
    actor: str,
    action: str,
    obj: str,
    data: Mapping[str, Any] | None = None,
) -> int:
    """Append one event in ``conn``'s transaction; returns its sequence number.

    ``action`` is dotted (``alert.raised``, ``decision.made``, ``user.added``); ``obj`` names what
    it acted on (``alert:12``, ``user:ann``, ``list:us_ofac_sdn@7``).
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK})
    seq, prev = head(conn)
    seq += 1
    at = now()
    body = canonical(data or {})
    digest = chain_hash(prev, event_bytes(seq, at, actor, action, obj, body))
    row = {"seq": seq, "at": at, "actor": actor, "action": action, "object": obj}
    conn.execute(_APPEND, {**row, "data": body, "prev_hash": prev, "hash": digest})
    return seq


def record_many(conn: Connection, actor: str, events: list[tuple[str, str, Mapping[str, Any]]]) -> None:
    """Append several events (action, object, data) by one actor in one go, in order."""
    if not events:
        return
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK})
    seq, prev = head(conn)
    at = now()
    rows = []
    for action, obj, data in events:
        seq += 1
        body = canonical(data)
        digest = chain_hash(prev, event_bytes(seq, at, actor, action, obj, body))
        rows.append(
            {
                "seq": seq,
                "at": at,
                "actor": actor,
                "action": action,
                "object": obj,
                "data": body,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    conn.execute(_APPEND, rows)
