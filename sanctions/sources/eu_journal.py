"""EU designations transcribed from the Official Journal annexes (source ``eu_journal``).

The transcription (OpenSanctions' ``eu_journal_sanctions``, MIT-licensed; the legal acts are
EU public documents) holds one CSV per framework act, consolidated (``consolidated/32014R0269.csv``),
and one per later amending act (``amendments/32026R1941.csv``). A row is one party in one legal
context: KAMAZ has a row for the asset freeze of Regulation 269/2014 and three for the
restrictions of Regulation 833/2014. The file kind is told by its header, so a folder of the
two kinds, nested or flat (the bundle keeps them flat and gzipped), reads the same.

Reading:
- amendment rows apply on top of the consolidated snapshot of their framework act: a row with
  the same act, annex, programme, measure, record number and schema replaces the printed one;
- rows of one party are joined into one entity when they share a schema family and a name or
  strong alias (the slug, with legal forms such as ``PJSC`` left out for organisations) or an
  identifier; the entity id is the slug of its alphabetically first name, stable across loads;
- each row becomes one :class:`Listing` (programme key, measure, CELEX of the act, date).

A file whose header is not one of the two published headers, or that ends inside a quoted
cell, is refused: a truncated transcription must not become the current EU list.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from normality import slugify

from sanctions.errors import SourceFormatError
from sanctions.model import Address, Entity, Listing, NameKind, Record, Schema
from sanctions.resources import load_resource
from sanctions.sources.base import ParseContext, make_id
from sanctions.sources.eu_journal_values import (
    ID_COLUMNS,
    countries,
    country,
    identifier,
    iso_date,
    parse_dates,
    split_cell,
)

_ENTITY_COLUMNS = [
    "schema",
    "name",
    "alias",
    "weakAlias",
    "previousName",
    "country",
    "nationality",
    "jurisdiction",
    "birthDate",
    "birthPlace",
    "position",
    "passportNumber",
    "gender",
    "appearance",
    "ethnicity",
    "fatherName",
    "motherName",
    "incorporationDate",
    "legalForm",
    "sector",
    "registrationNumber",
    "taxNumber",
    "idNumber",
    "innCode",
    "ogrnCode",
    "kppCode",
    "okpoCode",
    "leiCode",
    "swiftBic",
    "ticker",
    "imoNumber",
    "mmsi",
    "flag",
    "address",
    "phone",
    "email",
    "website",
    "notes",
]
_META = ["recordId", "programKey", "annex", "measure", "startDate", "reason"]
CONSOLIDATED_HEADER = ["celex", *_META, *_ENTITY_COLUMNS]
AMENDMENT_HEADER = ["amendedCelex", "amendmentCelex", *_META, *_ENTITY_COLUMNS]
SCHEMAS = {
    "Person": Schema.PERSON,
    "LegalEntity": Schema.LEGAL_ENTITY,
    "Organization": Schema.ORGANIZATION,
    "Company": Schema.COMPANY,
    "Vessel": Schema.VESSEL,
    "Asset": Schema.LEGAL_ENTITY,  # a restricted facility or zone: screened by name like a party
}
_FAMILY = {"Person": "person", "Vessel": "vessel", "Asset": "asset"}  # the rest: "org"
_EXPORT_CONTROL = ("export control", "export restriction")
_INLINE_ALIAS = re.compile(r"\s+(?:alias|a\.k\.a\.?|aka)\s+", re.IGNORECASE)
_ORIGINAL = re.compile(r"^(?P<latin>[^()]*[A-Za-z][^()]*?)\s*\((?P<native>[^()A-Za-z]+)\)$")
_JOIN_IDS = ("innCode", "ogrnCode", "imoNumber", "leiCode", "swiftBic")
# Printed labels the transcription sometimes leaves as a name ("Text of image", "Korean:").
_LABEL_NAME = re.compile(r"^(?:text of image|[\w ]{1,20}:)$", re.IGNORECASE)
MAX_FIELD = 100_000  # characters in one cell: more is not a transcription


@dataclass(slots=True)
class Row:
    """One transcribed row with the framework act it belongs to."""

    framework: str  # CELEX of the framework act
    act: str  # CELEX of the act the row was read from (the framework, or an amending act)
    cells: dict[str, str]
    where: str  # file and line, for messages


def _read_file(path: Path, ctx: ParseContext) -> tuple[str, list[Row]]:
    """The kind (``consolidated`` / ``amendment``) and rows of one CSV, checked against its header."""
    csv.field_size_limit(MAX_FIELD)
    rows: list[Row] = []
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh, strict=True)
            header = next(reader, None)
            if header == CONSOLIDATED_HEADER:
                kind = "consolidated"
            elif header == AMENDMENT_HEADER:
                kind = "amendment"
            else:
                raise SourceFormatError(
                    path, "not an EU Official Journal transcription: unexpected header", line=1
                )
            for values in reader:
                line = reader.line_num
                if not any(values):
                    continue
                if len(values) != len(header):
                    raise SourceFormatError(
                        path, f"{len(values)} cells where the header has {len(header)} (cut row?)", line=line
                    )
                cells = dict(zip(header, (v.strip() for v in values), strict=True))
                if kind == "consolidated":
                    framework = act = cells["celex"]
                else:
                    framework, act = cells["amendedCelex"], cells["amendmentCelex"]
                if not cells["name"] or cells["schema"] not in SCHEMAS:
                    ctx.warn(
                        f"row without name or with unknown schema {cells['schema']!r}", path=path, line=line
                    )
                    continue
                rows.append(Row(framework, act, cells, f"{path.name}:{line}"))
    except (csv.Error, UnicodeDecodeError) as exc:
        raise SourceFormatError(path, f"unreadable CSV: {exc}") from exc
    return kind, rows


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted((p for p in path.rglob("*.csv") if p.is_file()), key=lambda p: p.name)


def _published(path: Path) -> str | None:
    """The newest consolidated version pinned in the dataset metadata (``config.consolidation``).

    Amending rows carry designation dates, not publication dates (some print a future date
    from which a listing applies), so they do not date the list.
    """
    folder = path if path.is_dir() else path.parent
    meta = next(iter(sorted(folder.rglob("eu_journal_sanctions.yml"))), None)
    if meta is None:
        return None
    try:
        data = yaml.safe_load(meta.read_text(encoding="utf-8"))
        pins = (data.get("config") or {}).get("consolidation") or {}
    except (yaml.YAMLError, AttributeError, UnicodeDecodeError) as exc:
        raise SourceFormatError(meta, f"unreadable dataset metadata: {exc}") from exc
    dates = [str(v).rsplit("-", 1)[-1] for v in pins.values()]
    days = [f"{d[:4]}-{d[4:6]}-{d[6:8]}" for d in dates if len(d) == 8 and d.isdigit()]
    return max(days, default=None)


def _apply_amendments(consolidated: list[Row], amendments: list[Row]) -> list[Row]:
    """The consolidated rows with each amendment row added, or replacing its printed row."""

    def key(row: Row) -> tuple[str, ...] | None:
        c = row.cells
        if not c["recordId"]:
            return None
        return (row.framework, c["annex"], c["programKey"], c["measure"], c["recordId"], c["schema"])

    out = list(consolidated)
    position = {k: i for i, row in enumerate(out) if (k := key(row)) is not None}
    for row in sorted(amendments, key=lambda r: r.act):  # CELEX numbers sort by year, then number
        k = key(row)
        if k is not None and k in position:
            out[position[k]] = row
        else:
            if k is not None:
                position[k] = len(out)
            out.append(row)
    return out


def _names(row: Row) -> list[tuple[str, NameKind]]:
    """The row's names with their kind; ``X alias Y`` and ``Latin (Кириллица)`` printed forms split."""
    out: list[tuple[str, NameKind]] = []
    first, *inline = _INLINE_ALIAS.split(row.cells["name"])
    out.append((first, NameKind.PRIMARY))
    out.extend((a, NameKind.ALIAS) for a in inline)
    for column, kind in (
        ("alias", NameKind.ALIAS),
        ("weakAlias", NameKind.WEAK_ALIAS),
        ("previousName", NameKind.FORMER),
    ):
        out.extend((v, kind) for v in split_cell(row.cells[column]))
    split: list[tuple[str, NameKind]] = []
    for value, kind in out:
        if _LABEL_NAME.match(value) or (kind is not NameKind.PRIMARY and " " not in value and country(value)):
            continue  # a label or a bare language name ("Chinese"), not a name
        m = _ORIGINAL.match(value)
        if m and any(ch.isalpha() for ch in m.group("native")):
            split.append((m.group("latin").strip(), kind))
            split.append((m.group("native").strip(), NameKind.ORIGINAL_SCRIPT))
        else:
            split.append((value, kind))
    return split


