"""Clusters: the records of one party on several lists, joined so that a match shows them once.

Records are joined when a publisher says they are one (``sameAs``), when they share an
identifier, when two people on different lists have the same birth date and names that align
closely, or when organisations and vessels on different lists have the same distinctive name.
:class:`UnionFind` is the one union-find of the project (the graph merges records linked by
``same_as`` edges with it too).
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from sanctions.matching.names.align import Weigher, compare_forms
from sanctions.model import SAME_AS, Entity
from sanctions.text.names import PERSON, NameForm
from sanctions.text.phrases import generic_words

RARE = 20  # a word in at most this many names can identify an organisation across lists
MAX_CLUSTER_KEY = 6  # a key shared by more records than this is not an identity
MAX_SAME_DATE = 60  # birth dates shared by more names than this are not compared pairwise
SAME_PERSON = 0.85  # name score from which two people born the same day are one person

__all__ = ["Clusters", "NamedRecords", "UnionFind", "cluster"]


class UnionFind:
    """Disjoint sets of the numbers ``0 .. size - 1``; a set is named by its smallest member."""

    __slots__ = ("parent",)

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, x: int) -> int:
        """The smallest member of the set holding ``x`` (paths halved on the way)."""
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        """Join the sets of ``a`` and ``b``."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> dict[int, list[int]]:
        """Every set, by its name, members in increasing order (sets in order of their names)."""
        out: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.parent)):
            out[self.find(i)].append(i)
        return dict(out)


@dataclass(frozen=True, slots=True)
class Clusters:
    """Which records (entity positions) are one party: ``root`` per record, and the records of
    every party that has more than one."""

    root: array[int]
    members: dict[int, tuple[int, ...]]

    @classmethod
    def of(cls, sets: UnionFind) -> Clusters:
        """The clusters of a union-find's sets."""
        groups = sets.groups()
        root = array("i", bytes(4 * len(sets.parent)))
        for name, records in groups.items():
            for pos in records:
                root[pos] = name
        return cls(root, {name: tuple(m) for name, m in groups.items() if len(m) > 1})

    def key(self, pos: int) -> int:
        """The same number for every record of one party."""
        return self.root[pos]

    def records(self, pos: int) -> tuple[int, ...]:
        """Every record of the party of ``pos`` (``pos`` included), in position order."""
        return self.members.get(self.root[pos], (pos,))


class NamedRecords(Protocol):
    """What clustering reads: the records, their name forms, and list statistics of words."""

    @property
    def entities(self) -> Sequence[Entity]: ...

    @property
    def forms(self) -> Sequence[NameForm]: ...

    @property
    def form_entity(self) -> Sequence[int]: ...

    @property
    def by_identifier(self) -> Mapping[str, tuple[int, ...]]: ...

    def frequency(self, token: str) -> int:
        """In how many name forms the word appears."""
        ...

    def weight(self, token: str) -> float:
        """The weight of a word in name comparison."""
        ...


def cluster(records: NamedRecords) -> Clusters:
    """Join records of one party across lists: shared identifiers, or the same name and
    birth date, or (organisations, vessels) the same distinctive name on another list."""
    entities, forms, form_entity = records.entities, records.forms, records.form_entity
    uf = UnionFind(len(entities))
    # A publisher's own cross-reference (FCDO's OFSI Group ID, a CSL row copied from OFAC's
    # SDN list) joins two records whatever their names.
    positions = {entity.id: pos for pos, entity in enumerate(entities)}
    for pos, entity in enumerate(entities):
        for same_id in entity.properties.get(SAME_AS, ()):
            same_pos = positions.get(same_id)
            if same_pos is not None:
                uf.union(pos, same_pos)
    for members in records.by_identifier.values():
        if 1 < len(members) <= MAX_CLUSTER_KEY:
            for other in members[1:]:
                uf.union(members[0], other)
    generic = generic_words()
    keys: dict[tuple[object, ...], list[int]] = defaultdict(list)
    by_date: dict[str, list[int]] = defaultdict(list)
    for fid, form in enumerate(forms):
        pos = form_entity[fid]
        entity = entities[pos]
        if form.kind == PERSON:
            for date in entity.birth_dates:
                if len(date.value) >= 10:
                    by_date[date.value[:10]].append(fid)
        elif any(records.frequency(t) <= RARE and t not in generic for t in form.tokens):
            keys[(form.kind, tuple(sorted(form.phonetic)))].append(pos)
    weigh: Weigher = records.weight
    for fids in by_date.values():
        if len(fids) > MAX_SAME_DATE:
            continue
        for i, a in enumerate(fids):
            ea = form_entity[a]
            for b in fids[i + 1 :]:
                eb = form_entity[b]
                if entities[ea].dataset == entities[eb].dataset or uf.find(ea) == uf.find(eb):
                    continue
                if compare_forms(forms[a], forms[b], weigh).score >= SAME_PERSON:
                    uf.union(ea, eb)
    for key_members in keys.values():
        unique = list(dict.fromkeys(key_members))
        datasets = {entities[m].dataset for m in unique}
        if 1 < len(unique) <= MAX_CLUSTER_KEY and len(datasets) == len(unique):
            for other in unique[1:]:
                uf.union(unique[0], other)
    return Clusters.of(uf)
