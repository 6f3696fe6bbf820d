"""US Consolidated Screening List (source ``us_trade_csl``): trade.gov's CSV and its JSON twin.

The CSL puts eleven US lists in one file: Commerce's export-control lists (Entity List,
Denied Persons, Unverified, Military End-User), State's ITAR debarred and nonproliferation
sanctions, and Treasury's sanctions lists (SDN, SSI, FSE, PLC, CAPTA, NS-MBS, CMIC). Each row
keeps its list: the list's code (``EL``, ``DPL``, ``SDN``...) and programmes are the listing's
programme, the full list name its measure, and the export-control lists are listings of kind
``export_control``. A licence requirement and policy (Entity List, MEU) go to the listing's
notes; the Federal Register citation is its legal act and, with the start date, its date.

Two CSV layouts are read: the 2019 one, and the 2025 one with a leading ``_id``. The JSON is
the API's ``{"results": [...]}`` (addresses and ids as objects, multi-values as arrays).
Rows copied from OFAC's lists carry OFAC's entry number: they name that OFAC record as the
same party (``sameAs``), so a hit shows one party with both listings.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from sanctions.errors import SourceFormatError
from sanctions.model import SAME_AS, Address, Entity, Identifier, Listing, NameKind, Record, Schema
from sanctions.sources.base import ParseContext, make_id
from sanctions.sources.ofac_labels import split_identifier
from sanctions.sources.ofac_remarks import country_code, parse_dates

COLUMNS = [
    "source",
    "entity_number",
    "type",
    "programs",
    "name",
    "title",
    "addresses",
    "federal_register_notice",
    "start_date",
    "end_date",
    "standard_order",
    "license_requirement",
    "license_policy",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
    "remarks",
    "source_list_url",
    "alt_names",
    "citizenships",
    "dates_of_birth",
    "nationalities",
    "places_of_birth",
    "source_information_url",
    "ids",
]
# Lists whose listing means "a licence is needed to export to this party", not a sanction.
EXPORT_CONTROL = frozenset({"EL", "DPL", "UVL", "MEU", "DTC"})
# OFAC's lists inside the CSL, by code: the dataset of OFAC's own record of the same entry.
OFAC_DATASETS = {"SDN": "us_ofac_sdn"} | dict.fromkeys(
    ("SSI", "FSE", "PLC", "CAP", "NS-MBS", "CMIC", "MBS"), "us_ofac_cons"
)
SCHEMAS = {"individual": Schema.PERSON, "entity": Schema.ORGANIZATION, "vessel": Schema.VESSEL}
_CODE = re.compile(r"\(([A-Z][A-Z\- ]*)\)")
_FR_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
MAX_FIELD = 1_000_000


def list_code(source: str) -> str:
    """``Entity List (EL) - Bureau of Industry and Security`` -> ``EL``; unknown: the name itself."""
    found = _CODE.search(source)
    return found.group(1).strip() if found else source.split(" - ")[0].strip()


def _values(value: Any) -> list[str]:
    """A CSV cell (``a; b``) or a JSON array as trimmed non-empty strings."""
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).split(";")
    return [s for s in (" ".join(str(i).split()) for i in items if i is not None) if s]


def _fr_date(citation: str) -> str | None:
    """The date printed in a Federal Register citation (``82 F.R. 48792 10/20/2017``)."""
    found = _FR_DATE.search(citation)
    if not found:
        return None
    month, day, year = int(found.group(1)), int(found.group(2)), found.group(3)
    return f"{year}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    csv.field_size_limit(MAX_FIELD)
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh, strict=True)
            header = next(reader, None)
            if header is None or [h.strip() for h in header if h.strip() != "_id"] != COLUMNS:
                raise SourceFormatError(
                    path, "not a Consolidated Screening List CSV: unexpected header", line=1
                )
            for values in reader:
                if not any(v.strip() for v in values):
                    continue
                if len(values) != len(header):
                    raise SourceFormatError(
                        path,
                        f"{len(values)} cells where the header has {len(header)} (cut row?)",
                        line=reader.line_num,
                    )
                yield reader.line_num, dict(zip(header, values, strict=True))
    except (csv.Error, UnicodeDecodeError) as exc:
        raise SourceFormatError(path, f"unreadable CSV: {exc}") from exc


def _json_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        data = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise SourceFormatError(path, f"invalid JSON ({exc}): truncated or not the CSL API's answer") from exc
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, list):
        raise SourceFormatError(path, "not a Consolidated Screening List JSON: no 'results' array")
    total = data.get("total")
    if isinstance(total, int) and total != len(results):
        raise SourceFormatError(path, f"'total' says {total} results, the file holds {len(results)}")
    for number, row in enumerate(results, start=1):
        if not isinstance(row, dict):
            raise SourceFormatError(path, "a result is not an object", record=str(number))
        yield number, row


def _address(item: Any) -> Address | None:
    if isinstance(item, dict):
        parts = [item.get(k) for k in ("address", "city", "state", "postal_code", "country")]
        full = ", ".join(str(p).strip() for p in parts if p and str(p).strip())
        country = item.get("country")
        code = str(country).lower() if country and len(str(country)) == 2 else country_code(country)
    else:
        full = str(item).strip()
        tail = full.rsplit(",", 1)[-1].strip()
        code = tail.lower() if len(tail) == 2 and tail.isalpha() else None
    return Address(full, code) if full else None


def _id_parts(item: Any) -> tuple[str, str, str | None]:
    """(label, value, country) of an id: ``{"type", "number", "country"}`` (JSON) or
    ``[country, ]value, label`` (CSV: ``US, 80-0890696, Tax ID No.``, ``21795618, Passport``)."""
    if isinstance(item, dict):
        country = item.get("country")
        return str(item.get("type") or "").strip(), str(item.get("number") or "").strip(), country or None
    parts = [p.strip() for p in str(item).split(",")]
    if len(parts) == 1:
        return "", parts[0], None
    country = parts[0] if len(parts) >= 3 and len(parts[0]) == 2 and parts[0].isupper() else None
    value = ", ".join(parts[1 if country else 0 : -1])
    return parts[-1], value, country


def _add_id(entity: Entity, item: Any) -> None:
    """An id cell goes to identifiers; a labelled fact (``Gender``, ``Secondary sanctions risk:``,
    ``... Directive Determination -``) to the entity's properties."""
    label, value, country = _id_parts(item)
    if not value:
        return
    if label.lower() == "gender":
        entity.gender = value.lower() if value.lower() in ("male", "female") else entity.gender
        return
    found = split_identifier(f"{label} {value}") if label else None
    if label.endswith(("-", ":")) or (found is None and not label.lower().endswith(("no", "no.", "#", "id"))):
        if label.lower() in ("website", "email address"):
            scheme = "website" if label.lower() == "website" else "email"
            entity.identifiers.append(Identifier(scheme, value))
            return
        values = entity.properties.setdefault(label.rstrip(" -:") or "id", [])
        if value not in values:
            values.append(value)
        return
    code = country.lower() if country and len(country) == 2 else country_code(country)
    ident = Identifier(found[1] if found else "other", value, code, label or None)
    if ident not in entity.identifiers:
        entity.identifiers.append(ident)


