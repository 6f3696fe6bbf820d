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


class InvalidInputError(QueryError):
    """A value that is not text a screener can read: wrong JSON type, NUL, lone surrogate."""


class FetchError(SanctionsError):
    """A download from a publisher failed."""


class ConflictError(SanctionsError):
    """The request does not fit the current state (an alert not awaiting approval, a stale decision)."""


class FourEyesError(SanctionsError):
    """A decision was to be approved by the user who made it: a second user must approve."""


class NotReadyError(SanctionsError):
    """The service cannot answer yet: no list is loaded, or the index is still being built."""


class UpdateRefused(SanctionsError):
    """A new list version fails a safety check (shrinks too much, no date, dated ahead, ...);
    the previous version stays current."""


class AuthError(SanctionsError):
    """No valid credentials: a missing, wrong, revoked or expired key, password or session, or a
    disabled user. Says nothing about which part was wrong."""


class PermissionDenied(SanctionsError):
    """The user is known, but their role does not allow what was asked."""


class UserError(SanctionsError):
    """A bad user name, role, password or key request: says which and what is expected."""


class UserExists(ConflictError):
    """A user of that name exists already."""


class LimitExceededError(SanctionsError):
    """An input went past one of the hostile-input limits (a Settings field): says which one.

    ``limit`` is the Settings field name (``max_uncompressed_bytes``, ...); its environment
    variable is ``SANCTIONS_`` + the name in capitals.
    """

    def __init__(self, source: str, limit: str, message: str):
        self.source = source
        self.limit = limit
        self.message = message
        super().__init__(f"{source}: {message} (limit {limit}, set SANCTIONS_{limit.upper()})")
