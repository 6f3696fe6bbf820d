"""The one union-find (clusters of records in matching, parties in the graph): invariants."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sanctions.matching.clusters import Clusters, UnionFind

_pairs = st.integers(1, 30).flatmap(
    lambda n: st.tuples(st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))))
)


@given(_pairs)
def test_groups_are_the_components_of_the_joins(case: tuple[int, list[tuple[int, int]]]) -> None:
    size, joins = case
    sets = UnionFind(size)
    for a, b in joins:
        sets.union(a, b)
    groups = sets.groups()
    assert sorted(i for g in groups.values() for i in g) == list(range(size))
    for name, members in groups.items():
        assert name == min(members) and members == sorted(members)
    for a, b in joins:
        assert sets.find(a) == sets.find(b)
    # Nothing else is joined: the groups are the connected components of the joins.
    component = list(range(size))
    changed = True
    while changed:
        changed = False
        for a, b in joins:
            low = min(component[a], component[b])
            if component[a] != low or component[b] != low:
                component[a] = component[b] = low
                changed = True
    assert all(sets.find(i) == component[i] for i in range(size))


@given(_pairs)
def test_clusters_name_every_record_of_a_party_alike(case: tuple[int, list[tuple[int, int]]]) -> None:
    size, joins = case
    sets = UnionFind(size)
    for a, b in joins:
        sets.union(a, b)
    clusters = Clusters.of(sets)
    for pos in range(size):
        records = clusters.records(pos)
        assert pos in records
        assert {clusters.key(r) for r in records} == {clusters.key(pos)}
        assert all(len(m) > 1 for m in clusters.members.values())
