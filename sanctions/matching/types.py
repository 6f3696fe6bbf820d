"""What matching returns (explanations, scores, matches) and the options a search takes."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sanctions.model import Entity, Listing


@dataclass(frozen=True, slots=True)
class MatchOptions:
    """How to screen one query, as yente's ``/match`` takes it.

    ``threshold`` decides ``match`` (default: the algorithm's own); ``cutoff`` drops results
    scoring below it (default: keep the best ``limit`` candidates whatever their score).
    ``datasets`` restricts the search to those lists (None: every loaded list).
    """

    limit: int = 10
    threshold: float | None = None
    cutoff: float | None = None
    algorithm: str | None = None
    datasets: frozenset[str] | None = None


@dataclass(slots=True)
class Explanation:
    """What one feature found and added to (or took from) the score."""

    feature: str
    weight: float
    value: float
    detail: str

    def to_dict(self) -> dict[str, Any]:
        """``{"feature", "weight", "value", "detail"}``, the value rounded to 4 places."""
        value = round(self.value, 4)
        return {"feature": self.feature, "weight": self.weight, "value": value, "detail": self.detail}


@dataclass(slots=True)
class Score:
    """The comparison of two parties: score in [0, 1], match at the algorithm's threshold."""

    score: float
    match: bool
    features: dict[str, float]
    explanations: list[Explanation]

    def to_dict(self) -> dict[str, Any]:
        """Score, decision, feature values and explanations (what ``compare --json`` writes)."""
        return {
            "score": round(self.score, 4),
            "match": self.match,
            "features": {k: round(v, 4) for k, v in self.features.items()},
            "explanations": [x.to_dict() for x in self.explanations],
        }


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

    def to_dict(self, threshold: float | None = None) -> dict[str, Any]:
        """One result: yente's result fields (id, caption, schema, score, match, datasets,
        features) plus explanations, every listing of the party, the ids of its other records,
        and ``warnings``/``suspicious`` when the query hid characters.

        ``match`` is decided at ``threshold`` when one is given, else at the algorithm's own.
        This is the one serialisation of a match: the CLI writes it, and the API's yente shape
        (``sanctions.api.convert.scored_json``) is made from it.
        """
        data: dict[str, Any] = {
            "id": self.entity.id,
            "caption": self.entity.caption,
            "schema": str(self.entity.schema),
            "score": round(float(self.score), 4),
            "match": bool(self.match) if threshold is None else float(self.score) >= threshold,
            "datasets": self.datasets,
            "listings": [{"dataset": dataset, **asdict(listing)} for dataset, listing in self.listings],
            "related": [e.id for e in self.related],
            "features": {k: round(float(v), 4) for k, v in self.features.items()},
            "explanations": [x.to_dict() for x in self.explanations],
        }
        if self.warnings:  # the query hid characters or mixed scripts: a red flag in itself
            data["warnings"] = list(self.warnings)
            data["suspicious"] = True
        return data
