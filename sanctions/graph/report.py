"""Who in a graph is blocked under each jurisdiction's ownership rule: one report for every face."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sanctions.graph.model import build_graph
from sanctions.graph.ownership import Decision, resolve_ownership
from sanctions.graph.rules import JurisdictionRule
from sanctions.model import Entity, Relation


@dataclass(slots=True)
class PartyDecisions:
    """One party of the graph and its decision under each rule (keyed by rule code)."""

    id: str
    caption: str
    decisions: dict[str, Decision]

    @property
    def flagged(self) -> bool:
        """Listed, blocked or possibly blocked under some rule."""
        return any(d.listed or d.blocked is not False for d in self.decisions.values())

    def to_dict(self) -> dict[str, Any]:
        """``{"id", "caption", "jurisdictions": {code: decision}}`` (``sanctions ownership --json``)."""
        return {
            "id": self.id,
            "caption": self.caption,
            "jurisdictions": {code: d.to_dict() for code, d in self.decisions.items()},
        }


@dataclass(slots=True)
class OwnershipReport:
    """The rules applied and every party's decisions."""

    rules: list[JurisdictionRule]
    parties: list[PartyDecisions]

    def to_dict(self) -> list[dict[str, Any]]:
        """One object per party, in graph order."""
        return [p.to_dict() for p in self.parties]


def ownership_report(
    records: Iterable[Entity | Relation], rules: Sequence[JurisdictionRule], as_of: str | None = None
) -> OwnershipReport:
    """Build the graph of ``records`` (relations in force on ``as_of``) and decide every party."""
    graph = build_graph(records, as_of=as_of)
    decisions = resolve_ownership(graph, list(rules))
    parties = [
        PartyDecisions(entity_id, graph.caption(graph.node(entity_id)), by_rule)
        for entity_id, by_rule in decisions.items()
    ]
    return OwnershipReport(list(rules), parties)
