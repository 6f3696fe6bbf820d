"""The UK Sanctions List published by the FCDO (``gb_fcdo_sanctions``): XML or CSV.

XML: root ``<Designations>`` with ``<DateGenerated>`` (dd/mm/yyyy) and one ``<Designation>``
per designation (``UniqueID`` such as RUS1124, ``Names/Name`` with ``Name1..Name6``,
``NameType``, ``AliasStrength``, ``NonLatinNames``, ``IndividualDetails``, ``EntityDetails``,
``ShipDetails`` ...). Read with ``lxml.etree.iterparse``: one designation in memory at a time.

CSV: a ``Report Date: dd/mm/yyyy`` line, then a header (``Unique ID``, ``Name 6``, ``Name 1``,
``Name type``, ``Alias strength``, ``Designation Type``, ``D.O.B`` ...) and one row per name;
rows are folded by Unique ID. Both give the same entities (see ``uk_fcdo_build``).

Parent companies, subsidiaries and ship owners named in the list become ownership
relations when the name resolves to another designation of the same file (``CompanyLinks``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from sanctions.errors import SourceFormatError
from sanctions.model import Record
from sanctions.sources.base import ParseContext
from sanctions.sources.uk_common import CompanyLinks, clean_text, iso_date
from sanctions.sources.uk_fcdo_build import VALUE_KEYS, Designation, build_entity, designation_schema
from sanctions.sources.uk_tables import read_table

_WHAT = "UK Sanctions List (FCDO) XML or CSV"
_ROOT = "Designations"

# CSV column (case-insensitive) -> XML element name it carries.
CSV_VALUES = {
    "last updated": "LastUpdated",
    "date designated": "DateDesignated",
    "ofsi group id": "OFSIGroupID",
    "un reference number": "UNReferenceNumber",
    "regime name": "RegimeName",
    "regime": "RegimeName",
    "designation type": "IndividualEntityShip",
    "individual, entity, ship": "IndividualEntityShip",
    "individual/entity/ship": "IndividualEntityShip",
    "designation source": "DesignationSource",
    "sanctions imposed": "SanctionsImposed",
    "other information": "OtherInformation",
    "uk statement of reasons": "UKStatementofReasons",
    "title": "Title",
    "d.o.b": "DOB",
    "nationality(/ies)": "Nationality",
    "position": "Position",
    "gender": "Gender",
    "phone number": "PhoneNumber",
    "email address": "EmailAddress",
    "website": "Website",
    "type of entity": "TypeOfEntity",
    "business registration number (s)": "BusinessRegistrationNumber",
    "parent company": "ParentCompany",
    "subsidiaries": "Subsidiary",
    "imo number": "IMONumber",
    "current owner/operator (s)": "CurrentOwnerOperator",
    "previous owner/operator (s)": "PreviousOwnerOperator",
    "current believed flag of ship": "CurrentBelievedFlagOfShip",
    "previous flags": "PreviousFlag",
    "type of ship": "TypeOfShip",
    "tonnage of ship": "TonnageOfShip",
    "length of ship": "LengthOfShip",
    "year built": "YearBuilt",
    "hull identification number (hin)": "HullIdentificationNumber",
}
CSV_REQUIRED = ("Unique ID", "Name 6", "Name type")
_CSV_TYPE_COLUMNS = ("designation type", "individual, entity, ship", "individual/entity/ship")


def _is_xml(path: Path) -> bool:
    with path.open("rb") as fh:
        head = fh.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<")


def _local(node: etree._Element) -> str | None:
    tag = node.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else None  # "{namespace}Name" -> "Name"


def _text(node: etree._Element) -> str:
    # itertext, not .text: keeps the text around unresolved entity references
    return clean_text("".join(node.itertext()))


def _children(node: etree._Element) -> dict[str, str]:
    out: dict[str, str] = {}
    for child in node:
        local = _local(child)
        if local:
            out[local] = _text(child)
    return out


def _read_designation(element: etree._Element) -> Designation:
    d = Designation("", element.sourceline)
    for node in element.iter():
        local = _local(node)
        if local is None or node is element:
            continue
        if local == "UniqueID":
            d.unique_id = _text(node)
        elif local == "Name":
            c = _children(node)
            parts = tuple(c.get(f"Name{i}", "") for i in range(1, 7))
            d.names.append((parts, c.get("NameType", ""), c.get("AliasStrength", "")))
        elif local == "NonLatinName":
            c = _children(node)
            if c.get("NameNonLatinScript"):
                d.non_latin.append((c["NameNonLatinScript"], c.get("NonLatinScriptLanguage", "")))
        elif local == "Address":
            c = _children(node)
            lines = (*(c.get(f"AddressLine{i}", "") for i in range(1, 7)), c.get("AddressPostalCode", ""))
            d.addresses.append((lines, c.get("AddressCountry", "")))
        elif local == "Passport":
            c = _children(node)
            d.passports.append((c.get("PassportNumber", ""), c.get("PassportAdditionalInformation", "")))
        elif local == "NationalIdentifier":
            c = _children(node)
            number = c.get("NationalIdentifierNumber", "")
            d.national_ids.append((number, c.get("NationalIdentifierAdditionalInformation", "")))
        elif local == "Location":
            c = _children(node)
            d.births.append((c.get("TownOfBirth", ""), c.get("CountryOfBirth", "")))
        elif local in VALUE_KEYS and not any(_local(child) for child in node):
            d.add(local, _text(node))
    return d


def _xml_designations(ctx: ParseContext) -> Iterator[Designation]:
    events = etree.iterparse(
        str(ctx.path),
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        remove_comments=True,
        remove_pis=True,
    )
    seen_root = False
    while True:
        try:
            event, element = next(events)
        except StopIteration:
            break
        except etree.XMLSyntaxError as exc:
            raise SourceFormatError(ctx.path, f"malformed XML ({exc.msg})", line=exc.lineno) from exc
        local = _local(element)
        if event == "start":
            if not seen_root:
                if local != _ROOT:
                    message = f"root element <{local}>, expected <{_ROOT}>: not the {_WHAT}"
                    raise SourceFormatError(ctx.path, message, line=element.sourceline)
                seen_root = True
            continue
        if local == "DateGenerated":
            ctx.published = iso_date(_text(element)[:10]) or ctx.published
        elif local == "Designation":
            yield _read_designation(element)
            element.clear()
            parent = element.getparent()
            while parent is not None and element.getprevious() is not None:
                del parent[0]


def _csv_designations(ctx: ParseContext) -> Iterator[Designation]:
    table = read_table(ctx.path, CSV_REQUIRED, what=_WHAT)
    if table.preamble_date:
        ctx.published = iso_date(table.preamble_date)
    cols = {h.casefold(): h for h in table.header if h}
    if not any(c in cols for c in _CSV_TYPE_COLUMNS):
        raise SourceFormatError(ctx.path, "missing required column Designation Type in the CSV header")

    def get(row: dict[str, str], column: str) -> str:
        return row.get(cols.get(column, ""), "")

    found: dict[str, Designation] = {}
    for line, row in table.rows:
        uid = get(row, "unique id")
        if not uid:
            ctx.warn("row without a Unique ID; skipped", line=line)
            continue
        d = found.get(uid)
        if d is None:
            d = found[uid] = Designation(uid, line)
        parts = tuple(get(row, f"name {i}") for i in range(1, 7))
        d.names.append((parts, get(row, "name type"), get(row, "alias strength")))
        if get(row, "name non-latin script"):
            d.non_latin.append((get(row, "name non-latin script"), get(row, "non-latin script language")))
        for column, key in CSV_VALUES.items():
            if column in cols:
                d.add(key, get(row, column))
        lines = (*(get(row, f"address line {i}") for i in range(1, 7)), get(row, "address postal code"))
        if any(lines) or get(row, "address country"):
            d.addresses.append((lines, get(row, "address country")))
        if get(row, "passport number"):
            d.passports.append((get(row, "passport number"), get(row, "passport additional information")))
        if get(row, "national identifier number"):
            info = get(row, "national identifier additional information")
            d.national_ids.append((get(row, "national identifier number"), info))
        if get(row, "town of birth") or get(row, "country of birth"):
            d.births.append((get(row, "town of birth"), get(row, "country of birth")))
    yield from found.values()


def parse(ctx: ParseContext) -> Iterator[Record]:
    """Parse the UK Sanctions List (XML or CSV): one Entity per designation, then relations."""
    path = ctx.path
    if not path.is_file():
        raise SourceFormatError(path, "file not found")
    if path.stat().st_size == 0:
        raise SourceFormatError(path, f"empty file; expected the {_WHAT}")
    designations = _xml_designations(ctx) if _is_xml(path) else _csv_designations(ctx)
    links = CompanyLinks(ctx.dataset)
    seen: set[str] = set()
    for d in designations:
        if not d.unique_id:
            ctx.warn("designation without a UniqueID; skipped", line=d.line)
            continue
        if d.unique_id in seen:
            ctx.warn("repeated UniqueID; later designation skipped", line=d.line, record=d.unique_id)
            continue
        seen.add(d.unique_id)
        entity = build_entity(ctx, d, designation_schema(ctx, d), links)
        links.add_entity(entity)
        yield entity
    yield from links.resolve(ctx)
