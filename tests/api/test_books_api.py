"""Monitoring over HTTP on a real `sanctions serve` process: books, customers, alerts, the
change cursor, webhooks; customer data needs a principal (reads: any role; writes: admin), and
the UI's book pages a logged-in user."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sanctions import Screener, Settings
from sanctions.ingest import LoadRequest, load
from sanctions.store import SqlStore
from tests.api.server import LiveServer, start_server

KEY = "books-key-0123456789"
PASSWORD = "analyst password"


def login(http: httpx.Client, name: str, password: str) -> None:
    """Log ``http`` in through the UI's login form."""
    token = re.search(r'name="csrf" value="([^"]+)"', http.get("/ui/login").text)
    assert token is not None
    answer = http.post("/ui/login", data={"name": name, "password": password, "csrf": token.group(1)})
    assert answer.status_code == 303, answer.text


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data_dir = tmp_path_factory.mktemp("books-api")
    store = SqlStore.open(f"sqlite:///{data_dir / 'sanctions.db'}")
    fixture = Path(__file__).parent.parent / "fixtures" / "un" / "consolidated_excerpt.xml"
    load(store, LoadRequest("un_sc_sanctions", fixture))
    store.close()
    screener = Screener(Settings(data_dir=data_dir))
    screener.user_add("root", "admin", actor="bootstrap")
    screener.user_add("ann", "analyst", PASSWORD, actor="root")
    screener.close()
    env = {"SANCTIONS_API_KEY": KEY, "SANCTIONS_SECURE_COOKIES": "0"}
    server = start_server(data_dir, data_dir / "server.log", env=env)
    yield server
    server.stop()


def test_books_over_http(live: LiveServer) -> None:
    with httpx.Client(base_url=live.url, timeout=60.0) as http:
        body = {
            "customers": [
                {"id": "1", "schema": "Person", "properties": {"name": "Eric Badege", "birthDate": ["1971"]}},
                {"id": "2", "properties": {"name": ["Anna Schmidt"], "nationality": ["Narnia"]}},
                {"id": "3", "properties": {"name": ["Jean Dupont"]}},
            ]
        }
        assert http.put("/books/bank/customers", json=body).status_code == 401
        answer = http.put("/books/bank/customers", json=body, headers={"X-API-Key": KEY})
        assert answer.status_code == 200, answer.text
        result = answer.json()
        assert result["added"] == 2
        [problem] = result["problems"]
        assert (problem["line"], problem["field"]) == (2, "nationality")
        assert problem["message"].startswith("unknown country 'Narnia': give a country name or an ISO code")

        assert http.get("/alerts").status_code == 401, "customer data is never open"
        assert http.get("/books").status_code == 401
        assert http.get("/ui/books").status_code == 303
        http.headers["X-API-Key"] = KEY
        (alert,) = http.get("/alerts", params={"book": "bank"}).json()
        assert (alert["customer_id"], alert["entity_id"], alert["reason"]) == (
            "1",
            "un_sc_sanctions-6907993",
            "new",
        )
        feed = http.get("/alerts/changes", params={"since": 0}).json()
        assert [e["alert_id"] for e in feed["events"]] == [alert["id"]]
        assert http.get("/alerts/changes", params={"since": feed["cursor"]}).json()["events"] == []
        assert http.get("/alerts", params={"state": "nope"}).status_code == 400

        book = http.get("/books/bank").json()
        assert (book["customers"], book["open_alerts"], book["coverage"]["complete"]) == (2, 1, True)
        assert [b["name"] for b in http.get("/books").json()] == ["bank"]
        assert http.get("/books/none").status_code == 404
        assert len(http.get("/books/bank/customers").json()) == 2

        del http.headers["X-API-Key"]
        login(http, "ann", PASSWORD)
        page = http.get("/ui/books/bank")
        assert page.status_code == 200 and "Eric Badege" in page.text and "Complete" in page.text
        assert "ERIC BADEGE" in http.get("/ui/alerts").text and "bank" in http.get("/ui/books").text
        assert "No alerts here." in http.get("/ui/alerts", params={"state": "delisted"}).text
        assert http.get("/ui/books/none").status_code == 404
        assert http.get("/ui/alerts", params={"state": "nope"}).status_code == 400

        keyed = {"X-API-Key": KEY}
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert csrf is not None
        refused = http.delete("/books/bank/customers/1", headers={"X-CSRF-Token": csrf.group(1)})
        assert refused.status_code == 403 and "analyst" in refused.json()["detail"]
        http.cookies.clear()
        assert http.delete("/books/bank/customers/1").status_code == 401
        assert http.delete("/books/bank/customers/1", headers=keyed).status_code == 200
        assert http.get("/alerts", params={"book": "bank"}, headers=keyed).json() == []
        assert http.delete("/books/bank/customers/1", headers=keyed).status_code == 404
        run = http.post("/books/bank/screen", json={"threshold": 0.8}, headers=keyed).json()
        assert (run["kind"], run["threshold"], run["customers"]) == ("full", 0.8, 1)

        assert http.get("/webhooks").status_code == 401
        hook = http.post("/webhooks", json={"url": "http://127.0.0.1:9/x"}, headers=keyed)
        assert hook.status_code == 201 and hook.json()["secret"].startswith("whsec_")
        assert http.post("/webhooks", json={"url": "file:///etc/passwd"}, headers=keyed).status_code == 400
        assert len(http.get("/webhooks", headers=keyed).json()) == 1
        assert http.post(f"/webhooks/{hook.json()['id']}/replay", headers=keyed).json() == {"queued": 0}
        assert http.delete("/webhooks/99", headers=keyed).status_code == 404
