"""The result of a scan: a listed party named in a text, where, how surely, and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from dataclasses import field as _field
from typing import Any

from sanctions.scan.index import EntityRef


@dataclass(slots=True)
class Mention:
    """A listed party named in a text: where, how surely, and why."""

    start: int  # character offsets into the scanned text: text[start:end] == self.text
    end: int
    text: str
    score: float
    entity: EntityRef
    listed_name: str
    kind: str  # person, surname, organization, short_name, bic
    explanations: list[str]
    alternatives: list[tuple[EntityRef, float]] = field(default_factory=list)  # same span, other lists
    field: str | None = None  # payment message field, when scanning a payment
    warnings: list[str] = _field(default_factory=list)  # e.g. "hidden characters removed" (suspicious)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of ``sanctions scan --json``."""
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "score": self.score,
            "kind": self.kind,
            "field": self.field,
            "listed_name": self.listed_name,
            "entity": self.entity.to_dict(),
            "explanations": list(self.explanations),
            "also_listed_as": [{**e.to_dict(), "score": s} for e, s in self.alternatives],
            "warnings": list(self.warnings),
            "suspicious": bool(self.warnings),
        }
