"""Merge the records of one party: a user's "KAMAZ" and the listed KAMAZ records it matched.

The matching engine links a party of the user's relations file to listed records with
``same_as`` edges. Ownership and exposure must see one party, otherwise a 60 % stake of the
user's "KAMAZ" would not count as a stake of the listed KAMAZ. :func:`contract` merges every
group of records joined by ``same_as`` edges into one node that carries all their listings.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

from sanctions.graph.model import NAN, SAME_AS, EdgeNote, Graph, kind_code
from sanctions.matching.clusters import UnionFind
from sanctions.model import Listing

__all__ = ["Clustered", "contract"]


@dataclass(slots=True)
class Clustered:
    """A graph whose nodes are parties, each standing for one or more records of the original."""

    graph: Graph
    original: Graph
    members: list[list[int]]  # party node -> record nodes of the original graph
    party_of: list[int]  # record node -> party node
    scores: dict[int, float]  # record node -> best matching score that linked it to its party

    def party(self, entity_id: str) -> int:
        """The party node holding the record with this id (SanctionsError if none)."""
        return self.party_of[self.original.node(entity_id)]


def contract(graph: Graph) -> Clustered:
    """Merge records joined by same_as edges; the other edges are carried over, deduplicated."""
    same_as = kind_code(SAME_AS)
    sets = UnionFind(graph.size)
    linking: set[int] = set()  # records that were matched to others (the user's parties)
    scores: dict[int, float] = {}
    for e, k in enumerate(graph.kind):
        if k != same_as:
            continue
        a, b = graph.src[e], graph.dst[e]
        linking.add(a)
        score = graph.note(e).score
        if score is not None and score > scores.get(b, -1.0):
            scores[b] = score
        sets.union(a, b)
    members = list(sets.groups().values())
    party_of = [0] * graph.size
    for p, records in enumerate(members):
        for i in records:
            party_of[i] = p
    heads = [next((i for i in records if i in linking), records[0]) for records in members]
    ids = [graph.ids[h] for h in heads]
    captions = [graph.caption(h) for h in heads]
    datasets = [graph.datasets[h] if graph.datasets is not None else "" for h in heads]
    listings: list[tuple[Listing, ...]] = []
    authorities: list[frozenset[str]] = []
    for records in members:
        merged: list[Listing] = []
        for i in records:
            merged.extend(item for item in graph.node_listings(i) if item not in merged)
        listings.append(tuple(merged))
        authorities.append(frozenset().union(*(graph.authorities[i] for i in records)))
    edges: dict[tuple[int, int, int], tuple[float, EdgeNote]] = {}
    for e in range(graph.edge_count):
        k = graph.kind[e]
        s, o = party_of[graph.src[e]], party_of[graph.dst[e]]
        if k == same_as or s == o:
            continue
        share = graph.share[e]
        previous = edges.get((s, o, k))
        if previous is not None:
            old = previous[0]
            if share != share or (old == old and old >= share):  # keep the largest known share
                continue
        edges[(s, o, k)] = (share, graph.note(e))
    src, dst, kind, shares = array("i"), array("i"), array("B"), array("d")
    notes: list[EdgeNote] = []
    for (s, o, k), (share, note) in edges.items():
        src.append(s)
        dst.append(o)
        kind.append(k)
        shares.append(share if share == share else NAN)
        notes.append(note)
    contracted = Graph(ids, src, dst, kind, shares, authorities, captions, datasets, listings, notes)
    return Clustered(contracted, graph, members, party_of, scores)
