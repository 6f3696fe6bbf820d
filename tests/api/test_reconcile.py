"""The W3C reconciliation API (OpenRefine's protocol), over real HTTP."""

from __future__ import annotations

import json

import httpx


def test_manifest_describes_the_service(client: httpx.Client) -> None:
    manifest = client.get("/reconcile").json()
    assert "0.2" in manifest["versions"]
    assert manifest["identifierSpace"] and manifest["schemaSpace"]
    assert "{{id}}" in manifest["view"]["url"]
    assert {t["id"] for t in manifest["defaultTypes"]} >= {"Person", "Company"}
    assert manifest["suggest"]["entity"]["service_path"].startswith("/suggest/entity")


def test_queries_by_post_form_and_by_get(client: httpx.Client) -> None:
    queries = {
        "q0": {
            "query": "Sergei Sobyanin",
            "type": "Person",
            "limit": 3,
            "properties": [{"pid": "birthDate", "v": "1958-06-21"}],
        },
        "q1": {"query": "KAMAZ"},
    }
    posted = client.post("/reconcile", data={"queries": json.dumps(queries)}).json()
    fetched = client.get("/reconcile", params={"queries": json.dumps(queries)}).json()
    assert set(posted) == set(fetched) == {"q0", "q1"}
    top = posted["q0"]["result"][0]
    assert "SOBYANIN" in top["name"].upper() and top["match"] is True
    assert top["type"][0]["id"] == "Person"
    assert len(posted["q0"]["result"]) <= 3
    assert [r["id"] for r in posted["q1"]["result"]] == [r["id"] for r in fetched["q1"]["result"]]


def test_bad_reconcile_queries_are_400(client: httpx.Client) -> None:
    assert client.post("/reconcile", data={"queries": "{oops"}).status_code == 400
    assert client.post("/reconcile", data={"queries": "[1, 2]"}).status_code == 400
    assert client.get("/reconcile/nowhere").status_code == 404


def test_suggest_endpoints(client: httpx.Client) -> None:
    entities = client.get("/reconcile/default/suggest/entity", params={"prefix": "kamaz"}).json()
    assert entities["result"] and "KAMAZ" in entities["result"][0]["name"].upper()
    types = client.get("/reconcile/default/suggest/type", params={"prefix": "pers"}).json()
    assert [t["id"] for t in types["result"]] == ["Person"]
    props = client.get("/reconcile/default/suggest/property", params={"prefix": "birth"}).json()
    assert any(p["id"] == "birthDate" for p in props["result"])
