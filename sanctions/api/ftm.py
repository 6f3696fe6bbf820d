"""Our entities as FollowTheMoney-style JSON, the shape yente clients read.

Only properties the FtM schema defines are emitted under ``properties`` (checked against the
installed ``followthemoney`` model), so a strict FtM client can load them. Listings become nested
``Sanction`` entities and relations nested interval entities (``Ownership``, ``Directorship``,
...), as yente nests adjacent entities.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from followthemoney import model as ftm_model
from followthemoney.schema import Schema as FtmSchema

from sanctions.model import Entity, NameKind, Relation, RelationKind, Schema

# Our schema names that FtM spells differently.
_SCHEMA_NAMES = {Schema.AIRCRAFT: "Airplane"}

_NAME_PROPS = {
    NameKind.PRIMARY: "name",
    NameKind.ALIAS: "alias",
    NameKind.WEAK_ALIAS: "weakAlias",
    NameKind.ORIGINAL_SCRIPT: "alias",
    NameKind.FORMER: "previousName",
}

# Identifier scheme -> FtM property, per kind of party (the first one the schema has wins).
_IDENTIFIER_PROPS: dict[str, tuple[str, ...]] = {
    "tax": ("taxNumber", "idNumber"),
    "registration": ("registrationNumber", "idNumber"),
    "passport": ("passportNumber", "idNumber"),
    "national_id": ("idNumber",),
    "swift": ("swiftBic", "idNumber"),
    "imo": ("imoNumber", "registrationNumber"),
    "mmsi": ("mmsi",),
    "lei": ("leiCode", "idNumber"),
    "email": ("email",),
    "website": ("website",),
    "phone": ("phone",),
    "aircraft_serial": ("serialNumber",),
    "aircraft_tail": ("registrationNumber",),
    "other": ("idNumber", "registrationNumber"),
}

# Relation kind -> (FtM interval schema, property holding the subject, property holding the object).
RELATION_SCHEMAS: dict[RelationKind, tuple[str, str, str]] = {
    RelationKind.OWNER: ("Ownership", "owner", "asset"),
    RelationKind.DIRECTOR: ("Directorship", "director", "organization"),
    RelationKind.FAMILY: ("Family", "person", "relative"),
    RelationKind.ASSOCIATE: ("Associate", "person", "associate"),
}
_LINK = ("UnknownLink", "subject", "object")


def ftm_schema_name(schema: Schema) -> str:
    """The FtM schema name of one of our schemas (``Aircraft`` is FtM's ``Airplane``)."""
    return _SCHEMA_NAMES.get(schema, schema.value)


@lru_cache(maxsize=64)
def _ftm_schema(name: str) -> FtmSchema | None:
    return ftm_model.get(name)


def _first_prop(schema: FtmSchema | None, candidates: Iterable[str]) -> str | None:
    for prop in candidates:
        if schema is None or prop in schema.properties:
            return prop
    return None


def entity_properties(entity: Entity) -> dict[str, list[str]]:
    """FtM properties of an entity: names, dates, countries, identifiers, addresses, topics."""
    schema = _ftm_schema(ftm_schema_name(entity.schema))
    props: dict[str, list[str]] = {}

    def add(prop: str | None, value: str | None) -> None:
        if prop is None or not value:
            return
        if schema is not None and prop not in schema.properties:
            return
        values = props.setdefault(prop, [])
        if value not in values:
            values.append(value)

    for name in entity.names:
        add(_NAME_PROPS[name.kind], name.value)
    person = entity.schema is Schema.PERSON
    for day in entity.birth_dates:
        add("birthDate" if person else "incorporationDate", day.value)
    for place in entity.birth_places:
        add("birthPlace", place)
    for country in entity.nationalities:
        add("nationality" if person else "country", country)
    for country in entity.countries:
        add("country", country)
    for ident in entity.identifiers:
        add(_first_prop(schema, _IDENTIFIER_PROPS.get(ident.scheme, ("idNumber",))), ident.value)
    for address in entity.addresses:
        add("address", address.full)
    if entity.gender:
        add("gender", entity.gender)
    if entity.remarks:
        add("notes", entity.remarks)
    for listing in entity.listings:
        add("program", listing.program)
    for key, values in entity.properties.items():
        for value in values:
            add(key, value)
    if entity.is_listed:
        add("topics", "sanction")
    return props


def sanction_entities(entity: Entity) -> list[dict[str, Any]]:
    """The entity's listings as nested FtM ``Sanction`` entities."""
    result = []
    for i, listing in enumerate(entity.listings):
        props: dict[str, list[str]] = {"entity": [entity.id], "authority": [listing.authority]}
        if listing.program:
            props["program"] = [listing.program]
        if listing.listed_on:
            props["listingDate"] = [listing.listed_on]
            props["startDate"] = [listing.listed_on]
        if listing.reason:
            props["reason"] = [listing.reason]
        result.append(
            {
                "id": f"{entity.id}-sanction-{i}",
                "caption": listing.program or listing.authority,
                "schema": "Sanction",
                "properties": props,
                "datasets": [entity.dataset],
                "referents": [],
                "target": False,
            }
        )
    return result


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
        schema_name, subject_prop, object_prop = RELATION_SCHEMAS.get(rel.kind, _LINK)
        schema = _ftm_schema(schema_name)
        if schema is None:
            continue
        is_subject = rel.subject_id == entity.id
        own_prop, other_prop = (subject_prop, object_prop) if is_subject else (object_prop, subject_prop)
        other_id = rel.object_id if is_subject else rel.subject_id
        other = lookup(other_id)
        other_json: dict[str, Any] | str = (
            {**entity_stub(other), "properties": entity_properties(other)} if other is not None else other_id
        )
        props: dict[str, list[Any]] = {own_prop: [entity.id], other_prop: [other_json]}
        if rel.share is not None and "percentage" in schema.properties:
            props["percentage"] = [f"{rel.share:g}"]
        if rel.start_date:
            props["startDate"] = [rel.start_date]
        if rel.end_date:
            props["endDate"] = [rel.end_date]
        if rel.kind not in RELATION_SCHEMAS and "role" in schema.properties:
            props["role"] = [str(rel.kind).replace("_", " ")]
        reverse = schema.properties[own_prop].reverse
        if reverse is None:
            continue
        nested.setdefault(reverse.name, []).append(
            {
                "id": rel.id,
                "caption": schema.label,
                "schema": schema_name,
                "properties": props,
                "datasets": [rel.dataset],
                "referents": [],
                "target": False,
            }
        )
    return nested
