"""The relationship graph: parties as integer nodes, relations as compact edge arrays.

Nodes carry an id, a caption, a dataset and their listings; edges are four parallel typed
arrays of the standard library (``src``, ``dst``, ``kind``, ``share``: 17 bytes an edge) so
that a graph of millions of ownership edges fits in a few hundred megabytes without a
numerical library. The ownership and exposure algorithms read edges
through a CSR index (edges sorted by source node) built once per set of edge kinds.

Direction: an edge goes from the relation's subject to its object, so an ownership edge
goes from the owner to the asset and a "same_as" edge from a user's party to the listed
record the matching engine linked it to.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import overload

from sanctions.errors import SanctionsError
from sanctions.model import Entity, Listing, Relation, RelationKind

__all__ = ["EDGE_KINDS", "SAME_AS", "EdgeNote", "Graph", "GraphBuilder", "kind_code"]

SAME_AS = "same_as"  # a user's party resolved to a listed record by the matching engine
EDGE_KINDS: tuple[str, ...] = (*(k.value for k in RelationKind), SAME_AS)
_KIND_CODES = {name: code for code, name in enumerate(EDGE_KINDS)}

NAN = float("nan")


def kind_code(kind: str | RelationKind) -> int:
    """The small integer an edge kind is stored as; raises SanctionsError for unknown kinds."""
    value = kind.value if isinstance(kind, RelationKind) else kind
    try:
        return _KIND_CODES[value]
    except KeyError:
        raise SanctionsError(f"unknown relation kind {value!r}; known: {', '.join(EDGE_KINDS)}") from None


@dataclass(slots=True, frozen=True)
class EdgeNote:
    """What the graph keeps about an edge besides its arrays: provenance and match score."""

    relation_id: str | None = None
    dataset: str | None = None
    source: str | None = None  # publisher's wording or the user's reference
    start_date: str | None = None
    end_date: str | None = None
    score: float | None = None  # matching score of a same_as edge


class SyntheticIds(Sequence[str]):
    """Ids ``n0 .. n{size-1}`` made on demand, so a benchmark graph holds no strings."""

    def __init__(self, size: int):
        self._size = size

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, i: int) -> str: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[str]: ...

    def __getitem__(self, i: int | slice) -> str | Sequence[str]:
        if isinstance(i, slice):
            return [f"n{j}" for j in range(*i.indices(self._size))]
        if not -self._size <= i < self._size:
            raise IndexError(i)
        return f"n{i % self._size}"


@dataclass(slots=True)
class Graph:
    """An immutable graph of parties. Build it with :class:`GraphBuilder` or :meth:`from_arrays`."""

    ids: Sequence[str]
    src: array[int]  # 'i': node number of the subject (owner)
    dst: array[int]  # 'i': node number of the object (asset)
    kind: array[int]  # 'B': index into EDGE_KINDS
    share: array[float]  # 'd': percent; NaN = unknown or not an ownership edge
    authorities: list[frozenset[str]]  # per node: the authorities that list it
    captions: Sequence[str] | None = None
    datasets: Sequence[str] | None = None
    listings: Sequence[tuple[Listing, ...]] | None = None
    notes: Sequence[EdgeNote] | None = None
    _index: dict[str, int] | None = field(default=None, repr=False)
    _csr: dict[tuple[str, frozenset[int]], tuple[array[int], array[int]]] = field(
        default_factory=dict, repr=False
    )

    @classmethod
    def from_arrays(
        cls,
        size: int,
        src: array[int],
        dst: array[int],
        share: array[float],
        listed_by: Mapping[str, Iterable[int]],
        kind: array[int] | None = None,
    ) -> Graph:
        """A graph straight from edge arrays (the benchmark path): ids ``n0..``, owner edges by default.

        ``listed_by`` maps a listing authority (``us``, ``eu``, ...) to the node numbers it lists.
        """
        if kind is None:
            kind = array("B", bytes([kind_code(RelationKind.OWNER)])) * len(src)
        if not len(src) == len(dst) == len(share) == len(kind):
            raise SanctionsError("graph arrays differ in length (src, dst, share, kind)")
        if len(src) and (min(min(src), min(dst)) < 0 or max(max(src), max(dst)) >= size):
            raise SanctionsError(f"edge endpoints must be node numbers 0..{size - 1}")
        none: frozenset[str] = frozenset()
        authorities = [none] * size
        for authority, nodes in listed_by.items():
            for i in nodes:
                authorities[i] = authorities[i] | {authority}
        return cls(SyntheticIds(size), src, dst, kind, share, authorities)

    # -- nodes ------------------------------------------------------------------------------
    @property
    def size(self) -> int:
        return len(self.ids)

    @property
    def edge_count(self) -> int:
        return len(self.src)

    def node(self, entity_id: str) -> int:
        """The node number of an id; raises SanctionsError when the graph has no such party."""
        if self._index is None:
            self._index = {eid: i for i, eid in enumerate(self.ids)}
        try:
            return self._index[entity_id]
        except KeyError:
            raise SanctionsError(f"no party with id {entity_id!r} in the graph") from None

    def has(self, entity_id: str) -> bool:
        """Whether the graph holds a party with this id."""
        try:
            self.node(entity_id)
        except SanctionsError:
            return False
        return True

    def caption(self, i: int) -> str:
        return self.captions[i] if self.captions is not None else self.ids[i]

    def node_listings(self, i: int) -> tuple[Listing, ...]:
        return self.listings[i] if self.listings is not None else ()

    def listed_mask(self, authorities: frozenset[str]) -> bytearray:
        """Which nodes carry a listing by one of these authorities (1 per listed node)."""
        return bytearray(1 if auth and not auth.isdisjoint(authorities) else 0 for auth in self.authorities)

    # -- edges ------------------------------------------------------------------------------
    def out_index(self, kinds: Iterable[str]) -> tuple[array[int], array[int]]:
        """CSR over outgoing edges of the given kinds: ``(offsets, edge numbers)``.

        The edges leaving node ``i`` are ``edges[offsets[i]:offsets[i + 1]]``, in edge order.
        """
        return self._index_by(self.src, frozenset(kind_code(k) for k in kinds), "out")

    def in_index(self, kinds: Iterable[str]) -> tuple[array[int], array[int]]:
        """CSR over incoming edges of the given kinds (edges grouped by their object)."""
        return self._index_by(self.dst, frozenset(kind_code(k) for k in kinds), "in")

    def _index_by(self, key: array[int], codes: frozenset[int], side: str) -> tuple[array[int], array[int]]:
        cache_key = (side, codes)
        cached = self._csr.get(cache_key)
        if cached is None:
            cached = _counting_sort(self.size, key, self.kind, codes)
            self._csr[cache_key] = cached
        return cached

    def note(self, e: int) -> EdgeNote:
        return self.notes[e] if self.notes is not None else EdgeNote()


def _counting_sort(
    size: int, src: array[int], kind: array[int], codes: frozenset[int]
) -> tuple[array[int], array[int]]:
    """Edge numbers grouped by the node in ``src`` (stable), with the offsets of each group."""
    counts = [0] * (size + 1)
    every = len(codes) == len(EDGE_KINDS) or set(kind) <= codes
    for s, k in zip(src, kind, strict=True):
        if every or k in codes:
            counts[s + 1] += 1
    total = 0
    for i in range(size + 1):
        total += counts[i]
        counts[i] = total
    offsets = array("i", counts)
    cursor = counts  # reused: cursor[s] is where the next edge of s goes
    order = array("i", bytes(4 * total))
    for e, (s, k) in enumerate(zip(src, kind, strict=True)):
        if every or k in codes:
            order[cursor[s]] = e
            cursor[s] += 1
    return offsets, order


def _period_end(partial: str) -> str:
    """The last day a partial ISO date can mean: ``2022`` -> ``2022-12-31``."""
    if len(partial) == 4:
        return partial + "-12-31"
    if len(partial) == 7:
        return partial + "-31"
    return partial[:10]


def in_force(relation: Relation, as_of: str) -> bool:
    """Whether a relation holds on ``as_of`` (ISO date): started and not yet ended."""
    if relation.end_date and _period_end(relation.end_date) < as_of:
        return False
    return not (relation.start_date and relation.start_date[:10] > as_of)


@dataclass
class GraphBuilder:
    """Collects entities and relations, then freezes them into a :class:`Graph`.

    Relations that ended before ``as_of`` (default: today) are left out: a divested stake no
    longer blocks (OFAC's 2014 FAQs on divestment). Repeated relations between the same two
    parties of the same kind (the same ownership published by two lists) become one edge
    whose share is the largest known one.
    """

    as_of: str = field(default_factory=lambda: date.today().isoformat())
    entities: dict[str, Entity] = field(default_factory=dict)
    placeholders: dict[str, str] = field(default_factory=dict)  # id -> caption, for unresolved ends
    _edges: dict[tuple[str, str, int], tuple[float | None, EdgeNote]] = field(default_factory=dict)
    skipped: int = 0  # relations not in force on as_of

    def add_entity(self, entity: Entity) -> None:
        """Add a party (a later copy of the same id replaces an earlier one)."""
        self.entities[entity.id] = entity
        self.placeholders.pop(entity.id, None)

    def add_relation(self, relation: Relation) -> bool:
        """Add a relation in force on ``as_of``; returns False for one that is not."""
        if not in_force(relation, self.as_of):
            self.skipped += 1
            return False
        note = EdgeNote(
            relation.id, relation.dataset, relation.source, relation.start_date, relation.end_date
        )
        self._add(relation.subject_id, relation.object_id, kind_code(relation.kind), relation.share, note)
        return True

    def add_link(self, subject_id: str, object_id: str, score: float) -> None:
        """Add a same_as edge: ``subject`` is the listed record ``object`` (matching score)."""
        self._add(subject_id, object_id, kind_code(SAME_AS), None, EdgeNote(score=score))

    def _add(self, subject_id: str, object_id: str, code: int, share: float | None, note: EdgeNote) -> None:
        if share is not None and not 0.0 <= share <= 100.0:
            raise SanctionsError(
                f"relation {note.relation_id or subject_id}: share {share} is not a percentage"
            )
        for end in (subject_id, object_id):
            if end not in self.entities:
                self.placeholders.setdefault(end, end)
        key = (subject_id, object_id, code)
        previous = self._edges.get(key)
        if previous is not None:
            old = previous[0]
            if share is None or (old is not None and old >= share):
                share = old
            if note.score is not None and previous[1].score is not None and previous[1].score > note.score:
                note = previous[1]
        self._edges[key] = (share, note)

    def relations(self) -> Iterator[tuple[str, str, str, float | None]]:
        """The kept edges as ``(subject, object, kind, share)``."""
        for (s, o, code), (share, _note) in self._edges.items():
            yield s, o, EDGE_KINDS[code], share

    def build(self) -> Graph:
        """Freeze into a Graph; node order is entities first (as added), then placeholders."""
        ids = [*self.entities, *(p for p in self.placeholders if p not in self.entities)]
        index = {eid: i for i, eid in enumerate(ids)}
        captions = [self.entities[i].caption if i in self.entities else self.placeholders[i] for i in ids]
        datasets = [self.entities[i].dataset if i in self.entities else "" for i in ids]
        listings = [tuple(self.entities[i].listings) if i in self.entities else () for i in ids]
        authorities = [frozenset(item.authority for item in ls) for ls in listings]
        src, dst, kind, share = array("i"), array("i"), array("B"), array("d")
        notes: list[EdgeNote] = []
        for (s, o, code), (value, note) in self._edges.items():
            src.append(index[s])
            dst.append(index[o])
            kind.append(code)
            share.append(NAN if value is None else value)
            notes.append(note)
        return Graph(ids, src, dst, kind, share, authorities, captions, datasets, listings, notes, index)


def build_graph(records: Iterable[Entity | Relation], as_of: str | None = None) -> Graph:
    """A graph from a stream of entities and relations (a parsed FtM or relations file)."""
    builder = GraphBuilder(as_of=as_of) if as_of else GraphBuilder()
    for record in records:
        if isinstance(record, Entity):
            builder.add_entity(record)
        else:
            builder.add_relation(record)
    return builder.build()


def with_file_ids(records: Iterable[Entity | Relation]) -> list[Entity | Relation]:
    """The records of one file under the ids the file gives its parties (``source_id``), not
    the ``<dataset>-`` ids parsing made, so that a graph built from them answers in the file's
    own ids. Parties the file refers to by an id of ours (``id:`` in a relations CSV) keep it;
    when two parties of the file share an id, every id stays as parsed."""
    records = list(records)
    own = {r.id: r.source_id for r in records if isinstance(r, Entity) and r.source_id}
    if len(set(own.values())) != len(own):
        return records
    out: list[Entity | Relation] = []
    for record in records:
        if isinstance(record, Entity):
            out.append(replace(record, id=own.get(record.id, record.id)))
        else:
            ends = own.get(record.subject_id, record.subject_id), own.get(record.object_id, record.object_id)
            out.append(replace(record, subject_id=ends[0], object_id=ends[1]))
    return out
