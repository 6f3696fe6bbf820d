"""Clean the values a user types into a query: dates, countries, property names.

Every face (CLI, API, web form, batch files) builds its query through
:meth:`sanctions.matching.party.Query.from_fields` or ``from_dict``, which call these, so a
value means the same thing wherever it is typed. Bad input raises :class:`QueryError` with
what was expected; nothing is dropped silently.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache

from followthemoney import model, registry

from sanctions.errors import QueryError

MIN_YEAR, MAX_YEAR = 1000, 2999
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_ISO_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}")
_NUMERIC = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
_DIRECTIVE_DAY = ("%d", "%j")
_DIRECTIVE_MONTH = ("%m", "%b", "%B")
EXAMPLE_FORMAT = "%d/%m/%Y"


def _iso_parts(year: int, month: int | None, day: int | None, raw: str) -> str:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise QueryError(f"impossible date {raw!r}: year {year} is out of range")
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        raise QueryError(f"impossible date {raw!r}: there is no month {month}")
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError as exc:
        raise QueryError(f"impossible date {raw!r}: {exc}") from None


def clean_date(value: str, date_format: str | None = None) -> str:
    """An ISO date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) from what the user typed.

    Without ``date_format`` the value must be ISO (a time part is dropped), or a
    day/month/year form that can be read only one way; ``07/10/1952`` is ambiguous and an
    error. With ``date_format`` (``strptime`` directives, e.g. ``%d/%m/%Y``) the value is read
    that way, keeping only the parts the format has (``%Y`` alone gives a year).
    """
    text = value.strip()
    if date_format:
        try:
            parsed = datetime.strptime(text, date_format)
        except ValueError:
            raise QueryError(f"date {text!r} does not have the format {date_format!r}") from None
        has_day = any(d in date_format for d in _DIRECTIVE_DAY)
        has_month = has_day or any(d in date_format for d in _DIRECTIVE_MONTH)
        return _iso_parts(
            parsed.year, parsed.month if has_month else None, parsed.day if has_day else None, text
        )
    if timed := _ISO_TIME.match(text):
        text = timed.group(1)
    if iso := _ISO.match(text):
        year, month, day = iso.groups()
        return _iso_parts(int(year), int(month) if month else None, int(day) if day else None, text)
    if numeric := _NUMERIC.match(text):
        first, second, year = (int(x) for x in numeric.groups())
        readings = {(m, d) for m, d in ((second, first), (first, second)) if 1 <= m <= 12 and 1 <= d <= 31}
        if len(readings) > 1:
            raise QueryError(
                f"ambiguous date {text!r}: day/month or month/day? "
                f"Give it as YYYY-MM-DD or pass a date format such as {EXAMPLE_FORMAT!r}"
            )
        if readings:
            month, day = readings.pop()
            return _iso_parts(year, month, day, text)
        raise QueryError(f"impossible date {text!r}: neither day/month nor month/day reads as a date")
    raise QueryError(
        f"unreadable date {text!r}: expected YYYY, YYYY-MM or YYYY-MM-DD, "
        f"or pass a date format such as {EXAMPLE_FORMAT!r}"
    )


def clean_country(value: str) -> str:
    """The lower-case ISO 3166-1 alpha-2 code (as lists store them) of a country name or code.

    Names, ISO-2 and ISO-3 codes and common variants (``Russia``, ``RUS``, ``ru``,
    ``Russian Federation``) all give ``ru``; followthemoney's country table decides.
    """
    code = registry.country.clean(value.strip())
    if code is None:
        raise QueryError(
            f"unknown country {value.strip()!r}: give a country name or an ISO code "
            "(e.g. 'Russia', 'RUS' or 'ru')"
        )
    return str(code).lower()


@cache
def ftm_properties() -> frozenset[str]:
    """Every property name some FollowTheMoney schema has."""
    return frozenset(p for schema in model.schemata.values() for p in schema.properties)


def check_property(name: str, matched: frozenset[str]) -> None:
    """QueryError for a property no FtM schema has and matching does not read."""
    if name in matched or name in ftm_properties():
        return
    raise QueryError(f"unknown property {name!r}; properties used in matching: {', '.join(sorted(matched))}")
