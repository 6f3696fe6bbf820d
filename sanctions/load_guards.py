"""What a new list version must satisfy before it replaces the current one.

A list that silently shrinks, loses its date, or claims a date in the future is worse than
an old list: screening goes on against it and nobody notices. Each check raises
:class:`sanctions.errors.UpdateRefused` with the numbers, and the previous version stays
current. ``--force`` skips the checks that a human may overrule (a real mass delisting, a
corrected older file); a future date and an empty list are never accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sanctions.errors import SanctionsError, UpdateRefused
from sanctions.model import ListVersion
from sanctions.sources import SOURCES

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

# How a version's date was established, strongest first.
DATED_BY_PUBLISHER = "publisher"  # the file states it
DATED_BY_GIVEN = "given"  # `load --published`, or the bundle's manifest
DATED_BY_HTTP = "http"  # the download's Last-Modified header


@dataclass(frozen=True, slots=True)
class LoadPolicy:
    """The limits a new version is held to (from :class:`sanctions.settings.Settings`)."""

    max_drop_share: float = 0.10  # refuse a version that loses more than this share of entities
    today: date | None = None  # for tests; default: today (UTC)


def check_dataset_name(source: str, dataset: str) -> None:
    """An official list's name belongs to its own parser: a user file cannot replace it."""
    if dataset in SOURCES and dataset != source:
        raise SanctionsError(
            f"dataset {dataset!r} is the official {SOURCES[dataset].title}: only its own format "
            f"(`load {dataset} ...`) may replace it; load a {source} file under another name"
        )


def first_day(value: str) -> date:
    """The first day of an ISO date or prefix (``2025-12`` -> 1 December 2025)."""
    m = _ISO.match(value.strip()[:10])
    if m is None:
        raise ValueError(value)
    return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))


def checked_published(value: str | None, what: str, today: date | None = None) -> str | None:
    """``value`` if it is an ISO date (or prefix) not after today; else UpdateRefused."""
    if value is None:
        return None
    try:
        day = first_day(value)
    except ValueError:
        raise UpdateRefused(f"{what} {value!r} is not a date (expected YYYY-MM-DD)") from None
    today = today or datetime.now(UTC).date()
    if day > today:
        raise UpdateRefused(
            f"{what} {value} is in the future (today is {today.isoformat()}): refused, a list "
            "dated ahead would never be reported stale"
        )
    return value.strip()[:10]


def check_new_version(
    previous: ListVersion | None,
    *,
    entities: int,
    published: str | None,
    dated_by: str | None,
    policy: LoadPolicy,
    force: bool,
    path: Path,
) -> None:
    """Refuse a version that is empty, shrinks too much, loses its date or goes back in time."""
    if entities == 0:
        raise UpdateRefused(f"{path}: no entities found; the previous version stays current")
    if previous is None or force:
        return
    name = previous.dataset
    keep = " The previous version stays current; add --force to load it anyway."
    lost = previous.entities - entities
    if previous.entities and lost > policy.max_drop_share * previous.entities:
        raise UpdateRefused(
            f"{name}: the new file has {entities:,} entities where version {previous.id} has "
            f"{previous.entities:,} ({lost / previous.entities:.0%} fewer, more than the "
            f"{policy.max_drop_share:.0%} allowed): a truncated or wrong file?{keep}"
        )
    if previous.dated_by == DATED_BY_PUBLISHER and dated_by != DATED_BY_PUBLISHER:
        raise UpdateRefused(
            f"{name}: the new file states no publication date where version {previous.id} did "
            f"({previous.published}): its header is missing, a truncated or wrong file?{keep}"
        )
    if published and previous.published and first_day(published) < first_day(previous.published):
        raise UpdateRefused(
            f"{name}: the new file is dated {published}, older than version {previous.id} "
            f"({previous.published}).{keep}"
        )
