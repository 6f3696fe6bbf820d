"""Exposure: every path from a party to listed parties within a few hops, classified.

A path ends at the first party on it that is listed, or blocked by ownership under one of
the rules; it is classified by how it reaches there:

* ``blocked_by_ownership``: the party is blocked (or possibly blocked) under a rule, and the
  path climbs through its owners / controllers to the listed party behind that block;
* ``controlled``: the path climbs through owners, controllers or directors, but no rule
  blocks the party (a minority stake, a listed director, control the rule does not count);
* ``exposed``: anything else (partner, licensee, supplier, customer, joint venture,
  publisher's "linked to", family, a stake the party holds in a listed company): dealings
  that carry secondary-sanctions risk without a freeze.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sanctions import budget
from sanctions.errors import SanctionsError
from sanctions.graph.clusters import Clustered, contract
from sanctions.graph.model import EDGE_KINDS, Graph
from sanctions.graph.ownership import BLOCKED, POSSIBLY, Decision, Resolution, decide, resolve
from sanctions.graph.rules import JurisdictionRule
from sanctions.model import RelationKind

__all__ = ["STATUS_ORDER", "ExposureHop", "ExposureParty", "ExposurePath", "ExposureResult", "find_exposure"]

# Worst first. A party's status is the worst over its own listing, its ownership decisions
# and its paths.
STATUS_ORDER = ("listed", "blocked_by_ownership", "possibly_blocked", "controlled", "exposed", "clear")
_CLIMB = frozenset({RelationKind.OWNER.value, RelationKind.CONTROL.value, RelationKind.DIRECTOR.value})
_BLOCKING = frozenset({RelationKind.OWNER.value, RelationKind.CONTROL.value})
_ALL_KINDS = tuple(k for k in EDGE_KINDS if k != "same_as")


@dataclass(slots=True)
class ExposureHop:
    """One step of a path: the relation as published, and which way the path walks it."""

    subject: str
    object: str
    relation: str
    share: float | None
    upward: bool  # True: the path walks from the object to the subject (towards an owner)
    source: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "relation": self.relation,
            "object": self.object,
            "share": self.share,
            "direction": "up" if self.upward else "down",
            "source": self.source,
        }


@dataclass(slots=True)
class ExposureParty:
    """A party on a path: its records (with match scores), listings and status."""

    id: str
    caption: str
    status: str
    records: list[dict[str, Any]]  # [{"id", "caption", "dataset", "score"}]
    listings: list[dict[str, Any]]  # [{"authority", "program", "listed_on"}]
    decisions: dict[str, Decision]
    layer: int  # hops from the start party (for drawing)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "caption": self.caption,
            "status": self.status,
            "records": self.records,
            "listings": self.listings,
            "jurisdictions": {code: d.to_dict() for code, d in self.decisions.items()},
        }


@dataclass(slots=True)
class ExposurePath:
    """A path from the start party to a listed (or ownership-blocked) party."""

    classification: str  # blocked_by_ownership, controlled, exposed
    certain: bool  # False when the block depends on a share nobody published
    parties: list[str]  # party ids from the start to the target
    hops: list[ExposureHop]
    jurisdictions: list[str]  # for blocked_by_ownership: the rules that block

    @property
    def target(self) -> str:
        return self.parties[-1]

    def to_dict(self) -> dict[str, Any]:
        return {
            "classification": self.classification,
            "certain": self.certain,
            "target": self.target,
            "parties": self.parties,
            "hops": [h.to_dict() for h in self.hops],
            "jurisdictions": self.jurisdictions,
        }


@dataclass(slots=True)
class ExposureResult:
    """Everything found around the start parties, JSON-ready through :meth:`to_dict`."""

    start: list[str]
    depth: int
    status: str
    paths: list[ExposurePath]
    parties: dict[str, ExposureParty]
    rules: list[str]
    truncated: bool = False
    warnings: list[str] = field(default_factory=list)
    screened: int = 0  # the user's parties sent to the matching engine

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``sanctions exposure --json`` and ``POST /exposure``."""
        return {
            "start": self.start,
            "depth": self.depth,
            "status": self.status,
            "rules": self.rules,
            "paths": [p.to_dict() for p in self.paths],
            "parties": {pid: p.to_dict() for pid, p in self.parties.items()},
            "truncated": self.truncated,
            "warnings": self.warnings,
            "screened": self.screened,
        }


