"""Exposure paths over in-memory lists: classification, same_as merging, depth, SVG."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import pytest

from sanctions.errors import SanctionsError
from sanctions.graph import RULES, PartyLink, PartyMatcher, collect, find_exposure
from sanctions.graph.exposure import ExposureResult
from sanctions.graph.svg import STATUS_COLOURS, render_exposure
from sanctions.model import Entity, Relation, RelationKind
from sanctions.sources.relations_csv import parse_relations
from tests.graph.helpers import party, relation

RULE_LIST = list(RULES.values())


@dataclass
class Lists:
    """A RelationSource over a few entities and relations held in memory."""

    entities: dict[str, Entity]
    links: list[Relation] = field(default_factory=list)

    def entity(self, entity_id: str) -> Entity | None:
        return self.entities.get(entity_id)

    def relations(self, entity_id: str) -> list[Relation]:
        return [r for r in self.links if entity_id in (r.subject_id, r.object_id)]


def _exact_matcher(lists: Lists, score: float = 0.93) -> PartyMatcher:
    def match(entity: Entity) -> list[PartyLink]:
        names = {n.value.lower() for n in entity.names}
        return [
            PartyLink(e, score)
            for e in lists.entities.values()
            if names & {n.value.lower().removesuffix(" llc") for n in e.names}
        ]

    return match


def _run(party_name: str, csv: str, lists: Lists, tmp_path: Path, depth: int = 2) -> ExposureResult:
    path = tmp_path / "relations.csv"
    path.write_text("subject,relation,object,share,start_date,end_date,source\n" + csv)
    found = collect(
        party_name,
        records=list(parse_relations(path, "user")),
        source=lists,
        matcher=_exact_matcher(lists),
        depth=depth,
        as_of="2026-01-01",
    )
    return find_exposure(found.builder.build(), found.start_ids, RULE_LIST, depth=depth)


def test_partner_of_a_listed_party_is_exposed(tmp_path: Path) -> None:
    lists = Lists({"L": party("L", ["us", "gb"])})
    result = _run("Acme", "Acme,partner,L,,,,contract 7\n", lists, tmp_path)
    assert result.status == "exposed"
    (path,) = result.paths
    assert path.classification == "exposed"
    target = result.parties[path.target]
    assert {item["authority"] for item in target.listings} == {"us", "gb"}
    assert any(r["id"] == "L" and r["score"] == 0.93 for r in target.records)
    assert path.hops[0].source == "contract 7"


def test_minority_stake_of_a_listed_owner_is_controlled(tmp_path: Path) -> None:
    lists = Lists({"L": party("L", ["us"])})
    result = _run("Acme", "L,owner,Acme,20,,,\n", lists, tmp_path)
    assert [p.classification for p in result.paths] == ["controlled"]
    assert result.status == "controlled"


def test_majority_owner_two_levels_up_blocks_by_ownership(tmp_path: Path) -> None:
    lists = Lists({"L": party("L", ["us"])})
    result = _run("Acme", "L,owner,Holdco,100,,,\nHoldco,owner,Acme,50,,,\n", lists, tmp_path)
    # one path to the blocked holding company, one on to the listed party behind it
    assert [p.parties[-1] for p in result.paths] == ["user-holdco", "user-l"]
    path = result.paths[-1]
    assert "L" in {r["id"] for r in result.parties[path.target].records}
    assert path.classification == "blocked_by_ownership" and path.certain
    assert path.jurisdictions == ["us"]
    assert result.status == "blocked_by_ownership"
    assert [h.upward for h in path.hops] == [True, True]


def test_partner_of_an_ownership_blocked_company_is_exposed_to_it(tmp_path: Path) -> None:
    lists = Lists({"L": party("L", ["eu"])})
    result = _run("Acme", "L,owner,Sub,100,,,\nAcme,supplier,Sub,,,,\n", lists, tmp_path)
    path = result.paths[0]
    assert path.classification == "exposed"
    assert result.parties[path.target].status == "blocked_by_ownership"
    assert [p.classification for p in result.paths] == ["exposed", "exposed"]


def test_list_internal_relations_are_followed(tmp_path: Path) -> None:
    lists = Lists({"L": party("L", ["us"]), "M": party("M")}, [relation(RelationKind.LINKED_TO, "L", "M")])
    result = _run("Acme", "Acme,customer,M,,,,\n", lists, tmp_path)
    assert [p.parties[-1] for p in result.paths] == ["L"]
    assert result.paths[0].hops[-1].relation == "linked_to"


def test_depth_limits_the_search(tmp_path: Path) -> None:
    lists = Lists({"L": party("L", ["us"])})
    csv = "Acme,partner,B,,,,\nB,partner,C,,,,\nC,partner,L,,,,\n"
    assert _run("Acme", csv, lists, tmp_path, depth=2).status == "clear"
    assert _run("Acme", csv, lists, tmp_path, depth=3).status == "exposed"


def test_ended_relation_leaves_the_party_clear(tmp_path: Path) -> None:
    lists = Lists({"L": party("L", ["us"])})
    result = _run("Acme", "Acme,owner,L,100,,2022,\n", lists, tmp_path)
    assert result.status == "clear" and result.paths == []


def test_a_listed_start_party_is_listed(tmp_path: Path) -> None:
    lists = Lists({"L": party("L", ["au"])})
    result = _run("L", "", lists, tmp_path)
    assert result.status == "listed"


def test_stake_held_through_a_matched_record_counts_as_the_listed_party(tmp_path: Path) -> None:
    # the user writes "L" (matched to listed L): its 60 % stake blocks Acme under EU and UK
    lists = Lists({"L": party("L", ["eu", "gb"])})
    result = _run("Acme", "L,owner,Acme,60,,,\n", lists, tmp_path)
    assert result.paths[0].classification == "blocked_by_ownership"
    assert set(result.paths[0].jurisdictions) == {"eu", "gb"}


def test_depth_below_one_is_refused(tmp_path: Path) -> None:
    lists = Lists({})
    with pytest.raises(SanctionsError, match="depth"):
        _run("Acme", "", lists, tmp_path, depth=0)


def test_svg_is_well_formed_and_coloured_by_status(tmp_path: Path) -> None:
    lists = Lists({"L": party("L", ["us"])})
    result = _run("Acme <&>", "Acme <&>,partner,L,,,,\nL,owner,Acme <&>,30,,,\n", lists, tmp_path)
    svg = render_exposure(result)
    root = ElementTree.fromstring(svg)
    assert root.tag.endswith("svg")
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "Acme <&>" in texts and "owner 30 %" in texts and "partner" in texts
    fills = {r.get("fill") for r in root.iter("{http://www.w3.org/2000/svg}rect")}
    assert STATUS_COLOURS["listed"][0] in fills
    assert render_exposure(result) == svg  # deterministic
