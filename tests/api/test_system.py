"""Health, readiness, lists, catalog, algorithms and error shapes, over real HTTP."""

from __future__ import annotations

import httpx

from sanctions.bundle import bundled_lists


def test_healthz_and_readyz_answer_ok(client: httpx.Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["lists"] == len(bundled_lists())


def test_lists_report_every_bundled_list_with_its_age(client: httpx.Client) -> None:
    rows = client.get("/lists").json()
    assert {r["source"] for r in rows} == {b.dataset for b in bundled_lists()}
    for row in rows:
        assert row["entities"] > 0
        assert row["served"] is True
        # The bundled snapshot is old on purpose: every list must say it is stale.
        assert row["stale"] is True
        assert row["age_days"] is None or row["age_days"] > 7


def test_catalog_lists_default_and_each_list(client: httpx.Client) -> None:
    catalog = client.get("/catalog").json()
    names = [d["name"] for d in catalog["datasets"]]
    assert names[0] == "default"
    default = catalog["datasets"][0]
    assert sorted(default["children"]) == sorted(names[1:])
    assert sorted(catalog["current"]) == sorted(names[1:])
    assert catalog["outdated"] == [] and catalog["index_stale"] is False
    for dataset in catalog["datasets"]:
        for key in ("name", "title", "load", "version", "children"):
            assert key in dataset


def test_algorithms_document_features_and_default(client: httpx.Client) -> None:
    from sanctions.matching import ALGORITHMS, DEFAULT_ALGORITHM

    body = client.get("/algorithms").json()
    assert body["default"] == DEFAULT_ALGORITHM
    assert {a["name"] for a in body["algorithms"]} == set(ALGORITHMS)
    for algo in body["algorithms"]:
        assert algo["features"], "every algorithm lists its features"
        for doc in algo["features"].values():
            assert doc["description"], "each feature says in words what it measures"
            assert isinstance(doc["coefficient"], float)


def test_unknown_paths_and_methods_answer_json(client: httpx.Client) -> None:
    missing = client.get("/no/such/endpoint")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/json")
    assert "detail" in missing.json()
    wrong_method = client.delete("/lists")
    assert wrong_method.status_code == 405
    assert "detail" in wrong_method.json()


def test_openapi_and_docs_are_served(client: httpx.Client) -> None:
    schema = client.get("/openapi.json").json()
    for path in ("/match/{dataset}", "/search/{dataset}", "/entities/{entity_id}", "/lists", "/readyz"):
        assert path in schema["paths"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/match/{dataset}" in docs.text
    assert "<script" not in docs.text and "cdn" not in docs.text.lower()  # no third-party code
