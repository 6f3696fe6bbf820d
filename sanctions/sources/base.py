"""What every parser shares: the parse context and the id helpers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sanctions.model import PartialDate, Record

_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_.\-]+")
MAX_RANGE_YEARS = 10  # a birth-year range wider than this keeps only its two ends
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}


def month_number(name: str) -> int | None:
    """The number of an English month name or abbreviation (``Feb``, ``february`` -> 2)."""
    return _MONTHS.get(name[:3].lower())


def approximate_years(first: int, last: int, ends: tuple[str, str] | None = None) -> list[PartialDate]:
    """One approximate date per year from ``first`` to ``last``; a range wider than
    ``MAX_RANGE_YEARS`` keeps only its two ends (``ends`` when given, else the two years)."""
    if last - first > MAX_RANGE_YEARS:
        low, high = ends or (str(first), str(last))
        return [PartialDate(low, True), PartialDate(high, True)]
    return [PartialDate(str(year), True) for year in range(first, last + 1)]


def make_id(dataset: str, source_id: str) -> str:
    """The global entity id for a publisher's record id: ``<dataset>-<source_id>``, URL-safe."""
    return f"{dataset}-{_ID_UNSAFE.sub('-', source_id.strip()).strip('-')}"


@dataclass
class ParseContext:
    """Handed to a parser: where to read, which dataset to write, where to report.

    A parser *streams*: it yields records as it reads. Problems that spoil the whole file
    raise :class:`sanctions.errors.SourceFormatError`; problems with single rows (an alias
    that points at an unknown entry, an unreadable date) are reported with :meth:`warn`
    and the row is skipped or kept without the bad field.
    """

    path: Path  # a file, or a folder holding the publisher's set of files
    dataset: str
    published: str | None = None  # the parser sets this when the file states it (ISO date)
    warnings: list[str] = field(default_factory=list)
    max_warnings: int = 1000

    def warn(
        self, message: str, *, line: int | None = None, record: str | None = None, path: Path | None = None
    ) -> None:
        where = str(path or self.path)
        if line is not None:
            where += f", line {line}"
        if record is not None:
            where += f", record {record}"
        if len(self.warnings) < self.max_warnings:
            self.warnings.append(f"{where}: {message}")
        elif len(self.warnings) == self.max_warnings:
            self.warnings.append("... more warnings suppressed")


Parser = Callable[[ParseContext], Iterator[Record]]
