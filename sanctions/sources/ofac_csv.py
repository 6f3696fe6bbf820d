"""OFAC legacy CSV sets: ``sdn.csv`` + ``alt.csv`` + ``add.csv`` + ``sdn_comments.csv`` and the
consolidated ``cons_prim.csv`` + ``cons_alt.csv`` + ``cons_add.csv`` + ``cons_comments.csv``.

No header row; ``-0-`` means empty; a Ctrl-Z byte ends the file. Files are decoded as
UTF-8 and, failing that, as cp1252 (OFAC's own encoding), never refused for encoding.

Error policy (a partial load would silently drop entries, so structure errors are fatal):

* empty file, NUL bytes, a row with the wrong number of columns, or an ``ent_num`` that
  is not a number: :class:`SourceFormatError` naming the file and line;
* a duplicate ``ent_num`` in the primary file: warned, the first row is kept;
* alias / address / comment rows whose ``ent_num`` is not in the primary file (the
  aliases file is often newer): skipped, reported as one summary warning per file;
* unreadable dates, unknown countries, unresolved ``Linked To`` names: warned per record.

The comments file continues the ``Remarks`` of the same entry (OFAC cuts remarks at a
fixed length), so its text is appended, without separator, before remarks are parsed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

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
    split_programs,
)
from sanctions.sources.ofac_remarks import parse_remarks

EMPTY = "-0-"
PRIMARY_COLUMNS = 12
COLUMNS = {"primary": PRIMARY_COLUMNS, "alt": 5, "add": 6, "comments": 2}
FILE_NAMES = {
    "us_ofac_cons": {
        "primary": "cons_prim.csv",
        "alt": "cons_alt.csv",
        "add": "cons_add.csv",
        "comments": "cons_comments.csv",
    },
    "us_ofac_sdn": {"primary": "sdn.csv", "alt": "alt.csv", "add": "add.csv", "comments": "sdn_comments.csv"},
}
ALT_KINDS = {"aka": NameKind.ALIAS, "fka": NameKind.FORMER, "nka": NameKind.ALIAS}
VESSEL_COLUMNS = ((5, "callSign"), (6, "type"), (7, "tonnage"), (8, "grossRegisteredTonnage"), (10, "owner"))
EXAMPLES = 5


@dataclass(frozen=True, slots=True)
class CsvSet:
    """The files of one legacy CSV publication; only the primary file is required."""

    primary: Path
    alt: Path | None = None
    add: Path | None = None
    comments: Path | None = None


def find_csv_set(folder: Path, dataset: str) -> CsvSet | None:
    """The SDN or consolidated file set in ``folder`` (file names compared case-insensitively).

    The dataset's own set is preferred; the other one is used when it is the only one there.
    """
    present = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
    order = [dataset] + [d for d in FILE_NAMES if d != dataset] if dataset in FILE_NAMES else list(FILE_NAMES)
    for name in order:
        names = FILE_NAMES[name]
        primary = present.get(names["primary"])
        if primary is not None:
            return CsvSet(
                primary, present.get(names["alt"]), present.get(names["add"]), present.get(names["comments"])
            )
    return None


def decode(path: Path, data: bytes) -> str:
    """UTF-8 first, then cp1252, then latin-1 (which cannot fail); Ctrl-Z and BOM removed."""
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    text = text.replace("\x1a", "")
    if "\x00" in text:
        raise SourceFormatError(path, "contains NUL bytes: not an OFAC CSV text file")
    if not text.strip():
        raise SourceFormatError(path, "file is empty")
    return text


def read_rows(path: Path, kind: str, data: bytes | None = None) -> Iterator[tuple[int, list[str | None]]]:
    """``(line, cells)`` per row of an OFAC CSV file; ``-0-`` and blanks become None."""
    width = COLUMNS[kind]
    raw = path.read_bytes() if data is None else data
    text = decode(path, raw)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            line = reader.line_num
            if len(row) != width:
                raise SourceFormatError(path, f"expected {width} columns, found {len(row)}", line=line)
            cells = [_cell(cell) for cell in row]
            if cells[0] is None or not cells[0].isdigit():
                if line == 1 and (cells[0] or "").lower() == "ent_num":
                    continue  # a header row some mirrors add
                raise SourceFormatError(path, f"ent_num must be a number, found {row[0][:40]!r}", line=line)
            yield line, cells
    except csv.Error as exc:
        raise SourceFormatError(path, f"not a readable CSV file: {exc}", line=reader.line_num) from exc
    # OFAC ends every CSV file with CR LF and Ctrl-Z: without it the download or copy was cut.
    if not raw.rstrip(b"\r\n").endswith(b"\x1a"):
        raise SourceFormatError(
            path, "no end-of-file marker (Ctrl-Z) after the last row: the file is truncated or not OFAC's"
        )


def _cell(cell: str) -> str | None:
    value = " ".join(cell.split())
    return None if not value or value == EMPTY else value


def primary_width(path: Path) -> int:
    """The column count of the first row (tells a primary file from an alias or address file)."""
    for _, row in _first_row(path):
        return len(row)
    return 0


def _first_row(path: Path) -> Iterator[tuple[int, list[str]]]:
    text = decode(path, path.read_bytes())
    reader = csv.reader(io.StringIO(text[:100_000], newline=""))
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                yield reader.line_num, row
                return
    except csv.Error as exc:
        raise SourceFormatError(path, f"not a readable CSV file: {exc}", line=reader.line_num) from exc


def _entity(ctx: ParseContext, cells: list[str | None]) -> Entity:
    ent_num = cells[0] or ""
    entity = Entity(
        id=make_id(ctx.dataset, ent_num), dataset=ctx.dataset, source_id=ent_num, schema=schema_for(cells[2])
    )
    entity.add_name(cells[1], NameKind.PRIMARY)
    add_property(entity, "position", cells[4])
    for index, prop in VESSEL_COLUMNS:
        add_property(entity, prop, cells[index])
    if cells[9] is not None:
        add_property(entity, "flag", cells[9])
        add_country(entity, cells[9])
    return entity


def _report_orphans(ctx: ParseContext, path: Path, orphans: dict[str, int]) -> None:
    if not orphans:
        return
    examples = ", ".join(list(orphans)[:EXAMPLES])
    rows = sum(orphans.values())
    ctx.warn(
        f"{rows} rows refer to {len(orphans)} ent_nums absent from the primary file "
        f"(e.g. {examples}); skipped",
        path=path,
    )


def parse_csv_set(ctx: ParseContext, files: CsvSet) -> Iterator[Record]:
    """All entities of the set (with aliases, addresses and remarks), then their relations."""
    comments: dict[str, str] = {}
    if files.comments is not None:
        for _, cells in read_rows(files.comments, "comments"):
            comments[cells[0] or ""] = comments.get(cells[0] or "", "") + (cells[1] or "")
    entities: dict[str, Entity] = {}
    links = LinkResolver(ctx.dataset)
    for line, cells in read_rows(files.primary, "primary"):
        ent_num = cells[0] or ""
        if ent_num in entities:
            ctx.warn(
                "duplicate ent_num; the first row is kept", line=line, record=ent_num, path=files.primary
            )
            continue
        entity = _entity(ctx, cells)
        remarks = (cells[11] or "") + comments.pop(ent_num, "")
        entity.remarks = remarks or None
        facts = parse_remarks(remarks)
        apply_facts(entity, facts)
        for problem in facts.problems:
            ctx.warn(problem, line=line, record=ent_num, path=files.primary)
        set_listings(entity, split_programs(cells[3]), facts.listed_on)
        links.add_entity(entity)
        links.add_links(entity.id, facts.linked_to, ent_num)
        entities[ent_num] = entity
    if comments and files.comments is not None:
        _report_orphans(ctx, files.comments, {k: 1 for k in comments})
    if files.alt is not None:
        _apply_aliases(ctx, files.alt, entities)
    if files.add is not None:
        _apply_addresses(ctx, files.add, entities)
    yield from entities.values()
    yield from links.resolve(ctx)


def _rows_of_entries(
    ctx: ParseContext, path: Path, kind: str, entities: dict[str, Entity]
) -> Iterator[tuple[Entity, list[str | None]]]:
    """The rows of an alias or address file with the entry each belongs to; rows pointing at
    unknown entries are counted and reported once the file is read."""
    orphans: dict[str, int] = {}
    for _, cells in read_rows(path, kind):
        entity = entities.get(cells[0] or "")
        if entity is None:
            orphans[cells[0] or ""] = orphans.get(cells[0] or "", 0) + 1
            continue
        yield entity, cells
    _report_orphans(ctx, path, orphans)


def _apply_aliases(ctx: ParseContext, path: Path, entities: dict[str, Entity]) -> None:
    for entity, cells in _rows_of_entries(ctx, path, "alt", entities):
        kind = ALT_KINDS.get((cells[2] or "aka").lower().replace(".", ""), NameKind.ALIAS)
        entity.add_name(cells[3], kind)


def _apply_addresses(ctx: ParseContext, path: Path, entities: dict[str, Entity]) -> None:
    for entity, cells in _rows_of_entries(ctx, path, "add", entities):
        parts = [p for p in cells[2:5] if p]
        if not parts:
            continue
        code = add_country(entity, cells[4])
        address = Address(full=", ".join(parts), country=code)
        if address not in entity.addresses:
            entity.addresses.append(address)
