"""One FCDO designation, as read from the XML or the CSV, and how it becomes an Entity.

Both readers of the UK Sanctions List fill the same :class:`Designation` (keys are the XML
element names), so XML and CSV give the same entities. Names are written
given-names-first: ``Name1 .. Name5`` then ``Name6`` (surname or whole entity name).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sanctions.model import SAME_AS, Address, Entity, Identifier, Listing, NameKind, Schema
from sanctions.sources.base import ParseContext, make_id
from sanctions.sources.uk_common import (
    SCHEMAS,
    CompanyLinks,
    add_identifier,
    add_property,
    clean_text,
    contact_identifiers,
    country_code,
    country_codes,
    full_name,
    imo_number,
    iso_date,
    language_code,
    parse_date,
    registration_identifiers,
    split_numbered,
)

# Single-valued leaves of a <Designation>, by XML element name.
VALUE_KEYS = frozenset(
    {
        "LastUpdated",
        "DateDesignated",
        "OFSIGroupID",
        "UNReferenceNumber",
        "RegimeName",
        "IndividualEntityShip",
        "DesignationSource",
        "SanctionsImposed",
        "OtherInformation",
        "UKStatementofReasons",
        "Title",
        "DOB",
        "Nationality",
        "Position",
        "Gender",
        "PhoneNumber",
        "EmailAddress",
        "Website",
        "TypeOfEntity",
        "BusinessRegistrationNumber",
        "ParentCompany",
        "Subsidiary",
        "IMONumber",
        "CurrentOwnerOperator",
        "PreviousOwnerOperator",
        "CurrentBelievedFlagOfShip",
        "PreviousFlag",
        "TypeOfShip",
        "TonnageOfShip",
        "LengthOfShip",
        "YearBuilt",
        "HullIdentificationNumber",
    }
)

_PROPS = {  # plain text fields -> entity property (followthemoney names where one exists)
    "Position": "position",
    "TypeOfEntity": "legalForm",
    "PreviousOwnerOperator": "previousOwners",
    "TypeOfShip": "type",
    "TonnageOfShip": "tonnage",
    "LengthOfShip": "length",
    "YearBuilt": "buildDate",
    "DesignationSource": "designationSource",
    "OFSIGroupID": "ofsiGroupId",
    "UNReferenceNumber": "unscId",
}
_LINKS = {"ParentCompany": "parent", "Subsidiary": "subsidiary", "CurrentOwnerOperator": "owner"}


@dataclass
class Designation:
    """The fields of one designation, whichever file format they came from."""

    unique_id: str
    line: int | None = None
    names: list[tuple[tuple[str, ...], str, str]] = field(default_factory=list)  # parts, type, strength
    non_latin: list[tuple[str, str]] = field(default_factory=list)  # name, language
    values: dict[str, list[str]] = field(default_factory=dict)
    addresses: list[tuple[tuple[str, ...], str]] = field(default_factory=list)  # lines + postcode, country
    passports: list[tuple[str, str]] = field(default_factory=list)  # number, additional information
    national_ids: list[tuple[str, str]] = field(default_factory=list)
    births: list[tuple[str, str]] = field(default_factory=list)  # town, country

    def add(self, key: str, value: str) -> None:
        """Add one distinct value of a single-valued field."""
        value = clean_text(value)
        if value:
            bucket = self.values.setdefault(key, [])
            if value not in bucket:
                bucket.append(value)

    def first(self, key: str) -> str:
        """The first value of a field, or ''."""
        return self.values.get(key, [""])[0]


def _name_kind(ctx: ParseContext, d: Designation, name_type: str, strength: str) -> NameKind:
    kind = name_type.casefold()
    if kind == "primary name":
        return NameKind.PRIMARY
    if "former" in kind or kind == "fka":
        return NameKind.FORMER
    if kind not in ("alias", "primary name variation"):
        ctx.warn(f"unknown NameType {name_type!r}; read as an alias", line=d.line, record=d.unique_id)
    return NameKind.WEAK_ALIAS if strength.casefold().startswith("low") else NameKind.ALIAS


def _add_names(ctx: ParseContext, entity: Entity, d: Designation) -> None:
    names: list[tuple[str, NameKind]] = []
    for parts, name_type, strength in d.names:
        value = full_name(parts)
        if value:
            kind = _name_kind(ctx, d, name_type, strength)
            if kind is NameKind.PRIMARY and any(k is NameKind.PRIMARY for _, k in names):
                kind = NameKind.ALIAS  # one primary name per entity; repeats differ only in spelling
            elif kind is NameKind.PRIMARY and entity.schema is Schema.PERSON:
                add_property(entity, "firstName", parts[0])
                add_property(entity, "lastName", parts[5])
            names.append((value, kind))
    if names and not any(k is NameKind.PRIMARY for _, k in names):
        ctx.warn(f"no primary name; using {names[0][0]!r}", line=d.line, record=d.unique_id)
        names[0] = (names[0][0], NameKind.PRIMARY)
    names.sort(key=lambda n: n[1] is not NameKind.PRIMARY)
    for value, kind in names:
        entity.add_name(value, kind)
    for value, language in d.non_latin:
        entity.add_name(value, NameKind.ORIGINAL_SCRIPT, language_code(language))
    if not entity.names:
        ctx.warn("designation without a name", line=d.line, record=d.unique_id)


def _add_person(ctx: ParseContext, entity: Entity, d: Designation) -> None:
    for text in d.values.get("DOB", []):
        parsed = parse_date(text)
        if parsed is None:
            ctx.warn(f"unreadable DOB {text!r}", line=d.line, record=d.unique_id)
        elif parsed not in entity.birth_dates:
            entity.birth_dates.append(parsed)
    for text in d.values.get("Nationality", []):
        codes, unknown = country_codes(text)
        entity.nationalities.extend(c for c in codes if c not in entity.nationalities)
        for value in unknown:
            ctx.warn(f"unknown nationality {value!r}", line=d.line, record=d.unique_id)
    for town, country in d.births:
        place = ", ".join(p for p in (town, country) if p)
        if place and place not in entity.birth_places:
            entity.birth_places.append(place)
        add_property(entity, "birthCountry", *country_codes(country)[0])
    for text in d.values.get("Gender", []):
        if text.casefold() in ("male", "female"):
            entity.gender = text.casefold()
    for text in d.values.get("Title", []):
        add_property(entity, "title", *split_numbered(text))
    for scheme, documents in (("passport", d.passports), ("national_id", d.national_ids)):
        for number, note in documents:
            for value in split_numbered(number):
                add_identifier(entity, Identifier(scheme, value, note=note or None))


def _add_contacts(ctx: ParseContext, entity: Entity, d: Designation) -> None:
    for lines, country in d.addresses:
        code = country_code(country) if country else None
        if country and code is None:
            ctx.warn(f"unknown address country {country!r}", line=d.line, record=d.unique_id)
        full = ", ".join(p for p in (*lines, country) if p)
        if full and Address(full, code) not in entity.addresses:
            entity.addresses.append(Address(full, code))
        if code and code not in entity.countries:
            entity.countries.append(code)
    for key, scheme in (("PhoneNumber", "phone"), ("EmailAddress", "email"), ("Website", "website")):
        for text in d.values.get(key, []):
            for identifier in contact_identifiers(scheme, text):
                add_identifier(entity, identifier)
    for text in d.values.get("BusinessRegistrationNumber", []):
        for identifier in registration_identifiers(text):
            add_identifier(entity, identifier)


def _add_ship(entity: Entity, d: Designation) -> None:
    for text in d.values.get("IMONumber", []):
        imo = imo_number(text)
        if imo:
            add_identifier(entity, Identifier("imo", imo))
            add_property(entity, "imoNumber", imo)
    for key, prop in (("CurrentBelievedFlagOfShip", "flag"), ("PreviousFlag", "pastFlags")):
        for text in d.values.get(key, []):
            codes, unknown = country_codes(text)
            add_property(entity, prop, *codes, *unknown)
    for text in d.values.get("HullIdentificationNumber", []):
        add_identifier(entity, Identifier("other", text, note="Hull identification number (HIN)"))


OFSI_DATASET = "gb_hmt_sanctions"


def build_entity(ctx: ParseContext, d: Designation, schema: Schema, links: CompanyLinks) -> Entity:
    """Turn one designation into an Entity; its parent/subsidiary/owner names go to ``links``."""
    entity = Entity(make_id(ctx.dataset, d.unique_id), ctx.dataset, d.unique_id, schema)
    entity.properties["ukSanctionsListRef"] = [d.unique_id]
    _add_names(ctx, entity, d)
    _add_person(ctx, entity, d)
    _add_contacts(ctx, entity, d)
    _add_ship(entity, d)
    for key, prop in _PROPS.items():
        add_property(entity, prop, *d.values.get(key, []))
    # The OFSI Group ID names the same party's record on OFSI's (closed) Consolidated List.
    groups = [g for g in entity.properties.get("ofsiGroupId", []) if g.strip().isdigit()]
    add_property(entity, SAME_AS, *(make_id(OFSI_DATASET, g) for g in groups))
    for key, role in _LINKS.items():
        for text in d.values.get(key, []):
            for name in split_numbered(text):
                links.add_link(entity, role, name)
    for text in d.values.get("SanctionsImposed", []):
        add_property(entity, "provisions", *text.split("|"))
    updated = sorted(filter(None, (iso_date(u) for u in d.values.get("LastUpdated", []))))
    if updated:
        add_property(entity, "modifiedAt", updated[-1])
    remarks = " ".join(d.values.get("OtherInformation", []))
    entity.remarks = remarks or None
    reason = " ".join(d.values.get("UKStatementofReasons", [])) or None
    designated = d.first("DateDesignated")
    listed_on = iso_date(designated) if designated else None
    if designated and listed_on is None:
        ctx.warn(f"unreadable DateDesignated {designated!r}", line=d.line, record=d.unique_id)
    for regime in d.values.get("RegimeName", []) or [""]:
        entity.listings.append(Listing("gb", regime or None, listed_on, reason))
    return entity


def designation_schema(ctx: ParseContext, d: Designation) -> Schema:
    """Individual / Entity / Ship -> schema; conflicting or unknown values are warned about."""
    kinds = d.values.get("IndividualEntityShip", [])
    if len(kinds) > 1:
        message = f"conflicting designation types {kinds}; using {kinds[0]!r}"
        ctx.warn(message, line=d.line, record=d.unique_id)
    schema = SCHEMAS.get(kinds[0].casefold()) if kinds else None
    if schema is None:
        ctx.warn(f"unknown designation type {kinds[:1]}; read as a legal entity", record=d.unique_id)
        return Schema.LEGAL_ENTITY
    return schema
