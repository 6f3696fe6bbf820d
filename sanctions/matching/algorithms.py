"""Versioned matching algorithms: declarative lists of weighted features and a threshold.

A released algorithm never changes behaviour; a better one is added under a new name.
"""

from __future__ import annotations

from dataclasses import dataclass

from sanctions.matching import features as f
from sanctions.matching.features import Config, Feature, FeatureResult
from sanctions.matching.party import Party
from sanctions.matching.types import Explanation, Score


@dataclass(frozen=True, slots=True)
class Algorithm:
    """A name, what it does, its default match threshold and its weighted features.

    The score is the sum of weight x value over the features, clipped to [0, 1].
    """

    name: str
    description: str
    threshold: float
    features: tuple[tuple[str, Feature, float], ...]

    def score(self, query: Party, candidate: Party, config: Config, threshold: float | None = None) -> Score:
        """Compare two parties and explain each feature's contribution."""
        total = 0.0
        values: dict[str, float] = {}
        explanations: list[Explanation] = []
        for name, feature, weight in self.features:
            result: FeatureResult = feature(query, candidate, config)
            value = result.value
            if value:
                rounded = values[name] = round(value, 4)
                total += weight * value
                explanations.append(Explanation(name, weight, rounded, result.detail))
            else:
                values[name] = value  # (a zero: already rounded)
        score = min(1.0, max(0.0, total))
        cut = self.threshold if threshold is None else threshold
        return Score(round(score, 4), score >= cut, values, explanations)


SANCTIONS_V1 = Algorithm(
    name="sanctions-v1",
    description=(
        "Name alignment across scripts with list-derived word weights, plus identifiers, "
        "dates, countries and the kind of party."
    ),
    threshold=0.7,
    features=(
        ("name_similarity", f.name_similarity, 1.0),
        ("identifier_match", f.identifier_match, 0.7),
        ("identifier_conflict", f.identifier_conflict, -0.3),
        ("birth_date_match", f.birth_date_match, 0.06),
        ("birth_date_conflict", f.birth_date_conflict, -0.35),
        ("country_match", f.country_match, 0.03),
        ("country_conflict", f.country_conflict, -0.05),
        ("schema_conflict", f.schema_conflict, -0.45),
        ("legal_form_conflict", f.legal_form_conflict, -0.35),
        ("gender_conflict", f.gender_conflict, -0.15),
        ("generation_conflict", f.generation_conflict, -0.35),
    ),
)

NAMES_V1 = Algorithm(
    name="sanctions-names-v1",
    description=(
        "Names only: the name alignment of sanctions-v1 without identifiers, dates, countries "
        "or the kind of party (for data that holds nothing but names)."
    ),
    threshold=0.7,
    features=(("name_similarity", f.name_similarity, 1.0),),
)

NAMES_QUALIFIED_V1 = Algorithm(
    name="sanctions-names-qualified-v1",
    description=(
        "Names, lowered by conflicts only: a different birth date, country, kind of party, legal "
        "form, gender or generation counts against a match; nothing but the name counts for it."
    ),
    threshold=0.7,
    features=(
        ("name_similarity", f.name_similarity, 1.0),
        ("identifier_conflict", f.identifier_conflict, -0.3),
        ("birth_date_conflict", f.birth_date_conflict, -0.35),
        ("country_conflict", f.country_conflict, -0.05),
        ("schema_conflict", f.schema_conflict, -0.45),
        ("legal_form_conflict", f.legal_form_conflict, -0.35),
        ("gender_conflict", f.gender_conflict, -0.15),
        ("generation_conflict", f.generation_conflict, -0.35),
    ),
)

ALGORITHMS: dict[str, Algorithm] = {a.name: a for a in (SANCTIONS_V1, NAMES_V1, NAMES_QUALIFIED_V1)}
DEFAULT_ALGORITHM = SANCTIONS_V1.name

# The names yente and nomenklatura give their algorithms, read as ours (a yente client sends
# them unchanged). ``best`` is yente's name for its recommended algorithm.
ALIASES: dict[str, str] = {
    "best": DEFAULT_ALGORITHM,
    "logic-v2": SANCTIONS_V1.name,
    "logic-v1": SANCTIONS_V1.name,
    "regression-v1": SANCTIONS_V1.name,
    "name-based": NAMES_V1.name,
    "ofac": NAMES_V1.name,
    "name-qualified": NAMES_QUALIFIED_V1.name,
}