def _source_id(row: dict[str, Any], code: str) -> str:
    stable = row.get("_id") or row.get("id")
    if stable:
        return str(stable)
    number = str(row.get("entity_number") or "").strip()
    if number:
        return f"{code}-{number}"
    # BIS and State rows of the 2019 layout carry no number: a digest of what identifies them.
    key = "|".join(str(row.get(k) or "") for k in ("source", "name", "addresses", "federal_register_notice"))
    return f"{code}-{hashlib.sha1(key.encode()).hexdigest()[:12]}"


def _entity(ctx: ParseContext, row: dict[str, Any]) -> Entity:
    source = " ".join(str(row.get("source") or "").split())
    code = list_code(source)
    source_id = _source_id(row, code)
    schema = SCHEMAS.get(str(row.get("type") or "").strip().lower(), Schema.LEGAL_ENTITY)
    entity = Entity(make_id(ctx.dataset, source_id), ctx.dataset, source_id, schema)
    entity.add_name(str(row.get("name") or ""))
    for alias in _values(row.get("alt_names")):
        entity.add_name(alias, NameKind.ALIAS)
    for text in _values(row.get("dates_of_birth")):
        entity.birth_dates.extend(d for d in parse_dates(text) if d not in entity.birth_dates)
    entity.birth_places.extend(_values(row.get("places_of_birth")))
    for column, target in (("nationalities", entity.nationalities), ("citizenships", entity.nationalities)):
        for text in _values(row.get(column)):
            found = country_code(text)
            if found and found not in target:
                target.append(found)
    items = row.get("addresses")
    for item in items if isinstance(items, list) else _values(items):
        address = _address(item)
        if address is not None:
            entity.addresses.append(address)
    items = row.get("ids")
    for item in items if isinstance(items, list) else _values(items):
        _add_id(entity, item)
    for column in ("title", "call_sign", "vessel_type", "vessel_flag", "vessel_owner", "gross_tonnage"):
        values = _values(row.get(column))
        if values:
            entity.properties[column] = values
    entity.remarks = " ".join(_values(row.get("remarks"))) or None
    number = str(row.get("entity_number") or "").strip()
    if code in OFAC_DATASETS and number.isdigit():
        entity.properties[SAME_AS] = [make_id(OFAC_DATASETS[code], number)]
    entity.listings.append(_listing(row, code, source))
    return entity


def _listing(row: dict[str, Any], code: str, source: str) -> Listing:
    programs = _values(row.get("programs"))
    citation = " ".join(str(row.get("federal_register_notice") or "").split())
    start = " ".join(str(row.get("start_date") or "").split())[:10] or None
    notes = [
        f"{label}: {text}"
        for label, column in (
            ("Licence requirement", "license_requirement"),
            ("Licence policy", "license_policy"),
            ("Ends", "end_date"),
            ("Standard order", "standard_order"),
        )
        if (text := " ".join(str(row.get(column) or "").split()))
    ]
    return Listing(
        authority="us",
        program=" ".join([code, *programs]),
        listed_on=start or _fr_date(citation),
        kind="export_control" if code in EXPORT_CONTROL else "sanction",
        measure=source or None,
        legal_act=citation or None,
        notes="; ".join(notes) or None,
    )


def parse(ctx: ParseContext) -> Iterator[Record]:
    """Entities of a CSL file (CSV of either layout, or the API's JSON)."""
    path = ctx.path
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".csv", ".json"))
        if len(files) != 1:
            raise SourceFormatError(path, "expected one CSL file (.csv or .json) in the folder")
        path = files[0]
    rows = _json_rows(path) if path.suffix.lower() == ".json" else _csv_rows(path)
    seen: dict[str, Entity] = {}
    for number, row in rows:
        if not str(row.get("name") or "").strip() or not str(row.get("source") or "").strip():
            ctx.warn("row without name or source list; skipped", path=path, line=number)
            continue
        entity = _entity(ctx, row)
        earlier = seen.get(entity.id)
        if earlier is not None:  # the same entry printed twice: one entity, every listing
            earlier.listings.extend(x for x in entity.listings if x not in earlier.listings)
            continue
        seen[entity.id] = entity
    yield from seen.values()
