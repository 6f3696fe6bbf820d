"""Score pairs in the normal direction: the customer is the query, the listed record the candidate.

Word weights are the curated ones (not list statistics), so a pair's score depends on the two
records only and stays the same whatever else a list update brings: this keeps a delta re-screen
equal to a full one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sanctions.matching.engine import get_algorithm
from sanctions.matching.features import Config, default_weight
from sanctions.matching.names.aligner import NameAligner, PreparedCache
from sanctions.matching.party import Party
from sanctions.model import Entity


def aligner_for(customer: Party, shared: PreparedCache) -> NameAligner:
    """A name aligner for one customer, sharing the listed records' prepared names."""
    return NameAligner(customer.names, default_weight, shared)


@dataclass(frozen=True, slots=True)
class Hit:
    """A (customer, listed record) pair at or above the book's threshold."""

    customer_id: str
    entity: Entity
    version_id: int
    score: float
    explanation: list[dict[str, object]]


@dataclass(frozen=True, slots=True)
class Scorer:
    """An algorithm and a threshold, as a book is configured."""

    algorithm: str
    threshold: float

    def hit(
        self,
        customer_id: str,
        customer: Party,
        entity: Entity,
        entity_party: Party,
        version: int,
        aligner: NameAligner | None = None,
    ) -> Hit | None:
        """The pair's hit, or None below the threshold. ``aligner`` (made for the customer's
        names with :func:`aligner_for`) gives the same scores, faster over many records."""
        config = Config(aligner=aligner)
        score = get_algorithm(self.algorithm).score(customer, entity_party, config, self.threshold)
        if score.score < self.threshold:
            return None
        explanation: list[dict[str, object]] = [
            {"feature": e.feature, "weight": e.weight, "value": e.value, "detail": e.detail}
            for e in score.explanations
        ]
        return Hit(customer_id, entity, version, score.score, explanation)
