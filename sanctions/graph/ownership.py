"""Who is blocked because listed parties own or control it, per jurisdiction.

The algorithm, the same for every rule and every graph size:

* An *owner group* starts from listed parties: all of them at once when the rule aggregates
  holdings of different listed parties (US, EU), one group per listed party when it does not
  (UK).
* A party joins the group when the holdings of the group's members in it reach the rule's
  threshold, or when a member controls it through a relation kind the rule counts as control.
  Members' holdings count in full; holdings of parties outside the group do not count at all.
* Joining only ever adds members, so repeating this until nothing changes reaches the least
  fixed point: it terminates on cycles of cross-ownership and chains of any depth, and never
  blocks a party through a circular argument.

Missing percentages are never read as zero. The closure runs twice: once counting unknown
holdings as nothing (who is certainly blocked) and once as the largest share still
unaccounted for (who could be blocked). A party in the second set only is "possibly
blocked": its ``blocked`` is ``None``.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sanctions import budget
from sanctions.graph.model import Graph, kind_code
from sanctions.graph.rules import JurisdictionRule
from sanctions.model import RelationKind

__all__ = [
    "BLOCKED",
    "CLEAR",
    "POSSIBLY",
    "Decision",
    "OwnershipPath",
    "Resolution",
    "decide",
    "resolve",
    "resolve_ownership",
]

BLOCKED, CLEAR, POSSIBLY = 1, 0, -1
_BASIS = ("", "listed", "ownership", "control")
_OWNER = kind_code(RelationKind.OWNER)


@dataclass(slots=True)
class Resolution:
    """The outcome of one rule over a whole graph, as compact arrays indexed by node number."""

    rule: JurisdictionRule
    listed: bytearray  # 1: listed by an authority the rule counts
    status: array[int]  # 'b': BLOCKED, CLEAR or POSSIBLY
    basis: array[int]  # 'b': index into ("", "listed", "ownership", "control")
    known_share: array[float]  # 'd': largest known share a counted owner group holds
    share_unknown: bytearray  # 1: a counted holding has no percentage
    reasons: dict[int, list[int]] = field(default_factory=dict)  # node -> edges that made it join

    def counts(self) -> dict[str, int]:
        """How many parties are listed, blocked by ownership or control, possibly blocked."""
        counts = {"listed": 0, "blocked_by_ownership": 0, "blocked_by_control": 0, "possibly_blocked": 0}
        for status, basis in zip(self.status, self.basis, strict=True):
            if basis == 1:
                counts["listed"] += 1
            elif status == POSSIBLY:
                counts["possibly_blocked"] += 1
            elif status == BLOCKED:
                counts["blocked_by_control" if basis == 3 else "blocked_by_ownership"] += 1
        return counts


@dataclass(slots=True)
class _Walk:
    """What one closure reads: the CSR of holding edges and each asset's unaccounted share."""

    graph: Graph
    offsets: array[int]
    edges: array[int]
    remaining: array[float]  # per asset: 100 minus every known holding in it (at least 0)
    control: frozenset[int]
    rule: JurisdictionRule


@dataclass(slots=True)
class _Group:
    """One owner group's closure."""

    members: set[int]
    joined_by_control: set[int]
    reasons: dict[int, list[int]]
    known: dict[int, float]
    vague: set[int]  # assets in which a member holds a share of unknown size