@dataclass(slots=True)
class _Search:
    clustered: Clustered
    resolutions: list[Resolution]
    depth: int
    max_paths: int
    out_index: tuple[Sequence[int], Sequence[int]]
    in_index: tuple[Sequence[int], Sequence[int]]
    found: list[tuple[list[int], list[tuple[int, bool]]]] = field(default_factory=list)
    truncated: bool = False

    @property
    def graph(self) -> Graph:
        return self.clustered.graph

    def is_target(self, p: int) -> bool:
        return bool(self.graph.authorities[p]) or any(r.status[p] != 0 for r in self.resolutions)

    def steps(self, p: int) -> list[tuple[int, int, bool]]:
        """(edge, next party, upward) for every relation of party ``p``."""
        g = self.graph
        (oo, oe), (io, ie) = self.out_index, self.in_index
        out = [(e, g.dst[e], False) for e in oe[oo[p] : oo[p + 1]]]
        return out + [(e, g.src[e], True) for e in ie[io[p] : io[p + 1]]]

    def _enter(self, p: int, nodes: list[int], hops: list[tuple[int, bool]]) -> bool:
        """Record a path ending at ``p`` if it is a target; whether to walk on from ``p``."""
        if len(self.found) >= self.max_paths:
            self.truncated = True
            return False
        if hops and self.is_target(p):
            self.found.append((list(nodes), list(hops)))
            if self.graph.authorities[p]:
                return False  # a listed party ends the path; one blocked by ownership leads on to its owners
        return len(hops) < self.depth

    def walk(self, start: int) -> None:
        """Depth-first from ``start``, with an explicit stack (no recursion limit on depth)."""
        nodes: list[int] = [start]
        hops: list[tuple[int, bool]] = []
        if not self._enter(start, nodes, hops):
            return
        stack = [iter(self.steps(start))]
        while stack:
            budget.check()
            step = next(stack[-1], None)
            if step is None:
                stack.pop()
                nodes.pop()
                if hops:
                    hops.pop()
                continue
            e, q, upward = step
            if q in nodes:
                continue
            nodes.append(q)
            hops.append((e, upward))
            if self._enter(q, nodes, hops):
                stack.append(iter(self.steps(q)))
            else:
                nodes.pop()
                hops.pop()


def _classify(search: _Search, start: int, hops: list[tuple[int, bool]]) -> tuple[str, bool, list[str]]:
    g = search.graph
    kinds = [EDGE_KINDS[g.kind[e]] for e, _ in hops]
    climbs = all(up for _, up in hops)
    if climbs and all(k in _BLOCKING for k in kinds):
        codes = [r.rule.code for r in search.resolutions if r.status[start] != 0 and not r.listed[start]]
        if codes:
            certain = any(r.status[start] == BLOCKED for r in search.resolutions if r.rule.code in codes)
            return "blocked_by_ownership", certain, codes
    if climbs and all(k in _CLIMB for k in kinds):
        return "controlled", True, []
    return "exposed", True, []


def _party_status(search: _Search, p: int) -> str:
    res = search.resolutions
    if search.graph.authorities[p]:  # any list counts, not only the rules' own (AU, UN, ...)
        return "listed"
    if any(r.status[p] == BLOCKED for r in res):
        return "blocked_by_ownership"
    if any(r.status[p] == POSSIBLY for r in res):
        return "possibly_blocked"
    return "clear"


def _party(search: _Search, p: int, layer: int) -> ExposureParty:
    g, c = search.graph, search.clustered
    records = [
        {
            "id": c.original.ids[i],
            "caption": c.original.caption(i),
            "dataset": c.original.datasets[i] if c.original.datasets is not None else "",
            "score": c.scores.get(i),
        }
        for i in c.members[p]
    ]
    listings = [
        {"authority": item.authority, "program": item.program, "listed_on": item.listed_on}
        for item in g.node_listings(p)
    ]
    decisions = {r.rule.code: decide(g, r, p) for r in search.resolutions}
    return ExposureParty(
        g.ids[p], g.caption(p), _party_status(search, p), records, listings, decisions, layer
    )


def find_exposure(
    graph: Graph,
    start_ids: Iterable[str],
    rules: Sequence[JurisdictionRule],
    depth: int = 2,
    max_paths: int = 200,
) -> ExposureResult:
    """Paths of up to ``depth`` relations from the start parties to listed or blocked parties.

    ``graph`` may hold same_as links from the matching engine; records they join count as one
    party. Ownership is resolved under each rule first, so a partner of a company that is
    blocked only by ownership is found too.
    """
    if depth < 1:
        raise SanctionsError(f"depth must be at least 1, got {depth}")
    clustered = contract(graph)
    resolutions = [resolve(clustered.graph, rule) for rule in rules]
    search = _Search(
        clustered,
        resolutions,
        depth,
        max_paths,
        clustered.graph.out_index(_ALL_KINDS),
        clustered.graph.in_index(_ALL_KINDS),
    )
    starts = list(dict.fromkeys(clustered.party(i) for i in start_ids))
    for s in starts:
        search.walk(s)
    g = clustered.graph
    paths: list[ExposurePath] = []
    layers: dict[int, int] = {s: 0 for s in starts}
    for nodes, hops in search.found:
        classification, certain, codes = _classify(search, nodes[0], hops)
        hop_views = []
        for e, upward in hops:
            share = g.share[e]
            note = g.note(e)
            hop_views.append(
                ExposureHop(
                    g.ids[g.src[e]],
                    g.ids[g.dst[e]],
                    EDGE_KINDS[g.kind[e]],
                    share if share == share else None,
                    upward,
                    note.source,
                )
            )
        paths.append(ExposurePath(classification, certain, [g.ids[n] for n in nodes], hop_views, codes))
        for layer, n in enumerate(nodes):
            layers[n] = min(layers.get(n, layer), layer)
    parties = {
        g.ids[p]: _party(search, p, layer) for p, layer in sorted(layers.items(), key=lambda x: (x[1], x[0]))
    }
    statuses = [parties[g.ids[s]].status for s in starts]
    for path in paths:
        if path.classification == "blocked_by_ownership":
            statuses.append("blocked_by_ownership" if path.certain else "possibly_blocked")
        else:
            statuses.append(path.classification)
    status = min(statuses, key=STATUS_ORDER.index) if statuses else "clear"
    return ExposureResult(
        start=[g.ids[s] for s in starts],
        depth=depth,
        status=status,
        paths=paths,
        parties=parties,
        rules=[r.code for r in rules],
        truncated=search.truncated,
    )
