"""/scan, /ownership and /exposure over real HTTP: the same JSON as the CLI's --json."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

ARTICLE = Path("examples") / "moskvich-revival-article.txt"


def test_scan_text_finds_listed_parties_with_offsets(client: httpx.Client) -> None:
    text = "KamAZ and Moskvich signed an agreement with Renault in Moscow."
    body = client.post("/scan", json={"text": text}).json()
    assert set(body) == {"mentions", "stats", "warnings", "suspicious"} and body["suspicious"] is False
    assert body["stats"]["characters"] == len(text)
    found = {m["text"] for m in body["mentions"]}
    assert {"KamAZ", "Moskvich"} <= found and "Renault" not in found
    for mention in body["mentions"]:
        assert text[mention["start"] : mention["end"]] == mention["text"]
        assert mention["entity"]["id"] and mention["explanations"]


def test_scan_the_showcase_article_as_an_uploaded_file(client: httpx.Client, shared_data: Path) -> None:
    data = (shared_data / ARTICLE).read_bytes()
    as_file = client.post("/scan", files={"file": ("article.txt", data, "text/plain")}).json()
    as_text = client.post("/scan", content=data, headers={"content-type": "text/plain"}).json()
    assert as_file["mentions"] == as_text["mentions"]
    assert as_file["stats"]["source"] == "article.txt"
    captions = " ".join(m["entity"]["caption"].upper() for m in as_file["mentions"])
    for party in ("SOBYANIN", "KOGOGIN", "KAMAZ", "MOSKVICH", "AURUS", "PUTIN"):
        assert party in captions
    html = client.post("/scan", params={"output": "html"}, files={"file": ("article.txt", data)})
    assert html.headers["content-type"].startswith("text/html") and "Sobyanin" in html.text


def test_scan_rejects_empty_and_bad_input(client: httpx.Client) -> None:
    assert client.post("/scan", json={"text": "   "}).status_code == 422
    assert client.post("/scan", json={"wrong": "field"}).status_code == 422
    assert client.post("/scan", files={"other": ("a.txt", b"x")}).status_code == 422


def test_ownership_of_an_ftm_graph(client: httpx.Client, shared_data: Path) -> None:
    path = shared_data / "lists" / "ftm-opensanctions" / "zala_entities.ftm.json"
    entities = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = client.post("/ownership", json={"ftm": entities, "jurisdiction": "us,eu"}).json()
    assert rows and all(set(r["jurisdictions"]) == {"us", "eu"} for r in rows)
    blocked = [r for r in rows if r["jurisdictions"]["us"]["blocked"]]
    assert blocked, "the graph holds US-listed parties"
    ids = {e["id"] for e in entities}
    assert all(r["id"] in ids or r["id"].startswith("graph") for r in rows)


def test_ownership_from_a_relations_csv(client: httpx.Client) -> None:
    csv = "subject,relation,object,share\nAlpha Holding,owner,Beta Trading,60\n"
    rows = client.post("/ownership", json={"relations_csv": csv, "jurisdiction": "us"}).json()
    assert {r["caption"] for r in rows} == {"Alpha Holding", "Beta Trading"}
    assert all(r["jurisdictions"]["us"]["blocked"] is False for r in rows), "nobody in this graph is listed"
    assert client.post("/ownership", json={}).status_code == 422


def test_exposure_of_a_listed_company_and_its_svg(client: httpx.Client) -> None:
    entity_id = client.get(
        "/search/us_ofac_sdn", params={"q": "KAMAZ", "schema": "Company", "limit": 1}
    ).json()["results"][0]["id"]
    body = client.post("/exposure", json={"party": entity_id, "depth": 1, "screen": False}).json()
    assert body["start"] == [entity_id]
    assert body["paths"], "KAMAZ's publisher-stated links lead to listed parties"
    for path in body["paths"]:
        assert path["parties"][0] == entity_id and path["target"] in body["parties"]
    svg = client.post(
        "/exposure", params={"output": "svg"}, json={"party": entity_id, "depth": 1, "screen": False}
    )
    assert svg.headers["content-type"].startswith("image/svg+xml") and svg.text.lstrip().startswith("<svg")
    assert client.post("/exposure", json={"party": entity_id, "depth": 9}).status_code == 422


def test_ownership_rule_settings_change_the_answer(client: httpx.Client) -> None:
    def person(pid: str) -> dict[str, object]:
        return {"id": pid, "schema": "Person", "properties": {"name": [f"Owner {pid}"]}}

    def sanction(pid: str) -> dict[str, object]:
        return {"id": f"s-{pid}", "schema": "Sanction", "properties": {"entity": [pid], "country": ["gb"]}}

    def stake(pid: str) -> dict[str, object]:
        props = {"owner": [pid], "asset": ["c"], "percentage": ["30"]}
        return {"id": f"o-{pid}", "schema": "Ownership", "properties": props}

    company = {"id": "c", "schema": "Company", "properties": {"name": ["Joint Holding"]}}
    ftm = [company, person("a"), person("b"), sanction("a"), sanction("b"), stake("a"), stake("b")]

    def gb_blocked(settings: list[str]) -> object:
        body = {"ftm": ftm, "jurisdiction": "gb", "rule_settings": settings}
        rows = client.post("/ownership", json=body).json()
        return next(r for r in rows if r["caption"] == "Joint Holding")["jurisdictions"]["gb"]["blocked"]

    assert gb_blocked([]) is False  # OFSI: 30 % + 30 % of two designated persons are not added up
    assert gb_blocked(["gb.aggregate=yes"]) is True
    bad = client.post(
        "/ownership", json={"ftm": ftm, "jurisdiction": "gb", "rule_settings": ["gb.nonsense=1"]}
    )
    assert bad.status_code in (400, 422) and "unknown option" in bad.json()["detail"]
