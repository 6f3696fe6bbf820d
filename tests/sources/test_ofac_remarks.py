"""The OFAC remarks reader: a golden table of real clauses, plus invariants."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from sanctions.sources.ofac_remarks import RemarkFacts, iso_date, parse_dates, parse_remarks, split_clauses

GOLDEN = Path(__file__).resolve().parent.parent / "fixtures" / "ofac" / "remarks_golden.yml"
CASES: list[dict[str, Any]] = yaml.safe_load(GOLDEN.read_text(encoding="utf-8"))


def _as_table(facts: RemarkFacts) -> dict[str, Any]:
    return {
        "names": [[name, kind.value] for name, kind in facts.names],
        "birth_dates": [[d.value, d.approximate] for d in facts.birth_dates],
        "birth_places": facts.birth_places,
        "nationalities": facts.nationalities,
        "countries": facts.countries,
        "identifiers": [[i.scheme, i.value, i.country, i.note] for i in facts.identifiers],
        "gender": facts.gender,
        "listed_on": facts.listed_on,
        "linked_to": facts.linked_to,
        "properties": facts.properties,
    }


@pytest.mark.parametrize("case", CASES, ids=[c["remark"][:40] for c in CASES])
def test_golden_remarks(case: dict[str, Any]) -> None:
    got = _as_table(parse_remarks(case["remark"]))
    expected: dict[str, Any] = {field: [] for field in got}
    expected.update(gender=None, properties={})
    expected.update(case["expect"])
    assert got == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24 Feb 2022", "2022-02-24"),
        ("Feb 2022", "2022-02"),
        ("2022", "2022"),
        ("31 Foo 2022", None),
        ("soon", None),
    ],
)
def test_iso_date(text: str, expected: str | None) -> None:
    assert iso_date(text) == expected


def test_wide_date_range_keeps_its_ends() -> None:
    dates = parse_dates("1940 to 1970")
    assert [(d.value, d.approximate) for d in dates] == [("1940", True), ("1970", True)]


def test_cut_off_quoted_name_is_reported_not_added() -> None:
    facts = parse_remarks("Gender Male; a.k.a. 'WHOIS HACKIN")
    assert facts.names == []
    assert facts.gender == "male"
    assert any("cut-off" in p for p in facts.problems)


def test_unknown_country_is_reported() -> None:
    facts = parse_remarks("nationality Atlantis.")
    assert facts.nationalities == []
    assert facts.problems


@given(st.text(max_size=300))
def test_any_text_parses_without_error(text: str) -> None:
    facts = parse_remarks(text)
    assert all(len(code) == 2 for code in facts.nationalities + facts.countries)
    assert all(d.value[:4].isdigit() for d in facts.birth_dates)


@given(
    st.lists(st.text(alphabet=st.characters(blacklist_characters=";"), min_size=1, max_size=40), max_size=8)
)
def test_clauses_split_on_semicolons_only(parts: list[str]) -> None:
    clauses = split_clauses("; ".join(parts))
    assert len(clauses) <= len(parts)
    assert all(";" not in c for c in clauses)
