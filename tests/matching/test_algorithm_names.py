"""Algorithm names: yente's and nomenklatura's names read as ours; the names-only algorithms."""

from __future__ import annotations

import pytest

from sanctions.errors import QueryError
from sanctions.matching import ALGORITHMS, ALIASES, DEFAULT_ALGORITHM, Query, compare, get_algorithm


@pytest.mark.parametrize(("name", "ours"), sorted(ALIASES.items()))
def test_every_alias_names_one_of_ours(name: str, ours: str) -> None:
    assert ours in ALGORITHMS
    assert get_algorithm(name) is ALGORITHMS[ours]
    assert get_algorithm(f" {name.upper()} ") is ALGORITHMS[ours], "case and spaces do not matter"


def test_best_is_the_default() -> None:
    assert get_algorithm("best").name == DEFAULT_ALGORITHM


def test_an_unknown_name_lists_every_known_one() -> None:
    with pytest.raises(QueryError) as caught:
        get_algorithm("neural-net")
    assert all(name in str(caught.value) for name in [*ALGORITHMS, *ALIASES])


def _sobyanin(birth: str) -> Query:
    return Query("Person", {"name": ["Sergei Sobyanin"], "birthDate": [birth], "nationality": ["ru"]})


LISTED = Query(
    "Person", {"name": ["SOBYANIN, Sergey Semyonovich"], "birthDate": ["1958-06-21"], "nationality": ["ru"]}
)


def test_names_only_ignores_everything_but_names() -> None:
    same = compare(_sobyanin("1958-06-21"), LISTED, algorithm="name-based")
    other = compare(_sobyanin("1901-01-01"), LISTED, algorithm="name-based")
    assert same.score == other.score and set(same.features) == {"name_similarity"}


def test_names_qualified_only_lowers_a_name_score() -> None:
    names = compare(_sobyanin("1958-06-21"), LISTED, algorithm="name-based").score
    agreeing = compare(_sobyanin("1958-06-21"), LISTED, algorithm="name-qualified").score
    conflicting = compare(_sobyanin("1901-01-01"), LISTED, algorithm="name-qualified")
    assert agreeing == names, "agreeing dates and countries add nothing"
    assert conflicting.score < names and conflicting.features["birth_date_conflict"] > 0
    full = compare(_sobyanin("1958-06-21"), LISTED, algorithm="logic-v2").score
    assert full >= names, "the full algorithm counts agreeing evidence"
