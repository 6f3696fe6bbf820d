"""Gather the neighbourhood of a party: the user's relations, the lists' own relations, matches.

The exposure search needs a small graph around the party, not the whole store. This module
walks outwards from the party, a hop at a time:

* relations of the user's file (parsed by :func:`sanctions.sources.relations_csv.parse_relations`);
* relations the lists publish themselves (OFAC "Linked To", FtM ownership), read from a
  :class:`RelationSource` (the :class:`~sanctions.service.Screener` is one);
* when a :data:`PartyMatcher` is given, each of the user's parties is screened and linked to
  the listed records it matches (``same_as`` edges; they do not count as a hop).

Then it climbs the owners and controllers of every party found, without a hop limit, so the
ownership rules see whole chains.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from normality import slugify

from sanctions.graph.model import GraphBuilder
from sanctions.model import Entity, Relation, RelationKind, Schema

__all__ = ["Neighbourhood", "PartyLink", "PartyMatcher", "RelationSource", "collect"]

QUERY_DATASET = "query"
_UPWARD = frozenset({RelationKind.OWNER, RelationKind.CONTROL})


class RelationSource(Protocol):
    """Where listed entities and the relations the lists publish come from."""

    def entity(self, entity_id: str) -> Entity | None: ...

    def relations(self, entity_id: str) -> list[Relation]: ...


@dataclass(frozen=True, slots=True)
class PartyLink:
    """A listed record the matching engine says is the same party, with its score."""

    entity: Entity
    score: float


PartyMatcher = Callable[[Entity], list[PartyLink]]


@dataclass(slots=True)
class Neighbourhood:
    """The collected graph (still a builder) and where the search starts."""

    builder: GraphBuilder
    start_ids: list[str]
    screened: int = 0  # parties sent to the matching engine
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Walker:
    builder: GraphBuilder
    source: RelationSource | None
    matcher: PartyMatcher | None
    user_relations: dict[str, list[Relation]]
    user_ids: set[str]
    max_parties: int
    screened: int = 0
    warnings: list[str] = field(default_factory=list)
    _linked: dict[str, list[str]] = field(default_factory=dict)

    def relations(self, entity_id: str) -> list[Relation]:
        found = list(self.user_relations.get(entity_id, ()))
        if self.source is not None and entity_id not in self.user_ids:
            found.extend(self.source.relations(entity_id))
        return found

    def ensure(self, entity_id: str) -> None:
        """Fetch a party from the source the first time a relation points at it."""
        if entity_id in self.builder.entities or self.source is None:
            return
        entity = self.source.entity(entity_id)
        if entity is not None:
            self.builder.add_entity(entity)
        else:
            self.warnings.append(f"relation points at {entity_id!r}, which no loaded list holds")

    def links(self, entity_id: str) -> list[str]:
        """Screen one of the user's parties; add same_as edges to what it matches."""
        entity = self.builder.entities.get(entity_id)
        if self.matcher is None or entity is None or entity_id not in self.user_ids:
            return []
        if entity_id in self._linked:
            return self._linked[entity_id]
        self.screened += 1
        linked: list[str] = []
        for link in self.matcher(entity):
            if link.entity.id not in self.builder.entities:
                self.builder.add_entity(link.entity)
            self.builder.add_link(entity_id, link.entity.id, link.score)
            linked.append(link.entity.id)
        self._linked[entity_id] = linked
        return linked

    def full(self) -> bool:
        if len(self.builder.entities) >= self.max_parties:
            self.warnings.append(f"stopped at {self.max_parties} parties; results may be incomplete")
            return True
        return False


def _start_ids(party: str, walker: _Walker, user_entities: list[Entity]) -> list[str]:
    if party.lower().startswith("id:"):
        party = party[3:].strip()
    if party in walker.builder.entities:
        return [party]
    if walker.source is not None and walker.source.entity(party) is not None:
        walker.ensure(party)
        return [party]
    slug = slugify(party)
    found = [e.id for e in user_entities if slug and any(slugify(n.value) == slug for n in e.names)]
    if found:
        return found
    query = Entity(f"{QUERY_DATASET}-{slug or 'party'}", QUERY_DATASET, slug or party, Schema.LEGAL_ENTITY)
    query.add_name(party)
    walker.builder.add_entity(query)
    walker.user_ids.add(query.id)
    if walker.matcher is None:
        walker.warnings.append(
            f"{party!r} is neither in the relations nor a loaded entity id, and screening is off"
        )
    return [query.id]


def collect(
    party: str,
    *,
    records: Iterable[Entity | Relation] = (),
    source: RelationSource | None = None,
    matcher: PartyMatcher | None = None,
    depth: int = 2,
    as_of: str | None = None,
    max_parties: int = 5000,
) -> Neighbourhood:
    """The graph within ``depth`` relations of ``party`` (a name, an entity id or ``id:<id>``).

    ``party`` is looked up as an entity id in the source, then by name among the user's
    parties in ``records``; failing both it becomes a party of its own (dataset ``query``)
    so that the matching engine can screen it.
    """
    builder = GraphBuilder(as_of=as_of) if as_of else GraphBuilder()
    user_entities: list[Entity] = []
    user_relations: dict[str, list[Relation]] = {}
    for record in records:
        if isinstance(record, Entity):
            builder.add_entity(record)
            user_entities.append(record)
        else:
            for end in (record.subject_id, record.object_id):
                user_relations.setdefault(end, []).append(record)
    walker = _Walker(builder, source, matcher, user_relations, {e.id for e in user_entities}, max_parties)
    start = _start_ids(party, walker, user_entities)
    distance: dict[str, int] = {}
    queue: deque[tuple[str, int]] = deque((s, 0) for s in start)
    while queue and not walker.full():
        entity_id, hops = queue.popleft()
        if entity_id in distance and distance[entity_id] <= hops:
            continue
        distance[entity_id] = hops
        queue.extendleft((linked, hops) for linked in walker.links(entity_id))
        entity = builder.entities.get(entity_id)
        if hops >= depth or (hops > 0 and entity is not None and entity.is_listed):
            continue  # a listed party ends a path; its own relations are not followed
        for relation in walker.relations(entity_id):
            if builder.add_relation(relation):
                other = relation.object_id if relation.subject_id == entity_id else relation.subject_id
                walker.ensure(other)
                queue.append((other, hops + 1))
    _climb_owners(walker, list(distance))
    return Neighbourhood(builder, start, walker.screened, walker.warnings)


def _climb_owners(walker: _Walker, found: list[str]) -> None:
    """Add the owners and controllers of every party found, all the way up."""
    seen = set(found)
    stack = list(found)
    while stack and not walker.full():
        entity_id = stack.pop()
        for relation in walker.relations(entity_id):
            if (
                relation.kind in _UPWARD
                and relation.object_id == entity_id
                and walker.builder.add_relation(relation)
            ):
                owner = relation.subject_id
                if owner not in seen:
                    seen.add(owner)
                    walker.ensure(owner)
                    stack.append(owner)
                    for linked in walker.links(owner):
                        if linked not in seen:
                            seen.add(linked)
                            stack.append(linked)
