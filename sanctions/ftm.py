"""The one mapping between our model and FollowTheMoney (FtM): tables, read by every FtM face.

Import (:mod:`sanctions.sources.ftm`), export (:mod:`sanctions.export`) and the yente-shaped
API (``sanctions.api.ftm``) all read these tables, so a field goes to and comes from the same
FtM property everywhere. ``docs/formats.md`` shows them. The functions below turn one of our
records into FtM properties (plain values; the export cleans them through ``followthemoney``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from followthemoney import model as ftm_model
from followthemoney.schema import Schema as FtmSchema
from followthemoney.types import registry

from sanctions.model import Entity, Identifier, Listing, NameKind, Relation, RelationKind, Schema

__all__ = [
    "DATE_PROPERTIES",
    "IDENTIFIER_PROPERTIES",
    "NAME_PROPERTIES",
    "PARTY_SCHEMAS",
    "RELATION_SCHEMAS",
    "IdentifierProperty",
    "ftm_schema",
    "ftm_schema_name",
    "identifier_property",
    "identifier_rows",
    "our_schema",
    "party_properties",
    "relation_kind",
    "relation_properties",
    "relation_schema",
    "sanction_id",
    "sanction_properties",
]

# Parties: FtM schema <-> ours. Most specific first: an FtM party is the first of these its
# schema is (a descendant of); PublicBody is an Organization.
PARTY_SCHEMAS: tuple[tuple[str, Schema], ...] = (
    ("Airplane", Schema.AIRCRAFT),
    ("Vessel", Schema.VESSEL),
    ("Person", Schema.PERSON),
    ("Company", Schema.COMPANY),
    ("Organization", Schema.ORGANIZATION),
    ("LegalEntity", Schema.LEGAL_ENTITY),
)

# Names: FtM property <-> name kind. FtM has no kind for a name in its own script: those are
# written to ``name`` and told apart by their script on import (in ``name`` or ``alias``).
NAME_PROPERTIES: tuple[tuple[str, NameKind], ...] = (
    ("name", NameKind.PRIMARY),
    ("name", NameKind.ORIGINAL_SCRIPT),
    ("alias", NameKind.ALIAS),
    ("previousName", NameKind.FORMER),
    ("weakAlias", NameKind.WEAK_ALIAS),
)

# Birth / incorporation / build dates: all are read; a record writes the first its schema has.
DATE_PROPERTIES = ("birthDate", "incorporationDate", "buildDate")
NATIONALITY_PROPERTIES = ("nationality", "citizenship")  # written: the first the schema has,
COUNTRY_PROPERTIES = ("country", "jurisdiction", "flag")  # else ``country``


@dataclass(frozen=True, slots=True)
class IdentifierProperty:
    """An FtM property holding identifiers of one scheme (on parties of ``only``, when set)."""

    prop: str
    scheme: str
    note: str | None = None
    country: str | None = None
    only: Schema | None = None


# Most specific first: on import the first property that holds a value names its scheme
# (OpenSanctions repeats an INN in innCode, taxNumber and idNumber); on export an identifier
# goes to the first property of its scheme and note the schema has, else to ``idNumber``.
IDENTIFIER_PROPERTIES: tuple[IdentifierProperty, ...] = (
    IdentifierProperty("innCode", "tax", "INN", "ru"),
    IdentifierProperty("ogrnCode", "registration", "OGRN", "ru"),
    IdentifierProperty("leiCode", "lei"),
    IdentifierProperty("swiftBic", "swift"),
    IdentifierProperty("imoNumber", "imo"),
    IdentifierProperty("mmsi", "mmsi"),
    IdentifierProperty("passportNumber", "passport"),
    IdentifierProperty("taxNumber", "tax"),
    IdentifierProperty("vatCode", "tax", "VAT"),
    IdentifierProperty("serialNumber", "aircraft_serial"),
    IdentifierProperty("registrationNumber", "aircraft_tail", only=Schema.AIRCRAFT),
    IdentifierProperty("registrationNumber", "registration"),
    IdentifierProperty("idNumber", "national_id", only=Schema.PERSON),
    IdentifierProperty("idNumber", "other"),
    IdentifierProperty("email", "email"),
    IdentifierProperty("website", "website"),
    IdentifierProperty("phone", "phone"),
)
FALLBACK_IDENTIFIER = "idNumber"

# Relations: FtM schema <-> relation kind. A kind is written as the first schema of this table
# that names it, when both ends fit that schema; every other relation is an ``UnknownLink``
# whose ``role`` is our relation word (read back as that kind).
RELATION_SCHEMAS: tuple[tuple[str, RelationKind], ...] = (
    ("Ownership", RelationKind.OWNER),
    ("Control", RelationKind.CONTROL),
    ("Directorship", RelationKind.DIRECTOR),
    ("Family", RelationKind.FAMILY),
    ("Associate", RelationKind.ASSOCIATE),
    ("UnknownLink", RelationKind.LINKED_TO),
    ("Employment", RelationKind.ASSOCIATE),
    ("Membership", RelationKind.ASSOCIATE),
    ("Representation", RelationKind.ASSOCIATE),
)
UNKNOWN_LINK = "UnknownLink"

_FTM_NAME = {ours: name for name, ours in PARTY_SCHEMAS}
_NAME_PROPERTY = {kind: prop for prop, kind in NAME_PROPERTIES}
_RELATION_KIND = dict(RELATION_SCHEMAS)
_RELATION_SCHEMA: dict[RelationKind, str] = {}
for _name, _kind in RELATION_SCHEMAS:
    _RELATION_SCHEMA.setdefault(_kind, _name)


def ftm_schema_name(schema: Schema) -> str:
    """The FtM schema name of one of our schemas (``Aircraft`` is FtM's ``Airplane``)."""
    return _FTM_NAME[schema]


@lru_cache(maxsize=128)
def ftm_schema(name: str) -> FtmSchema | None:
    """The FtM schema of that name (None for a name FtM does not know)."""
    return ftm_model.get(name)


def our_schema(schema: FtmSchema) -> Schema | None:
    """Our schema for an FtM party schema (None when the schema is not a party)."""
    for name, ours in PARTY_SCHEMAS:
        if schema.is_a(name):
            return ours
    return None


def relation_kind(schema_name: str) -> RelationKind | None:
    """The relation an FtM relationship schema gives (None when it is not one we read)."""
    return _RELATION_KIND.get(schema_name)


def identifier_rows(schema: Schema) -> tuple[IdentifierProperty, ...]:
    """The identifier properties read for a party of ``schema``, one per property, in order."""
    return _identifier_rows(schema)


@lru_cache(maxsize=16)
def _identifier_rows(schema: Schema) -> tuple[IdentifierProperty, ...]:
    rows: dict[str, IdentifierProperty] = {}
    for row in IDENTIFIER_PROPERTIES:
        if row.only in (None, schema):
            rows.setdefault(row.prop, row)
    return tuple(rows.values())


def identifier_property(schema: FtmSchema, identifier: Identifier) -> str | None:
    """The property an identifier is written to on a record of this FtM schema (None: none)."""
    scheme, note = identifier.scheme, identifier.note
    candidates = [r.prop for r in IDENTIFIER_PROPERTIES if r.scheme == scheme and r.note == note]
    candidates += [r.prop for r in IDENTIFIER_PROPERTIES if r.scheme == scheme and r.note is None]
    candidates.append(FALLBACK_IDENTIFIER)
    return next((p for p in candidates if p in schema.properties), None)


def _first_of(schema: FtmSchema, props: tuple[str, ...]) -> str | None:
    return next((p for p in props if p in schema.properties), None)


def party_properties(entity: Entity) -> dict[str, list[str]]:
    """The FtM properties of a party, each value once, only those its FtM schema defines:
    names, dates, places, countries, identifiers, addresses, remarks, gender, the programs it
    is listed under, ``topics`` (``sanction`` when listed) and the FtM properties it kept
    (except references to other entities: their ids point into the file they came from)."""
    schema = ftm_schema(ftm_schema_name(entity.schema))
    assert schema is not None  # every party schema of PARTY_SCHEMAS is an FtM schema
    props: dict[str, list[str]] = {}

    def add(prop: str | None, value: str | None) -> None:
        if prop is None or not value or prop not in schema.properties:
            return
        values = props.setdefault(prop, [])
        if value not in values:
            values.append(value)

    for name in entity.names:
        add(_NAME_PROPERTY[name.kind], name.value)
    date_prop = _first_of(schema, DATE_PROPERTIES)
    for day in entity.birth_dates:
        add(date_prop, day.value)
    for place in entity.birth_places:
        add("birthPlace", place)
    nationality = _first_of(schema, NATIONALITY_PROPERTIES) or COUNTRY_PROPERTIES[0]
    for country in entity.nationalities:
        add(nationality, country)
    for country in entity.countries:
        add(COUNTRY_PROPERTIES[0], country)
    for identifier in entity.identifiers:
        add(identifier_property(schema, identifier), identifier.value)
    for address in entity.addresses:
        add("address", address.full)
    add("notes", entity.remarks)
    add("gender", entity.gender)
    for listing in entity.listings:
        add("program", listing.program)
    for key, values in entity.properties.items():
        spec = schema.properties.get(key)
        if spec is not None and spec.type is not registry.entity:
            for value in values:
                add(key, value)
    if entity.is_listed:
        add("topics", "sanction")
    return props


def sanction_id(entity: Entity, listing: Listing) -> str:
    """A stable id for the ``Sanction`` record of one listing of a party."""
    key = "|".join([entity.id, listing.authority, listing.program or "", listing.listed_on or ""])
    return f"{entity.id}-sanction-{hashlib.sha1(key.encode()).hexdigest()[:16]}"


def sanction_properties(entity: Entity, listing: Listing) -> dict[str, list[str]]:
    """A listing as the properties of an FtM ``Sanction``: the party (``entity``), ``country``
    when the authority is a country or jurisdiction code (``us``, ``eu``, ``gb``, ``un``) else
    ``authority``, ``program``, ``listingDate`` and ``startDate`` (listed on), ``reason``."""
    props: dict[str, list[str]] = {"entity": [entity.id]}
    if registry.country.clean(listing.authority) == listing.authority.lower():
        props["country"] = [listing.authority]
    else:
        props["authority"] = [listing.authority]
    if listing.program:
        props["program"] = [listing.program]
    if listing.listed_on:
        props["listingDate"] = [listing.listed_on]
        props["startDate"] = [listing.listed_on]
    if listing.reason:
        props["reason"] = [listing.reason]
    return props


def _fits(schema: FtmSchema, subject: Schema | None, object_: Schema | None) -> bool:
    """Whether both ends are of the kind the FtM schema expects (unknown ends are trusted)."""
    if schema.edge_source is None or schema.edge_target is None:
        return False
    for end, prop in ((subject, schema.edge_source), (object_, schema.edge_target)):
        range_ = schema.properties[prop].range
        ours = ftm_schema(ftm_schema_name(end)) if end is not None else None
        if ours is not None and range_ is not None and not ours.is_a(range_):
            return False
    return True


def relation_schema(kind: RelationKind, subject: Schema | None, object_: Schema | None) -> FtmSchema:
    """The FtM schema a relation of ``kind`` between parties of these schemas is written as."""
    name = _RELATION_SCHEMA.get(kind, UNKNOWN_LINK)
    schema = ftm_schema(name)
    # FtM's Ownership asset range (Asset) leaves out Organization; OpenSanctions uses it anyway.
    if schema is None or (kind is not RelationKind.OWNER and not _fits(schema, subject, object_)):
        schema = ftm_schema(UNKNOWN_LINK)
    assert schema is not None and schema.edge_source and schema.edge_target
    return schema


def relation_properties(relation: Relation, schema: FtmSchema) -> dict[str, list[str]]:
    """A relation as the properties of an FtM relationship of ``schema`` (see
    :func:`relation_schema`): its two ends, our relation word in ``role`` and the source in
    ``summary`` for an ``UnknownLink``, else the source in ``role`` or ``relationship``;
    ``percentage`` of an ownership, dates, and the FtM properties it kept (no references)."""
    subject, object_ = schema.edge_source or "", schema.edge_target or ""
    props: dict[str, list[str]] = {subject: [relation.subject_id], object_: [relation.object_id]}
    managed = {subject, object_, "startDate", "endDate", "percentage"}

    def put(prop: str, values: list[str | None]) -> None:
        kept = [v for v in values if v]
        if kept and prop in schema.properties:
            props.setdefault(prop, []).extend(v for v in kept if v not in props.get(prop, []))

    if schema.name == UNKNOWN_LINK:
        put("role", [relation.kind.value])
        put("summary", [relation.source])
        managed.add("role")
    else:
        put("relationship" if "relationship" in schema.properties else "role", [relation.source])
    if relation.kind is RelationKind.OWNER:
        percentage = relation.properties.get("percentage")
        if not percentage and relation.share is not None:
            percentage = [f"{relation.share:g}"]
        put("percentage", list(percentage or []))
    put("startDate", [relation.start_date])
    put("endDate", [relation.end_date])
    for key, values in relation.properties.items():
        spec = schema.properties.get(key)
        if key not in managed and spec is not None and spec.type is not registry.entity:
            put(key, list(values))
    return props
