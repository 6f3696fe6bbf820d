"""The errors `sanctions` raises. No HTTP status codes here: the API layer maps them."""

from __future__ import annotations

from pathlib import Path


class SanctionsError(Exception):
    """Base class of every error this package raises on purpose."""


class SourceFormatError(SanctionsError):
    """An input file is not what its source expects: says which file, where, and what."""

    def __init__(self, path: Path | str, message: str, *, line: int | None = None, record: str | None = None):
        self.path = str(path)
        self.line = line
        self.record = record
        self.message = message
        where = self.path
        if line is not None:
            where += f", line {line}"
        if record is not None:
            where += f", record {record}"
        super().__init__(f"{where}: {message}")


class UnknownSourceError(SanctionsError):
    """A source name that no parser handles."""


class StoreError(SanctionsError):
    """The store cannot do what was asked (missing version, corrupt data dir, ...)."""


class NotFoundError(SanctionsError):
    """An entity, list or version that does not exist."""


class QueryError(SanctionsError):
    """A screening query that is malformed or too large."""


class FetchError(SanctionsError):
    """A download from a publisher failed."""


class NotReadyError(SanctionsError):
    """The service cannot answer yet: no list is loaded, or the index is still being built."""
