"""The user watchlist CSV (``csv`` source): an internal deny list, one party per row.

The format is documented in ``docs/formats.md``. In short: a header row is required, ``name``
is the only required column; ``type``, ``aliases``, ``birth_date``, ``country``,
``identifiers``, ``list``, ``id``, ``listed_on``, ``reason`` and ``notes`` are optional.
Several values in one cell are separated by ``;``. The file is UTF-8 (a BOM is fine) and
may use ``,``, ``;`` or tab as the delimiter; the delimiter is read from the header row.

Every row becomes a listed :class:`~sanctions.model.Entity`: a deny list names parties to
stop, so each carries a :class:`~sanctions.model.Listing` whose authority is the dataset
name the user chose and whose program is the ``list`` column.

This module also holds the CSV reading and value helpers the relations CSV shares.
"""

from __future__ import annotations

import calendar
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from followthemoney.types import registry
from rigour.text.scripts import text_scripts

from sanctions.errors import SourceFormatError
from sanctions.model import IDENTIFIER_SCHEMES, Entity, Identifier, Listing, NameKind, PartialDate, Schema
from sanctions.sources.base import ParseContext, make_id

__all__ = [
    "COLUMNS",
    "SCHEME_SYNONYMS",
    "CsvTable",
    "is_original_script",
    "parse",
    "parse_partial_date",
    "parse_schema",
    "read_csv",
    "split_values",
]

COLUMNS = (
    "name",
    "type",
    "aliases",
    "birth_date",
    "country",
    "identifiers",
    "list",
    "id",
    "listed_on",
    "reason",
    "notes",
)
DELIMITERS = (",", ";", "\t")
VALUE_SEPARATOR = ";"

# Words accepted in a ``type`` column, compared lower-case without spaces, "_" and "-".
_SCHEMA_WORDS: dict[str, Schema] = {
    "person": Schema.PERSON,
    "individual": Schema.PERSON,
    "organization": Schema.ORGANIZATION,
    "organisation": Schema.ORGANIZATION,
    "company": Schema.COMPANY,
    "vessel": Schema.VESSEL,
    "ship": Schema.VESSEL,
    "aircraft": Schema.AIRCRAFT,
    "airplane": Schema.AIRCRAFT,
    "legalentity": Schema.LEGAL_ENTITY,
    "entity": Schema.LEGAL_ENTITY,
}
SCHEMA_WORDS = ("person", "organization", "company", "vessel", "aircraft", "legal_entity")

# Common labels users write for a scheme: label -> (scheme, note kept on the identifier).
SCHEME_SYNONYMS: dict[str, tuple[str, str | None]] = {
    "inn": ("tax", "INN"),
    "tin": ("tax", None),
    "vat": ("tax", "VAT"),
    "ogrn": ("registration", "OGRN"),
    "bic": ("swift", None),
}

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_WORD_JOINERS = re.compile(r"[\s_\-]+")


def is_original_script(value: str) -> bool:
    """True when a name is written (even partly) in a script other than Latin: Cyrillic, Han, ..."""
    return bool(text_scripts(value) - {"Latin"})


def parse_partial_date(value: str) -> PartialDate | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as a :class:`PartialDate`; ``None`` if not a real date."""
    found = _DATE.match(value.strip())
    if found is None:
        return None
    year, month, day = (int(part) if part else None for part in found.groups())
    if year is None or year < 1:
        return None
    if month is not None and not 1 <= month <= 12:
        return None
    if month is not None and day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return PartialDate(found.group(0))


def parse_schema(value: str) -> Schema | None:
    """The schema a ``type`` word names (``person``, ``company``, ...); ``None`` if unknown."""
    return _SCHEMA_WORDS.get(_WORD_JOINERS.sub("", value.strip().lower()))


def split_values(cell: str) -> list[str]:
    """The non-blank ``;``-separated values of one cell, stripped."""
    return [part.strip() for part in cell.split(VALUE_SEPARATOR) if part.strip()]


def _column_name(header: str) -> str:
    return _WORD_JOINERS.sub("_", header.strip().lstrip("\ufeff").strip().lower())


class CsvTable:
    """A user CSV file read and checked: its columns, delimiter and data rows with line numbers."""

    def __init__(self, path: Path, text: str, delimiter: str, columns: list[str]):
        self.path = path
        self.delimiter = delimiter
        self.columns = columns
        self._text = text

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Each non-blank data row as ``(first line number, {column: stripped cell})``."""
        reader = csv.reader(io.StringIO(self._text, newline=""), delimiter=self.delimiter)
        last_line = 0
        try:
            for record in reader:
                start, last_line = last_line + 1, reader.line_num
                if start == 1 or not any(cell.strip() for cell in record):
                    continue  # the header, blank lines
                cells = record + [""] * (len(self.columns) - len(record))
                yield start, {col: cell.strip() for col, cell in zip(self.columns, cells, strict=False)}
        except csv.Error as exc:
            raise SourceFormatError(self.path, f"unreadable CSV: {exc}", line=last_line + 1) from exc


