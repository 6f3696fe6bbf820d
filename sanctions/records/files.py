"""Read customer files: CSV, XLSX, Parquet, JSON lines (yente query shape) and FtM entities.

Every reader turns rows into mapped values, then :func:`make_customer` cleans them. Bad rows
become :class:`RowProblem` with their line number; the rest is kept. A file that cannot be read
at all (missing, not the format its name says, no id or name column) raises SourceFormatError
before anything is returned, so an import built on it changes nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from sanctions.errors import SourceFormatError
from sanctions.matching.party import NAME_PROPS, PART_PROPS
from sanctions.records.customer import Customer, RowProblem, make_customer
from sanctions.records.fields import ID_FIELD, IGNORE, SCHEMA_FIELD, field_for

FORMATS = ("csv", "xlsx", "parquet", "jsonl", "ftm")
_EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".ijson": "ftm",
    ".ftm": "ftm",
}
_MULTI_SEP = ";"  # several values in one cell: "Ivan Petrov; Ivan Petroff"
_SINGLE = frozenset({ID_FIELD, SCHEMA_FIELD, "address"})
# FtM schemata that are not parties (relations, documents): skipped in an FtM file, not errors.
_PARTY_SCHEMATA = frozenset(
    {"Person", "Organization", "Company", "LegalEntity", "PublicBody", "Vessel", "Aircraft", "Thing"}
)

Row = tuple[int, dict[str, Any]]  # (line, raw values by column or property)


@dataclass(slots=True)
class ReadResult:
    """What a file gave: customers (unique ids, file order), bad rows, and rows skipped."""

    path: str
    format: str
    customers: list[Customer] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    skipped: int = 0  # FtM records that are not parties (ownership, addresses, ...)


def detect_format(path: Path, fmt: str | None = None) -> str:
    """The file's format: ``fmt`` when given, else from its extension."""
    if fmt:
        if fmt not in FORMATS:
            raise SourceFormatError(path, f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
        return fmt
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes[-2:] == [".ftm", ".json"]:
        return "ftm"
    found = _EXTENSIONS.get(suffixes[-1] if suffixes else "")
    if found is None:
        raise SourceFormatError(path, "cannot tell the format from the extension; pass --format")
    return found


def read_rows(
    path: Path | str, fmt: str | None = None, mapping: dict[str, str] | None = None
) -> Iterator[Row]:
    """The file's rows as (line, raw values by column), unmapped: what :func:`read_customers`
    cleans, and what the batch screener sends to its engines. A row that cannot be read at all
    comes as ``{"__bad__": message}``, a non-party FtM record as ``{"__skip__": True}``.
    SourceFormatError when the file cannot be read (missing, wrong format, no id or name column).
    """
    path = Path(path)
    if not path.is_file():
        raise SourceFormatError(path, "no such file")
    fmt = detect_format(path, fmt)
    readers = {
        "csv": _csv_rows,
        "xlsx": _xlsx_rows,
        "parquet": _parquet_rows,
        "jsonl": _json_rows,
        "ftm": _json_rows,
    }
    columns_checked = fmt not in ("csv", "xlsx", "parquet")
    for line, raw in readers[fmt](path):
        if not columns_checked and "__bad__" not in raw and not raw.get("__skip__"):
            check_columns(path, list(raw), mapping)
            columns_checked = True
        yield line, raw


def customer_from_row(
    line: int, raw: dict[str, Any], mapping: dict[str, str] | None = None
) -> Customer | RowProblem:
    """One raw row (column -> cell) mapped and cleaned into a customer, or the row's problem."""
    if "__bad__" in raw:
        return RowProblem(line, "row", str(raw["__bad__"]))
    values, extra = _map_row(raw, mapping)
    return make_customer(line, values, extra)


def read_customers(
    path: Path | str, fmt: str | None = None, mapping: dict[str, str] | None = None
) -> ReadResult:
    """Read a whole customer file; SourceFormatError when it cannot be read at all."""
    path = Path(path)
    fmt = detect_format(path, fmt) if path.is_file() else (fmt or "")
    result = ReadResult(str(path), fmt)
    first_line: dict[str, int] = {}
    for line, raw in read_rows(path, fmt or None, mapping):
        if raw.get("__skip__"):
            result.skipped += 1
            continue
        made = customer_from_row(line, raw, mapping)
        if isinstance(made, RowProblem):
            result.problems.append(made)
            continue
        if made.id in first_line:
            result.problems.append(
                RowProblem(line, "id", f"duplicate id {made.id!r} (first at line {first_line[made.id]})")
            )
            continue
        first_line[made.id] = line
        result.customers.append(made)
    return result


def check_columns(path: Path, headers: list[str], mapping: dict[str, str] | None) -> None:
    """SourceFormatError unless the headers give an id column and a name column."""
    fields = {field_for(h, mapping) for h in headers}
    if ID_FIELD not in fields:
        raise SourceFormatError(path, f"no id column (columns: {', '.join(headers)}); use --map COLUMN=id")
    if not fields & {*NAME_PROPS, *PART_PROPS}:
        raise SourceFormatError(
            path, f"no name column (columns: {', '.join(headers)}); use --map COLUMN=name"
        )


def _map_row(
    raw: dict[str, Any], mapping: dict[str, str] | None
) -> tuple[dict[str, list[str]], dict[str, str]]:
    values: dict[str, list[str]] = {}
    extra: dict[str, str] = {}
    for column, cell in raw.items():
        cells = [_text(c) for c in (cell if isinstance(cell, list) else [cell]) if c is not None]
        target = field_for(column, mapping)
        if target is None:
            if not (mapping and mapping.get(column) == IGNORE):
                extra[column] = "; ".join(c for c in cells if c)
            continue
        out = values.setdefault(target, [])
        for text in cells:
            parts = [text] if target in _SINGLE else text.split(_MULTI_SEP)
            out.extend(p.strip() for p in parts if p.strip())
    return values, extra


def _text(value: Any) -> str:
    if hasattr(value, "isoformat"):  # dates and datetimes from XLSX and Parquet
        return str(value.isoformat())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 12345.0 from a spreadsheet id column
    return str(value)


def _csv_rows(path: Path) -> Iterator[Row]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceFormatError(path, f"not UTF-8 text (byte {exc.start})") from exc
    sample = text[:20_000]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise SourceFormatError(path, "empty file: expected a header row") from exc
    header = [h.strip() for h in header]
    if not any(header):
        raise SourceFormatError(path, "empty header row", line=1)
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            yield reader.line_num, dict(zip(header, row, strict=False))
    except csv.Error as exc:
        raise SourceFormatError(path, f"unreadable CSV: {exc}", line=reader.line_num) from exc


def _xlsx_rows(path: Path) -> Iterator[Row]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, InvalidFileException...
        raise SourceFormatError(path, f"not a readable XLSX workbook: {exc}") from exc
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        if not any(header):
            raise SourceFormatError(path, "no header row in the first sheet", line=1)
        for number, row in enumerate(rows, start=2):
            if all(c is None or str(c).strip() == "" for c in row):
                continue
            yield number, {h: c for h, c in zip(header, row, strict=False) if h}
    finally:
        book.close()


def _parquet_rows(path: Path) -> Iterator[Row]:
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError...
        raise SourceFormatError(path, f"not a readable Parquet file: {exc}") from exc
    number = 1  # row 1 is the "header" (the schema), as in CSV
    for batch in table.iter_batches(batch_size=10_000):
        for row in batch.to_pylist():
            number += 1
            yield number, row


def _json_rows(path: Path) -> Iterator[Row]:
    """JSON lines of ``{"id", "schema", "properties"}`` (yente queries and FtM entities alike)."""
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                data = orjson.loads(raw)
            except orjson.JSONDecodeError:
                if number == 1:
                    raise SourceFormatError(path, "not JSON lines", line=1) from None
                yield number, {"__bad__": "not valid JSON"}
                continue
            if not isinstance(data, dict) or not isinstance(data.get("properties", {}), dict):
                yield number, {"__bad__": "expected an object with 'properties'"}
                continue
            schema = data.get("schema")
            if schema is not None and schema not in _PARTY_SCHEMATA and str(schema)[:1].isupper():
                yield number, {"__skip__": True}
                continue
            row: dict[str, Any] = dict(data.get("properties", {}))
            row[ID_FIELD] = data.get("id")
            row[SCHEMA_FIELD] = schema
            yield number, row