@lru_cache(maxsize=1)
def _legal_form_words() -> frozenset[str]:
    """Legal-form spellings (``pjsc``, ``publicly traded company``) as slugs, from the shared table."""
    data = load_resource("organisations/legal_forms")
    return frozenset(slugify(s) or "" for form in data["forms"] for s in form["spellings"]) - {""}


def _name_key(family: str, value: str) -> str | None:
    """A slug that two spellings of one name share; legal forms at either end are left out."""
    slug = slugify(value) or ""
    if family == "org":
        forms = _legal_form_words()
        words = slug.split("-")
        changed = True
        while changed and len(words) > 1:
            changed = False
            for n in (4, 3, 2, 1):
                if len(words) > n and "-".join(words[:n]) in forms:
                    words, changed = words[n:], True
                    break
                if len(words) > n and "-".join(words[-n:]) in forms:
                    words, changed = words[:-n], True
                    break
        slug = "-".join(words)
    return slug if len(slug) >= 3 else None


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _groups(rows: list[Row]) -> list[list[Row]]:
    """Rows of one party together: same schema family and a shared name, alias or identifier."""
    uf = _UnionFind(len(rows))
    seen: dict[tuple[str, str], int] = {}
    for i, row in enumerate(rows):
        family = _FAMILY.get(row.cells["schema"], "org")
        # Only printed main names join rows: aliases ("Post Bank") are shared by distinct parties.
        keys = [
            (family, k)
            for value, kind in _names(row)
            if kind is NameKind.PRIMARY and (k := _name_key(family, value))
        ]
        if family == "person":  # namesakes are common: a person's key carries the birth dates
            born = ",".join(d.value for d in parse_dates(row.cells["birthDate"]))
            keys = [(family, f"{k}|{born}") for _, k in keys]
        for column in _JOIN_IDS:
            keys.extend((column, v.split(" (")[0].strip()) for v in split_cell(row.cells[column]))
        for key in keys:
            if key in seen:
                uf.union(seen[key], i)
            else:
                seen[key] = i
    grouped: dict[int, list[Row]] = defaultdict(list)
    for i, row in enumerate(rows):
        grouped[uf.find(i)].append(row)
    return list(grouped.values())


