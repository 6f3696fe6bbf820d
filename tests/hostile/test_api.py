"""Items 2 and 6 over HTTP: a real `sanctions serve` process attacked with hostile requests."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import httpx
import pytest

from sanctions.api.security import GuardMiddleware, RateLimiter
from sanctions.settings import Settings
from tests.api.conftest import API_KEY
from tests.api.server import LiveServer, bundled_template, start_server
from tests.hostile.bombs import docx_paragraphs, zip_bomb_docx


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server over the bundled lists; patient at start-up (the machine may be shared)."""
    live = start_server(
        bundled_template(tmp_path_factory.getbasetemp()),
        tmp_path_factory.mktemp("logs") / "hostile.log",
        env={"SANCTIONS_API_KEY": API_KEY, "SANCTIONS_RATE_LIMIT_PER_MINUTE": "0"},
        ready_timeout=900.0,
    )
    yield live
    live.stop()


@pytest.fixture()
def client(server: LiveServer) -> Iterator[httpx.Client]:
    """An HTTP client on the hostile-test server."""
    with httpx.Client(base_url=server.url, timeout=300.0) as http:
        yield http


def _chain_ftm(hops: int) -> list[dict[str, Any]]:
    """A listed owner above a chain of ``hops`` companies, each owning all of the next."""
    entities: list[dict[str, Any]] = [
        {
            "id": "owner",
            "schema": "Person",
            "datasets": ["us_ofac_sdn"],  # listed by the US, so every rule of "us" counts it
            "properties": {"name": ["Listed Owner"], "topics": ["sanction"]},
        },
    ]
    entities += [
        {"id": f"c{i}", "schema": "Company", "properties": {"name": [f"Company {i}"]}}
        for i in range(hops + 1)
    ]
    entities.append(
        {
            "id": "o-top",
            "schema": "Ownership",
            "properties": {"owner": ["owner"], "asset": ["c0"], "percentage": ["100"]},
        }
    )
    entities += [
        {
            "id": f"o{i}",
            "schema": "Ownership",
            "properties": {"owner": [f"c{i}"], "asset": [f"c{i + 1}"], "percentage": ["100"]},
        }
        for i in range(hops)
    ]
    return entities


def test_zip_bomb_docx_upload_is_refused_and_the_server_lives(client: httpx.Client) -> None:
    bomb = zip_bomb_docx(200)
    answer = client.post("/scan", files={"file": ("bomb.docx", bomb)})
    assert answer.status_code == 413
    assert "max_compression_ratio" in answer.json()["detail"]
    assert client.get("/healthz").status_code == 200
    good = client.post("/scan", files={"file": ("ok.docx", docx_paragraphs("Aurus cars were sold."))})
    assert good.status_code == 200


def test_web_ui_upload_has_the_same_limits(client: httpx.Client) -> None:
    answer = client.post("/ui/scan", files={"file": ("bomb.docx", zip_bomb_docx(200))})
    assert answer.status_code in (400, 413) and "max_compression_ratio" in answer.text


def test_scan_finds_a_name_behind_a_zero_width_joiner(client: httpx.Client) -> None:
    text = "Payment to LIMITED LIABILITY COMPANY AU\u200dRUS"
    answer = client.post("/scan", json={"text": text})
    body = answer.json()
    assert any("AURUS" in m["entity"]["caption"].upper() for m in body["mentions"])
    assert body["suspicious"] and "hidden characters removed" in body["warnings"]


@pytest.mark.parametrize(
    "name",
    ["Pu\ud800tin", "Pu\x00tin", True, False, float("nan"), float("inf")],
    ids=["lone-surrogate", "nul", "true", "false", "nan", "infinity"],
)
def test_bad_names_are_422_with_a_message(client: httpx.Client, name: object) -> None:
    query = {"queries": {"q": {"schema": "Person", "properties": {"name": [name]}}}}
    raw = json.dumps(query, allow_nan=True).encode()  # NaN and \ud800 escapes, as a hostile client sends
    answer = client.post("/match/default", content=raw, headers={"content-type": "application/json"})
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"]


def test_ownership_chain_of_a_thousand_hops_is_answered_bounded(client: httpx.Client) -> None:
    body = {"ftm": _chain_ftm(1_000), "jurisdiction": "us"}
    answer = client.post("/ownership", json=body)
    assert answer.status_code == 200, answer.text[:500]
    rows = answer.json()
    assert int(answer.headers["x-total-count"]) == 1_002
    assert len(answer.content) < 10_000_000
    assert any(d.get("paths_truncated") for r in rows for d in r["jurisdictions"].values())
    last = next(r for r in rows if r["id"] == "c1000")
    assert last["jurisdictions"]["us"]["blocked"] is True
    page = client.post("/ownership?offset=1000&limit=10", json=body)
    assert [r["id"] for r in page.json()] == ["c999", "c1000"] or len(page.json()) == 2


def test_security_headers_on_every_answer(client: httpx.Client) -> None:
    for path in ("/ui", "/readyz", "/no/such/page"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-frame-options"] == "DENY"


def test_templates_hold_no_inline_script_or_style() -> None:
    templates = Path(__file__).resolve().parents[2] / "sanctions" / "web" / "templates"
    for page in templates.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<style" not in text and "style=" not in text, page.name
        assert "<script>" not in text and " on" + "click=" not in text, page.name


def test_manifest_ignores_the_host_header(client: httpx.Client) -> None:
    manifest = client.get("/reconcile", headers={"Host": "evil.example"}).json()
    assert "evil.example" not in json.dumps(manifest)


def test_errors_do_not_show_server_temp_paths(client: httpx.Client) -> None:
    answer = client.post(
        "/lists/us_ofac_sdn",
        files={"files": ("sdn.csv", b"not,an,sdn\nfile\n")},
        headers={"X-API-Key": API_KEY},
    )
    assert answer.status_code == 422
    assert "/tmp" not in answer.text and "sanctions-upload" not in answer.text
    assert "sdn.csv" in answer.json()["detail"]


def test_the_body_limit_fits_an_official_list_upload(client: httpx.Client) -> None:
    big = b"junk line of a file that is no SDN list\n" * 200_000  # 8 MB, over the 5 MB JSON bound
    answer = client.post(
        "/lists/us_ofac_sdn",
        files={"files": ("sdn.csv", big)},
        headers={"X-API-Key": API_KEY},
    )
    assert answer.status_code == 422, answer.text[:300]  # read and refused as a file, not as a size


def _guard_log(path: str, caplog: pytest.LogCaptureFixture) -> list[str]:
    async def ok(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        return None

    scope = {"type": "http", "method": "GET", "path": path, "headers": [], "client": ("1.2.3.4", 1)}
    settings = Settings(data_dir=Path("/nonexistent"))
    with caplog.at_level(logging.INFO, logger="sanctions.api.access"):
        asyncio.run(GuardMiddleware(ok, settings, RateLimiter(0))(scope, receive, send))
    return [r.getMessage() for r in caplog.records if r.name == "sanctions.api.access"]


def test_a_newline_in_the_path_cannot_forge_a_log_line(caplog: pytest.LogCaptureFixture) -> None:
    lines = _guard_log("/x\nGET /admin 200 0.1ms", caplog)
    assert len(lines) == 1 and "\n" not in lines[0] and "\\n" in lines[0]


def test_ansi_escapes_in_the_path_are_escaped(caplog: pytest.LogCaptureFixture) -> None:
    lines = _guard_log("/x\x1b[2J\x1b[31mred", caplog)
    assert "\x1b" not in lines[0] and "\\x1b" in lines[0]
