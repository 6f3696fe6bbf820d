"""Build small graphs for the graph tests from compact descriptions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sanctions.graph.model import Graph, GraphBuilder
from sanctions.model import Entity, Listing, Relation, RelationKind, Schema


def party(entity_id: str, authorities: Iterable[str] = ()) -> Entity:
    """An organisation named after its id, listed by the given authorities."""
    entity = Entity(
        entity_id, "test", entity_id, Schema.COMPANY, listings=[Listing(a, "TEST") for a in authorities]
    )
    entity.add_name(f"{entity_id} LLC")
    return entity


def relation(
    kind: RelationKind,
    subject: str,
    obj: str,
    share: float | None = None,
    start_date: str | None = None,
    end_date: str | None = None,
) -> Relation:
    """A relation of the test dataset, its id made of its ends."""
    return Relation(f"{subject}-{kind.value}-{obj}", "test", kind, subject, obj, share, start_date, end_date)


def small_graph(
    listed: Mapping[str, Iterable[str]],
    owns: Iterable[tuple[str, str, float | None]] = (),
    control: Iterable[tuple[str, str]] = (),
    as_of: str = "2026-01-01",
) -> Graph:
    """A graph of the parties named in ``listed`` and the edges, in the order given."""
    builder = GraphBuilder(as_of=as_of)
    names = dict.fromkeys(
        [*listed, *(n for o, a, _ in owns for n in (o, a)), *(n for e in control for n in e)]
    )
    for name in names:
        builder.add_entity(party(name, listed.get(name, ())))
    for owner, asset, share in owns:
        builder.add_relation(relation(RelationKind.OWNER, owner, asset, share))
    for controller, entity in control:
        builder.add_relation(relation(RelationKind.CONTROL, controller, entity))
    return builder.build()
