"""yente 5 semantics beyond the shapes: threshold and cutoff, total, facets over all hits,
algorithm names, explanations, /updatez (over real HTTP, bundled lists)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx

from tests.api.conftest import API_KEY

KAMAZ = {"q": {"schema": "Company", "properties": {"name": ["KAMAZ"]}}}


def _results(client: httpx.Client, queries: dict[str, Any], **params: Any) -> dict[str, Any]:
    resp = client.post("/match/default", json={"queries": queries}, params=params)
    assert resp.status_code == 200, resp.text
    result: dict[str, Any] = resp.json()["responses"]["q"]
    return result


def test_only_matches_by_default_and_total_counts_matches_beyond_the_limit(client: httpx.Client) -> None:
    default = _results(client, KAMAZ, limit=3)
    assert default["results"] and all(r["match"] for r in default["results"])
    lowered = _results(client, KAMAZ, limit=1, threshold=0.5)
    assert len(lowered["results"]) == 1
    assert lowered["total"]["value"] > 1, "several KAMAZ companies score above 0.5: total counts them all"
    # A cutoff under the threshold brings back candidates that are not matches; total still counts matches.
    wide = _results(client, KAMAZ, limit=5, cutoff=0.2)
    assert any(not r["match"] for r in wide["results"])
    assert wide["total"]["value"] == sum(r["match"] for r in wide["results"])
    assert all(r["score"] >= 0.2 for r in wide["results"])
    # A cutoff above the threshold is lowered to it (yente: min(cutoff, threshold)).
    high = _results(client, KAMAZ, limit=5, cutoff=0.99, threshold=0.5)
    assert any(r["score"] < 0.99 for r in high["results"])


def test_explanations_are_keyed_by_feature_with_our_detail(client: httpx.Client) -> None:
    top = _results(client, KAMAZ)["results"][0]
    names = top["explanations"]["name_similarity"]
    assert names["score"] == top["features"]["name_similarity"] and names["weight"] == 1.0
    assert "KAMAZ" in names["detail"] and "aligned" in names["detail"]
    assert all(set(e) >= {"score", "detail", "query", "candidate"} for e in top["explanations"].values())


def test_yente_algorithm_names_are_ours_under_another_name(client: httpx.Client) -> None:
    listing = client.get("/algorithms").json()
    aliases = {a["name"]: set(a["aliases"]) for a in listing["algorithms"]}
    assert {"best", "logic-v2"} <= aliases[listing["best"]]
    assert "name-based" in aliases["sanctions-names-v1"]
    query = {
        "q": {"schema": "Person", "properties": {"name": ["Sergei Sobyanin"], "birthDate": ["1901-01-01"]}}
    }
    full = _results(client, query, algorithm="logic-v2", cutoff=0.0)["results"][0]
    names_only = _results(client, query, algorithm="name-based", cutoff=0.0)["results"][0]
    assert "birth_date_conflict" in full["explanations"], "a birth date 57 years off counts against"
    assert set(names_only["explanations"]) == {"name_similarity"}
    assert names_only["score"] > full["score"]
    unknown = client.post("/match/default", json={"queries": query}, params={"algorithm": "neural-net"})
    assert unknown.status_code == 400
    assert all(
        name in unknown.json()["detail"] for name in ("sanctions-v1", "best", "logic-v2", "name-based")
    )


def test_changed_since_is_validated_and_applied(client: httpx.Client) -> None:
    query = {"q": {"schema": "Person", "properties": {"name": ["Sergei Sobyanin"]}}}
    assert _results(client, query, changed_since="2000-01-01")["results"]
    assert _results(client, query, changed_since="2999-12-31T23:59:59")["results"] == []
    garbage = client.post("/match/default", json={"queries": query}, params={"changed_since": "garbage"})
    assert garbage.status_code == 422 and "changed_since" in garbage.json()["detail"]
    impossible = client.post(
        "/match/default", json={"queries": query}, params={"changed_since": "2026-13-45"}
    )
    assert impossible.status_code == 400 and "2026-13-45" in impossible.json()["detail"]


def test_search_facets_count_every_hit_not_the_page(client: httpx.Client) -> None:
    body = client.get("/search/default", params={"q": "kamaz", "limit": 1}).json()
    assert len(body["results"]) == 1 and body["total"]["value"] > 1
    topics = {v["name"]: v["count"] for v in body["facets"]["topics"]["values"]}
    assert topics["sanction"] == body["total"]["value"]
    countries = {v["name"]: v for v in body["facets"]["countries"]["values"]}
    assert countries["ru"]["label"] == "Russia"
    uk = client.get("/search/default", params={"q": "kamaz", "datasets": "gb_hmt_sanctions"}).json()
    assert uk["results"] and all("gb_hmt_sanctions" in r["datasets"] for r in uk["results"])
    people = client.get("/search/default", params={"q": "kamaz", "schema": "Person"}).json()
    assert all(r["schema"] == "Person" for r in people["results"])


def test_updatez_needs_the_key_as_token(keyed: httpx.Client) -> None:
    wrong = keyed.post("/updatez", params={"token": "wrong"})  # the token, when sent, is what counts
    assert wrong.status_code == 403 and "token" in wrong.json()["detail"]
    done = keyed.post("/updatez", params={"token": API_KEY, "sync": "true", "bundled": "true"})
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["status"] == "ok" and body["failures"] == []
    assert body["loaded"] == [], "the bundled lists are loaded already: unchanged files are skipped"
    assert keyed.get("/readyz").status_code == 200


def test_the_documented_alias_table_is_the_served_one(client: httpx.Client) -> None:
    docs = (Path(__file__).parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    documented = dict(re.findall(r"^\| `([a-z0-9-]+)` \| `(sanctions-[a-z0-9-]+)` \|", docs, re.MULTILINE))
    served = {
        alias: a["name"] for a in client.get("/algorithms").json()["algorithms"] for alias in a["aliases"]
    }
    assert documented == served
