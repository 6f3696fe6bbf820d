"""Matching: queries, features, versioned algorithms, explanations, matches."""

from sanctions.matching.algorithms import ALGORITHMS, ALIASES, DEFAULT_ALGORITHM, Algorithm
from sanctions.matching.engine import compare, get_algorithm
from sanctions.matching.index import Index
from sanctions.matching.party import Query
from sanctions.matching.search import match
from sanctions.matching.types import Explanation, FeatureResult, Match, Score

__all__ = [
    "ALGORITHMS",
    "ALIASES",
    "DEFAULT_ALGORITHM",
    "Algorithm",
    "Explanation",
    "FeatureResult",
    "Index",
    "Match",
    "Query",
    "Score",
    "compare",
    "get_algorithm",
    "match",
]
