"""Row readers for the UK's spreadsheet exports: XLSX (openpyxl, read-only) or CSV (any encoding).

Both the OFSI Consolidated List and the FCDO UK Sanctions List put a one-line preamble
("Last Updated,14/04/2025" / "Report Date: 10/09/2026") above the header row. ``read_table``
finds the header by its required columns and yields the data rows as dicts of trimmed text.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sanctions.errors import SourceFormatError
from sanctions.sources.uk_common import clean_text

_HEADER_SEARCH_ROWS = 10
_DATE_IN_TEXT = re.compile(r"(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})")


@dataclass
class Table:
    """A spreadsheet read down to its header: the preamble's date, the header, the row iterator."""

    path: Path
    header: list[str]
    rows: Iterator[tuple[int, dict[str, str]]]  # (1-based line / row number, column -> text)
    preamble: list[str] = field(default_factory=list)  # cells above the header row

    @property
    def preamble_date(self) -> str | None:
        """The first date written above the header ("Last Updated", "Report Date: ...")."""
        for cell in self.preamble:
            m = _DATE_IN_TEXT.search(cell)
            if m:
                return m.group(1)
        return None


def _cell(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(value)


def _xlsx_rows(path: Path) -> Generator[tuple[int, list[str]]]:
    import openpyxl  # imported here: only the XLSX variant needs it

    from sanctions.containers import ContainerError, ContainerLimits, check_zip

    try:  # openpyxl inflates shared strings whole: the bounded reader vets the archive first
        check_zip(path, str(path), ContainerLimits())
    except ContainerError as exc:
        raise SourceFormatError(path, f"not a readable XLSX workbook ({exc.message})") from exc
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, XML and its own errors
        raise SourceFormatError(path, f"not a readable XLSX workbook ({type(exc).__name__}: {exc})") from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise SourceFormatError(path, "the workbook has no worksheet")
        number = 0
        rows = sheet.iter_rows(values_only=True)
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # a broken sheet XML shows only while iterating
                raise SourceFormatError(path, f"unreadable worksheet ({exc})", line=number + 1) from exc
            number += 1
            yield number, [_cell(v) for v in values]
    finally:
        workbook.close()


def _sniff_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as such, else Windows-1252/Latin-1."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as fh:
        try:
            while chunk := fh.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return "utf-8-sig"
        except UnicodeDecodeError:
            pass
        fh.seek(0)
        try:
            codecs.decode(fh.read(), "cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            return "latin-1"


def _csv_rows(path: Path) -> Generator[tuple[int, list[str]]]:
    encoding = _sniff_encoding(path)
    with path.open("r", encoding=encoding, newline="") as fh:
        reader = csv.reader(fh)
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise SourceFormatError(path, f"malformed CSV ({exc})", line=reader.line_num) from exc
            yield reader.line_num, [_cell(v) for v in values]


def is_xlsx(path: Path) -> bool:
    """True when the file is a ZIP container (XLSX), judged by its magic bytes."""
    with path.open("rb") as fh:
        head = fh.read(4)
    return head == b"PK\x03\x04" and zipfile.is_zipfile(path)


def read_table(path: Path, required: Sequence[str], *, what: str) -> Table:
    """Open an XLSX or CSV export and position it after its header row.

    ``required`` columns (compared case-insensitively) identify the header; a file without such
    a row within its first rows is not this publisher's format (``what`` names it in the error).
    Rows are keyed by the header's cells, required ones spelt as in ``required``.
    """
    if not path.is_file():
        raise SourceFormatError(path, "file not found")
    if path.stat().st_size == 0:
        raise SourceFormatError(path, f"empty file; expected the {what}")
    raw = _xlsx_rows(path) if is_xlsx(path) else _csv_rows(path)
    preamble: list[str] = []
    header: list[str] = []
    best: tuple[int, list[str]] | None = None
    for number, values in raw:
        folded = {v.casefold() for v in values}
        present = [r for r in required if r.casefold() in folded]
        if len(present) == len(required):
            canonical = {r.casefold(): r for r in required}
            header = [canonical.get(v.casefold(), v) for v in values]
            break
        if present and (best is None or len(present) > best[0]):
            best = (len(present), values)
        preamble.extend(v for v in values if v)
        if number >= _HEADER_SEARCH_ROWS:
            break
    if not header:
        raw.close()
        if best is not None:
            missing = [r for r in required if r.casefold() not in {v.casefold() for v in best[1]}]
            message = f"missing required column(s) {', '.join(missing)} in the {what} header"
            raise SourceFormatError(path, message)
        raise SourceFormatError(
            path, f"no header row with columns {', '.join(required)} found; is this the {what}?"
        )
    return Table(path, header, _as_dicts(header, raw), preamble)


def _as_dicts(
    header: list[str], raw: Iterator[tuple[int, list[str]]]
) -> Iterator[tuple[int, dict[str, str]]]:
    width = len(header)
    for number, values in raw:
        if not any(values):
            continue
        if len(values) < width:
            values = values + [""] * (width - len(values))
        yield number, {h: values[i] for i, h in enumerate(header) if h}
