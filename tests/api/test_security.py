"""API keys, body and batch bounds, rate limits and uploads, against a strict real server."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx

from tests.api.conftest import API_KEY
from tests.api.server import LiveServer

PERSON = {"schema": "Person", "properties": {"name": ["Sergei Sobyanin"]}}
# A user deny list in the documented CSV format, with a made-up party no official list has.
DENY_CSV = "name,type,country,list,reason\nQlorbington Vexmar Trading,Company,cy,internal,test row\n"


def test_reads_need_the_key_when_reads_are_closed(locked_server: LiveServer, keyed: httpx.Client) -> None:
    with httpx.Client(base_url=locked_server.url, timeout=30.0) as anonymous:
        refused = anonymous.get("/lists")
        assert refused.status_code == 401 and refused.headers["www-authenticate"] == "ApiKey"
        assert anonymous.get("/lists", headers={"X-API-Key": "wrong"}).status_code == 401
        assert anonymous.get("/lists", headers={"Authorization": f"ApiKey {API_KEY}"}).status_code == 200
        assert anonymous.get("/healthz").status_code == 200, "probes stay open"
    assert keyed.get("/lists").status_code == 200


def test_writes_need_the_key(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url, timeout=30.0) as anonymous:
        assert anonymous.post("/update", json={"bundled": True}).status_code == 401
        files = {"files": ("deny.csv", DENY_CSV.encode(), "text/csv")}
        assert anonymous.post("/lists/csv", files=files, data={"dataset": "x"}).status_code == 401


def test_batch_and_body_bounds(keyed: httpx.Client) -> None:
    batch = keyed.post("/match/default", json={"queries": {f"q{i}": PERSON for i in range(4)}})
    assert batch.status_code == 422 and "limit: 3" in batch.json()["detail"]
    huge = {"queries": {"q": {"schema": "Person", "properties": {"name": ["y" * 400] * 12}}}}
    too_big = keyed.post("/match/default", json=huge)
    assert too_big.status_code == 413 and "4000 bytes" in too_big.json()["detail"]

    def chunks() -> Iterator[bytes]:
        yield b'{"queries": {"q": {"schema": "Person", "properties": {"name": ["'
        for _ in range(10):
            yield b"z" * 500
        yield b'"]}}}}'

    chunked = keyed.post("/match/default", content=chunks(), headers={"content-type": "application/json"})
    assert chunked.status_code == 413


def test_upload_loads_a_new_list_that_matching_then_finds(keyed: httpx.Client) -> None:
    files = {"files": ("deny.csv", DENY_CSV.encode(), "text/csv")}
    resp = keyed.post("/lists/csv", files=files, data={"dataset": "internal_deny"})
    assert resp.status_code == 201, resp.text
    assert resp.json()["source"] == "internal_deny" and resp.json()["entities"] == 1
    query = {"queries": {"q": {"schema": "Company", "properties": {"name": ["Qlorbington Vexmar Trading"]}}}}
    found = keyed.post("/match/internal_deny", json=query).json()["responses"]["q"]["results"]
    assert found and found[0]["match"] and found[0]["datasets"] == ["internal_deny"]
    bad = keyed.post(
        "/lists/csv",
        files={"files": ("deny.csv", b"\x00\x01garbage", "text/csv")},
        data={"dataset": "internal_deny"},
    )
    assert bad.status_code == 422
    versions = {r["source"]: r for r in keyed.get("/lists").json()}
    assert versions["internal_deny"]["entities"] == 1, "a bad file leaves the loaded version in place"
    assert keyed.post("/lists/no_such_format", files=files).status_code == 404


def test_rate_limit_answers_429_then_recovers(locked_server: LiveServer) -> None:
    with httpx.Client(base_url=locked_server.url, timeout=30.0) as anonymous:
        statuses = [anonymous.get("/catalog").status_code for _ in range(150)]
        assert 429 in statuses
        limited = anonymous.get("/catalog")
        assert limited.status_code == 429
        retry = int(limited.headers["retry-after"])
        assert retry >= 1 and "rate limit" in limited.json()["detail"]
        time.sleep(retry + 0.5)
        assert anonymous.get("/catalog").status_code == 401, "after the wait the key check answers again"
