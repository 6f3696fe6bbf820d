"""Webhooks: alert events pushed from the transactional outbox, signed the Standard Webhooks way.

Each message carries ``webhook-id`` (stable across retries, so a receiver can drop duplicates),
``webhook-timestamp`` (unix seconds) and ``webhook-signature``: ``v1,`` + base64 HMAC-SHA256
over ``id.timestamp.body`` with each of the endpoint's secrets (several during a rotation,
space separated). A failed delivery is retried with exponential backoff; after the last attempt
the message is dead-lettered, and ``replay`` queues dead or delivered messages again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Engine

from sanctions.audit import SYSTEM, record
from sanctions.books.runs import now
from sanctions.errors import NotFoundError, QueryError
from sanctions.store.tables import books as t

SECRET_PREFIX = "whsec_"
MAX_ATTEMPTS = 8
BASE_DELAY = 30.0  # seconds before the first retry; doubled at each further attempt
TIMEOUT = 10.0
LEASE = 300.0  # seconds a claimed message is left to its runner before another may take it
TOLERANCE = 300  # seconds a receiver accepts between the timestamp and its clock
PENDING, DELIVERED, DEAD = "pending", "delivered", "dead"


def new_secret() -> str:
    """A fresh signing secret (24 random bytes, base64, with the ``whsec_`` prefix)."""
    return SECRET_PREFIX + base64.b64encode(os.urandom(24)).decode()


def _key(secret: str) -> bytes:
    raw = secret.removeprefix(SECRET_PREFIX)
    try:
        return base64.b64decode(raw, validate=True)
    except ValueError:
        raise QueryError("a webhook secret is 'whsec_' followed by base64") from None


def sign(secrets: list[str], message_id: str, timestamp: int, body: str) -> str:
    """The ``webhook-signature`` header: one ``v1,<base64>`` per secret."""
    payload = f"{message_id}.{timestamp}.{body}".encode()
    return " ".join(
        "v1," + base64.b64encode(hmac.new(_key(s), payload, hashlib.sha256).digest()).decode()
        for s in secrets
    )


def verify(secret: str, headers: Mapping[str, str], body: str, at: float | None = None) -> bool:
    """What a receiver does: a signature made with ``secret`` is among those sent, in time."""
    timestamp = int(headers["webhook-timestamp"])
    if abs((at if at is not None else time.time()) - timestamp) > TOLERANCE:
        return False
    expected = sign([secret], headers["webhook-id"], timestamp, body)
    return any(hmac.compare_digest(expected, sent) for sent in headers["webhook-signature"].split(" "))


@dataclass(slots=True)
class DeliveryReport:
    """What one delivery pass did."""

    delivered: int = 0
    retried: int = 0
    dead: int = 0

    def to_dict(self) -> dict[str, int]:
        return {"delivered": self.delivered, "retried": self.retried, "dead": self.dead}


class Webhooks:
    """Endpoints and the outbox in the store's database."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def add(
        self, url: str, book: str | None = None, secret: str | None = None, actor: str = SYSTEM
    ) -> dict[str, Any]:
        """Register an endpoint; the secret is returned here, and only here."""
        if not url.startswith(("http://", "https://")):
            raise QueryError(f"a webhook URL starts with http:// or https://, got {url!r}")
        secret = secret or new_secret()
        _key(secret)
        with self.engine.begin() as conn:
            pk = conn.execute(
                insert(t.webhooks).values(
                    url=url, secrets=orjson.dumps([secret]).decode(), book=book, created_at=now(), active=True
                )
            ).inserted_primary_key
            assert pk is not None
            record(conn, actor, "webhook.added", f"webhook:{pk[0]}", {"url": url, "book": book})
        return {"id": int(pk[0]), "url": url, "book": book, "secret": secret}

    def rotate(self, webhook_id: int, secret: str | None = None, actor: str = SYSTEM) -> dict[str, Any]:
        """Add a new secret; messages are signed with it and the previous one until the next
        rotation (so receivers can switch without missing a message)."""
        row = self._row(webhook_id)
        secret = secret or new_secret()
        _key(secret)
        secrets = [secret, orjson.loads(row.secrets)[0]]
        with self.engine.begin() as conn:
            conn.execute(
                update(t.webhooks)
                .where(t.webhooks.c.id == webhook_id)
                .values(secrets=orjson.dumps(secrets).decode())
            )
            record(conn, actor, "webhook.secret_rotated", f"webhook:{webhook_id}", {"url": row.url})
        return {"id": webhook_id, "url": row.url, "book": row.book, "secret": secret}

    def remove(self, webhook_id: int, actor: str = SYSTEM) -> None:
        """Stop sending to an endpoint (its outbox stays, for the record)."""
        row = self._row(webhook_id)
        with self.engine.begin() as conn:
            conn.execute(update(t.webhooks).where(t.webhooks.c.id == webhook_id).values(active=False))
            record(conn, actor, "webhook.removed", f"webhook:{webhook_id}", {"url": row.url})

    def endpoints(self) -> list[dict[str, Any]]:
        """Active endpoints with their outbox counts (secrets are never shown again)."""
        o = t.outbox.c
        with self.engine.connect() as conn:
            hooks = conn.execute(
                select(t.webhooks).where(t.webhooks.c.active.is_(True)).order_by(t.webhooks.c.id)
            ).all()
            counts: dict[tuple[int, str], int] = {
                (r.webhook_id, r.state): r.n
                for r in conn.execute(
                    select(o.webhook_id, o.state, func.count().label("n")).group_by(o.webhook_id, o.state)
                )
            }
        return [
            {
                "id": h.id,
                "url": h.url,
                "book": h.book,
                "created_at": h.created_at,
                "secrets": len(orjson.loads(h.secrets)),
                **{state: counts.get((h.id, state), 0) for state in (PENDING, DELIVERED, DEAD)},
            }
            for h in hooks
        ]

    def messages(self, webhook_id: int | None = None, state: str | None = None) -> list[dict[str, Any]]:
        """Outbox messages (of one endpoint, in one state), oldest first."""
        o = t.outbox.c
        query = select(t.outbox).order_by(o.id)
        if webhook_id is not None:
            query = query.where(o.webhook_id == webhook_id)
        if state is not None:
            query = query.where(o.state == state)
        with self.engine.connect() as conn:
            return [
                {
                    "id": r.id,
                    "webhook_id": r.webhook_id,
                    "message_id": r.message_id,
                    "event_seq": r.event_seq,
                    "state": r.state,
                    "attempts": r.attempts,
                    "last_error": r.last_error,
                    "delivered_at": r.delivered_at,
                }
                for r in conn.execute(query)
            ]

    def replay(self, webhook_id: int, *, since_seq: int | None = None, dead_only: bool = True) -> int:
        """Queue messages again (dead ones, or every one after the event ``since_seq``)."""
        self._row(webhook_id)
        o = t.outbox.c
        where = [o.webhook_id == webhook_id]
        if dead_only and since_seq is None:
            where.append(o.state == DEAD)
        if since_seq is not None:
            where.append(o.event_seq > since_seq)
        with self.engine.begin() as conn:
            result = conn.execute(
                update(t.outbox).where(*where).values(state=PENDING, attempts=0, next_attempt=time.time())
            )
        return int(result.rowcount or 0)

    def deliver(
        self,
        client: httpx.Client | None = None,
        *,
        at: float | None = None,
        limit: int = 100,
        max_attempts: int = MAX_ATTEMPTS,
        base_delay: float = BASE_DELAY,
    ) -> DeliveryReport:
        """Send the messages that are due, once each; failures are rescheduled or dead-lettered."""
        own = client is None
        client = client or httpx.Client(timeout=TIMEOUT)
        report = DeliveryReport()
        o, w = t.outbox.c, t.webhooks.c
        moment = time.time() if at is None else at
        try:
            # Claim the due messages for a lease in a short transaction (rows locked by another
            # runner are skipped on PostgreSQL), then send outside any transaction.
            with self.engine.begin() as conn:
                due = conn.execute(
                    select(t.outbox, w.url, w.secrets)
                    .join(t.webhooks, w.id == o.webhook_id)
                    .where(o.state == PENDING, o.next_attempt <= moment, w.active.is_(True))
                    .order_by(o.id)
                    .limit(limit)
                    .with_for_update(skip_locked=True, of=t.outbox)
                ).all()
                if due:
                    lease = moment + LEASE
                    claimed = [r.id for r in due]
                    conn.execute(update(t.outbox).where(o.id.in_(claimed)).values(next_attempt=lease))
            for row in due:
                error = self._send(client, row, int(moment))
                attempts = row.attempts + 1
                if error is None:
                    values: dict[str, Any] = {"state": DELIVERED, "attempts": attempts, "delivered_at": now()}
                    report.delivered += 1
                elif attempts >= max_attempts:
                    values = {"state": DEAD, "attempts": attempts, "last_error": error}
                    report.dead += 1
                else:
                    delay = base_delay * 2 ** (attempts - 1)
                    values = {"attempts": attempts, "last_error": error, "next_attempt": moment + delay}
                    report.retried += 1
                with self.engine.begin() as conn:
                    conn.execute(update(t.outbox).where(o.id == row.id).values(**values))
        finally:
            if own:
                client.close()
        return report

    @staticmethod
    def _send(client: httpx.Client, row: Any, timestamp: int) -> str | None:
        headers = {
            "content-type": "application/json",
            "webhook-id": row.message_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(orjson.loads(row.secrets), row.message_id, timestamp, row.body),
        }
        try:
            response = client.post(row.url, content=row.body.encode(), headers=headers)
        except httpx.HTTPError as exc:
            return f"{type(exc).__name__}: {exc}"[:500]
        if 200 <= response.status_code < 300:
            return None
        return f"HTTP {response.status_code}"

    def _row(self, webhook_id: int) -> Any:
        with self.engine.connect() as conn:
            row = conn.execute(select(t.webhooks).where(t.webhooks.c.id == webhook_id)).first()
        if row is None:
            raise NotFoundError(f"no webhook {webhook_id}")
        return row
