"""compare() two parties, match() a query against an index."""

from __future__ import annotations

from sanctions.errors import QueryError
from sanctions.matching.algorithms import ALGORITHMS, ALIASES, DEFAULT_ALGORITHM, Algorithm
from sanctions.matching.features import Config
from sanctions.matching.party import Query, party_of
from sanctions.matching.types import Score
from sanctions.model import Entity


def get_algorithm(name: str) -> Algorithm:
    """The algorithm of that name, or of that yente/nomenklatura name (``best``, ``logic-v2``,
    ``name-based``, ...: see ``ALIASES``); QueryError listing the known names if there is none."""
    clean = name.strip().lower()
    found = ALGORITHMS.get(clean) or ALGORITHMS.get(ALIASES.get(clean, ""))
    if found is None:
        known = ", ".join([*ALGORITHMS, *ALIASES])
        raise QueryError(f"unknown algorithm {name!r}; known: {known}")
    return found


def compare(a: Query | Entity, b: Query | Entity, *, algorithm: str = DEFAULT_ALGORITHM) -> Score:
    """Score how likely ``a`` and ``b`` are the same party, with explanations.

    Word weights come from the curated generic-word list here; an :class:`Index` uses the
    weights of the lists it holds instead.
    """
    algo = get_algorithm(algorithm)
    return algo.score(party_of(a), party_of(b), Config())
