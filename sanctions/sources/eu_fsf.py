"""EU Financial Sanctions Files (FSF) 1.1: the consolidated list as XML or CSV.

``parse`` reads either format; it sniffs the first bytes (``<`` means XML, anything else
the semicolon-separated CSV handled by :mod:`sanctions.sources.eu_fsf_csv`).

XML: root ``export`` (namespace ``http://eu.europa.ec/fpi/fsd/export``) with a
``generationDate``; one ``sanctionEntity`` per designation, keyed by ``logicalId``,
holding ``regulation``, ``subjectType``, ``nameAlias``, ``citizenship``, ``birthdate``,
``identification``, ``address`` and ``remark`` elements whose data sit in attributes.
Both formats feed the same :class:`EntityBuilder`, keyed by the XML attribute names.

Mapping choices:

* The first ``nameAlias`` is the primary name (the EU prints the designation name
  first). Later names are weak aliases when ``strong="false"``, original-script names
  when written in a non-Latin script (the EU adds Cyrillic, Greek, ... spellings), and
  strong aliases otherwise. ``nameLanguage`` becomes ``Name.lang`` (lower case).
* Country code ``00`` ("UNKNOWN") is dropped.
* One listing per regulation ``programme``; ``listed_on`` is the entity's
  ``designationDate`` or else the earliest ``publicationDate`` of that programme's
  regulations; ``reason`` is ``designationDetails`` or else the entity remarks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from pathlib import Path

from followthemoney.types import registry
from lxml import etree

from sanctions.errors import SourceFormatError
from sanctions.model import Address, Entity, Identifier, Listing, NameKind, PartialDate, Record, Schema
from sanctions.sources.base import ParseContext, make_id
from sanctions.sources.xmlstream import iter_records

NAMESPACE = "http://eu.europa.ec/fpi/fsd/export"
SUBJECT_TYPES = {
    "person": Schema.PERSON,
    "p": Schema.PERSON,
    "enterprise": Schema.ORGANIZATION,
    "e": Schema.ORGANIZATION,
}
IDENTIFIER_SCHEMES = {
    "passport": "passport",
    "id": "national_id",
    "regnumber": "registration",
    "fiscalcode": "tax",
    "swiftbic": "swift",
    "imo": "imo",
}
GENDERS = {"m": "male", "f": "female"}
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_DMY_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")

Attrs = Mapping[str, str]


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    text = " ".join(value.split())
    return text or None


def iso_date(value: str | None) -> str | None:
    """An FSF date (``2022-02-23``, ``2022-02-23+01:00`` or ``23/02/2022``) as ISO, else None."""
    text = _clean(value)
    if not text:
        return None
    match = _ISO_DATE.match(text)
    if match:
        return "-".join(match.groups())
    match = _DMY_DATE.match(text)
    if match:
        day, month, year = match.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return None


def _country(code: str | None) -> str | None:
    code = _clean(code)
    if not code or code == "00":
        return None
    cleaned = registry.country.clean(code)
    return cleaned.lower() if cleaned else None


def is_latin(text: str) -> bool:
    """True when every letter of ``text`` is a Latin letter."""
    return all(not ch.isalpha() or unicodedata.name(ch, "LATIN").startswith("LATIN") for ch in text)


def _true(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "1", "yes")


def _add(items: list[str], value: str | None) -> None:
    if value and value not in items:
        items.append(value)


class EntityBuilder:
    """Collects the facts of one ``sanctionEntity`` (XML element or CSV row group)."""

    def __init__(self, ctx: ParseContext, source_id: str, line: int | None = None) -> None:
        self.ctx = ctx
        self.line = line
        self.entity = Entity(make_id(ctx.dataset, source_id), ctx.dataset, source_id, Schema.LEGAL_ENTITY)
        self.remarks: list[str] = []
        self.details: str | None = None
        self.designated: str | None = None
        self.programmes: dict[str, str | None] = {}

    def _prop(self, name: str, value: str | None) -> None:
        value = _clean(value)
        if value:
            _add(self.entity.properties.setdefault(name, []), value)

    def set_entity(self, attrs: Attrs) -> None:
        """Attributes of ``sanctionEntity`` itself."""
        self.details = _clean(attrs.get("designationDetails")) or self.details
        self.designated = iso_date(attrs.get("designationDate")) or self.designated
        self._prop("euReference", attrs.get("euReferenceNumber"))
        un_ref = _clean(attrs.get("unitedNationId"))
        if un_ref:
            self._prop("unReference", un_ref)
            identifier = Identifier("other", un_ref, None, "UN reference")
            if identifier not in self.entity.identifiers:
                self.entity.identifiers.append(identifier)

    def set_subject_type(self, attrs: Attrs) -> None:
        """``subjectType``: code person / enterprise (classificationCode P / E)."""
        code = (_clean(attrs.get("code")) or _clean(attrs.get("classificationCode")) or "").lower()
        schema = SUBJECT_TYPES.get(code)
        if schema is None:
            self.ctx.warn(f"unknown subject type {code!r}", line=self.line, record=self.entity.source_id)
            return
        self.entity.schema = schema

    def add_remark(self, text: str | None) -> None:
        """A ``remark`` of the entity."""
        text = _clean(text)
        if text and text not in self.remarks:
            self.remarks.append(text)

    def add_regulation(self, attrs: Attrs) -> None:
        """A ``regulation``: its programme makes a listing, its publication date a start."""
        programme = _clean(attrs.get("programme"))
        if not programme:
            return
        published = iso_date(attrs.get("publicationDate"))
        known = self.programmes.get(programme)
        if programme not in self.programmes or (published and (known is None or published < known)):
            self.programmes[programme] = published

    def add_name(self, attrs: Attrs) -> None:
        """A ``nameAlias``."""
        whole = _clean(attrs.get("wholeName"))
        if not whole:
            parts = (attrs.get("firstName"), attrs.get("middleName"), attrs.get("lastName"))
            whole = _clean(" ".join(p for p in parts if p))
        if not whole:
            return
        lang = (_clean(attrs.get("nameLanguage")) or "").lower() or None
        if not self.entity.names:
            kind = NameKind.PRIMARY
        elif attrs.get("strong") is not None and not _true(attrs.get("strong")):
            kind = NameKind.WEAK_ALIAS
        elif not is_latin(whole):
            kind = NameKind.ORIGINAL_SCRIPT
        else:
            kind = NameKind.ALIAS
        self.entity.add_name(whole, kind, lang)
        gender = GENDERS.get((_clean(attrs.get("gender")) or "").lower())
        if gender and self.entity.gender is None:
            self.entity.gender = gender
        self._prop("position", attrs.get("function"))
        self._prop("title", attrs.get("title"))

    def add_citizenship(self, attrs: Attrs) -> None:
        """A ``citizenship``."""
        code = _country(attrs.get("countryIso2Code"))
        if code:
            _add(self.entity.nationalities, code)

    def add_birthdate(self, attrs: Attrs) -> None:
        """A ``birthdate``: full date, or year/month/day parts, or a year range; and a place."""
        approximate = _true(attrs.get("circa"))
        dates: list[PartialDate] = []
        full = iso_date(attrs.get("birthdate"))
        year = _clean(attrs.get("year"))
        if full:
            dates.append(PartialDate(full, approximate))
        elif year and year.isdigit() and len(year) == 4:
            value = year
            month = _clean(attrs.get("monthOfYear"))
            if month and month.isdigit() and 1 <= int(month) <= 12:
                value += f"-{int(month):02d}"
                day = _clean(attrs.get("dayOfMonth"))
                if day and day.isdigit() and 1 <= int(day) <= 31:
                    value += f"-{int(day):02d}"
            dates.append(PartialDate(value, approximate))
        else:
            low, high = _clean(attrs.get("yearRangeFrom")), _clean(attrs.get("yearRangeTo"))
            for end in (low, high):
                if end and end.isdigit() and len(end) == 4:
                    dates.append(PartialDate(end, True))
        for date in dates:
            if date not in self.entity.birth_dates:
                self.entity.birth_dates.append(date)
        country_name = (
            None if _clean(attrs.get("countryIso2Code")) == "00" else attrs.get("countryDescription")
        )
        place_parts = (attrs.get("place"), attrs.get("city"), attrs.get("region"), country_name)
        place = ", ".join(p for p in (_clean(x) for x in place_parts) if p)
        _add(self.entity.birth_places, place or None)
        country = _country(attrs.get("countryIso2Code"))
        if country:
            _add(self.entity.properties.setdefault("birthCountry", []), country)

    def add_identification(self, attrs: Attrs, remark: str | None = None) -> None:
        """An ``identification``: passport, id, regnumber, fiscalcode, swiftbic, imo, ..."""
        number = _clean(attrs.get("number")) or _clean(attrs.get("latinNumber"))
        if not number:
            return
        code = (_clean(attrs.get("identificationTypeCode")) or "").lower()
        scheme = IDENTIFIER_SCHEMES.get(code, "other")
        notes = [
            _clean(attrs.get("identificationTypeDescription")) if scheme == "other" else None,
            _clean(remark),
        ]
        note = "; ".join(n for n in notes if n) or None
        identifier = Identifier(scheme, number, _country(attrs.get("countryIso2Code")), note)
        if identifier not in self.entity.identifiers:
            self.entity.identifiers.append(identifier)

    def add_address(self, attrs: Attrs) -> None:
        """An ``address``."""
        code = _clean(attrs.get("countryIso2Code"))
        country_name = None if code == "00" else attrs.get("countryDescription")
        keys = ("street", "poBox", "city", "zipCode", "region", "place")
        parts = [_clean(attrs.get(k)) for k in keys] + [_clean(country_name)]
        full = ", ".join(p for p in parts if p)
        country = _country(code)
        if full:
            address = Address(full, country)
            if address not in self.entity.addresses:
                self.entity.addresses.append(address)
        if country:
            _add(self.entity.countries, country)

    def finish(self) -> Entity | None:
        """The entity, or None (with a warning) when it has no name."""
        entity = self.entity
        if not entity.names:
            self.ctx.warn("sanctionEntity without any name skipped", line=self.line, record=entity.source_id)
            return None
        entity.remarks = "\n".join(self.remarks) or None
        reason = self.details or entity.remarks
        for programme, published in self.programmes.items():
            entity.listings.append(Listing("eu", programme, self.designated or published, reason))
        if not entity.listings:
            entity.listings.append(Listing("eu", None, self.designated, reason))
        return entity


def _local(elem: etree._Element) -> str:
    tag = elem.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _build(elem: etree._Element, ctx: ParseContext) -> Entity | None:
    source_id = _clean(elem.get("logicalId"))
    if not source_id:
        ctx.warn("sanctionEntity without logicalId skipped", line=elem.sourceline)
        return None
    builder = EntityBuilder(ctx, source_id, elem.sourceline)
    builder.set_entity(elem.attrib)
    for child in elem:
        name = _local(child)
        attrs = child.attrib
        if name == "subjectType":
            builder.set_subject_type(attrs)
        elif name == "regulation":
            builder.add_regulation(attrs)
        elif name == "remark":
            builder.add_remark(child.text)
        elif name == "nameAlias":
            builder.add_name(attrs)
        elif name == "citizenship":
            builder.add_citizenship(attrs)
        elif name == "birthdate":
            builder.add_birthdate(attrs)
        elif name == "identification":
            remarks = [r.text for r in child if _local(r) == "remark" and r.text]
            builder.add_identification(attrs, "; ".join(remarks) or None)
        elif name == "address":
            builder.add_address(attrs)
    return builder.finish()


def _parse_xml(ctx: ParseContext) -> Iterator[Record]:
    def on_root(root: etree._Element) -> None:
        ctx.published = iso_date(root.get("generationDate")) or ctx.published

    for elem in iter_records(
        ctx.path, ("sanctionEntity",), root="export", what="an EU FSF export", on_root=on_root
    ):
        entity = _build(elem, ctx)
        if entity is not None:
            yield entity


def _first_bytes(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(4096)
    except OSError as exc:
        raise SourceFormatError(path, f"cannot read file: {exc}") from exc


def parse(ctx: ParseContext) -> Iterator[Record]:
    """Stream the entities of an EU FSF 1.1 file, XML or CSV (chosen by content)."""
    head = _first_bytes(ctx.path).lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        raise SourceFormatError(ctx.path, "empty file")
    if head.startswith(b"<"):
        yield from _parse_xml(ctx)
        return
    # Imported here: eu_fsf_csv builds on EntityBuilder from this module.
    from sanctions.sources.eu_fsf_csv import parse_csv

    yield from parse_csv(ctx)
