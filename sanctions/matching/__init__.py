"""Matching: queries, features, versioned algorithms, explanations, matches."""

from sanctions.index import Index
from sanctions.matching.algorithms import ALGORITHMS, DEFAULT_ALGORITHM, Algorithm
from sanctions.matching.engine import compare
from sanctions.matching.party import Query
from sanctions.matching.search import match
from sanctions.matching.types import Explanation, Match, MatchOptions, Score

__all__ = [
    "ALGORITHMS",
    "DEFAULT_ALGORITHM",
    "Algorithm",
    "Explanation",
    "Index",
    "Match",
    "MatchOptions",
    "Query",
    "Score",
    "compare",
    "match",
]
