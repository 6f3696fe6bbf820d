"""The guard middleware and the rate limiter in isolation: limits, bodies, and silent crashes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import pytest

from sanctions.api.errors import ERROR_STATUS, status_for
from sanctions.api.security import GuardMiddleware, RateLimiter, client_identity
from sanctions.errors import NotFoundError, QueryError, SanctionsError, SourceFormatError
from sanctions.settings import Settings


def test_token_bucket_allows_bursts_then_refills() -> None:
    limiter = RateLimiter(per_minute=600)  # 10 a second, bursts of 60
    waits = [limiter.take("a", now=0.0) for _ in range(61)]
    assert waits[:60] == [0.0] * 60 and waits[60] > 0
    assert limiter.take("b", now=0.0) == 0.0, "clients have separate buckets"
    assert limiter.take("a", now=0.2) == 0.0, "two tenths of a second refill two tokens"
    assert RateLimiter(per_minute=0).take("a", now=0.0) == 0.0, "0 disables the limit"


def test_limiter_state_stays_bounded() -> None:
    limiter = RateLimiter(per_minute=60, max_clients=100)
    for i in range(1000):
        limiter.take(f"client-{i}", now=float(i))
    assert len(limiter._buckets) <= 100


def _wait(coro: Any) -> Any:
    """Run a coroutine to its end in a thread of its own (another test's loop may be running
    in this one)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _scope(key: str) -> dict[str, Any]:
    return {"headers": [(b"x-api-key", key.encode())], "client": ("10.0.0.1", 5), "query_string": b""}


def test_only_the_valid_key_gets_its_own_bucket() -> None:
    assert _wait(client_identity(_scope("secret"), "secret")) == "key"
    identity = _wait(client_identity(_scope("secret"), "other"))
    assert identity == "ip:10.0.0.1", "a made-up key counts as the address"


def test_each_user_of_personal_keys_gets_one_bucket(tmp_path: Path) -> None:
    """Personal keys are looked up in the store: a user's keys share one bucket, made-up and
    revoked keys count as the address (after the holder cache's time)."""
    from sanctions.api.security import KeyHolders
    from sanctions.service import Screener

    screener = Screener(Settings.from_env(tmp_path))
    try:
        screener.user_add("root", "admin", "correct horse battery", actor="test")
        screener.user_add("ana", "analyst", actor="test")
        screener.user_add("bo", "checker", actor="test")
        first_id, first = screener.key_create("ana", actor="test")
        _, second = screener.key_create("ana", actor="test")
        _, other = screener.key_create("bo", actor="test")

        def lookup(key: str) -> str | None:
            found = screener.principal(key)
            return None if found is None else found.name

        holders = KeyHolders(lookup, ttl=0.0)  # no caching: every call asks the store

        def identity(key: str) -> str:
            return _wait(client_identity(_scope(key), "server-secret", holders))

        assert identity(first) == identity(second) == "user:ana"
        assert identity(other) == "user:bo"
        assert identity("sk_" + "x" * 40) == "ip:10.0.0.1", "a made-up personal key is the address"
        screener.key_revoke(first_id, actor="test")
        assert identity(first) == "ip:10.0.0.1", "a revoked key is the address"
        assert identity("server-secret") == "key"
    finally:
        screener.close()


def test_key_holders_remember_and_stay_bounded() -> None:
    from sanctions.api.security import KeyHolders

    calls: list[str] = []

    def lookup(key: str) -> str | None:
        calls.append(key)
        return "ana" if key == "sk_good" else None

    holders = KeyHolders(lookup, ttl=60.0, max_keys=10)
    assert _wait(holders.holder("sk_good", now=0.0)) == "ana"
    assert _wait(holders.holder("sk_good", now=30.0)) == "ana"
    assert calls == ["sk_good"], "asked once within the time to live"
    assert _wait(holders.holder("sk_good", now=61.0)) == "ana"
    assert len(calls) == 2, "asked again after it"
    for i in range(100):
        _wait(holders.holder(f"sk_made_up_{i}", now=0.0))
    assert len(holders._known) <= 10


def test_error_table_maps_every_domain_error() -> None:
    assert status_for(NotFoundError("x")) == 404
    assert status_for(QueryError("x")) == 400
    assert status_for(SourceFormatError("f", "bad")) == 422

    class Unlisted(SanctionsError):
        pass

    assert status_for(Unlisted("x")) == ERROR_STATUS[SanctionsError]


def _run(
    app: Any, settings: Settings, body: bytes = b"", headers: list[tuple[bytes, bytes]] | None = None
) -> Any:
    sent: list[dict[str, Any]] = []
    chunks = [body[i : i + 100] for i in range(0, len(body), 100)] or [b""]

    async def receive() -> dict[str, Any]:
        chunk = chunks.pop(0) if chunks else b""
        return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(dict(message))

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/x",
        "headers": headers or [],
        "client": ("1.2.3.4", 1),
    }
    guard = GuardMiddleware(app, settings, RateLimiter(settings.rate_limit_per_minute))
    asyncio.run(guard(scope, receive, send))
    return sent


def test_unexpected_errors_answer_500_json_and_log_no_message(caplog: pytest.LogCaptureFixture) -> None:
    async def crashing(scope: Any, receive: Any, send: Any) -> None:
        raise ValueError("Vladimir Secretname was screened")

    with caplog.at_level(logging.INFO, logger="sanctions"):
        sent = _run(crashing, Settings(data_dir=Path("/nonexistent")))
    assert sent[0]["status"] == 500
    assert b"internal error" in sent[1]["body"]
    assert "ValueError" in caplog.text and "Secretname" not in caplog.text


def test_chunked_bodies_are_bounded_without_a_length() -> None:
    async def echo(scope: Any, receive: Any, send: Any) -> None:
        message = await receive()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": message["body"]})

    settings = Settings(data_dir=Path("/nonexistent"), max_body_bytes=250)
    assert _run(echo, settings, b"a" * 300)[0]["status"] == 413
    small = _run(echo, settings, b"b" * 200)
    assert small[0]["status"] == 200 and small[1]["body"] == b"b" * 200, "a small body is replayed whole"
    assert _run(echo, settings, headers=[(b"content-length", b"9999")])[0]["status"] == 413
