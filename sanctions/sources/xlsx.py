"""A streaming XLSX table reader for list files published as spreadsheets (DFAT, OFSI).

It opens the workbook in openpyxl's read-only mode, finds the header row (the first row,
among the first few, that holds every required column) and yields ``(row_number,
{header: value})`` for each non-blank row below it. Every failure to read the file
becomes a :class:`~sanctions.errors.SourceFormatError` naming the file and the row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from sanctions.containers import ContainerError, ContainerLimits, check_zip
from sanctions.errors import SanctionsError, SourceFormatError


def _open_workbook(path: Path) -> Any:
    # openpyxl is imported here, not at module import: parsers load lazily.
    import openpyxl

    # openpyxl inflates shared strings whole: the bounded reader vets the archive first.
    try:
        check_zip(path, str(path), ContainerLimits())
    except ContainerError as exc:
        raise SourceFormatError(path, f"not a readable XLSX workbook ({exc.message})") from exc
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    # openpyxl surfaces a broken file as many unrelated exception types (zipfile,
    # KeyError, XML parse errors, ValueError, ...): all mean "not a readable workbook".
    except Exception as exc:
        raise SourceFormatError(path, f"not a readable XLSX workbook ({type(exc).__name__}: {exc})") from exc


def header_key(value: object) -> str:
    """A header cell as a column name: text with whitespace collapsed."""
    return " ".join(str(value).split()) if value is not None else ""


def cell_text(value: object) -> str | None:
    """A cell as clean text, or None when blank: numbers without ``.0``, dates as ISO.

    Non-breaking spaces and runs of whitespace collapse to one space.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).replace("\xa0", " ").split())
    return text or None


class XlsxReader:
    """One worksheet of an XLSX file, read as a table with a header row.

    Use as a context manager; :meth:`rows` streams the data rows.
    """

    def __init__(self, path: Path, *, sheet: str | None = None) -> None:
        self.path = path
        self._workbook = _open_workbook(path)
        try:
            self._sheet = self._workbook[sheet] if sheet else self._workbook.worksheets[0]
        except (KeyError, IndexError) as exc:
            self.close()
            raise SourceFormatError(path, f"worksheet {sheet or '#1'} not found") from exc

    def __enter__(self) -> XlsxReader:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the file handle that read-only mode keeps open."""
        self._workbook.close()

    @property
    def modified(self) -> str | None:
        """The workbook's last-modified date (document properties) as an ISO date, if set."""
        when = getattr(self._workbook.properties, "modified", None)
        return when.date().isoformat() if isinstance(when, dt.datetime) else None

    def rows(self, required: Sequence[str], *, scan: int = 10) -> Iterator[tuple[int, dict[str, Any]]]:
        """Yield ``(row_number, {header: raw cell value})`` for every non-blank data row.

        The header row is the first of the first ``scan`` rows that contains every
        ``required`` column (compared with whitespace collapsed). Columns with a blank
        header are dropped. Raises SourceFormatError when no such row exists.
        """
        row_number = 0
        try:
            values = self._sheet.iter_rows(values_only=True)
            header: list[str] | None = None
            missing: list[str] = list(required)
            for row_number, row in enumerate(values, start=1):
                if header is None:
                    keys = [header_key(v) for v in row]
                    lacking = [r for r in required if r not in keys]
                    if not lacking:
                        header = keys
                        continue
                    if len(lacking) < len(missing):
                        missing = lacking
                    if row_number >= scan:
                        break
                    continue
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
                    continue
                yield row_number, {k: v for k, v in zip(header, row, strict=False) if k}
        except SanctionsError:
            raise
        # Same reason as in _open_workbook: a corrupt sheet fails in many ways.
        except Exception as exc:
            raise SourceFormatError(
                self.path, f"unreadable worksheet ({type(exc).__name__}: {exc})", line=row_number or None
            ) from exc
        if header is None:
            names = ", ".join(repr(m) for m in missing)
            raise SourceFormatError(
                self.path, f"no header row in the first {scan} rows has the required column(s) {names}"
            )
