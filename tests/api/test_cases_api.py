"""Deciding alerts over HTTP against a real server: keys per user, four eyes, conflicts,
attachments, the report, and the audit routes."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sanctions.service import Screener
from sanctions.settings import Settings
from tests.api.server import LiveServer, start_server

USERS = {"root": "admin", "ann": "analyst", "bob": "checker", "cid": "checker", "aud": "auditor"}


@pytest.fixture(scope="module")
def live(
    tmp_path_factory: pytest.TempPathFactory, fixtures: Path
) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    data_dir = tmp_path_factory.mktemp("cases-api")
    screener = Screener(Settings(data_dir=data_dir))
    screener.load("un_sc_sanctions", fixtures / "un" / "consolidated_excerpt.xml")
    book = data_dir / "book.csv"
    with book.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["id", "name"], ["C1", "Bosco Ntaganda"], ["C2", "Eric Badege"]])
    screener.book_import("bank", book)
    keys = {}
    for name, role in USERS.items():
        screener.user_add(name, role, None, actor="setup")
        keys[name] = screener.key_create(name, "test", actor="setup")[1]
    screener.close()
    server = start_server(data_dir, data_dir / "server.log", env={"SANCTIONS_RATE_LIMIT_PER_MINUTE": "0"})
    yield server, keys
    server.stop()


def _as(server: LiveServer, key: str) -> httpx.Client:
    return httpx.Client(base_url=server.url, headers={"X-API-Key": key}, timeout=60.0)


def test_decide_four_eyes_and_the_queue(live: tuple[LiveServer, dict[str, str]]) -> None:
    server, keys = live
    with _as(server, keys["ann"]) as ann, _as(server, keys["bob"]) as bob, _as(server, keys["cid"]) as cid:
        page = ann.get("/cases/queue", params={"book": "bank"}).json()
        assert page["total"] == 2
        alert = next(a for a in page["alerts"] if a["customer_id"] == "C1")["id"]
        bad = ann.post(f"/alerts/{alert}/decide", json={"verdict": "false_positive"})
        assert bad.status_code == 422 and "reason code" in bad.json()["detail"]
        made = bob.post(
            f"/alerts/{alert}/decide", json={"verdict": "false_positive", "reason_code": "different_person"}
        )
        assert made.status_code == 201 and made.json()["decided_by"] == "bob"
        own = bob.post(f"/alerts/{alert}/approve", json={})
        assert own.status_code == 403 and "another user" in own.json()["detail"]
        assert ann.post(f"/alerts/{alert}/approve", json={}).status_code == 403  # an analyst's role
        assert [a["id"] for a in cid.get("/cases/approvals").json()] == [alert]
        done = cid.post(f"/alerts/{alert}/approve", json={"note": "checked the passport"})
        assert done.status_code == 200 and done.json()["state"] == "cleared"
        again = cid.post(f"/alerts/{alert}/approve", json={})
        assert again.status_code == 409
        assert ann.get("/cases/queue", params={"book": "bank"}).json()["total"] == 1
        case = ann.get(f"/alerts/{alert}/case").json()
        assert [(d["decided_by"], d["approval"]["by"]) for d in case["decisions"]] == [("bob", "cid")]
        assert ann.get("/cases/memory").json()[0]["alert_id"] == alert
        assert ann.get("/alerts/999999/case").status_code == 404


def test_attachments_report_and_audit(live: tuple[LiveServer, dict[str, str]]) -> None:
    server, keys = live
    with _as(server, keys["ann"]) as ann, _as(server, keys["aud"]) as aud:
        alert = ann.get("/cases/queue", params={"state": "all"}).json()["alerts"][0]["id"]
        sent = ann.post(
            f"/alerts/{alert}/attachments",
            params={"filename": "registry extract.pdf"},
            content=b"%PDF-1.4 extract",
            headers={"Content-Type": "application/pdf"},
        )
        assert sent.status_code == 201
        got = ann.get(f"/attachments/{sent.json()['id']}")
        assert got.content == b"%PDF-1.4 extract" and got.headers["content-disposition"].startswith(
            "attachment"
        )
        report = ann.get(f"/alerts/{alert}/report")
        assert (
            report.status_code == 200
            and "Case report" in report.text
            and "registry extract.pdf" in report.text
        )
        assert aud.post(f"/alerts/{alert}/decide", json={"verdict": "needs_info"}).status_code == 403
        assert ann.get("/audit/verify").status_code == 403
        verified = aud.get("/audit/verify").json()
        assert verified["ok"] and verified["events"] > 5
        lines = aud.get("/audit/events", params={"format": "csv"}).text.splitlines()
        assert lines[0].startswith("seq,at,actor,action") and any("attachment.added" in x for x in lines)
        assert aud.get("/audit/events", params={"from": "yesterday"}).status_code in (400, 422)
