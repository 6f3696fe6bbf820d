"""Export our model as FollowTheMoney (FtM) JSON lines, so FtM tools (and OpenSanctions'
own tooling) can read what we hold.

One FtM entity per :class:`Entity`, one ``Sanction`` per :class:`Listing` and one
relationship entity per :class:`Relation`. Values go through ``followthemoney``'s own
cleaning (``EntityProxy.add``), so every line is valid FtM. The mapping is the inverse of
:mod:`sanctions.sources.ftm` (see ``docs/formats.md``): exporting then importing gives back
the same names, name kinds, dates, identifiers, listings and relations.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from typing import IO

from followthemoney import model
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from sanctions.model import Entity, Identifier, Listing, NameKind, Relation, RelationKind, Schema

__all__ = ["ENTITY_SCHEMAS", "RELATION_SCHEMAS", "write_ftm"]

log = logging.getLogger(__name__)

ENTITY_SCHEMAS: dict[Schema, str] = {
    Schema.PERSON: "Person",
    Schema.ORGANIZATION: "Organization",
    Schema.COMPANY: "Company",
    Schema.VESSEL: "Vessel",
    Schema.AIRCRAFT: "Airplane",
    Schema.LEGAL_ENTITY: "LegalEntity",
}

# Relation kinds with an FtM schema of their own; the others become UnknownLink whose
# `role` is the kind's name (the importer reads it back).
RELATION_SCHEMAS: dict[RelationKind, str] = {
    RelationKind.OWNER: "Ownership",
    RelationKind.CONTROL: "Control",
    RelationKind.DIRECTOR: "Directorship",
    RelationKind.FAMILY: "Family",
    RelationKind.ASSOCIATE: "Associate",
}

_NAME_PROPS: dict[NameKind, str] = {
    NameKind.PRIMARY: "name",
    NameKind.ORIGINAL_SCRIPT: "name",  # FtM has no script kind; the importer detects the script
    NameKind.ALIAS: "alias",
    NameKind.WEAK_ALIAS: "weakAlias",
    NameKind.FORMER: "previousName",
}
_DATE_PROPS = ("birthDate", "incorporationDate", "buildDate")

# (scheme, note) first, then (scheme, None): the inverse of the importer's table.
_IDENTIFIER_PROPS: dict[tuple[str, str | None], str] = {
    ("tax", "INN"): "innCode",
    ("tax", "VAT"): "vatCode",
    ("registration", "OGRN"): "ogrnCode",
    ("tax", None): "taxNumber",
    ("registration", None): "registrationNumber",
    ("passport", None): "passportNumber",
    ("national_id", None): "idNumber",
    ("swift", None): "swiftBic",
    ("imo", None): "imoNumber",
    ("mmsi", None): "mmsi",
    ("lei", None): "leiCode",
    ("email", None): "email",
    ("website", None): "website",
    ("phone", None): "phone",
    ("aircraft_serial", None): "serialNumber",
    ("aircraft_tail", None): "registrationNumber",
    ("other", None): "idNumber",
}
_MANAGED = {
    *_NAME_PROPS.values(),
    *_DATE_PROPS,
    *_IDENTIFIER_PROPS.values(),
    "birthPlace",
    "nationality",
    "country",
    "address",
    "notes",
    "gender",
    "topics",
}


def _put(proxy: EntityProxy, prop: str, values: Iterable[str | None]) -> bool:
    """Add values when the schema has the property; False when it has not."""
    if prop not in proxy.schema.properties:
        return False
    for value in values:
        if value:
            proxy.add(prop, value)
    return True


def _copy_properties(proxy: EntityProxy, properties: dict[str, list[str]], managed: set[str]) -> None:
    """Carry over extra FtM properties, except those we write ourselves and entity references
    (their ids point into the file they came from)."""
    for prop, values in properties.items():
        spec = proxy.schema.properties.get(prop)
        if spec is not None and prop not in managed and spec.type is not registry.entity:
            _put(proxy, prop, values)


def _identifier_prop(proxy: EntityProxy, identifier: Identifier) -> str | None:
    candidates = (
        _IDENTIFIER_PROPS.get((identifier.scheme, identifier.note)),
        _IDENTIFIER_PROPS.get((identifier.scheme, None)),
        "idNumber",
    )
    return next((p for p in candidates if p and p in proxy.schema.properties), None)


def _entity_proxy(entity: Entity) -> EntityProxy:
    proxy = model.make_entity(ENTITY_SCHEMAS[entity.schema])
    proxy.id = entity.id
    for name in entity.names:
        _put(proxy, _NAME_PROPS[name.kind], [name.value])
    date_prop = next(p for p in _DATE_PROPS if p in proxy.schema.properties)
    _put(proxy, date_prop, [d.value for d in entity.birth_dates])
    _put(proxy, "birthPlace", entity.birth_places)
    if not _put(proxy, "nationality", entity.nationalities):
        _put(proxy, "country", entity.nationalities)
    _put(proxy, "country", entity.countries)
    for identifier in entity.identifiers:
        prop = _identifier_prop(proxy, identifier)
        if prop is None:
            log.warning(
                "export.identifier_dropped",
                extra={"entity": entity.id, "scheme": identifier.scheme, "schema": proxy.schema.name},
            )
        else:
            proxy.add(prop, identifier.value)
    _put(proxy, "address", [a.full for a in entity.addresses])
    _put(proxy, "notes", [entity.remarks])
    _put(proxy, "gender", [entity.gender])
    topics = list(entity.properties.get("topics", []))
    if entity.is_listed and "sanction" not in topics:
        topics.append("sanction")
    _put(proxy, "topics", topics)
    _copy_properties(proxy, entity.properties, _MANAGED)
    return proxy


def _sanction_proxy(entity: Entity, listing: Listing) -> EntityProxy:
    proxy = model.make_entity("Sanction")
    key = "|".join([entity.id, listing.authority, listing.program or "", listing.listed_on or ""])
    proxy.id = f"{entity.id}-sanction-{hashlib.sha1(key.encode()).hexdigest()[:16]}"
    proxy.add("entity", entity.id)
    # A jurisdiction code (us, eu, gb, un) is the Sanction's country; other labels its authority.
    if registry.country.clean(listing.authority) == listing.authority.lower():
        proxy.add("country", listing.authority)
    else:
        proxy.add("authority", listing.authority)
    _put(proxy, "program", [listing.program])
    _put(proxy, "startDate", [listing.listed_on])
    _put(proxy, "reason", [listing.reason])
    return proxy


def _fits(schema_name: str, relation: Relation, schemas: dict[str, Schema]) -> bool:
    """Whether both ends are of the kind the FtM schema expects (unknown ends are trusted)."""
    ftm = model.get(schema_name)
    if ftm is None or ftm.edge_source is None or ftm.edge_target is None:
        return False
    for end, prop in ((relation.subject_id, ftm.edge_source), (relation.object_id, ftm.edge_target)):
        range_ = ftm.properties[prop].range
        ours = model.get(ENTITY_SCHEMAS[schemas[end]]) if end in schemas else None
        if ours is not None and range_ is not None and not ours.is_a(range_):
            return False
    return True


def _relation_proxy(relation: Relation, schemas: dict[str, Schema]) -> EntityProxy:
    schema_name = RELATION_SCHEMAS.get(relation.kind, "UnknownLink")
    # FtM's Ownership asset range (Asset) leaves out Organization; OpenSanctions uses it anyway.
    if relation.kind is not RelationKind.OWNER and not _fits(schema_name, relation, schemas):
        schema_name = "UnknownLink"
    proxy = model.make_entity(schema_name)
    proxy.id = relation.id
    schema = proxy.schema
    proxy.add(schema.edge_source or "", relation.subject_id)
    proxy.add(schema.edge_target or "", relation.object_id)
    managed = {schema.edge_source or "", schema.edge_target or "", "startDate", "endDate", "percentage"}
    if schema_name == "UnknownLink":
        proxy.add("role", relation.kind.value)
        _put(proxy, "summary", [relation.source])
        managed |= {"role"}
    else:
        wording = "relationship" if "relationship" in schema.properties else "role"
        _put(proxy, wording, [relation.source])
    if relation.kind is RelationKind.OWNER:
        percentage = relation.properties.get("percentage")
        if not percentage and relation.share is not None:
            percentage = [f"{relation.share:g}"]
        _put(proxy, "percentage", percentage or [])
    _put(proxy, "startDate", [relation.start_date])
    _put(proxy, "endDate", [relation.end_date])
    _copy_properties(proxy, relation.properties, managed)
    return proxy


def _write(proxy: EntityProxy, out: IO[str], caption: str | None = None) -> None:
    data = proxy.to_dict()
    if caption is not None:
        data = {"id": data["id"], "caption": caption, **data}
    out.write(json.dumps(data, ensure_ascii=False, sort_keys=False) + "\n")


def write_ftm(entities: Iterable[Entity], relations: Iterable[Relation], out: IO[str]) -> int:
    """Write entities, their listings and the relations as FtM JSON lines; return the lines written.

    Parties come first, each followed by its ``Sanction`` records, then the relationship
    records. Only the ids and schemas of the parties are kept in memory (to pick an FtM
    relationship schema whose ends fit), so both inputs may be streams.
    """
    schemas: dict[str, Schema] = {}
    written = 0
    for entity in entities:
        schemas[entity.id] = entity.schema
        _write(_entity_proxy(entity), out, entity.caption)
        written += 1
        for listing in dict.fromkeys(entity.listings):
            _write(_sanction_proxy(entity, listing), out)
            written += 1
    for relation in relations:
        _write(_relation_proxy(relation, schemas), out)
        written += 1
    return written
