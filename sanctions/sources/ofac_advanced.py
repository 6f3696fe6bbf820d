"""OFAC ``SDN_ADVANCED.XML`` / ``CONS_ADVANCED.XML`` (root ``Sanctions``), streamed.

The advanced format is normalised: every type, country and label is an ID into the file's
own ``ReferenceValueSets``, which are read first and resolved by ID (never by a hard-coded
number). The sections come in schema order: ``DateOfIssue`` (-> ``ctx.published``),
``ReferenceValueSets``, ``Locations``, ``IDRegDocuments``, ``DistinctParties``,
``ProfileRelationships``, ``SanctionsEntries``. Each section element is cleared once read;
entities are held (as model objects, not XML) until ``SanctionsEntries`` has given them
their programs and listing dates, then yielded, then the relations.

What is read (a faithful subset):

* ``Identity/Alias/DocumentedName``: the parts, typed through ``NamePartGroups``, are joined
  as OFAC prints them (``LAST, First Middle``). ``Primary="true"`` -> primary name,
  ``A.K.A.`` -> alias, ``LowQuality="true"`` -> weak alias, ``F.K.A.`` -> former name,
  a name in a non-Latin script -> original-script name (``lang`` = the script code).
* ``PartySubType`` / ``PartyType``: vessel, aircraft, individual, otherwise organisation.
* ``Feature``: birth date, place of birth, nationality / citizenship, address (``Location``),
  gender, vessel call sign / type / flag / owner / tonnage, title; any other feature is
  rebuilt as a remark clause (``MMSI 319766000``) and read like the CSV remarks.
* ``IDRegDocument``: ``<type> <number> (<issuing country>)`` read as a remark clause.
* ``SanctionsEntry``: programs (``SanctionsMeasure`` of type ``Program``), the earliest
  ``EntryEvent`` date as ``listed_on``.
* ``ProfileRelationship``: relations; ``Owned or Controlled By`` is turned around (the
  owner is the subject); unknown relation types become ``linked_to``.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from sanctions.errors import SourceFormatError
from sanctions.model import Address, Entity, NameKind, PartialDate, Record, Relation, RelationKind, Schema
from sanctions.sources.base import ParseContext, make_id
from sanctions.sources.ofac_common import add_country, add_property, apply_facts, set_listings
from sanctions.sources.ofac_remarks import RemarkFacts, country_code, parse_clause, year_span
from sanctions.sources.ofac_xml import iter_xml, local_name

SECTIONS = {"DateOfIssue", "ReferenceValueSets", "Location", "IDRegDocument", "DistinctParty",
            "ProfileRelationship", "SanctionsEntry"}  # fmt: skip
ALIAS_KINDS = {"a.k.a.": NameKind.ALIAS, "f.k.a.": NameKind.FORMER, "n.k.a.": NameKind.ALIAS}
PROPERTY_FEATURES = {
    "vessel call sign": "callSign",
    "vessel type": "type",
    "vessel owner": "owner",
    "vessel tonnage": "tonnage",
    "vessel gross registered tonnage": "grossRegisteredTonnage",
    "title": "position",
}
RELATION_KINDS = {
    "associate of": RelationKind.ASSOCIATE,
    "family member of": RelationKind.FAMILY,
    "leader or official of": RelationKind.DIRECTOR,
    "principal executive officer": RelationKind.DIRECTOR,
    "owned or controlled by": RelationKind.CONTROL,
}
REVERSED_RELATIONS = {"owned or controlled by"}
Ymd = tuple[int, int, int]


@dataclass
class _State:
    """What earlier sections taught us, for the later ones."""

    refs: dict[str, dict[str, tuple[str, dict[str, str]]]] = field(default_factory=dict)
    locations: dict[str, tuple[list[str], str | None]] = field(default_factory=dict)  # parts, iso
    documents: dict[str, list[str]] = field(default_factory=dict)  # identity id -> clauses
    entities: dict[str, Entity] = field(default_factory=dict)  # profile id -> entity
    programs: dict[str, list[str]] = field(default_factory=dict)
    listed: dict[str, list[str]] = field(default_factory=dict)
    relations: dict[str, Relation] = field(default_factory=dict)

    def ref(self, kind: str, ref_id: str | None) -> str | None:
        found = self.refs.get(kind, {}).get(ref_id or "")
        return found[0] if found else None

    def ref_attr(self, kind: str, ref_id: str | None, attr: str) -> str | None:
        found = self.refs.get(kind, {}).get(ref_id or "")
        return found[1].get(attr) if found else None


def _kids(elem: etree._Element, name: str) -> Iterator[etree._Element]:
    for child in elem.iter():
        if isinstance(child.tag, str) and local_name(child.tag) == name and child is not elem:
            yield child


def _first(elem: etree._Element, name: str) -> etree._Element | None:
    return next(_kids(elem, name), None)


def _clean(text: str | None) -> str | None:
    value = " ".join((text or "").split())
    return value or None


def _ymd(elem: etree._Element | None) -> Ymd | None:
    if elem is None:
        return None
    values = [_clean(getattr(_first(elem, t), "text", None)) for t in ("Year", "Month", "Day")]
    if not values[0] or not values[0].isdecimal():
        return None
    year, month, day = (int(v) if v and v.isdecimal() else 0 for v in values)
    if not 1 <= year <= 9999 or not 0 <= month <= 12 or not 0 <= day <= 31:
        return None
    return (year, month, day)


def _iso(date: Ymd) -> str:
    year, month, day = date
    if not month:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" if not day else f"{year:04d}-{month:02d}-{day:02d}"


def period_dates(period: etree._Element) -> list[PartialDate]:
    """A ``DatePeriod`` as partial dates: exact day, whole month, whole year, or a span of years."""
    start_elem, end_elem = _first(period, "Start"), _first(period, "End")
    start = (
        _ymd(_first(start_elem, "From")) or _ymd(_first(start_elem, "To")) if start_elem is not None else None
    )
    end = _ymd(_first(end_elem, "To")) or _ymd(_first(end_elem, "From")) if end_elem is not None else None
    start = start or end
    end = end or start
    if start is None or end is None:
        return []
    approximate = any(e is not None and e.get("Approximate") == "true" for e in (start_elem, end_elem))
    if start == end:
        return [PartialDate(_iso(start), approximate)]
    (y1, m1, d1), (y2, m2, d2) = start, end
    if y1 == y2 and (m1, d1) == (1, 1) and (m2, d2) == (12, 31):
        return [PartialDate(str(y1), approximate)]
    if (y1, m1) == (y2, m2) and d1 == 1 and m1 and d2 == calendar.monthrange(y1, m1)[1]:
        return [PartialDate(f"{y1:04d}-{m1:02d}", approximate)]
    return year_span(_iso(start), _iso(end))


def _read_refs(state: _State, elem: etree._Element) -> None:
    for value_set in elem:
        for item in value_set:
            if isinstance(item.tag, str) and item.get("ID"):
                kind = local_name(item.tag)
                attrs = {str(k): str(v) for k, v in item.attrib.items()}
                state.refs.setdefault(kind, {})[item.get("ID", "")] = (_clean(item.text) or "", attrs)


def _read_location(state: _State, elem: etree._Element) -> None:
    parts = [
        v
        for v in (_clean(getattr(_first(p, "Value"), "text", None)) for p in _kids(elem, "LocationPart"))
        if v
    ]
    iso: str | None = None
    for country in _kids(elem, "LocationCountry"):
        country_id = country.get("CountryID")
        iso = (state.ref_attr("Country", country_id, "ISO2") or "").lower() or country_code(
            state.ref("Country", country_id)
        )
        if name := state.ref("Country", country_id):
            parts.append(name)
    state.locations[elem.get("ID", "")] = (parts, iso)


def _read_document(state: _State, elem: etree._Element) -> None:
    doc_type = state.ref("IDRegDocType", elem.get("IDRegDocTypeID"))
    number = _clean(getattr(_first(elem, "IDRegistrationNo"), "text", None))
    if not doc_type or not number:
        return
    clause = f"{doc_type} {number}"
    if country := state.ref("Country", elem.get("IssuedBy-CountryID")):
        clause += f" ({country})"
    state.documents.setdefault(elem.get("IdentityID", ""), []).append(clause)


def _name(state: _State, alias: etree._Element, part_types: dict[str, str]) -> tuple[str, str | None] | None:
    """``(name, script code)`` of an alias's first documented name, parts in OFAC's order."""
    documented = _first(alias, "DocumentedName")
    if documented is None:
        return None
    last: list[str] = []
    other: list[str] = []
    script: str | None = None
    for value in _kids(documented, "NamePartValue"):
        text = _clean(value.text)
        if not text:
            continue
        script = script or state.ref_attr("Script", value.get("ScriptID"), "ScriptCode")
        part_type = state.ref("NamePartType", part_types.get(value.get("NamePartGroupID", ""))) or ""
        (last if part_type.lower() == "last name" else other).append(text)
    if last and other:
        return f"{' '.join(last)}, {' '.join(other)}", script
    return (" ".join(last or other), script) if last or other else None


def _schema(state: _State, profile: etree._Element) -> Schema:
    sub_id = profile.get("PartySubTypeID")
    sub_type = (state.ref("PartySubType", sub_id) or "").lower()
    if sub_type in ("vessel", "aircraft"):
        return Schema.VESSEL if sub_type == "vessel" else Schema.AIRCRAFT
    party_type = (state.ref("PartyType", state.ref_attr("PartySubType", sub_id, "PartyTypeID")) or "").lower()
    return Schema.PERSON if party_type == "individual" else Schema.ORGANIZATION


def _read_party(ctx: ParseContext, state: _State, elem: etree._Element, path: Path) -> None:
    if not state.refs:
        raise SourceFormatError(path, "DistinctParty before ReferenceValueSets", record=elem.get("FixedRef"))
    for profile in _kids(elem, "Profile"):
        source_id = elem.get("FixedRef") or profile.get("ID") or ""
        entity = Entity(make_id(ctx.dataset, source_id), ctx.dataset, source_id, _schema(state, profile))
        facts = RemarkFacts()
        identities = list(_kids(profile, "Identity"))
        for identity in identities:
            part_types = {
                g.get("ID", ""): g.get("NamePartTypeID", "") for g in _kids(identity, "NamePartGroup")
            }
            aliases = sorted(_kids(identity, "Alias"), key=lambda a: a.get("Primary") != "true")
            for alias in aliases:
                named = _name(state, alias, part_types)
                if named is None:
                    continue
                name, script = named
                kind = ALIAS_KINDS.get(
                    (state.ref("AliasType", alias.get("AliasTypeID")) or "").lower(), NameKind.ALIAS
                )
                if alias.get("Primary") == "true":
                    kind = NameKind.PRIMARY
                elif alias.get("LowQuality") == "true" and kind is NameKind.ALIAS:
                    kind = NameKind.WEAK_ALIAS
                if script and script != "Latn":
                    kind = NameKind.ORIGINAL_SCRIPT
                entity.add_name(name, kind, script if kind is NameKind.ORIGINAL_SCRIPT else None)
            for clause in state.documents.pop(identity.get("ID", ""), []):
                parse_clause(clause, facts)
        for feature in _kids(profile, "Feature"):
            _read_feature(state, entity, feature, facts)
        apply_facts(entity, facts)
        for problem in facts.problems:
            ctx.warn(problem, record=source_id, path=path)
        state.entities[profile.get("ID", source_id)] = entity


def _read_feature(state: _State, entity: Entity, feature: etree._Element, facts: RemarkFacts) -> None:
    label = state.ref("FeatureType", feature.get("FeatureTypeID")) or ""
    kind = label.lower()
    for version in _kids(feature, "FeatureVersion"):
        period = _first(version, "DatePeriod")
        dates = period_dates(period) if period is not None else []
        location = _first(version, "VersionLocation")
        parts, iso = state.locations.get(
            location.get("LocationID", "") if location is not None else "", ([], None)
        )
        detail = _first(version, "VersionDetail")
        value = None
        if detail is not None:
            value = _clean(detail.text) or state.ref("DetailReference", detail.get("DetailReferenceID"))
        if kind in ("birthdate", "organization established date"):
            facts.birth_dates.extend(d for d in dates if d not in facts.birth_dates)
        elif kind == "place of birth" and parts:
            facts.birth_places.append(", ".join(parts))
        elif kind in ("nationality country", "citizenship country"):
            if iso and iso not in facts.nationalities:
                facts.nationalities.append(iso)
        elif kind == "location" and parts:
            address = Address(", ".join(parts), iso)
            if address not in entity.addresses:
                entity.addresses.append(address)
            if iso and iso not in entity.countries:
                entity.countries.append(iso)
        elif kind == "gender" and value:
            facts.gender = value.lower()
        elif kind == "vessel flag" and (value or parts):
            flag = value or parts[-1]
            add_property(entity, "flag", flag)
            add_country(entity, flag)
        elif kind in PROPERTY_FEATURES and value:
            add_property(entity, PROPERTY_FEATURES[kind], value)
        elif value or dates or parts:
            text = value or (dates[0].value if dates else ", ".join(parts))
            parse_clause(f"{label} {text}", facts)


def _read_entry(state: _State, elem: etree._Element) -> None:
    profile_id = elem.get("ProfileID", "")
    for event in _kids(elem, "EntryEvent"):
        if (date := _ymd(_first(event, "Date"))) is not None:
            state.listed.setdefault(profile_id, []).append(_iso(date))
    for measure in _kids(elem, "SanctionsMeasure"):
        if (state.ref("SanctionsType", measure.get("SanctionsTypeID")) or "").lower() != "program":
            continue
        program = _clean(getattr(_first(measure, "Comment"), "text", None))
        programs = state.programs.setdefault(profile_id, [])
        if program and program not in programs:
            programs.append(program)


def _read_relation(ctx: ParseContext, state: _State, elem: etree._Element, path: Path) -> None:
    wording = state.ref("RelationType", elem.get("RelationTypeID")) or "Linked To"
    kind = RELATION_KINDS.get(wording.lower(), RelationKind.LINKED_TO)
    ends = [elem.get("From-ProfileID", ""), elem.get("To-ProfileID", "")]
    if wording.lower() in REVERSED_RELATIONS:
        ends.reverse()
    subject, obj = (state.entities.get(e) for e in ends)
    if subject is None or obj is None:
        ctx.warn(
            f"relation between unknown profiles {ends[0]} and {ends[1]}", record=elem.get("ID"), path=path
        )
        return
    label = "linked" if kind is RelationKind.LINKED_TO else kind.value
    rel_id = f"{subject.id}-{label}-{obj.id}"
    relation = Relation(rel_id, ctx.dataset, kind, subject.id, obj.id, source=wording)
    if elem.get("Former") == "true":
        relation.properties["former"] = ["true"]
    state.relations.setdefault(rel_id, relation)


def parse_advanced(ctx: ParseContext, path: Path) -> Iterator[Record]:
    """Entities (with their listings), then relations, of an advanced-format file."""
    state = _State()
    for _, elem in iter_xml(path, SECTIONS):
        tag = local_name(elem.tag)
        if tag == "DateOfIssue" and (date := _ymd(elem)) is not None:
            ctx.published = _iso(date)
        elif tag == "ReferenceValueSets":
            _read_refs(state, elem)
        elif tag == "Location":
            _read_location(state, elem)
        elif tag == "IDRegDocument":
            _read_document(state, elem)
        elif tag == "DistinctParty":
            _read_party(ctx, state, elem, path)
        elif tag == "ProfileRelationship":
            _read_relation(ctx, state, elem, path)
        elif tag == "SanctionsEntry":
            _read_entry(state, elem)
    if not state.entities:
        ctx.warn("no DistinctParty in file", path=path)
    for profile_id, entity in state.entities.items():
        set_listings(entity, state.programs.get(profile_id, []), state.listed.get(profile_id, []))
        yield entity
    yield from state.relations.values()
