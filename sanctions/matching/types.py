"""What matching returns: feature results, explanations, scores and matches."""

from __future__ import annotations

from dataclasses import dataclass, field

from sanctions.model import Entity, Listing


@dataclass(frozen=True, slots=True)
class FeatureResult:
    """A feature's value in [0, 1] and a plain-English account of why."""

    value: float
    detail: str


@dataclass(slots=True)
class Explanation:
    """What one feature found and added to (or took from) the score."""

    feature: str
    weight: float
    value: float
    detail: str


@dataclass(slots=True)
class Score:
    """The comparison of two parties: score in [0, 1], match at the algorithm's threshold."""

    score: float
    match: bool
    features: dict[str, float]
    explanations: list[Explanation]


@dataclass(slots=True)
class Match:
    """One party found for a query: its best record and its records on other lists."""

    entity: Entity
    score: float
    match: bool
    features: dict[str, float]
    explanations: list[Explanation]
    related: list[Entity] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # the query hid characters (suspicious)

    @property
    def datasets(self) -> list[str]:
        """Every list the party is on (the best record's first)."""
        out = [self.entity.dataset]
        for other in self.related:
            if other.dataset not in out:
                out.append(other.dataset)
        return out

    @property
    def listings(self) -> list[tuple[str, Listing]]:
        """(dataset, listing) for every list, programme and date of the party."""
        return [(e.dataset, listing) for e in [self.entity, *self.related] for listing in e.listings]
