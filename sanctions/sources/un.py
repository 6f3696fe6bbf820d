"""UN Security Council Consolidated List, XML (``CONSOLIDATED_LIST``).

One ``INDIVIDUAL`` or ``ENTITY`` element per designation, keyed by ``DATAID``. The
file is streamed with ``iterparse``; each record element is cleared once read.

Mapping choices worth knowing:

* ``FIRST_NAME`` .. ``FOURTH_NAME`` join, in order, into the primary name.
* Alias ``QUALITY``: ``Good`` and ``a.k.a.`` are strong aliases, ``Low`` a weak alias,
  ``f.k.a.`` a former name.
* ``REFERENCE_NUMBER`` (e.g. ``CDi.001``) is kept as ``properties["unReference"]`` *and*
  as an identifier of scheme ``other`` with note ``UN reference``: other lists (EU, DFAT,
  OFSI) print the same reference, so it links records of one party across lists.
* A ``BETWEEN`` birth date becomes one approximate year per year of the range (at most
  eleven; wider ranges keep their two ends), so that year comparison works.
* Birth dates, places and countries printed inside an alias belong to the person and
  are added to the entity.
* The UN names associated parties only in prose (``COMMENTS1``); no relations are made.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TypeVar

from followthemoney.types import registry
from lxml import etree

from sanctions.model import Address, Entity, Identifier, Listing, NameKind, PartialDate, Record, Schema
from sanctions.sources.base import ParseContext, approximate_years, make_id, month_number
from sanctions.sources.xmlstream import iter_records

ROOT_TAG = "CONSOLIDATED_LIST"
RECORD_TAGS = {"INDIVIDUAL": Schema.PERSON, "ENTITY": Schema.ORGANIZATION}
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
ALIAS_KINDS = {
    "good": NameKind.ALIAS,
    "a.k.a.": NameKind.ALIAS,
    "low": NameKind.WEAK_ALIAS,
    "f.k.a.": NameKind.FORMER,
}
T = TypeVar("T")
_MONTH_YEAR = re.compile(r"^\s*([A-Za-z]{3,9})\.?\s+(\d{4})\s*$")


def _text(elem: etree._Element | None, tag: str | None = None) -> str | None:
    """The stripped text of ``elem`` (or of its child ``tag``), None when blank."""
    if elem is not None and tag is not None:
        elem = elem.find(tag)
    if elem is None or elem.text is None:
        return None
    text = " ".join(elem.text.split())
    return text or None


def _values(elem: etree._Element, tag: str) -> list[str]:
    """The ``VALUE`` texts under every child ``tag`` (NATIONALITY, DESIGNATION, TITLE)."""
    out: list[str] = []
    for holder in elem.iterfind(tag):
        for value in holder.iterfind("VALUE"):
            text = _text(value)
            if text and text not in out:
                out.append(text)
    return out


def _country(text: str | None) -> str | None:
    if not text:
        return None
    code = registry.country.clean(text)
    return code.lower() if code else None


def _join(elem: etree._Element, tags: tuple[str, ...]) -> str | None:
    parts = [p for p in (_text(elem, t) for t in tags) if p]
    return ", ".join(parts) or None


def _year_range(start: str | None, end: str | None) -> list[PartialDate]:
    years = [int(y) for y in (start, end) if y and y.isdigit()]
    if not years:
        return []
    return approximate_years(min(years), max(years))


def _birth_dates(dob: etree._Element) -> list[PartialDate]:
    """The dates of one ``INDIVIDUAL_DATE_OF_BIRTH`` element."""
    kind = (_text(dob, "TYPE_OF_DATE") or "").upper()
    approximate = kind == "APPROXIMATELY"
    if kind == "BETWEEN":
        return _year_range(_text(dob, "FROM_YEAR"), _text(dob, "TO_YEAR"))
    date = _text(dob, "DATE") or _text(dob, "YEAR")
    if date and re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date[:10]):
        return [PartialDate(date[:10], approximate)]
    # A few records state the date only in the note, e.g. "Nov. 1973".
    match = _MONTH_YEAR.match(_text(dob, "NOTE") or "")
    month = month_number(match.group(1)) if match else None
    if match and month:
        return [PartialDate(f"{match.group(2)}-{month:02d}", approximate)]
    return []


def _document(doc: etree._Element) -> Identifier | None:
    number = _text(doc, "NUMBER")
    if not number:
        return None
    label = _text(doc, "TYPE_OF_DOCUMENT") or _text(doc, "TYPE_OF_DOCUMENT2") or ""
    lowered = label.lower()
    if "passport" in lowered or "pasaporte" in lowered or "passeport" in lowered:
        scheme = "passport"
    elif "national ident" in lowered or "identity card" in lowered or "identification card" in lowered:
        scheme = "national_id"
    else:
        scheme = "other"
    notes = [n for n in (_text(doc, "TYPE_OF_DOCUMENT2"), _text(doc, "NOTE")) if n]
    if scheme == "other" and label and label not in notes:
        notes.insert(0, label)
    country = _country(_text(doc, "ISSUING_COUNTRY") or _text(doc, "COUNTRY_OF_ISSUE"))
    return Identifier(scheme, number, country, "; ".join(notes) or None)


def _add_unique(items: list[T], item: T) -> None:
    if item not in items:
        items.append(item)


def _add_names(entity: Entity, elem: etree._Element, prefix: str) -> None:
    primary = " ".join(p for p in (_text(elem, t) for t in NAME_PARTS) if p)
    entity.add_name(primary, NameKind.PRIMARY)
    for original in elem.iterfind("NAME_ORIGINAL_SCRIPT"):
        entity.add_name(_text(original), NameKind.ORIGINAL_SCRIPT)
    for alias in elem.iterfind(f"{prefix}_ALIAS"):
        quality = (_text(alias, "QUALITY") or "").lower()
        entity.add_name(_text(alias, "ALIAS_NAME"), ALIAS_KINDS.get(quality, NameKind.ALIAS))
        # Birth details printed with an alias ("Tariq Aziz, born 1936 in Baghdad").
        dob = _text(alias, "DATE_OF_BIRTH")
        if dob and re.fullmatch(r"\d{4}(-\d{2}-\d{2})?", dob[:10]):
            _add_unique(entity.birth_dates, PartialDate(dob[:10]))
        place = ", ".join(p for p in (_text(alias, "CITY_OF_BIRTH"), _text(alias, "COUNTRY_OF_BIRTH")) if p)
        if place:
            _add_unique(entity.birth_places, place)


def _add_addresses(entity: Entity, elem: etree._Element, prefix: str) -> None:
    for addr in elem.iterfind(f"{prefix}_ADDRESS"):
        full = _join(addr, ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY"))
        country = _country(_text(addr, "COUNTRY"))
        if full:
            _add_unique(entity.addresses, Address(full, country))
        if country:
            _add_unique(entity.countries, country)


def _add_person_details(entity: Entity, elem: etree._Element, ctx: ParseContext, record: str) -> None:
    for dob in elem.iterfind("INDIVIDUAL_DATE_OF_BIRTH"):
        for date in _birth_dates(dob):
            _add_unique(entity.birth_dates, date)
    for pob in elem.iterfind("INDIVIDUAL_PLACE_OF_BIRTH"):
        place = _join(pob, ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY"))
        if place:
            _add_unique(entity.birth_places, place)
        country = _country(_text(pob, "COUNTRY"))
        if country:
            entity.properties.setdefault("birthCountry", [])
            _add_unique(entity.properties["birthCountry"], country)
    for value in _values(elem, "NATIONALITY"):
        code = _country(value)
        if code is None:
            ctx.warn(f"unknown nationality {value!r}", record=record)
        else:
            _add_unique(entity.nationalities, code)
    for doc in elem.iterfind("INDIVIDUAL_DOCUMENT"):
        identifier = _document(doc)
        if identifier is not None:
            _add_unique(entity.identifiers, identifier)
    gender = (_text(elem, "GENDER") or "").lower()
    if gender in ("male", "female"):
        entity.gender = gender
    for tag, prop in (("DESIGNATION", "position"), ("TITLE", "title")):
        values = _values(elem, tag)
        if values:
            entity.properties[prop] = values


def _entity(elem: etree._Element, ctx: ParseContext) -> Entity | None:
    """Map one INDIVIDUAL or ENTITY element; None (with a warning) when unusable."""
    source_id = _text(elem, "DATAID")
    line = elem.sourceline
    if not source_id:
        ctx.warn(f"{elem.tag} without DATAID skipped", line=line)
        return None
    schema = RECORD_TAGS[str(elem.tag)]
    entity = Entity(make_id(ctx.dataset, source_id), ctx.dataset, source_id, schema)
    _add_names(entity, elem, str(elem.tag))
    if not entity.names:
        ctx.warn(f"{elem.tag} without any name skipped", line=line, record=source_id)
        return None
    if schema is Schema.PERSON:
        _add_person_details(entity, elem, ctx, source_id)
    _add_addresses(entity, elem, str(elem.tag))
    reference = _text(elem, "REFERENCE_NUMBER")
    if reference:
        entity.properties["unReference"] = [reference]
        entity.identifiers.append(Identifier("other", reference, None, "UN reference"))
    comments = _text(elem, "COMMENTS1")
    entity.remarks = comments
    listed_on = _text(elem, "LISTED_ON")
    entity.listings.append(
        Listing("un", _text(elem, "UN_LIST_TYPE"), listed_on[:10] if listed_on else None, comments)
    )
    return entity


def parse(ctx: ParseContext) -> Iterator[Record]:
    """Stream the entities of a UN consolidated list XML file."""

    def on_root(root: etree._Element) -> None:
        generated = root.get("dateGenerated")
        if generated and re.match(r"\d{4}-\d{2}-\d{2}", generated):
            ctx.published = generated[:10]

    for elem in iter_records(
        ctx.path, RECORD_TAGS, root=ROOT_TAG, what="a UN consolidated list", on_root=on_root
    ):
        entity = _entity(elem, ctx)
        if entity is not None:
            yield entity
