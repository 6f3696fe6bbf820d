"""compare(): the golden table of name pairs and invariants of scores."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctions.errors import QueryError
from sanctions.matching import ALGORITHMS, DEFAULT_ALGORITHM, Query, compare

PAIRS = list(
    csv.DictReader(
        (Path(__file__).parent.parent / "fixtures" / "matching" / "name_pairs.csv")
        .read_text(encoding="utf-8")
        .splitlines()
    )
)


def _q(schema: str | None, name: str, **props: list[str]) -> Query:
    return Query(schema, {"name": [name], **props})


@pytest.mark.parametrize("row", PAIRS, ids=[r["why"] for r in PAIRS])
def test_golden_pairs(row: dict[str, str]) -> None:
    score = compare(_q(row["schema"], row["query"]), _q(row["schema"], row["candidate"]))
    assert score.match is (row["expect"] == "match"), score.explanations


def test_org_query_is_not_a_person() -> None:
    score = compare(_q(None, "EMMA LLC"), _q("Person", "Emma Daniels"))
    assert not score.match
    assert score.features["schema_conflict"] == 1.0


def test_one_common_given_name_is_weak() -> None:
    assert not compare(_q("Person", "Emma"), _q("Person", "Emma Daniels")).match


def test_identifier_is_decisive() -> None:
    a = _q("Company", "Kamskiy Avtomobilny Zavod", registrationNumber=["1021602013971"])
    b = _q("Company", "KAMAZ", registrationNumber=["1021602013971"])
    assert compare(a, b).match


def test_birth_year_conflict_lowers() -> None:
    same = compare(
        _q("Person", "Ivan Petrov", birthDate=["1970-01-01"]), _q("Person", "Ivan Petrov", birthDate=["1970"])
    )
    other = compare(
        _q("Person", "Ivan Petrov", birthDate=["1970-01-01"]), _q("Person", "Ivan Petrov", birthDate=["1985"])
    )
    assert same.score > other.score
    assert not other.match


def test_explanations_say_what_aligned() -> None:
    score = compare(_q("Person", "Сергей Когогин"), _q("Person", "KOGOGIN, Sergei Anatolyevich"))
    detail = score.explanations[0].detail
    assert "kogogin" in detail and score.explanations[0].feature == "name_similarity"


def test_default_algorithm_is_registered() -> None:
    assert DEFAULT_ALGORITHM in ALGORITHMS
    assert 0 < ALGORITHMS[DEFAULT_ALGORITHM].threshold < 1


@pytest.mark.parametrize(
    "bad",
    [
        [],
        "x",
        {"schema": "Spaceship"},
        {"properties": {"name": ["x" * 600]}},
        {"properties": {"name": ["a"] * 99}},
    ],
)
def test_bad_queries_raise(bad: object) -> None:
    with pytest.raises(QueryError):
        Query.from_dict(bad)


names = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "Zs", "Nd")), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(names, names)
def test_scores_in_range_and_symmetric(a: str, b: str) -> None:
    ab = compare(_q("Person", a), _q("Person", b))
    ba = compare(_q("Person", b), _q("Person", a))
    assert 0.0 <= ab.score <= 1.0
    assert ab.score == pytest.approx(ba.score, abs=0.02)


def test_generational_suffixes_tell_father_from_son() -> None:
    son = compare(_q("Person", "Robert Smith Jr"), _q("Person", "SMITH SR, Robert"))
    assert not son.match and son.features["generation_conflict"] == 1.0
    same = compare(_q("Person", "Robert Smith Jr."), _q("Person", "SMITH, Robert Junior"))
    assert same.match and same.features["generation_conflict"] == 0.0
    assert compare(_q("Person", "Robert Smith"), _q("Person", "Robert Smith Sr")).match  # one side only


def test_a_gender_conflict_lowers_the_score() -> None:
    plain = compare(_q("Person", "Sasha Petrova"), _q("Person", "Sasha Petrova"))
    conflict = compare(
        _q("Person", "Sasha Petrova", gender=["female"]), _q("Person", "Sasha Petrova", gender=["M"])
    )
    assert conflict.score < plain.score and conflict.features["gender_conflict"] == 1.0
    assert "different genders" in " ".join(x.detail for x in conflict.explanations)
