"""Australia DFAT Consolidated List (``regulation8_consolidated.xlsx``).

One row per name. A designation's primary name sits on a row whose ``Reference`` is a
number (``2``); its aliases and original-script names are extra rows whose reference
adds a suffix (``2a``, ``2b``, ``2940j``). All rows of one base reference fold into one
entity. In the 2024-11 file one alias row (``2940j``) sits 180 rows away from its
group, so rows are accumulated by base reference over the whole sheet (a few thousand
entities, small enough) and entities are emitted in order of first appearance.

Per-row columns (dates, places, citizenship, addresses) are merged across the rows of
a group, because the publisher sometimes states an alias's own date of birth on the
alias row. Remarks and the listing come from the primary row (else the first row).

Mapping choices:

* ``Name Type``: Primary Name, aka, Original Script, Formerly known as / Previously
  listed as (a former name); compared case- and space-insensitively.
* ``Date of Birth`` holds Excel dates, bare years or free text (``Approximately 1955-
  1958``, ``a) 16/11/1957 b) 1960``, ``12 Dec. 1965``, ``circa 1960``); see
  :func:`parse_dates`. Hijri-calendar dates are skipped.
* ``Additional Information`` is the remarks and the listing reason; IMO numbers and
  passport numbers are taken from it only where labelled (``IMO number: 1234567``,
  ``passport no. D000974``).
* The sheet states no publication date; ``ctx.published`` is the workbook's
  last-modified date (document properties), which matches DFAT's publication date.
* ``Committees`` is the program, ``Control Date`` the listing date, ``Listing
  Information`` is kept as ``properties["listingInformation"]``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from followthemoney.types import registry

from sanctions.model import Address, Entity, Identifier, Listing, NameKind, PartialDate, Record, Schema
from sanctions.sources.base import ParseContext, approximate_years, make_id, month_number
from sanctions.sources.xlsx import XlsxReader, cell_text

REFERENCE = "Reference"
NAME = "Name of Individual or Entity"
TYPE = "Type"
NAME_TYPE = "Name Type"
REQUIRED = (REFERENCE, NAME, TYPE, NAME_TYPE)

NAME_KINDS = {
    "primary name": NameKind.PRIMARY,
    "aka": NameKind.ALIAS,
    "original script": NameKind.ORIGINAL_SCRIPT,
    "formerly known as": NameKind.FORMER,
    "previously listed as": NameKind.FORMER,
}
SCHEMAS = {"individual": Schema.PERSON, "entity": Schema.ORGANIZATION, "vessel": Schema.VESSEL}
BLANK = {"na", "n/a", "nil", "none", "-", "unknown"}

_REFERENCE = re.compile(r"^(\d+)([A-Za-z]*\d*)$")
# Enumerations ("a) ... b) ..."), semicolons, "or", "alt DOB" and line breaks separate alternatives.
_ALTERNATIVES = re.compile(r"(?:^|\s|;|,)\(?[a-z]\)\s*|;|\bor\b|\balt\.? (?:dob|born)\b|\n", re.IGNORECASE)
_APPROXIMATE = re.compile(
    r"approx|circa|\bc\.\s*\d|\babout\b|\baround\b|between|\byears old\b", re.IGNORECASE
)
_MONTH_WORD = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
_DATE_TOKENS = re.compile(
    r"(?P<iso>(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2}))"
    r"|(?P<dmy>(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4}))"
    r"|(?P<range>(?P<r1>\d{4})\s*(?:-|–|to|and)\s*(?P<r2>\d{4}))"
    r"|(?P<dtext>(?P<td>\d{1,2})(?:st|nd|rd|th)?\.?[\s\-]+(?P<tm>"
    + _MONTH_WORD
    + r")\.?,?[\s\-]+(?P<ty>\d{4}))"
    r"|(?P<mtext>\b(?P<mm>" + _MONTH_WORD + r")\.?,?\s+(?P<my>\d{4}))"
    r"|(?P<year>\b\d{4}\b)",
    re.IGNORECASE,
)
_COUNTRY_SEPARATORS = re.compile(r",|;|/|\band\b|\bor\b")
_IMO = re.compile(r"\bIMO(?:\s+(?:number|no\.?))?\s*[:.]?\s*(\d{7})\b", re.IGNORECASE)
_REGISTRATION = re.compile(r"\bRegistration (?:ID|Number|No\.?)\s*[:.]?\s*(\d[\d\-]{4,}\d)", re.IGNORECASE)
_TAX = re.compile(r"\bTax ID(?: No\.?)?\s*[:.]?\s*(\d[\d\-]{4,}\d)", re.IGNORECASE)
_PASSPORT = re.compile(
    r"\bpassport\s+(?:no\.?|number|#)\s*[:.]?\s*(?:[A-Z][a-z]+\s+)?([A-Z]{0,3}[ -]?\d[\dA-Z\-]{3,})"
    r"|\bpassport\s*:\s*([A-Z]{0,3}\d[\dA-Z\-]{3,})",
    re.IGNORECASE,
)


def _valid_year(year: int) -> bool:
    return 1850 <= year <= 2100


def _month(token: str) -> int | None:
    return month_number(token) if token[:3].isalpha() else None


def _ymd(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """An ISO prefix when the parts make a real date; the year alone when only it is sound."""
    if not _valid_year(year):
        return None
    if month is None or not 1 <= month <= 12:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return f"{year:04d}-{month:02d}"


def _token_dates(match: re.Match[str], approximate: bool) -> list[PartialDate]:
    groups = match.groupdict()
    value: str | None
    if groups["iso"]:
        value = _ymd(int(groups["iy"]), int(groups["im"]), int(groups["id"]))
    elif groups["dmy"]:
        # DFAT writes day/month/year; a "month" above 12 is not guessed into shape.
        value = _ymd(int(groups["y"]), int(groups["m"]), int(groups["d"]))
    elif groups["range"]:
        low, high = sorted((int(groups["r1"]), int(groups["r2"])))
        if not (_valid_year(low) and _valid_year(high)):
            return []
        return approximate_years(low, high)
    elif groups["dtext"]:
        value = _ymd(int(groups["ty"]), _month(groups["tm"]), int(groups["td"]))
    elif groups["mtext"]:
        value = _ymd(int(groups["my"]), _month(groups["mm"]))
    else:
        value = _ymd(int(groups["year"]))
    return [PartialDate(value, approximate)] if value else []


def parse_dates(text: str) -> list[PartialDate]:
    """All dates in a free-text DFAT date cell, in order, without repeats.

    Alternatives (``a) ... b) ...``, ``;``, ``or``) are read one by one; an alternative
    that says approximately / circa / between marks its dates approximate; a year range
    becomes one approximate year per year (ends only, if wider than ten years).
    """
    out: list[PartialDate] = []
    for part in _ALTERNATIVES.split(text):
        if not part or not part.strip() or "hijri" in part.lower():
            continue
        approximate = bool(_APPROXIMATE.search(part))
        for match in _DATE_TOKENS.finditer(part):
            for date in _token_dates(match, approximate):
                if date not in out:
                    out.append(date)
    return out


def _cell_dates(value: Any) -> list[PartialDate]:
    if isinstance(value, dt.datetime | dt.date):
        return [PartialDate(cell_text(value) or "")] if _valid_year(value.year) else []
    if isinstance(value, int | float) and _valid_year(int(value)):
        return [PartialDate(str(int(value)))]
    text = cell_text(value)
    return parse_dates(text) if text else []


def _alternatives(text: str | None) -> list[str]:
    """The parts of an enumerated cell (``a) X b) Y``); the cell itself when not enumerated."""
    if not text or text.lower() in BLANK:
        return []
    parts = [p.strip(" ,;.") for p in re.split(r"(?:^|\s)\(?[a-z]\)\s*", text)]
    return [p for p in parts if p and p.lower() not in BLANK]


def _countries(text: str | None) -> list[str]:
    out: list[str] = []
    for part in _alternatives(text):
        # "Trinidad and Tobago" is one country, "Russian and Ukrainian" two.
        whole = registry.country.clean(part)
        pieces = (
            [whole]
            if whole
            else [registry.country.clean(p) for p in _COUNTRY_SEPARATORS.split(part) if p.strip()]
        )
        for code in pieces:
            if code and code.lower() not in out:
                out.append(code.lower())
    return out


def _addresses(text: str | None) -> list[str]:
    return [a.strip(" ,.") for part in _alternatives(text) for a in part.split(";") if a.strip(" ,.")]


def _address_country(full: str) -> str | None:
    """The country of an address: its last comma-separated part that names one."""
    for part in reversed(full.split(",")):
        code = registry.country.clean(part.strip()) if part.strip() else None
        if code:
            return code.lower()
    return None


def _identifiers(text: str) -> list[Identifier]:
    out: list[Identifier] = []
    for match in _IMO.finditer(text):
        out.append(Identifier("imo", match.group(1)))
    for match in _REGISTRATION.finditer(text):
        out.append(Identifier("registration", match.group(1)))
    for match in _TAX.finditer(text):
        out.append(Identifier("tax", match.group(1)))
    for match in _PASSPORT.finditer(text):
        number = (match.group(1) or match.group(2)).strip(" -")
        if sum(ch.isdigit() for ch in number) >= 4:
            out.append(Identifier("passport", number))
    return list(dict.fromkeys(out))


@dataclass
class _Group:
    """The rows of one base reference."""

    reference: str
    line: int
    rows: list[dict[str, Any]] = field(default_factory=list)
    names: list[tuple[str, NameKind]] = field(default_factory=list)
    primary: dict[str, Any] | None = None


def _name_kind(label: str | None, ctx: ParseContext, line: int) -> NameKind:
    key = " ".join((label or "").lower().split())
    kind = NAME_KINDS.get(key)
    if kind is None:
        ctx.warn(f"unknown Name Type {label!r}, read as an alias", line=line)
        return NameKind.ALIAS
    return kind


def _schema(group: _Group, ctx: ParseContext) -> Schema:
    for row in [group.primary, *group.rows]:
        label = (cell_text(row.get(TYPE)) or "").lower() if row else ""
        if label:
            schema = SCHEMAS.get(label)
            if schema is None:
                ctx.warn(f"unknown Type {label!r}", line=group.line, record=group.reference)
                return Schema.LEGAL_ENTITY
            return schema
    return Schema.LEGAL_ENTITY


def _entity(group: _Group, ctx: ParseContext) -> Entity:
    entity = Entity(make_id(ctx.dataset, group.reference), ctx.dataset, group.reference, _schema(group, ctx))
    # The primary name first, then the others in sheet order.
    for name, kind in sorted(group.names, key=lambda n: n[1] is not NameKind.PRIMARY):
        entity.add_name(name, kind)
    for row in group.rows:
        for date in _cell_dates(row.get("Date of Birth")):
            if date not in entity.birth_dates:
                entity.birth_dates.append(date)
        for place in _alternatives(cell_text(row.get("Place of Birth"))):
            if place not in entity.birth_places:
                entity.birth_places.append(place)
        for code in _countries(cell_text(row.get("Citizenship"))):
            if code not in entity.nationalities:
                entity.nationalities.append(code)
        for full in _addresses(cell_text(row.get("Address"))):
            address = Address(full, _address_country(full))
            if address not in entity.addresses:
                entity.addresses.append(address)
            if address.country and address.country not in entity.countries:
                entity.countries.append(address.country)
    main = group.primary or group.rows[0]
    remarks = cell_text(main.get("Additional Information"))
    entity.remarks = remarks if remarks and remarks.lower() not in BLANK else None
    if entity.remarks:
        entity.identifiers.extend(_identifiers(entity.remarks))
    listing_info = cell_text(main.get("Listing Information"))
    if listing_info:
        entity.properties["listingInformation"] = [listing_info]
    control = main.get("Control Date")
    listed_on = control.date().isoformat() if isinstance(control, dt.datetime) else None
    if listed_on is None and control is not None:
        dates = _cell_dates(control)
        listed_on = dates[0].value if dates else None
    entity.listings.append(Listing("au", cell_text(main.get("Committees")), listed_on, entity.remarks))
    return entity


def parse(ctx: ParseContext) -> Iterator[Record]:
    """Read the DFAT consolidated list workbook; yield one entity per base reference."""
    groups: dict[str, _Group] = {}
    with XlsxReader(ctx.path) as reader:
        ctx.published = reader.modified or ctx.published
        for line, row in reader.rows(REQUIRED):
            reference = cell_text(row.get(REFERENCE))
            name = cell_text(row.get(NAME))
            match = _REFERENCE.match(reference.replace(" ", "")) if reference else None
            if match is None:
                ctx.warn(f"row with unreadable Reference {reference!r} skipped", line=line)
                continue
            base = match.group(1)
            group = groups.get(base)
            if group is None:
                group = groups[base] = _Group(base, line)
            group.rows.append(row)
            kind = _name_kind(cell_text(row.get(NAME_TYPE)), ctx, line)
            if name is None:
                ctx.warn("row without a name", line=line, record=base)
                continue
            group.names.append((name, kind))
            if kind is NameKind.PRIMARY and group.primary is None:
                group.primary = row
    for group in groups.values():
        if not group.names:
            ctx.warn("reference without any name skipped", line=group.line, record=group.reference)
            continue
        yield _entity(group, ctx)
