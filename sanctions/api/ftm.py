"""Our entities as FollowTheMoney-style JSON, the shape yente clients read.

The mapping is the one table of :mod:`sanctions.ftm` (the import and export use it too): only
properties the FtM schema defines are emitted under ``properties``, so a strict FtM client can
load them. Listings become nested ``Sanction`` entities and relations nested interval entities
(``Ownership``, ``Control``, ``Directorship``, ...), as yente nests adjacent entities.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sanctions.ftm import (
    ftm_schema_name,
    party_properties,
    relation_properties,
    relation_schema,
    sanction_id,
    sanction_properties,
)
from sanctions.model import Entity, Relation

__all__ = [
    "entity_properties",
    "entity_response",
    "entity_stub",
    "ftm_schema_name",
    "listings_json",
    "nest_relations",
    "relation_json",
    "sanction_entities",
]


def entity_properties(entity: Entity) -> dict[str, list[str]]:
    """FtM properties of an entity: names, dates, countries, identifiers, addresses, topics."""
    return party_properties(entity)


def sanction_entities(entity: Entity) -> list[dict[str, Any]]:
    """The entity's listings as nested FtM ``Sanction`` entities."""
    return [
        {
            "id": sanction_id(entity, listing),
            "caption": listing.program or listing.authority,
            "schema": "Sanction",
            "properties": sanction_properties(entity, listing),
            "datasets": [entity.dataset],
            "referents": [],
            "target": False,
        }
        for listing in dict.fromkeys(entity.listings)
    ]


def entity_stub(entity: Entity) -> dict[str, Any]:
    """The short form of an entity used for nested references and scan hits."""
    return {
        "id": entity.id,
        "caption": entity.caption,
        "schema": ftm_schema_name(entity.schema),
        "datasets": [entity.dataset],
    }


def entity_response(entity: Entity, last_seen: str | None = None) -> dict[str, Any]:
    """An entity in yente's ``EntityResponse`` shape, plus our ``listings`` extra."""
    return {
        "id": entity.id,
        "caption": entity.caption,
        "schema": ftm_schema_name(entity.schema),
        "properties": entity_properties(entity),
        "datasets": [entity.dataset],
        "referents": [entity.source_id] if entity.source_id else [],
        "target": entity.is_listed,
        "first_seen": None,
        "last_seen": last_seen,
        "last_change": None,
        "listings": listings_json(entity),
    }


def listings_json(entity: Entity) -> list[dict[str, Any]]:
    """Why the entity is listed: authority, program, date and reason, per listing."""
    return [
        {
            "dataset": entity.dataset,
            "authority": listing.authority,
            "program": listing.program,
            "listed_on": listing.listed_on,
            "reason": listing.reason,
        }
        for listing in entity.listings
    ]


def relation_json(relation: Relation) -> dict[str, Any]:
    """A relation in our own flat shape (kind, subject, object, share, dates)."""
    return {
        "id": relation.id,
        "dataset": relation.dataset,
        "kind": str(relation.kind),
        "subject_id": relation.subject_id,
        "object_id": relation.object_id,
        "share": relation.share,
        "start_date": relation.start_date,
        "end_date": relation.end_date,
        "source": relation.source,
    }


def nest_relations(
    entity: Entity,
    relations: list[Relation],
    lookup: Callable[[str], Entity | None],
) -> dict[str, list[dict[str, Any]]]:
    """Relations as nested FtM interval entities keyed by the reverse property, as yente does.

    For an ownership where ``entity`` is the asset, the result has ``ownershipAsset: [Ownership]``
    whose ``owner`` holds the nested owner entity (or its id when it is not in the store).
    """
    nested: dict[str, list[dict[str, Any]]] = {}
    for rel in relations:
        is_subject = rel.subject_id == entity.id
        other_id = rel.object_id if is_subject else rel.subject_id
        other = lookup(other_id)
        ends = (entity.schema, other.schema if other is not None else None)
        schema = relation_schema(rel.kind, *(ends if is_subject else ends[::-1]))
        own_prop, other_prop = schema.edge_source, schema.edge_target
        if not is_subject:
            own_prop, other_prop = other_prop, own_prop
        reverse = schema.properties[own_prop or ""].reverse
        if reverse is None or other_prop is None:
            continue
        props: dict[str, list[Any]] = dict(relation_properties(rel, schema))
        props[other_prop] = [
            {**entity_stub(other), "properties": entity_properties(other)} if other is not None else other_id
        ]
        nested.setdefault(reverse.name, []).append(
            {
                "id": rel.id,
                "caption": schema.label,
                "schema": schema.name,
                "properties": props,
                "datasets": [rel.dataset],
                "referents": [],
                "target": False,
            }
        )
    return nested
