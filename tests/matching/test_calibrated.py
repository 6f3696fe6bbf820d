"""sanctions-v2: a calibrated logistic model over features; sanctions-v1 stays as it was."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctions.matching import ALGORITHMS, Query, compare
from sanctions.matching.calibrated import load_model
from sanctions.text.resources import load_resource

V2 = "sanctions-v2"
ROOT = Path(__file__).resolve().parent.parent.parent


def _q(name: str, **props: list[str]) -> Query:
    return Query("Person", {"name": [name], **props})


def test_v1_is_unchanged() -> None:
    v1 = ALGORITHMS["sanctions-v1"]
    assert v1.threshold == 0.7
    assert [(n, w) for n, _, w in v1.features] == [
        ("name_similarity", 1.0),
        ("identifier_match", 0.7),
        ("identifier_conflict", -0.3),
        ("birth_date_match", 0.06),
        ("birth_date_conflict", -0.35),
        ("country_match", 0.03),
        ("country_conflict", -0.05),
        ("schema_conflict", -0.45),
        ("legal_form_conflict", -0.35),
        ("gender_conflict", -0.15),
        ("generation_conflict", -0.35),
    ]


def test_v2_resource_names_the_data_it_was_fitted_on() -> None:
    data = load_resource("sanctions_v2")
    assert "bench/fit_v2.py" in data["fitted_with"]
    for path, digest in data["data"].items():
        file = ROOT / path
        if not file.exists():
            pytest.skip("bench data not in this checkout")
        assert digest == "sha256:" + hashlib.sha256(file.read_bytes()).hexdigest()[:16], path


def test_v2_coefficients_have_the_sign_of_their_evidence() -> None:
    model = load_model("sanctions_v2")
    for conflict in ("birth_date_conflict", "country_conflict", "schema_conflict", "legal_form_conflict"):
        assert model.weights[conflict] <= 0, conflict
    assert model.weights["name_similarity"] >= 0 and model.weights["identifier_match"] >= 0
    assert all(v >= 0 for v in model.by_name.values())
    assert all(w >= 0 for hinges in model.hinges.values() for _, w, _, _ in hinges)


@given(st.floats(0, 1), st.floats(0, 1), st.booleans())
def test_v2_log_odds_never_fall_as_names_get_closer(a: float, b: float, cross: bool) -> None:
    model = load_model("sanctions_v2")
    lo, hi = sorted((a, b))
    base = {"cross_script": 1.0 if cross else 0.0, "birth_date_match": 1.0}

    def logit(name: float) -> float:
        values = {**base, "name_similarity": name}
        return sum(model.term(f, v, values) for f, v in values.items())

    assert logit(lo) <= logit(hi) + 1e-9


def test_v2_scores_are_probabilities_with_explanations() -> None:
    score = compare(_q("Vladimir Putin"), _q("PUTIN, Vladimir Vladimirovich"), algorithm=V2)
    assert 0.9 <= score.score <= 1.0
    assert any(e.feature == "name_similarity" and "putin" in e.detail for e in score.explanations)


def test_a_contradicting_birth_date_lowers_strongly_a_matching_one_raises() -> None:
    name, listed = "Vladimir Putin", "PUTIN, Vladimir Vladimirovich"
    bare = compare(_q(name), _q(listed), algorithm=V2).score
    same = compare(_q(name, birthDate=["1952-10-07"]), _q(listed, birthDate=["1952-10-07"]), algorithm=V2)
    other = compare(_q(name, birthDate=["1975-03-01"]), _q(listed, birthDate=["1952-10-07"]), algorithm=V2)
    near = compare(_q(name, birthDate=["1953-10-07"]), _q(listed, birthDate=["1952"]), algorithm=V2)
    assert same.score >= bare
    assert other.score < 0.2 and not other.match
    assert near.score > other.score  # a year off is a slip, not a contradiction


def test_a_nationality_conflict_lowers() -> None:
    name, listed = "Sergei Kogogin", "KOGOGIN, Sergei Anatolyevich"
    same = compare(_q(name, nationality=["ru"]), _q(listed, nationality=["ru"]), algorithm=V2).score
    other = compare(_q(name, nationality=["br"]), _q(listed, nationality=["ru"]), algorithm=V2).score
    assert other < same


def test_a_person_is_not_a_company_of_the_same_name() -> None:
    score = compare(Query(None, {"name": ["EMMA LLC"]}), _q("Emma Daniels"), algorithm=V2)
    assert not score.match


def test_number_words_are_read_as_digits_by_v2_only() -> None:
    words = Query("Company", {"name": ["Forty-Four Crewson Trading LLC"]})
    digits = Query("Company", {"name": ["44 Crewson Trading LLC"]})
    other = Query("Company", {"name": ["45 Crewson Trading LLC"]})
    assert compare(words, digits, algorithm=V2).features["name_similarity"] == 1.0
    assert compare(words, other, algorithm=V2).features["name_similarity"] < 0.5
    assert compare(words, digits, algorithm="sanctions-v1").features["name_similarity"] < 0.5


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Forty-Four", "44"), ("forty four", "44"), ("Seven Seas", "7 Seas"), ("Someone", "Someone")],
)
def test_words_to_digits(text: str, expected: str) -> None:
    from sanctions.matching.numbers import words_to_digits

    assert words_to_digits(text) == expected


def test_v2_explains_unmatched_words() -> None:
    score = compare(_q("Ali Hassan Kubaisi"), _q("Ali Hassan"), algorithm=V2)
    assert score.features["name_unmatched"] > 0
    assert any(e.feature == "name_unmatched" and "kubaisi" in e.detail for e in score.explanations)