def read_csv(path: Path, required: tuple[str, ...]) -> CsvTable:
    """Open a user CSV: decode UTF-8 (BOM or not), pick the delimiter, check the required columns.

    Raises :class:`SourceFormatError` when the file is not UTF-8 text or lacks a required
    column (the message names the columns it found).
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceFormatError(path, f"cannot read file: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise SourceFormatError(path, "not UTF-8 text; save the file as UTF-8 CSV", line=line) from exc
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise SourceFormatError(path, "binary data (NUL byte) in a CSV file", line=line)
    first_line = text.split("\n", 1)[0].rstrip("\r")
    best: list[str] = []
    for delimiter in DELIMITERS:
        try:
            header = next(csv.reader([first_line], delimiter=delimiter), [])
        except csv.Error:
            continue
        columns = [_column_name(cell) for cell in header]
        if all(col in columns for col in required):
            duplicates = sorted({col for col in columns if col and columns.count(col) > 1})
            if duplicates:
                raise SourceFormatError(path, f"duplicate columns: {', '.join(duplicates)}", line=1)
            return CsvTable(path, text, delimiter, columns)
        if len(columns) > len(best):
            best = columns
    missing = ", ".join(col for col in required if col not in best)
    found = ", ".join(col for col in best if col) or "none"
    raise SourceFormatError(path, f"missing required column(s) {missing}; columns found: {found}", line=1)


def _identifiers(ctx: ParseContext, cell: str, line: int) -> list[Identifier]:
    identifiers: list[Identifier] = []
    for item in split_values(cell):
        label, sep, value = item.partition(":")
        scheme = _column_name(label)
        if not sep:
            identifiers.append(Identifier("other", item))
        elif scheme in IDENTIFIER_SCHEMES and value.strip():
            identifiers.append(Identifier(scheme, value.strip()))
        elif scheme in SCHEME_SYNONYMS and value.strip():
            known, note = SCHEME_SYNONYMS[scheme]
            identifiers.append(Identifier(known, value.strip(), note=note))
        elif value.strip():
            ctx.warn(
                f"unknown identifier scheme {label.strip()!r}, kept as 'other'; "
                f"known: {', '.join(IDENTIFIER_SCHEMES)}",
                line=line,
            )
            identifiers.append(Identifier("other", value.strip(), note=label.strip()))
    return identifiers


def _dates(ctx: ParseContext, cell: str, column: str, line: int) -> list[PartialDate]:
    dates: list[PartialDate] = []
    for value in split_values(cell):
        parsed = parse_partial_date(value)
        if parsed is None:
            ctx.warn(f"{column}: {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD); dropped", line=line)
        elif parsed not in dates:
            dates.append(parsed)
    return dates


def _countries(ctx: ParseContext, cell: str, line: int) -> list[str]:
    countries: list[str] = []
    for value in split_values(cell):
        code = registry.country.clean(value)
        if code is None:
            ctx.warn(f"country: {value!r} is not a country name or ISO code; dropped", line=line)
        elif code not in countries:
            countries.append(code)
    return countries


def _entity(ctx: ParseContext, row: dict[str, str], record_id: str, line: int) -> Entity:
    schema = Schema.LEGAL_ENTITY
    if row.get("type"):
        found = parse_schema(row["type"])
        if found is None:
            ctx.warn(
                f"type: {row['type']!r} unknown, read as legal_entity; use one of {', '.join(SCHEMA_WORDS)}",
                line=line,
            )
        else:
            schema = found
    entity = Entity(make_id(ctx.dataset, record_id), ctx.dataset, record_id, schema)
    entity.add_name(row["name"], NameKind.PRIMARY)
    for alias in split_values(row.get("aliases", "")):
        entity.add_name(alias, NameKind.ORIGINAL_SCRIPT if is_original_script(alias) else NameKind.ALIAS)
    entity.birth_dates = _dates(ctx, row.get("birth_date", ""), "birth_date", line)
    entity.countries = _countries(ctx, row.get("country", ""), line)
    entity.identifiers = _identifiers(ctx, row.get("identifiers", ""), line)
    listed_on: str | None = None
    if row.get("listed_on"):
        listed = _dates(ctx, row["listed_on"], "listed_on", line)
        listed_on = listed[0].value if listed else None
    entity.listings = [
        Listing(
            authority=ctx.dataset,
            program=row.get("list") or None,
            listed_on=listed_on,
            reason=row.get("reason") or None,
        )
    ]
    entity.remarks = row.get("notes") or None
    return entity


def parse(ctx: ParseContext) -> Iterator[Entity]:
    """Read a user watchlist CSV: one listed entity per row with a name.

    A missing ``name`` column raises :class:`SourceFormatError`. Rows without a name or
    with a repeated ``id`` are skipped with a warning; unreadable dates, countries and
    types are reported and dropped (the type falls back to ``legal_entity``).
    """
    table = read_csv(ctx.path, ("name",))
    unknown = [col for col in table.columns if col and col not in COLUMNS]
    if unknown:
        ctx.warn(f"columns ignored: {', '.join(unknown)}; known columns: {', '.join(COLUMNS)}", line=1)
    seen: set[str] = set()
    for number, (line, row) in enumerate(table.rows(), start=1):
        if not row.get("name"):
            ctx.warn("row without a name; skipped", line=line)
            continue
        record_id = row.get("id") or str(number)
        entity_id = make_id(ctx.dataset, record_id)
        if entity_id in seen:
            ctx.warn(f"id {record_id!r} repeats an earlier row; skipped", line=line)
            continue
        seen.add(entity_id)
        yield _entity(ctx, row, record_id, line)
