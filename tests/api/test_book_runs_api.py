"""Book runs over HTTP on a real `sanctions serve` process: an upsert past ``book_sync_rows``
answers 202 with the pending run and where to poll, serve's background runner screens it to the
same alerts as small synchronous upserts; a large re-screen too; cancel and resume need a write
role and answer 409 for a run in the wrong state."""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from sanctions import Screener, Settings
from sanctions.ingest import LoadRequest, load
from sanctions.store import SqlStore
from tests.api.server import LiveServer, start_server
from tests.api.test_books_api import login
from tests.books.test_un_case import BOOK

KEY = "book-runs-key-0123456789"
PASSWORD = "a long enough password"
ADMIN = {"X-API-Key": KEY}
CUSTOMERS = [{"id": cid, "properties": {"name": [name]}} for cid, name, _, _ in BOOK]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, str]]:
    data_dir = tmp_path_factory.mktemp("book-runs-api")
    store = SqlStore.open(f"sqlite:///{data_dir / 'sanctions.db'}")
    fixture = Path(__file__).parent.parent / "fixtures" / "un" / "consolidated_excerpt.xml"
    load(store, LoadRequest("un_sc_sanctions", fixture))
    store.close()
    screener = Screener(Settings(data_dir=data_dir))
    screener.user_add("root", "admin", PASSWORD, actor="bootstrap")
    screener.user_add("ann", "analyst", PASSWORD, actor="root")
    _, key = screener.key_create("ann", actor="root")
    screener.close()
    env = {"SANCTIONS_API_KEY": KEY, "SANCTIONS_BOOK_SYNC_ROWS": "5", "SANCTIONS_SECURE_COOKIES": "0"}
    server = start_server(data_dir, data_dir / "server.log", env=env)
    yield server, key
    server.stop()


def _wait(http: httpx.Client, location: str) -> dict[str, Any]:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        run: dict[str, Any] = http.get(location, headers=ADMIN).json()
        if run["state"] not in ("pending", "running"):
            return run
        time.sleep(0.5)
    raise AssertionError(f"{location} did not finish")


def _alerts(http: httpx.Client, book: str) -> set[tuple[str, str, float]]:
    found = http.get("/alerts", params={"book": book, "limit": 1000}, headers=ADMIN).json()
    return {(a["customer_id"], a["entity_id"], a["score"]) for a in found}


def test_a_large_upsert_answers_202_and_the_runner_screens_it(live: tuple[LiveServer, str]) -> None:
    server, analyst = live
    with httpx.Client(base_url=server.url, timeout=60.0) as http:
        for start in range(0, len(CUSTOMERS), 5):  # the synchronous reference, 5 at a time
            small = http.put(
                "/books/sync/customers", json={"customers": CUSTOMERS[start : start + 5]}, headers=ADMIN
            )
            assert small.status_code == 200 and small.json()["run"]["state"] == "done", small.text
        expected = _alerts(http, "sync")
        assert len(expected) >= 5

        answer = http.put("/books/bank/customers", json={"customers": CUSTOMERS}, headers=ADMIN)
        assert answer.status_code == 202, answer.text
        body = answer.json()
        assert body["added"] == 35 and body["run"]["total"] == 35
        assert body["run"]["state"] in ("pending", "running")
        location = answer.headers["Location"]
        assert location == f"/books/bank/runs/{body['run']['id']}"
        assert http.get(location).status_code == 401, "runs are customer data"
        assert http.get(location, headers={"X-API-Key": analyst}).status_code == 200
        run = _wait(http, location)
        assert (run["state"], run["customers"], run["total"], run["complete"]) == ("done", 35, 35, True)
        assert _alerts(http, "bank") == expected

        for action in ("cancel", "resume"):
            assert http.post(f"{location}/{action}").status_code == 401
            assert http.post(f"{location}/{action}", headers={"X-API-Key": analyst}).status_code == 403
            assert http.post(f"{location}/{action}", headers=ADMIN).status_code == 409, "the run is done"
        assert http.get("/books/bank/runs/999999", headers=ADMIN).status_code == 404
        assert http.get(f"/books/sync/runs/{body['run']['id']}", headers=ADMIN).status_code == 404

        rescreen = http.post("/books/bank/screen", json={}, headers=ADMIN)
        assert rescreen.status_code == 202 and rescreen.json()["kind"] == "full"
        full = _wait(http, rescreen.headers["Location"])
        assert (full["state"], full["customers"]) == ("done", 35)
        assert _alerts(http, "bank") == expected


def test_a_pending_run_can_be_cancelled_and_resumed(live: tuple[LiveServer, str]) -> None:
    server, _ = live
    with httpx.Client(base_url=server.url, timeout=60.0) as http:
        renamed = [c | {"id": f"X{c['id']}"} for c in CUSTOMERS]
        answer = http.put("/books/other/customers", json={"customers": renamed}, headers=ADMIN)
        assert answer.status_code == 202
        location = answer.headers["Location"]
        cancelled = http.post(f"{location}/cancel", headers=ADMIN)
        if cancelled.status_code == 409:  # the runner was quicker than this client: it is done
            assert http.get(location, headers=ADMIN).json()["state"] == "done"
            return
        assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
        assert http.get(location, headers=ADMIN).json()["state"] == "cancelled"
        resumed = http.post(f"{location}/resume", headers=ADMIN)
        assert resumed.status_code == 202 and resumed.headers["Location"] == location
        assert _wait(http, location)["state"] == "done"
        assert {c for c, _, _ in _alerts(http, "other")} == {f"X{c}" for c, _, _ in _alerts(http, "bank")}


def test_the_ui_import_is_screened_in_the_background(live: tuple[LiveServer, str]) -> None:
    server, _ = live
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["id", "name"])
    writer.writerows((f"U{cid}", name) for cid, name, _, _ in BOOK)
    upload = {"customers": ("book.csv", rows.getvalue().encode(), "text/csv")}
    with httpx.Client(base_url=server.url, timeout=60.0) as ann:
        login(ann, "ann", PASSWORD)
        assert 'id="import-form"' not in ann.get("/ui/books").text, "no import form for an analyst"
        refused = ann.post("/ui/books/import", data={"book": "ui", "csrf": "x"}, files=upload)
        assert refused.status_code == 403
    with httpx.Client(base_url=server.url, timeout=60.0) as http:
        login(http, "root", PASSWORD)
        form = http.get("/ui/books").text
        assert 'id="import-form"' in form
        found = re.search(r'name="csrf" value="([^"]+)"', form)
        assert found is not None
        answer = http.post("/ui/books/import", data={"book": "ui", "csrf": found.group(1)}, files=upload)
        assert answer.status_code == 303 and answer.headers["location"] == "/ui/books/ui"
        book = http.get("/books/ui", headers=ADMIN).json()
        (run,) = book["runs"]
        assert run["kind"] == "import" and run["total"] == 35
        page = http.get("/ui/books/ui").text
        assert "of 35" in page or "done" in page
        done = _wait(http, f"/books/ui/runs/{run['id']}")
        assert done["state"] == "done"
        assert {c for c, _, _ in _alerts(http, "ui")} == {f"U{c}" for c, _, _ in _alerts(http, "bank")}
        bad = http.post(
            "/ui/books/import",
            data={"book": "ui", "csrf": found.group(1)},
            files={"customers": ("notes.docx", b"hello", "application/octet-stream")},
        )
        assert bad.status_code == 400 and "notes.docx" in bad.text and "/tmp" not in bad.text
