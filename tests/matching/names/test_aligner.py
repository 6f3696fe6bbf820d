"""NameAligner: the same name results as compare_names, whatever it remembers between calls."""

from __future__ import annotations

import csv
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sanctions.matching.names.align import compare_names
from sanctions.matching.names.aligner import NameAligner, PreparedCache
from sanctions.text import ANY, ORG, PERSON, VESSEL, NameForm, name_forms

PAIRS = list(
    csv.DictReader(
        (Path(__file__).parents[2] / "fixtures" / "matching" / "name_pairs.csv")
        .read_text(encoding="utf-8")
        .splitlines()
    )
)
WORDS = (
    "ali al bin mohammed muhammad trading llc no 8 6 a b abd alla abdalla kim jong un star stars",
    "shipping co ltd edward eddie сергей когогин محمد علي 金正恩 ООО Ромашка",
)
NAMES = st.lists(st.sampled_from(" ".join(WORDS).split()), min_size=1, max_size=5).map(" ".join)
KINDS = {"Person": PERSON, "Company": ORG, "Organization": ORG, "Vessel": VESSEL}


def _forms(names: list[str], kind: str) -> tuple[NameForm, ...]:
    return tuple(f for n in names for f in name_forms(n, kind))


def _weigh(token: str) -> float:
    return 0.3 if len(token) <= 3 else 1.0


def test_golden_pairs_same_as_compare_names() -> None:
    shared: PreparedCache = {}
    for row in PAIRS:
        kind = KINDS.get(row["schema"], ANY)
        query, candidate = _forms([row["query"]], kind), _forms([row["candidate"]], kind)
        aligner = NameAligner(query, _weigh, shared)
        assert aligner.compare_names(candidate) == compare_names(query, candidate, _weigh), row["why"]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(NAMES, min_size=1, max_size=2),
    st.lists(st.lists(NAMES, min_size=1, max_size=3), min_size=1, max_size=6),
    st.sampled_from([PERSON, ORG, VESSEL, ANY]),
    st.sampled_from([PERSON, ORG, VESSEL, ANY]),
)
def test_remembering_changes_no_result(
    query_names: list[str], candidates: list[list[str]], query_kind: str, candidate_kind: str
) -> None:
    # One aligner meets many candidates sharing words, as in match(): every result (score,
    # aligned words, note) is the one compare_names gives for that candidate alone.
    query = _forms(query_names, query_kind)
    aligner = NameAligner(query, _weigh)
    for names in candidates:
        candidate = _forms(names, candidate_kind)
        assert aligner.compare_names(candidate) == compare_names(query, candidate, _weigh)
