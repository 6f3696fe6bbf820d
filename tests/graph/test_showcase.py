"""The showcase on the bundled official lists: JAC is exposed to KAMAZ, Renault is clear."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from normality import slugify
from typer.testing import CliRunner

from sanctions.cli import build_app
from sanctions.graph import RULES, PartyLink, PartyMatcher, collect, find_exposure
from sanctions.graph.exposure import ExposureResult
from sanctions.model import Entity
from sanctions.service import Screener
from sanctions.sources.relations_csv import parse_relations

SHOWCASE = Path(__file__).parent.parent / "fixtures" / "graph" / "showcase-relations.csv"


def _name_lookup(screener: Screener) -> PartyMatcher:
    """Links a party to every listed record one of whose names starts with the party's name.

    Stands in for the matching engine so that this test checks the graph on real lists alone.
    """
    index: dict[str, list[Entity]] = {}
    for entity in screener.store.iter_entities():
        for name in entity.names:
            words = (slugify(name.value) or "").split("-")
            if words[0]:
                index.setdefault(words[0], []).append(entity)

    def match(party: Entity) -> list[PartyLink]:
        links: dict[str, PartyLink] = {}
        for name in party.names:
            slug = slugify(name.value) or ""
            for entity in index.get(slug.split("-")[0], []):
                if any((slugify(n.value) or "").startswith(slug) for n in entity.names) and entity.is_listed:
                    links[entity.id] = PartyLink(entity, 1.0)
        return list(links.values())

    return match


def _exposure(screener: Screener, party: str) -> ExposureResult:
    records = list(parse_relations(SHOWCASE, "showcase"))
    found = collect(party, records=records, source=screener, matcher=_name_lookup(screener), depth=2)
    return find_exposure(found.builder.build(), found.start_ids, list(RULES.values()), depth=2)


def _kamaz_listings(result: ExposureResult) -> set[tuple[str, str | None]]:
    targets = [result.parties[p.target] for p in result.paths]
    return {(item["authority"], item["program"]) for t in targets for item in t.listings}


def test_jac_is_exposed_to_kamaz(loaded_screener: Screener) -> None:
    result = _exposure(loaded_screener, "JAC")
    assert result.status == "exposed"
    assert {p.classification for p in result.paths} == {"exposed"}
    assert {h.relation for p in result.paths for h in p.hops} == {"partner", "licensee"}
    records = {r["caption"] for p in result.paths for r in result.parties[p.target].records}
    assert "KAMAZ PUBLICLY TRADED COMPANY" in records
    listings = _kamaz_listings(result)
    assert ("us", "RUSSIA-EO14024") in listings
    assert {"gb", "au"} <= {authority for authority, _ in listings}


def test_renault_is_clear(loaded_screener: Screener) -> None:
    result = _exposure(loaded_screener, "Renault")
    assert result.status == "clear"
    assert result.paths == []


def test_showcase_through_the_matching_engine(loaded_screener: Screener) -> None:
    import sanctions.matching

    if not hasattr(sanctions.matching, "Index"):
        pytest.skip("the matching engine has no Index yet; the name-lookup showcase above covers the graph")
    app = build_app()
    data_dir = str(loaded_screener.settings.data_dir)
    out = CliRunner().invoke(
        app, ["exposure", "JAC", "--relations", str(SHOWCASE), "--data-dir", data_dir, "--json"]
    )
    assert out.exit_code == 1, out.output  # grep's status: something found
    result = json.loads(out.stdout[out.stdout.index("{") :])
    assert result["status"] == "exposed"
    records = [r for p in result["paths"] for r in result["parties"][p["target"]]["records"]]
    assert any("KAMAZ" in r["caption"] and r["score"] is not None for r in records)
    authorities = {
        i["authority"] for p in result["paths"] for i in result["parties"][p["target"]]["listings"]
    }
    assert {"us", "gb", "au"} <= authorities
    clear = CliRunner().invoke(
        app, ["exposure", "Renault", "--relations", str(SHOWCASE), "--data-dir", data_dir, "--json"]
    )
    assert clear.exit_code == 0, clear.output
    assert json.loads(clear.stdout[clear.stdout.index("{") :])["status"] == "clear"