def _closure(walk: _Walk, seeds: Iterable[int], optimistic: bool) -> _Group:
    """Grow an owner group from its seeds until no party joins (the least fixed point)."""
    group = _Group(set(seeds), set(), {}, {}, set())
    members, known, vague, reasons = group.members, group.known, group.vague, group.reasons
    dst, kind, share, offsets, edges = (
        walk.graph.dst,
        walk.graph.kind,
        walk.graph.share,
        walk.offsets,
        walk.edges,
    )
    reaches, control = walk.rule.reaches, walk.control
    frontier = sorted(members)
    while frontier:
        joined: list[int] = []
        for u in frontier:
            for e in edges[offsets[u] : offsets[u + 1]]:
                v = dst[e]
                if v in members:
                    continue
                k = kind[e]
                if k in control:
                    reasons.setdefault(v, []).append(e)
                    group.joined_by_control.add(v)
                    members.add(v)
                    joined.append(v)
                    continue
                if k != _OWNER:
                    continue
                s = share[e]
                if s != s:  # NaN: a holding of unknown size
                    vague.add(v)
                    if not optimistic:
                        continue
                else:
                    known[v] = known.get(v, 0.0) + s
                reasons.setdefault(v, []).append(e)
                total = known.get(v, 0.0)
                if optimistic and v in vague:
                    total += walk.remaining[v]
                if reaches(total):
                    members.add(v)
                    joined.append(v)
        frontier = joined
    return group


def _walk(graph: Graph, rule: JurisdictionRule) -> tuple[_Walk, bool]:
    """The walk for a rule, and whether any ownership edge lacks a percentage."""
    offsets, edges = graph.out_index({RelationKind.OWNER.value, *rule.control_kinds})
    held = [0.0] * graph.size
    has_unknown = False
    for v, k, s in zip(graph.dst, graph.kind, graph.share, strict=True):
        if k == _OWNER:
            if s != s:
                has_unknown = True
            else:
                held[v] += s
    remaining = array("d", (min(100.0, max(0.0, 100.0 - h)) for h in held))
    control = frozenset(kind_code(k) for k in rule.control_kinds)
    return _Walk(graph, offsets, edges, remaining, control, rule), has_unknown


def resolve(graph: Graph, rule: JurisdictionRule) -> Resolution:
    """Apply one jurisdiction's rule to every party of the graph."""
    size = graph.size
    listed = graph.listed_mask(rule.listed_authorities)
    status = array("b", bytes(size))
    basis = array("b", bytes(size))
    known_share = array("d", bytes(8 * size))
    share_unknown = bytearray(size)
    resolution = Resolution(rule, listed, status, basis, known_share, share_unknown)
    seeds = [i for i, flag in enumerate(listed) if flag]
    if not seeds:
        return resolution
    walk, has_unknown = _walk(graph, rule)
    seed_sets: list[list[int]] = [seeds] if rule.aggregate else [[s] for s in seeds]
    certain_reasons: dict[int, list[int]] = {}
    for seed_set in seed_sets:
        group = _closure(walk, seed_set, optimistic=False)
        for v, held in group.known.items():
            if held > known_share[v]:
                known_share[v] = held
        for v in group.vague:
            share_unknown[v] = 1
        for v in group.members:
            if status[v] != BLOCKED:
                status[v] = BLOCKED
                basis[v] = 3 if v in group.joined_by_control else 2
                if v in group.reasons:
                    certain_reasons[v] = group.reasons[v]
        if has_unknown:
            upper = _closure(walk, seed_set, optimistic=True)
            for v in upper.members:
                if status[v] == CLEAR:
                    status[v] = POSSIBLY
                    basis[v] = 3 if v in upper.joined_by_control else 2
                    resolution.reasons.setdefault(v, upper.reasons.get(v, []))
    resolution.reasons.update(certain_reasons)
    for i in seeds:
        status[i] = BLOCKED
        basis[i] = 1
    return resolution


@dataclass(slots=True)
class OwnershipPath:
    """One chain of holdings from a listed party down to the party decided on."""

    owners: list[dict[str, str]]  # the listed party at the top: [{"id", "caption"}]
    path: list[dict[str, str]]  # every party from the listed one down to the decided one
    shares: list[float | None]  # per hop, percent; None = unknown or control
    kinds: list[str]  # per hop: owner or control
    effective_share: float | None  # product of the hops' shares (look-through), None if unknown

    def to_dict(self) -> dict[str, Any]:
        return {
            "owners": self.owners,
            "path": self.path,
            "shares": self.shares,
            "kinds": self.kinds,
            "effective_share": self.effective_share,
        }


