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


def test_manifest_offers_data_extension(client: httpx.Client) -> None:
    manifest = client.get("/reconcile/default").json()
    extend = manifest["extend"]
    assert extend["propose_properties"]["service_path"].startswith("/extend/property")
    assert {s["name"] for s in extend["propose_settings"]} == {"limit", "render"}
    proposed = client.get("/reconcile/default/extend/property", params={"type": "Person", "limit": 5}).json()
    assert proposed["type"] == "Person" and proposed["limit"] == 5 and len(proposed["properties"]) == 5
    assert {"birthDate", "nationality"} <= {p["id"] for p in proposed["properties"]}
    assert client.get("/reconcile/default/extend/property", params={"type": "Banana"}).status_code == 400


def test_extend_returns_the_asked_properties_per_id(client: httpx.Client) -> None:
    found = client.post(
        "/reconcile", data={"queries": json.dumps({"q": {"query": "Sergei Sobyanin"}})}
    ).json()
    entity_id = found["q"]["result"][0]["id"]
    request = {
        "ids": [entity_id, "no-such-entity"],
        "properties": [
            {"id": "name"},
            {"id": "nationality"},
            {"id": "nationality", "settings": {"render": "raw"}},
            {"id": "birthDate", "settings": {"limit": 1}},
        ],
    }
    resp = client.post("/reconcile/default", data={"extend": json.dumps(request)})
    assert resp.status_code == 200 and resp.headers["x-batch-size"] == "2"
    body = resp.json()
    assert [m["id"] for m in body["meta"]] == ["name", "nationality", "birthDate"]
    row = body["rows"][entity_id]
    assert any("SOBYANIN" in v["str"].upper() for v in row["name"])
    assert row["birthDate"] == [{"str": "1958-06-21"}]
    assert row["nationality"] == [{"str": "ru"}], "the last setting for a property wins (raw here)"
    assert body["rows"]["no-such-entity"] == {}


def test_malformed_posts_are_400_not_the_manifest(client: httpx.Client) -> None:
    assert client.post("/reconcile").status_code == 400
    as_json = client.post("/reconcile/default", json={"queries": {"q": {"query": "x"}}})
    assert as_json.status_code == 400 and "queries" in as_json.json()["detail"]
    assert client.post("/reconcile", data={"extend": "{oops"}).status_code == 400
    bad_ids = client.post("/reconcile", data={"extend": json.dumps({"ids": "x", "properties": []})})
    assert bad_ids.status_code == 400 and "ids" in bad_ids.json()["detail"]
    banana = client.post("/reconcile", data={"queries": json.dumps({"q": {"query": "x", "type": "Banana"}})})
    assert banana.status_code == 400 and "Banana" in banana.json()["detail"]
