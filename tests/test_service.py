"""The one door: what the faces used to do themselves, now through Screener."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from sanctions import MatchOptions, Query, QueryError, Screener

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_threshold_decides_match_and_cutoff_drops(loaded_screener: Screener) -> None:
    query = Query.from_fields("KAMAZ", schema="Company")
    default = loaded_screener.match(query, MatchOptions(limit=5))
    assert default[0].match is True
    strict = loaded_screener.match(query, MatchOptions(limit=5, threshold=1.01))
    assert [m.entity.id for m in strict] == [m.entity.id for m in default]  # nothing dropped
    assert not any(m.match for m in strict)  # but no result reaches the threshold
    cut = loaded_screener.match(query, MatchOptions(limit=5, cutoff=default[0].score))
    assert cut and all(m.score >= default[0].score for m in cut)


def test_unknown_lists_and_algorithms_are_errors_naming_the_known_ones(loaded_screener: Screener) -> None:
    with pytest.raises(QueryError, match="unknown list 'nope'; loaded: .*us_ofac_sdn"):
        loaded_screener.check_datasets(["nope", "us_ofac_sdn"])
    assert loaded_screener.check_datasets(["us_ofac_sdn"]) == frozenset({"us_ofac_sdn"})
    with pytest.raises(QueryError, match="unknown algorithm 'nope'; known: sanctions-v1"):
        loaded_screener.match(Query.from_fields("X"), MatchOptions(algorithm="nope"))


def test_match_many_answers_in_order(loaded_screener: Screener) -> None:
    queries = [Query.from_fields(n) for n in ("ПАО КАМАЗ", "Renault")]
    answers = loaded_screener.match_many(queries, MatchOptions(limit=1))
    assert len(answers) == 2 and answers[0][0].match
    assert not any(m.match for m in answers[1])


def test_screen_lines_in_a_pool_gives_the_same_lines(loaded_screener: Screener) -> None:
    lines = [
        json.dumps({"id": "k", "schema": "Company", "properties": {"name": ["KAMAZ"]}}),
        "not json",
        json.dumps({"id": "r", "schema": "Company", "properties": {"name": ["Renault"]}}),
    ]
    alone = list(loaded_screener.screen_lines(lines, MatchOptions(limit=2)))
    pooled = list(loaded_screener.screen_lines(lines, MatchOptions(limit=2), workers=2))
    assert [r.json for r in alone] == [r.json for r in pooled]
    assert [(r.matched, r.error) for r in alone] == [(True, False), (False, True), (False, False)]
    assert json.loads(alone[1].json)["line"] == 2


def test_ownership_of_a_user_file(loaded_screener: Screener) -> None:
    records, warnings = Screener.read_records(FIXTURES / "graph" / "zala-ownership.ftm.json")
    report = Screener.ownership(records, rules=Screener.rules("us"), as_of="2023-06-01")
    assert [r.code for r in report.rules] == ["us"]
    assert any(p.flagged for p in report.parties) and not warnings
    assert report.to_dict()[0].keys() == {"id", "caption", "jurisdictions"}


def test_export_writes_ftm_lines_of_the_chosen_lists(loaded_screener: Screener) -> None:
    out = io.StringIO()
    count = loaded_screener.export(out, ["un_sc_sanctions"])
    lines = out.getvalue().splitlines()
    assert count == len(lines) > 0
    rows = [json.loads(line) for line in lines]
    assert rows[0]["id"].startswith("un_sc_sanctions-")
    assert not any("us_ofac" in row["id"] for row in rows)