@dataclass(slots=True)
class Decision:
    """Whether one party is blocked under one jurisdiction, and why."""

    jurisdiction: str
    blocked: bool | None  # None: possibly blocked, it depends on a share nobody published
    basis: str | None  # listed, ownership, control; None when clear
    listed: bool
    share: float | None  # aggregate share held by counted owners; None when unknown or listed
    known_share: float  # the part of that share with published percentages
    paths: list[OwnershipPath]

    def to_dict(self) -> dict[str, Any]:
        return {
            "blocked": self.blocked,
            "basis": self.basis,
            "listed": self.listed,
            "share": self.share,
            "known_share": self.known_share,
            "paths": [p.to_dict() for p in self.paths],
        }


def _edge_chains(graph: Graph, res: Resolution, node: int, limit: int) -> list[list[int]]:
    """Chains of edges from a listed party down to ``node``, following the recorded reasons.

    An explicit stack, not recursion: a chain may be thousands of hops long.
    """
    chains: list[list[int]] = []
    stack: list[tuple[int, list[int], frozenset[int]]] = [(node, [], frozenset({node}))]
    while stack and len(chains) < limit:
        budget.check()
        current, suffix, seen = stack.pop()
        if res.listed[current] and suffix:
            chains.append(suffix)
            continue
        # Pushed in reverse so the first reason is explored first, as a recursive walk would.
        for e in reversed(res.reasons.get(current, ())):
            owner = graph.src[e]
            if owner not in seen:
                stack.append((owner, [e, *suffix], seen | {owner}))
    return chains


def _path(graph: Graph, chain: list[int]) -> OwnershipPath:
    nodes = [graph.src[chain[0]], *(graph.dst[e] for e in chain)]
    parties = [{"id": graph.ids[i], "caption": graph.caption(i)} for i in nodes]
    shares: list[float | None] = []
    kinds: list[str] = []
    effective: float | None = 100.0
    for e in chain:
        share = graph.share[e]
        kinds.append("owner" if graph.kind[e] == _OWNER else "control")
        if share != share or graph.kind[e] != _OWNER:
            shares.append(None)
            effective = None
        else:
            shares.append(share)
            effective = effective * share / 100.0 if effective is not None else None
    return OwnershipPath([parties[0]], parties, shares, kinds, effective)


def decide(graph: Graph, res: Resolution, node: int, max_paths: int = 10) -> Decision:
    """The decision for one node of a resolved graph, with up to ``max_paths`` explanations."""
    status = res.status[node]
    listed = bool(res.listed[node])
    blocked: bool | None = True if status == BLOCKED else (None if status == POSSIBLY else False)
    unknown = bool(res.share_unknown[node])
    known = res.known_share[node]
    paths = (
        []
        if listed or status == CLEAR
        else [_path(graph, c) for c in _edge_chains(graph, res, node, max_paths)]
    )
    return Decision(
        jurisdiction=res.rule.code,
        blocked=blocked,
        basis=_BASIS[res.basis[node]] or None,
        listed=listed,
        share=None if listed or unknown else known,
        known_share=known,
        paths=paths,
    )


def resolve_ownership(
    graph: Graph, rules: Iterable[JurisdictionRule], ids: Iterable[str] | None = None, max_paths: int = 10
) -> dict[str, dict[str, Decision]]:
    """For every party (or the ``ids`` given): ``{party id: {jurisdiction: Decision}}``."""
    resolutions = [resolve(graph, rule) for rule in rules]
    nodes = range(graph.size) if ids is None else [graph.node(i) for i in ids]
    return {
        graph.ids[n]: {res.rule.code: decide(graph, res, n, max_paths) for res in resolutions} for n in nodes
    }
