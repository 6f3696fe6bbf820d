"""Walking the chain: every event's hash recomputed from its stored fields, in order.

A row edited in the database (by someone who dropped the triggers first) no longer hashes to its
stored ``hash``, or its successor's ``prev_hash`` no longer links; a deleted row leaves a gap in
``seq``. A rewrite of the whole chain, or a cut-off tail, is caught only against signed
checkpoints kept outside the database (:mod:`sanctions.audit.checkpoint`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from sanctions.audit.chain import GENESIS, chain_hash, event_bytes
from sanctions.store.tables.audit import audit_events, audit_purges

MAX_PROBLEMS = 100


@dataclass(slots=True)
class Verification:
    """What ``audit verify`` found: ``ok`` only when the chain and every checkpoint hold."""

    events: int = 0
    first_seq: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    checkpoints: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, text: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(text)
        elif len(self.problems) == MAX_PROBLEMS:
            self.problems.append("… further problems not listed")

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "events": self.events,
            "first_seq": self.first_seq,
            "head_seq": self.head_seq,
            "head_hash": self.head_hash,
            "checkpoints": self.checkpoints,
            "problems": self.problems,
        }


def verify_chain(engine: Engine, hashes_at: set[int] | None = None) -> tuple[Verification, dict[int, str]]:
    """Recompute the chain; returns the result and the hashes at the ``hashes_at`` sequence numbers."""
    result = Verification()
    wanted = hashes_at or set()
    found: dict[int, str] = {}
    c = audit_events.c
    with engine.connect() as conn:
        purge = conn.execute(
            select(audit_purges.c.before_seq, audit_purges.c.anchor_hash)
            .order_by(audit_purges.c.before_seq.desc())
            .limit(1)
        ).first()
        expected_seq, prev = (int(purge.before_seq), str(purge.anchor_hash)) if purge else (1, GENESIS)
        query = select(c.seq, c.at, c.actor, c.action, c.object, c.data, c.prev_hash, c.hash).order_by(c.seq)
        rows = conn.execution_options(stream_results=True, yield_per=10_000).execute(query)
        for seq, at, actor, action, obj, data, prev_hash, stored in rows:
            if result.events == 0:
                result.first_seq = seq
            result.events += 1
            if seq != expected_seq:
                result.problem(f"events {expected_seq}..{seq - 1} are missing (deleted rows)")
            if prev_hash != prev:
                result.problem(f"event {seq}: prev_hash does not link to the event before it")
            digest = chain_hash(prev_hash, event_bytes(seq, at, actor, action, obj, data))
            if digest != stored:
                result.problem(
                    f"event {seq} ({action} by {actor}): its content does not match its hash (edited)"
                )
            if seq in wanted:
                found[seq] = stored
            prev = stored
            expected_seq = seq + 1
    result.head_seq = expected_seq - 1 if result.events else 0
    result.head_hash = prev
    return result, found
