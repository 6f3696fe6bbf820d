"""OFAC ``SDN.XML`` / ``CONSOLIDATED.XML`` (root ``sdnList``), streamed with ``iterparse``.

Namespace-agnostic: the old ``http://tempuri.org/sdnList.xsd`` and the Sanctions List
Service ``.../exports/XML`` namespaces both work. ``publshInformation/Publish_Date``
(``MM/DD/YYYY``; Treasury's spelling) sets ``ctx.published``.

Each ``sdnEntry`` is turned into an entity and yielded as soon as it is read, then
cleared. ``idList`` rows are rebuilt as remark clauses (``<idType> <idNumber> (<idCountry>)``)
and read by :func:`sanctions.sources.ofac_remarks.parse_clause`, so ``Gender``,
``Organization Established Date``, ``Vessel Registration Identification`` and every
identifier label mean the same in CSV and XML. Aliases: ``f.k.a.`` -> former name, category
``weak`` -> weak alias, otherwise a strong alias. ``Linked To`` clauses of the remarks
become relations after the last entry.

Errors: malformed or truncated XML and a root that is neither ``sdnList`` nor ``Sanctions``
raise :class:`SourceFormatError` with the line; an entry without ``uid`` or ``lastName`` is
warned about and skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

from lxml import etree

from sanctions.errors import SourceFormatError
from sanctions.model import Address, Entity, NameKind, Record
from sanctions.sources.base import ParseContext, make_id
from sanctions.sources.ofac_common import (
    LinkResolver,
    add_country,
    add_property,
    apply_facts,
    schema_for,
    set_listings,
)
from sanctions.sources.ofac_remarks import RemarkFacts, country_code, parse_clause, parse_dates, parse_remarks

_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
VESSEL_FIELDS = (
    ("callSign", "callSign"),
    ("vesselType", "type"),
    ("vesselOwner", "owner"),
    ("tonnage", "tonnage"),
    ("grossRegisteredTonnage", "grossRegisteredTonnage"),
)
ADDRESS_FIELDS = ("address1", "address2", "address3", "city", "stateOrProvince", "postalCode", "country")


def local_name(tag: object) -> str:
    """The tag without its ``{namespace}``."""
    return str(tag).rsplit("}", 1)[-1]


def iter_xml(path: Path, tags: set[str]) -> Iterator[tuple[str, etree._Element]]:
    """``(root_local_name, element)`` for every closed element whose local name is in ``tags``.

    Elements are handed out *before* being cleared: the caller must finish with one before
    asking for the next. XML errors become :class:`SourceFormatError`.
    """
    root = ""
    context = etree.iterparse(
        str(path), events=("start", "end"), resolve_entities=False, no_network=True, huge_tree=True
    )
    try:
        for event, elem in context:
            if event == "start":
                if not root:
                    root = local_name(elem.tag)
                continue
            if local_name(elem.tag) in tags:
                yield root, elem
                elem.clear()
                parent = elem.getparent()
                while parent is not None and elem.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        raise SourceFormatError(path, f"malformed or truncated XML: {exc.msg}", line=exc.lineno) from exc
    except (ValueError, OSError) as exc:
        raise SourceFormatError(path, f"cannot read XML: {exc}") from exc


def root_name(path: Path) -> str:
    """The local name of the document element (reads only the start of the file)."""
    try:
        for _, elem in etree.iterparse(str(path), events=("start",), resolve_entities=False, no_network=True):
            return local_name(elem.tag)
    except etree.XMLSyntaxError as exc:
        raise SourceFormatError(path, f"malformed XML: {exc.msg}", line=exc.lineno) from exc
    raise SourceFormatError(path, "no XML document element")


def parse_xml(ctx: ParseContext, path: Path) -> Iterator[Record]:
    """Dispatch on the root element: ``sdnList`` here, ``Sanctions`` to :mod:`.ofac_advanced`."""
    root = root_name(path)
    if root == "Sanctions":
        from sanctions.sources.ofac_advanced import parse_advanced

        return parse_advanced(ctx, path)
    if root != "sdnList":
        raise SourceFormatError(
            path, f"not an OFAC XML file: root element is <{root}>, expected <sdnList>", line=1
        )
    return _parse_sdn_list(ctx, path)


def _children(elem: etree._Element, name: str) -> Iterator[etree._Element]:
    for child in elem:
        if isinstance(child.tag, str) and local_name(child.tag) == name:
            yield child


def _text(elem: etree._Element, name: str) -> str | None:
    for child in _children(elem, name):
        text = " ".join((child.text or "").split())
        return text or None
    return None


def _items(elem: etree._Element, list_name: str, item_name: str) -> Iterator[etree._Element]:
    for holder in _children(elem, list_name):
        yield from _children(holder, item_name)


def us_date(text: str | None) -> str | None:
    """``05/03/2024`` -> ``2024-05-03`` (ISO dates pass through)."""
    if not text:
        return None
    if match := _US_DATE.match(text.strip()):
        month, day, year = (int(g) for g in match.groups())
        return f"{year:04d}-{month:02d}-{day:02d}"
    return text.strip()[:10] if re.match(r"^\d{4}-\d{2}-\d{2}", text.strip()) else None


def _person_name(last: str | None, first: str | None) -> str | None:
    if last and first:
        return f"{last}, {first}"
    return last or first


def _entry(
    ctx: ParseContext, elem: etree._Element, warn: Callable[[str, str], None]
) -> tuple[Entity, list[str]] | None:
    """The entity of one ``sdnEntry`` and the names its remarks say it is linked to."""
    uid, last = _text(elem, "uid"), _text(elem, "lastName")
    if uid is None or last is None:
        warn(uid or "?", "sdnEntry without uid or lastName; skipped")
        return None
    schema = schema_for(_text(elem, "sdnType"))
    entity = Entity(id=make_id(ctx.dataset, uid), dataset=ctx.dataset, source_id=uid, schema=schema)
    entity.add_name(_person_name(last, _text(elem, "firstName")), NameKind.PRIMARY)
    add_property(entity, "position", _text(elem, "title"))
    facts = parse_remarks(_text(elem, "remarks"))
    entity.remarks = _text(elem, "remarks")
    for aka in _items(elem, "akaList", "aka"):
        kind = NameKind.ALIAS
        if (_text(aka, "type") or "").lower() == "f.k.a.":
            kind = NameKind.FORMER
        elif (_text(aka, "category") or "").lower() == "weak":
            kind = NameKind.WEAK_ALIAS
        entity.add_name(_person_name(_text(aka, "lastName"), _text(aka, "firstName")), kind)
    for item in _items(elem, "idList", "id"):
        clause = " ".join(p for p in (_text(item, "idType"), _text(item, "idNumber")) if p)
        if country := _text(item, "idCountry"):
            clause += f" ({country})"
        parse_clause(clause, facts)
    _apply_lists(entity, elem, facts)
    apply_facts(entity, facts)
    for problem in facts.problems:
        warn(uid, problem)
    programs = [
        p for p in (" ".join((e.text or "").split()) for e in _items(elem, "programList", "program")) if p
    ]
    set_listings(entity, list(dict.fromkeys(programs)), facts.listed_on)
    return entity, facts.linked_to


def _apply_lists(entity: Entity, elem: etree._Element, facts: RemarkFacts) -> None:
    for tag, item in (("nationalityList", "nationality"), ("citizenshipList", "citizenship")):
        for holder in _items(elem, tag, item):
            code = country_code(_text(holder, "country"))
            if code and code not in facts.nationalities:
                facts.nationalities.append(code)
    for item in _items(elem, "dateOfBirthList", "dateOfBirthItem"):
        for date in parse_dates(_text(item, "dateOfBirth") or ""):
            if date not in facts.birth_dates:
                facts.birth_dates.append(date)
    for item in _items(elem, "placeOfBirthList", "placeOfBirthItem"):
        if place := _text(item, "placeOfBirth"):
            facts.birth_places.append(place)
    for item in _items(elem, "addressList", "address"):
        parts = [p for p in (_text(item, f) for f in ADDRESS_FIELDS) if p]
        if parts:
            code = add_country(entity, _text(item, "country"))
            address = Address(full=", ".join(parts), country=code)
            if address not in entity.addresses:
                entity.addresses.append(address)
    for vessel in _children(elem, "vesselInfo"):
        for tag, prop in VESSEL_FIELDS:
            add_property(entity, prop, _text(vessel, tag))
        if flag := _text(vessel, "vesselFlag"):
            add_property(entity, "flag", flag)
            add_country(entity, flag)


def _parse_sdn_list(ctx: ParseContext, path: Path) -> Iterator[Record]:
    links = LinkResolver(ctx.dataset)

    def warn(record: str, message: str) -> None:
        ctx.warn(message, record=record, path=path)

    count = 0
    for _, elem in iter_xml(path, {"sdnEntry", "publshInformation"}):
        if local_name(elem.tag) == "publshInformation":
            ctx.published = us_date(_text(elem, "Publish_Date")) or ctx.published
            continue
        parsed = _entry(ctx, elem, warn)
        if parsed is None:
            continue
        entity, linked = parsed
        links.add_entity(entity)
        links.add_links(entity.id, linked, entity.source_id)
        count += 1
        yield entity
    if count == 0:
        ctx.warn("no sdnEntry in file", path=path)
    yield from links.resolve(ctx)
