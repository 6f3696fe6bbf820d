"""Webhooks against a real HTTP receiver on loopback: signed, retried with backoff on a 500, a
timeout or a receiver that is down, dead-lettered after the limit, and replayed."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import orjson
import pytest

from sanctions.books.webhooks import verify
from sanctions.ingest import LoadRequest, load
from sanctions.records import Customer
from sanctions.service import Screener
from sanctions.settings import Settings


@dataclass
class Receiver:
    """A loopback HTTP server that records what it gets and answers as told."""

    status: int = 200
    delay: float = 0.0
    received: list[tuple[dict[str, str], str]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the http.server API)
            body = self.rfile.read(int(self.headers["content-length"])).decode()
            state.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
            time.sleep(state.delay)
            self.send_response(state.status)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    state.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=state.server.serve_forever, daemon=True)
    thread.start()
    yield state
    state.server.shutdown()
    state.server.server_close()


def _down_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"  # nothing listens there any more


@pytest.fixture
def screener(tmp_path: Path, fixtures: Path) -> Iterator[Screener]:
    screener = Screener(Settings(data_dir=tmp_path))
    load(screener.store, LoadRequest("un_sc_sanctions", fixtures / "un" / "consolidated_excerpt.xml"))
    yield screener
    screener.close()


def _raise_alert(screener: Screener, cid: str, name: str) -> None:
    screener.monitor.upsert("bank", [Customer(cid, "Person", {"name": [name]})])


def test_signed_delivery_and_secret_rotation(screener: Screener, receiver: Receiver) -> None:
    hook = screener.webhook_add(receiver.url)
    _raise_alert(screener, "C1", "Eric Badege")
    report = screener.webhook_deliver()
    assert report.to_dict() == {"delivered": 1, "retried": 0, "dead": 0}
    ((headers, body),) = receiver.received
    assert verify(hook["secret"], headers, body)
    assert not verify("whsec_" + "A" * 32, headers, body)
    message = orjson.loads(body)
    assert message["type"] == "alert.new" and message["data"]["customer_id"] == "C1"
    assert message["seq"] == screener.alert_changes()[1]

    rotated = screener.webhook_rotate(hook["id"])
    _raise_alert(screener, "C2", "Bosco Ntaganda")
    screener.webhook_deliver()
    headers, body = receiver.received[-1]
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert verify(rotated["secret"], headers, body) and verify(hook["secret"], headers, body)
    assert screener.webhook_deliver().to_dict() == {"delivered": 0, "retried": 0, "dead": 0}  # once only


def test_500_is_retried_with_backoff_then_dead_lettered_and_replayed(
    screener: Screener, receiver: Receiver
) -> None:
    receiver.status = 500
    hook = screener.webhook_add(receiver.url)
    _raise_alert(screener, "C1", "Eric Badege")
    start = time.time()
    options = {"max_attempts": 3, "base_delay": 10.0}
    assert screener.webhook_deliver(at=start, **options).retried == 1
    assert screener.webhook_deliver(at=start + 9, **options).to_dict()["retried"] == 0  # not due yet
    assert screener.webhook_deliver(at=start + 10, **options).retried == 1
    assert screener.webhook_deliver(at=start + 29, **options).retried == 0  # the wait doubled
    assert screener.webhook_deliver(at=start + 30, **options).dead == 1
    (message,) = screener.webhooks.messages(hook["id"])
    assert (message["state"], message["attempts"], message["last_error"]) == ("dead", 3, "HTTP 500")
    assert len({h["webhook-id"] for h, _ in receiver.received}) == 1  # one message, three tries

    receiver.status = 204
    assert screener.webhook_replay(hook["id"]) == 1
    assert screener.webhook_deliver().delivered == 1
    assert screener.webhooks.messages(hook["id"])[0]["state"] == "delivered"
    assert screener.webhook_replay(hook["id"], since_seq=0) == 1  # delivered ones can be replayed too
    assert screener.webhook_deliver().delivered == 1
    assert len(receiver.received) == 5


def test_a_receiver_that_times_out_or_is_down_is_retried(screener: Screener, receiver: Receiver) -> None:
    receiver.delay = 1.0
    slow = screener.webhook_add(receiver.url)
    down = screener.webhook_add(_down_url())
    _raise_alert(screener, "C1", "Eric Badege")
    with httpx.Client(timeout=0.3) as client:
        report = screener.webhook_deliver(client)
    assert report.retried == 2
    assert "Timeout" in str(screener.webhooks.messages(slow["id"])[0]["last_error"])
    assert "ConnectError" in str(screener.webhooks.messages(down["id"])[0]["last_error"])
    receiver.delay = 0.0
    screener.webhook_remove(down["id"])
    assert screener.webhook_deliver(at=time.time() + 3600).delivered == 1
    assert [h["id"] for h in screener.webhook_list()] == [slow["id"]]


def test_the_background_runner_delivers_without_being_asked(screener: Screener, receiver: Receiver) -> None:
    screener.webhook_add(receiver.url)
    runner = screener.delivery_schedule(every_seconds=0.2)
    runner.start()
    try:
        _raise_alert(screener, "C1", "Eric Badege")
        deadline = time.monotonic() + 30
        while not receiver.received and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        runner.stop()
    assert [orjson.loads(body)["type"] for _, body in receiver.received] == ["alert.new"]
    with screener.store.run_once("webhook-delivery") as mine:  # another runner holds the lock:
        assert mine
        assert Screener(screener.settings).deliver_due() is None  # a second process stays idle


def test_sanctions_monitor_delivers_and_stops_on_ctrl_c(screener: Screener, receiver: Receiver) -> None:
    import os
    import signal
    import subprocess
    import sys

    screener.webhook_add(receiver.url)
    _raise_alert(screener, "C1", "Eric Badege")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANCTIONS_")}
    env["SANCTIONS_DATA_DIR"] = str(screener.settings.data_dir)
    command = [
        sys.executable,
        "-c",
        "from sanctions.cli import main; main()",
        "monitor",
        "--deliver-every",
        "0.5",
    ]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not receiver.received and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
        assert receiver.received, (
            process.stdout.read().decode() if process.poll() is not None else "nothing sent"
        )
    finally:
        process.send_signal(signal.SIGINT)
        output = process.communicate(timeout=30)[0].decode()
    assert process.returncode == 0, output
    assert "delivering webhooks" in output
