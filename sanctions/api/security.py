"""Presented API keys, request bounds, per-client rate limits and an access log that never
records what was screened.

The middlewares are plain ASGI (no per-request task or body copy) so they cost little on the
hot ``/match`` path.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time
import traceback
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import orjson
from anyio import to_thread
from fastapi.security import APIKeyHeader

from sanctions.settings import Settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

access_log = logging.getLogger("sanctions.api.access")
log = logging.getLogger("sanctions.api")

# Documented in OpenAPI as the "X-API-Key" scheme; "Authorization: ApiKey <key>" works as well.
api_key_header = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    description="A personal API key (sk_...) or the SANCTIONS_API_KEY value.",
)

PERSONAL_KEY_PREFIX = "sk_"  # personal API keys (sanctions.users); others are never looked up

# Paths never rate limited: probes, docs and the UI's static files.
_UNLIMITED_PREFIXES = ("/healthz", "/readyz", "/static/", "/docs", "/openapi.json", "/favicon.ico")


def presented_key(headers: dict[str, str] | Any, query: dict[str, str] | Any) -> str | None:
    """The API key a client sent: ``Authorization: ApiKey K``, ``X-API-Key: K`` or ``?api_key=K``."""
    auth = headers.get("authorization") or ""
    scheme, _, value = auth.partition(" ")
    if scheme.lower() in ("apikey", "bearer", "token") and value.strip():
        return value.strip()
    return headers.get("x-api-key") or query.get("api_key") or None


@dataclass(slots=True)
class _Bucket:
    tokens: float
    stamp: float


class RateLimiter:
    """A token bucket per client: ``per_minute`` requests a minute, bursts of a tenth of that.

    State is per worker process: with N workers a client gets up to N times the rate. 0 disables.
    """

    def __init__(self, per_minute: int, max_clients: int = 10_000):
        self.rate = per_minute / 60.0
        self.capacity = float(max(10, per_minute // 10))
        self.enabled = per_minute > 0
        self.max_clients = max_clients
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, client: str, now: float | None = None) -> float:
        """Spend one token; returns 0 when allowed, else the seconds to wait before retrying."""
        if not self.enabled:
            return 0.0
        now = time.monotonic() if now is None else now
        with self._lock:
            bucket = self._buckets.get(client)
            if bucket is None:
                if len(self._buckets) >= self.max_clients:
                    self._prune(now)
                bucket = self._buckets[client] = _Bucket(self.capacity, now)
            bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.stamp) * self.rate)
            bucket.stamp = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / self.rate

    def _prune(self, now: float) -> None:
        # Clients whose bucket has refilled carry no state worth keeping.
        full = [
            k for k, b in self._buckets.items() if b.tokens + (now - b.stamp) * self.rate >= self.capacity
        ]
        for key in full:
            del self._buckets[key]
        if len(self._buckets) >= self.max_clients:
            self._buckets.clear()


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


class KeyHolders:
    """Who holds a presented personal key, remembered for ``ttl`` seconds (for rate limiting:
    every request's authentication still checks the key itself).

    ``lookup`` answers from the store (the holder's name, or None for a made-up, revoked or
    disabled key); it runs in a worker thread, off the event loop, once per key and ``ttl``.
    """

    def __init__(self, lookup: Callable[[str], str | None], ttl: float = 60.0, max_keys: int = 10_000):
        self.lookup = lookup
        self.ttl = ttl
        self.max_keys = max_keys
        self._known: dict[str, tuple[str | None, float]] = {}  # key digest -> (holder, expiry)

    async def holder(self, key: str, now: float | None = None) -> str | None:
        """The name of the user holding ``key``, or None."""
        now = time.monotonic() if now is None else now
        kd = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
        found = self._known.get(kd)
        if found is not None and found[1] > now:
            return found[0]
        name = await to_thread.run_sync(self.lookup, key)
        if len(self._known) >= self.max_keys:
            self._known.clear()  # made-up keys must not grow the table without bound
        self._known[kd] = (name, now + self.ttl)
        return name


async def client_identity(scope: Scope, api_key: str | None, holders: KeyHolders | None = None) -> str:
    """Who is rate limited: the server key's holder, the user of a valid personal key (all of
    one user's keys share a bucket), else the client address.

    An invalid key counts as no key, so rotating made-up keys does not escape the limit.
    """
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", ())}
    raw_query: bytes = scope.get("query_string", b"")
    query = dict(parse_qsl(raw_query.decode("latin-1"))) if b"api_key" in raw_query else {}
    key = presented_key(headers, query)
    if key:
        if api_key and hmac.compare_digest(key.encode("utf-8", "surrogatepass"), api_key.encode()):
            return "key"
        if holders is not None and key.startswith(PERSONAL_KEY_PREFIX):
            name = await holders.holder(key)
            if name is not None:
                return f"user:{name}"
    client = scope.get("client")
    return f"ip:{client[0]}" if client else "ip:unknown"


async def _send_error(send: Send, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
    body = orjson.dumps({"detail": detail})
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


# Sent with every response. The UI loads its script and style from /static only; a response
# that sets its own policy (the self-contained HTML scan report) keeps it.
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)
_UPLOAD_PREFIX = "/lists/"  # POST /lists/{source}: official list files, the SDN XML is over 100 MB
_DOCUMENT_PATHS = ("/scan", "/ui/scan")


def escape_controls(text: str) -> str:
    """``text`` with control characters (CR, LF, ESC, C1, line separators) shown as escapes.

    A decoded URL path can hold ``%0a`` or ANSI escapes: written raw, they forge log lines.
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def _with_security_headers(message: Message) -> Message:
    present = {bytes(k).lower() for k, _ in message.get("headers", [])}
    extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
    if extra:
        message["headers"] = [*message.get("headers", []), *extra]
    return message


class GuardMiddleware:
    """Rate limit (429), body size bound (413), security headers and a privacy-preserving,
    control-character-safe access log, in one pass."""

    def __init__(
        self, app: ASGIApp, settings: Settings, limiter: RateLimiter, holders: KeyHolders | None = None
    ):
        self.app = app
        self.holders = holders
        self.max_body = settings.max_body_bytes
        self.max_upload = max(settings.max_upload_bytes, settings.max_body_bytes)
        self.max_document = max(settings.max_document_bytes, settings.max_body_bytes)
        self.api_key = settings.api_key
        self.limiter = limiter

    def body_limit(self, scope: Scope) -> int:
        """The body size bound of a request: list uploads and documents get their own."""
        path: str = scope.get("path", "")
        if scope.get("method") == "POST" and path.startswith(_UPLOAD_PREFIX):
            return self.max_upload
        if path in _DOCUMENT_PATHS:
            return self.max_document
        return self.max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        path: str = scope.get("path", "")
        status_box = [0]

        async def send_logged(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_box[0] = int(message["status"])
                message = _with_security_headers(message)
            await send(message)

        try:
            await self._guarded(scope, receive, send_logged, path)
        except Exception as exc:
            # An unexpected error: its message may quote the request, so log only type and place.
            frames = traceback.extract_tb(exc.__traceback__)
            where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
            log.error("unexpected error %s at %s on %s", type(exc).__name__, where, escape_controls(path))
            if status_box[0] == 0:
                await _send_error(send_logged, 500, "internal error: the request could not be processed")
        finally:
            if access_log.isEnabledFor(logging.INFO):
                # The path only: query strings (?q=, ?queries=) carry screened names.
                access_log.info(
                    "%s %s %d %.1fms",
                    escape_controls(str(scope.get("method", "?"))),
                    escape_controls(path),
                    status_box[0],
                    (time.perf_counter() - started) * 1000,
                )

    async def _guarded(self, scope: Scope, receive: Receive, send: Send, path: str) -> None:
        max_body = self.body_limit(scope)
        if not path.startswith(_UNLIMITED_PREFIXES):
            wait = self.limiter.take(await client_identity(scope, self.api_key, self.holders))
            if wait > 0:
                retry = str(max(1, int(wait + 0.999)))
                await _send_error(
                    send, 429, f"rate limit exceeded: retry in {retry} s", {"Retry-After": retry}
                )
                return
        length = _header(scope, b"content-length")
        if length is not None:
            if not length.isdigit():
                await _send_error(send, 400, "invalid Content-Length header")
                return
            if int(length) > max_body:
                await _send_error(send, 413, f"request body too large: the limit is {max_body} bytes")
                return
            await self.app(scope, receive, send)
            return
        if scope.get("method") in ("GET", "HEAD", "DELETE", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        # A body without a length (chunked): read it up to the limit, then replay it.
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > max_body:
                await _send_error(send, 413, f"request body too large: the limit is {max_body} bytes")
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
