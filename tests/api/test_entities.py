"""/search and /entities over real HTTP."""

from __future__ import annotations

import httpx
from followthemoney import model


def test_search_ranks_names_and_pages(client: httpx.Client) -> None:
    body = client.get("/search/default", params={"q": "kamaz", "limit": 3}).json()
    assert body["limit"] == 3 and body["offset"] == 0
    assert 1 <= len(body["results"]) <= 3
    assert "KAMAZ" in body["results"][0]["caption"].upper()
    assert "datasets" in body["facets"]
    second = client.get("/search/default", params={"q": "kamaz", "limit": 3, "offset": 3}).json()
    assert not {r["id"] for r in body["results"]} & {r["id"] for r in second["results"]}
    empty = client.get("/search/default", params={"q": ""}).json()
    assert empty["results"] == [] and empty["total"]["value"] == 0


def test_entity_has_ftm_properties_sanctions_and_relations(client: httpx.Client) -> None:
    found = client.get(
        "/search/us_ofac_sdn", params={"q": "KAMAZ", "schema": "Organization", "limit": 1}
    ).json()
    entity_id = found["results"][0]["id"]
    entity = client.get(f"/entities/{entity_id}").json()
    assert entity["id"] == entity_id and entity["target"] is True
    schema = model.get(entity["schema"])
    assert schema is not None
    for prop in entity["properties"]:
        assert prop in schema.properties, f"{prop} is not an FtM property of {schema.name}"
    sanctions = entity["properties"]["sanctions"]
    assert sanctions and sanctions[0]["schema"] == "Sanction"
    assert sanctions[0]["properties"]["entity"] == [entity_id]
    for relation in entity["relations"]:
        assert entity_id in (relation["subject_id"], relation["object_id"])
    flat = client.get(f"/entities/{entity_id}", params={"nested": "false"}).json()
    assert "sanctions" not in flat["properties"]


def test_missing_entity_is_404_json(client: httpx.Client) -> None:
    resp = client.get("/entities/us_ofac_sdn-does-not-exist")
    assert resp.status_code == 404
    assert "does-not-exist" in resp.json()["detail"]