def _listing(row: Row) -> Listing:
    c = row.cells
    measure = c["measure"] or None
    kind = "export_control" if measure and measure.lower().startswith(_EXPORT_CONTROL) else "sanction"
    annex = f"Annex {c['annex']}" if c["annex"] else None
    act = " ".join(x for x in (row.framework, annex) if x)
    if row.act != row.framework:
        act += f" (as amended by {row.act})"
    return Listing(
        "eu", c["programKey"] or None, iso_date(c["startDate"]), c["reason"] or None, kind, measure, act
    )


def _entity(dataset: str, rows: list[Row], ctx: ParseContext) -> Entity:
    head = rows[0]
    family = _FAMILY.get(head.cells["schema"], "org")
    all_names = [n for row in rows for n in _names(row)]
    slug = min((k for v, kind in all_names if kind is NameKind.PRIMARY and (k := slugify(v))), default=None)
    source_id = (slug or slugify(head.cells["name"]) or "unnamed")[:150]
    if family == "person":
        born = sorted({d.value for row in rows for d in parse_dates(row.cells["birthDate"])})
        if born:
            source_id += f"-{born[0]}"
    schemas = [SCHEMAS[r.cells["schema"]] for r in rows]
    schema = next((s for s in schemas if s is not Schema.LEGAL_ENTITY), schemas[0])
    entity = Entity(make_id(dataset, source_id), dataset, source_id, schema)
    for value, kind in sorted(all_names, key=lambda n: n[1] is not NameKind.PRIMARY):
        entity.add_name(value, kind if not (kind is NameKind.PRIMARY and entity.names) else NameKind.ALIAS)
    for row in rows:
        _fill(entity, row, ctx)
    return entity


