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
    """The rules applied and the decisions of one page of the graph's parties.

    ``total`` counts every party of the graph; ``path_hops`` bounds how many parties the
    explaining paths of one answer may list (a 1,000-hop chain explained for every party of the
    chain would run to tens of MB): a decision whose paths would pass it keeps its verdict and
    says ``"paths_truncated": true`` instead.
    """

    rules: list[JurisdictionRule]
    parties: list[PartyDecisions]
    total: int = 0
    path_hops: int | None = None

    def to_dict(self) -> list[dict[str, Any]]:
        """One object per party, in graph order."""
        rows = [p.to_dict() for p in self.parties]
        if self.path_hops is None:
            return rows
        budget = self.path_hops
        for row in rows:
            for data in row["jurisdictions"].values():
                cost = sum(len(p.get("path", ())) for p in data.get("paths", ()))
                if cost > budget:
                    data["paths"] = []
                    data["paths_truncated"] = True  # the decision stands; a smaller page shows the paths
                else:
                    budget -= cost
        return rows


def ownership_report(
    records: Iterable[Entity | Relation],
    rules: Sequence[JurisdictionRule],
    as_of: str | None = None,
    page: tuple[int, int] | None = None,
    path_hops: int | None = None,
) -> OwnershipReport:
    """Build the graph of ``records`` (relations in force on ``as_of``) and decide every party,
    or only the ``page`` (offset, size) of them in graph order."""
    graph = build_graph(records, as_of=as_of)
    ids = None if page is None else graph.ids[page[0] : page[0] + page[1]]
    decisions = resolve_ownership(graph, list(rules), ids=ids)
    parties = [
        PartyDecisions(entity_id, graph.caption(graph.node(entity_id)), by_rule)
        for entity_id, by_rule in decisions.items()
    ]
    return OwnershipReport(list(rules), parties, len(graph.ids), path_hops)
