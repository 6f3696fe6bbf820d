"""The yente-compatible /match endpoint, over real HTTP against the bundled lists."""

from __future__ import annotations

from typing import Any

import httpx

# Field names a yente client reads from each result (yente's ScoredEntityResponse).
YENTE_RESULT_FIELDS = {
    "id",
    "caption",
    "schema",
    "properties",
    "datasets",
    "referents",
    "target",
    "first_seen",
    "last_seen",
    "last_change",
    "score",
    "explanations",
    "match",
}


def _match(
    client: httpx.Client, queries: dict[str, Any], dataset: str = "default", **params: Any
) -> httpx.Response:
    return client.post(f"/match/{dataset}", json={"queries": queries}, params=params)


def test_person_query_finds_the_listed_person_with_listing_and_explanation(client: httpx.Client) -> None:
    resp = _match(
        client,
        {
            "q1": {
                "schema": "Person",
                "properties": {"name": ["Sergei Sobyanin"], "birthDate": ["1958-06-21"]},
            }
        },
    )
    assert resp.status_code == 200
    body = resp.json()
    assert body["limit"] == 5 and body["matcher"]
    q1 = body["responses"]["q1"]
    assert q1["status"] == 200
    assert q1["query"]["properties"]["name"] == ["Sergei Sobyanin"]
    assert q1["total"]["relation"] == "eq" and q1["total"]["value"] >= len(q1["results"]) >= 1
    assert all(r["match"] for r in q1["results"]), "by default only matches come back (cutoff = threshold)"
    top = q1["results"][0]
    assert set(top) >= YENTE_RESULT_FIELDS
    assert "SOBYANIN" in top["caption"].upper()
    assert top["match"] is True and top["schema"] == "Person"
    assert "1958-06-21" in top["properties"]["birthDate"]
    assert top["properties"]["topics"] == ["sanction"]
    assert any(x["program"] for x in top["listings"]), "the program the person is listed under"
    assert set(top["explanations"]) <= set(top["features"])
    names = top["explanations"]["name_similarity"]
    assert names["detail"] and names["score"] == top["features"]["name_similarity"]
    scores = [r["score"] for r in q1["results"]]
    assert scores == sorted(scores, reverse=True)


def test_cyrillic_query_finds_the_latin_listing(client: httpx.Client) -> None:
    body = _match(
        client, {"ru": {"schema": "Person", "properties": {"name": ["Собянин Сергей Семёнович"]}}}
    ).json()
    captions = [r["caption"].upper() for r in body["responses"]["ru"]["results"] if r["match"]]
    assert any("SOBYANIN" in c for c in captions)


def test_batch_answers_each_query_under_its_own_key(client: httpx.Client) -> None:
    queries = {
        "company": {"schema": "Company", "properties": {"name": ["KAMAZ"]}},
        "nobody": {"schema": "Person", "properties": {"name": ["Xqzvbnm Plorkwitz"]}},
    }
    resp = _match(client, queries, limit=3)
    assert resp.headers["x-batch-size"] == "2"
    responses = resp.json()["responses"]
    assert set(responses) == {"company", "nobody"}
    assert any(r["match"] and "KAMAZ" in r["caption"].upper() for r in responses["company"]["results"])
    assert not any(r["match"] for r in responses["nobody"]["results"])
    assert all(len(r["results"]) <= 3 for r in responses.values())


def test_dataset_path_restricts_to_one_list(client: httpx.Client) -> None:
    query = {"q": {"schema": "Person", "properties": {"name": ["Sergei Sobyanin"]}}}
    results = _match(client, query, dataset="un_sc_sanctions").json()["responses"]["q"]["results"]
    assert all(r["datasets"][0] == "un_sc_sanctions" for r in results)
    missing = _match(client, query, dataset="no_such_list")
    assert missing.status_code == 404
    assert "no_such_list" in missing.json()["detail"]


def test_exclude_entity_ids_and_threshold(client: httpx.Client) -> None:
    query = {"q": {"schema": "Company", "properties": {"name": ["KAMAZ"]}}}
    first = _match(client, query).json()["responses"]["q"]["results"]
    top_id = first[0]["id"]
    again = _match(client, query, exclude_entity_ids=[top_id]).json()["responses"]["q"]["results"]
    assert top_id not in [r["id"] for r in again]
    strict = _match(client, query, threshold=1.0).json()["responses"]["q"]["results"]
    assert all(r["match"] == (r["score"] >= 1.0) for r in strict)
    cut = _match(client, query, cutoff=0.9).json()["responses"]["q"]["results"]
    assert all(r["score"] >= 0.9 for r in cut)


def test_bad_queries_get_clear_json_errors(client: httpx.Client) -> None:
    bad_schema = _match(client, {"q": {"schema": "Spaceship", "properties": {"name": ["X"]}}})
    assert bad_schema.status_code == 400 and "Spaceship" in bad_schema.json()["detail"]
    no_queries = _match(client, {})
    assert no_queries.status_code == 400
    weights = client.post(
        "/match/default",
        json={"queries": {"q": {"schema": "Person", "properties": {}}}, "weights": {"name": 2.0}},
    )
    assert weights.status_code == 400
    broken = client.post("/match/default", content=b"{not json", headers={"content-type": "application/json"})
    assert broken.status_code == 422 and broken.json()["detail"].startswith("invalid request")
    too_long = _match(client, {"q": {"schema": "Person", "properties": {"name": ["x" * 5000]}}})
    assert too_long.status_code == 422
    unknown_algo = _match(
        client, {"q": {"schema": "Person", "properties": {"name": ["X"]}}}, algorithm="nope"
    )
    assert unknown_algo.status_code == 400 and "nope" in unknown_algo.json()["detail"]