def _fill(entity: Entity, row: Row, ctx: ParseContext) -> None:
    c = row.cells
    for column in ("birthDate", "incorporationDate"):
        for value in split_cell(c[column]):
            found = parse_dates(value)
            if not found:
                ctx.warn(f"unreadable date {value!r} in {column}", record=row.where)
            entity.birth_dates.extend(d for d in found if d not in entity.birth_dates)
    for place in split_cell(c["birthPlace"]):
        if place not in entity.birth_places:
            entity.birth_places.append(place)
    for column in ("nationality", "jurisdiction", "country", "flag"):
        target = entity.nationalities if column == "nationality" else entity.countries
        for value in split_cell(c[column]):
            codes, unread = countries(value)
            target.extend(code for code in codes if code not in target)
            for text in unread:
                ctx.warn(f"unknown country {text!r} in {column}", record=row.where)
    for column in ID_COLUMNS:
        for value in split_cell(c[column]):
            ident = identifier(column, value)
            if ident is not None and ident not in entity.identifiers:
                entity.identifiers.append(ident)
    for value in split_cell(c["address"]):
        tail = value.rsplit(",", 1)[-1]
        codes, _ = countries(tail)
        address = Address(value, codes[0] if len(codes) == 1 else None)
        if address not in entity.addresses:
            entity.addresses.append(address)
    if c["gender"] and entity.gender is None and c["gender"].lower() in ("male", "female"):
        entity.gender = c["gender"].lower()
    for column in ("position", "legalForm", "sector", "fatherName", "motherName", "ethnicity", "appearance"):
        for value in split_cell(c[column]):
            values = entity.properties.setdefault(column, [])
            if value not in values:
                values.append(value)
    notes = split_cell(c["notes"])
    if notes:
        text = " ".join(notes)
        entity.remarks = text if not entity.remarks else f"{entity.remarks} {text}"
    listing = _listing(row)
    if listing not in entity.listings:
        entity.listings.append(listing)


def parse(ctx: ParseContext) -> Iterator[Record]:
    """Entities of every transcribed annex under ``ctx.path`` (a CSV file or a folder of them)."""
    files = _files(ctx.path)
    if not files:
        raise SourceFormatError(ctx.path, "no EU Official Journal transcription CSV files found")
    consolidated: list[Row] = []
    amendments: list[Row] = []
    for path in files:
        kind, rows = _read_file(path, ctx)
        (consolidated if kind == "consolidated" else amendments).extend(rows)
    ctx.published = _published(ctx.path)
    rows = _apply_amendments(consolidated, amendments)
    ids: set[str] = set()
    for group in _groups(rows):
        entity = _entity(ctx.dataset, group, ctx)
        base, n = entity.source_id, 1
        while entity.id in ids:  # two parties with one name and no telling detail
            n += 1
            entity.source_id = f"{base}-{n}"
            entity.id = make_id(ctx.dataset, entity.source_id)
        ids.add(entity.id)
        yield entity
