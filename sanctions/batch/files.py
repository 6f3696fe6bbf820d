"""Customer files into deterministic chunks, and result tables out to CSV, XLSX, Parquet or JSON lines.

Rows are read by :mod:`sanctions.records` (the readers books use) and cut into chunks of a
fixed number of rows in file order. A chunk's SHA-256 is that of its rows (canonical JSON), so
a re-run knows which chunks it has done already and that they are unchanged.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa

from sanctions.batch.function import CHUNK, LINE, PROBLEM
from sanctions.errors import SourceFormatError
from sanctions.records import read_rows

OUTPUT_FORMATS = ("csv", "xlsx", "parquet", "jsonl")
_OUT_EXTENSIONS = {
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
}


@dataclass(frozen=True, slots=True)
class Chunk:
    """Rows ``first_line``..``last_line`` of a file, numbered from 0 in file order."""

    number: int
    rows: list[dict[str, Any]]
    sha256: str
    first_line: int
    last_line: int

    def table(self) -> pa.Table:
        """The chunk as an Arrow table of string columns plus ``_line`` and ``_chunk``."""
        names = list(dict.fromkeys(k for row in self.rows for k in row))
        columns: dict[str, list[Any]] = {n: [row.get(n) for row in self.rows] for n in names}
        arrays = {n: pa.array(v, type=pa.int64() if n == LINE else pa.string()) for n, v in columns.items()}
        arrays[CHUNK] = pa.array([self.number] * len(self.rows), type=pa.int64())
        return pa.table(arrays)


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return "; ".join(str(v) for v in value if v is not None)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_chunks(path: Path, fmt: str | None, mapping: dict[str, str] | None, size: int) -> Iterator[Chunk]:
    """The customer rows of a file in chunks of ``size`` (SourceFormatError if unreadable).

    Unreadable rows stay in (as ``_problem``-bearing rows, so their line is reported in order);
    FtM records that are not parties are left out.
    """
    number = 0
    rows: list[dict[str, Any]] = []
    for line, raw in read_rows(path, fmt, mapping):
        if raw.get("__skip__"):
            continue
        if "__bad__" in raw:
            row: dict[str, Any] = {LINE: line, "__bad__": str(raw["__bad__"])}
        else:
            row = {LINE: line, **{str(k): _cell(v) for k, v in raw.items()}}
        rows.append(row)
        if len(rows) >= size:
            yield _chunk(number, rows)
            number += 1
            rows = []
    if rows:
        yield _chunk(number, rows)


def _chunk(number: int, rows: list[dict[str, Any]]) -> Chunk:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(orjson.dumps(row, option=orjson.OPT_SORT_KEYS) + b"\n")
    return Chunk(number, rows, digest.hexdigest(), int(rows[0][LINE]), int(rows[-1][LINE]))


def output_format(path: Path | None, fmt: str | None) -> str:
    """The output format: ``fmt`` when given, else the extension of ``path`` (stdout: JSON lines)."""
    if fmt:
        if fmt not in OUTPUT_FORMATS:
            raise SourceFormatError(
                path or "-", f"unknown output format {fmt!r}; expected one of {', '.join(OUTPUT_FORMATS)}"
            )
        return fmt
    if path is None:
        return "jsonl"
    found = _OUT_EXTENSIONS.get(path.suffix.lower())
    if found is None:
        raise SourceFormatError(
            path, "cannot tell the output format from the extension; pass --output-format"
        )
    return found


def public_columns(names: Iterable[str]) -> list[str]:
    """The columns a result file shows: all but the internal ones (line, chunk, problem)."""
    return [n for n in names if n not in (LINE, CHUNK, PROBLEM, "__bad__", "input___bad__")]


def write_results(tables: Iterable[pa.Table], out: Path, fmt: str) -> int:
    """Write result tables to ``out``, without the problem rows (reported apart) and the internal
    columns; the rows written.

    Tables may differ in their customer columns (JSON lines input): each table's columns are
    aligned on the first one's, a later new column is kept only in JSON lines.
    """
    import pyarrow.compute as pc

    writers = {"csv": _write_csv, "xlsx": _write_xlsx, "parquet": _write_parquet, "jsonl": _write_jsonl}
    return writers[fmt]((t.filter(pc.is_null(t[PROBLEM])) for t in tables), out)


def _rows(tables: Iterable[pa.Table]) -> Iterator[tuple[list[str], list[dict[str, Any]]]]:
    for table in tables:
        yield public_columns(table.schema.names), table.to_pylist()


def _write_jsonl(tables: Iterable[pa.Table], out: Path) -> int:
    count = 0
    with out.open("wb") as fh:
        for names, rows in _rows(tables):
            for row in rows:
                fh.write(orjson.dumps({n: row.get(n) for n in names}) + b"\n")
                count += 1
    return count


def _write_csv(tables: Iterable[pa.Table], out: Path) -> int:
    count = 0
    header: list[str] | None = None
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        for names, rows in _rows(tables):
            if header is None:
                header = names
                writer.writerow(header)
            for row in rows:
                writer.writerow(["" if row.get(n) is None else row.get(n) for n in header])
                count += 1
        if header is None:
            writer.writerow(public_columns(_empty_names()))
    return count


def _write_xlsx(tables: Iterable[pa.Table], out: Path) -> int:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("results")
    count = 0
    header: list[str] | None = None
    for names, rows in _rows(tables):
        if header is None:
            header = names
            sheet.append(header)
        for row in rows:
            sheet.append([row.get(n) for n in header])
            count += 1
    if header is None:
        sheet.append(public_columns(_empty_names()))
    book.save(out)
    return count


def _write_parquet(tables: Iterable[pa.Table], out: Path) -> int:
    import pyarrow.parquet as pq

    count = 0
    writer: pq.ParquetWriter | None = None
    schema: pa.Schema | None = None
    try:
        for table in tables:
            names = public_columns(table.schema.names)
            if schema is None:
                schema = table.select(names).schema
                writer = pq.ParquetWriter(out, schema)
            aligned = pa.table(
                {
                    f.name: table[f.name] if f.name in table.schema.names else pa.nulls(len(table), f.type)
                    for f in schema
                }
            )
            assert writer is not None
            writer.write_table(aligned.cast(schema))
            count += len(table)
        if writer is None:
            from sanctions.batch.function import output_schema

            empty = output_schema([])
            pq.write_table(empty.empty_table().select(public_columns(empty.names)), out)
    finally:
        if writer is not None:
            writer.close()
    return count


def _empty_names() -> list[str]:
    from sanctions.batch.function import output_schema

    return list(output_schema([]).names)
