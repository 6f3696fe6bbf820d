"""OFAC remarks: the structured free text of the legacy CSV ``Remarks`` column.

A remark is a list of clauses separated by ``;`` and ended by a full stop::

    DOB 16 Nov 1957; POB Bolshie Klyuchi village, ..., Russia; nationality Russia;
    Gender Male; Tax ID No. 164804995925 (Russia); Linked To: KAMAZ PUBLICLY TRADED COMPANY.

:func:`parse_remarks` turns one remark into :class:`RemarkFacts`; :func:`parse_clause` reads
a single clause and is reused by the XML parsers, which rebuild clauses from their
``idType`` / ``idNumber`` / ``idCountry`` fields. A leading ``alt.`` (an alternative value)
is dropped. SDN.XML wraps its remarks in parentheses; they are removed.

Splitting on ``;`` is safe: no quoted name in the 2024 SDN or 2025 consolidated files
contains a ``;``. Quoted names in remarks are OFAC's *weak* aliases (the strong ones sit
in ``alt.csv``; the two sets never overlap), so ``a.k.a. 'X'`` becomes a weak alias,
``f.k.a. 'X'`` a former name. Clauses that say nothing the model can hold (titles,
sanctions-risk notes, directive text) stay in ``Entity.remarks`` only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from followthemoney.types import registry

from sanctions.model import Identifier, NameKind, PartialDate
from sanctions.sources.base import approximate_years, month_number
from sanctions.sources.ofac_labels import split_identifier, split_property

_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4})$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_YEAR_RANGE = re.compile(r"^(\d{4})\s*-\s*(\d{4})$")
_ALT = re.compile(r"^alt\.\s+", re.IGNORECASE)
_NAME = re.compile(r"^(a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)[:,]?\s+(.*)$", re.IGNORECASE)
_DOB = re.compile(r"^DOB:?\s+(.*)$")
_POB = re.compile(r"^POB:?\s+(.*)$")
_NATIONALITY = re.compile(r"^(?:nationality|citizen)(?:\s+possibly)?:?\s+(.*)$", re.IGNORECASE)
_REGISTRATION_COUNTRY = re.compile(r"^Nationality of Registration:?\s+(.*)$", re.IGNORECASE)
_GENDER = re.compile(r"^Gender:?\s+(Male|Female)$", re.IGNORECASE)
_ESTABLISHED = re.compile(r"^Organization Established Date:?\s+(.*)$", re.IGNORECASE)
_LISTING_DATE = re.compile(r"^Listing Date(?:\s*\([^)]*\))?:?\s+(.*)$", re.IGNORECASE)
_LINKED = re.compile(r"^Linked To:\s*(.+)$", re.IGNORECASE)
_ID_DATES = re.compile(
    r"\s+(issued|expires)\s+(\d{1,2}\s+[A-Za-z]{3}\s+\d{4}|[A-Za-z]{3}\s+\d{4}|\d{4})\b", re.IGNORECASE
)
_TRAILING_PAREN = re.compile(r"\s*\(([^()]+)\)\s*$")
_NAME_KINDS = {"a.k.a.": NameKind.WEAK_ALIAS, "n.k.a.": NameKind.WEAK_ALIAS, "f.k.a.": NameKind.FORMER}


@dataclass(slots=True)
class RemarkFacts:
    """What one remark (or one XML id / feature) says about its entity."""

    names: list[tuple[str, NameKind]] = field(default_factory=list)
    birth_dates: list[PartialDate] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    gender: str | None = None
    listed_on: list[str] = field(default_factory=list)  # ISO dates of "Listing Date (...)"
    linked_to: list[str] = field(default_factory=list)  # names as printed after "Linked To:"
    properties: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # clauses we recognised but could not read

    def add_property(self, prop: str, value: str) -> None:
        values = self.properties.setdefault(prop, [])
        if value not in values:
            values.append(value)


@lru_cache(maxsize=2048)
def country_code(text: str | None) -> str | None:
    """ISO 3166-1 alpha-2 (lower case) for a country name as OFAC writes it, or None."""
    if not text:
        return None
    code = registry.country.clean(text.strip())
    return code.lower() if code else None


def iso_date(text: str) -> str | None:
    """``24 Feb 2022`` -> ``2022-02-24``; ``Feb 2022`` -> ``2022-02``; ``2022`` -> ``2022``."""
    text = " ".join(text.split()).strip(" .")
    if match := _DAY_MONTH_YEAR.match(text):
        month = month_number(match.group(2))
        day = int(match.group(1))
        if month is None or not 1 <= day <= 31:
            return None
        return f"{match.group(3)}-{month:02d}-{day:02d}"
    if match := _MONTH_YEAR.match(text):
        month = month_number(match.group(1))
        return f"{match.group(2)}-{month:02d}" if month else None
    if match := _YEAR.match(text):
        return match.group(1)
    return None


def year_span(start: str, end: str) -> list[PartialDate]:
    """One approximate year per year of a range (wide ranges keep their two ends)."""
    first, last = int(start[:4]), int(end[:4])
    if last < first:
        return []
    return approximate_years(first, last, (start, end))


def parse_dates(text: str) -> list[PartialDate]:
    """An OFAC date phrase: ``07 Oct 1952``, ``1957``, ``Jan 1960``, ``circa 1960``,
    ``1960 to 1962``, ``01 Jan 1960 to 31 Dec 1962``, ``circa 1960-1962``. [] if unreadable."""
    text = " ".join(text.split()).strip(" .")
    approximate = False
    if text.lower().startswith("circa "):
        approximate, text = True, text[6:].strip()
    if " to " in text:
        start, _, end = text.partition(" to ")
        first, last = iso_date(start), iso_date(end)
        return year_span(first, last) if first and last else []
    if match := _YEAR_RANGE.match(text):
        return year_span(match.group(1), match.group(2))
    value = iso_date(text)
    return [PartialDate(value, approximate)] if value else []


def _quoted(text: str) -> str | None:
    """The name inside ``'...'`` (names may contain apostrophes: ``'ABU-'UMAR'``)."""
    text = text.strip()
    if len(text) >= 2 and text[0] == "'" and text[-1] == "'":
        return text[1:-1].strip() or None
    return None


def identifier_from(clause: str) -> Identifier | None:
    """An :class:`Identifier` when ``clause`` is ``<label> <value> [(<country>)] [issued ..]``."""
    found = split_identifier(clause)
    if found is None:
        return None
    label, scheme, value = found
    value = _ID_DATES.split(value)[0].strip()
    country = None
    if match := _TRAILING_PAREN.search(value):
        country = country_code(match.group(1))
        if country is not None:
            value = value[: match.start()].strip()
    if scheme == "imo" or (scheme in ("other", "national_id") and value.upper().startswith("IMO ")):
        scheme, value = "imo", value[4:].strip() if value.upper().startswith("IMO ") else value
    value = value.strip(" ,;")
    if not value:
        return None
    return Identifier(scheme=scheme, value=value, country=country, note=label)


def parse_clause(clause: str, facts: RemarkFacts) -> bool:
    """Read one clause into ``facts``; False when it holds nothing we extract."""
    clause = _ALT.sub("", " ".join(clause.split()))
    if not clause:
        return False
    if match := _NAME.match(clause):
        name = _quoted(match.group(2))
        if name is None:
            facts.problems.append(f"unquoted or cut-off name in {clause!r}")
            return False
        facts.names.append((name, _NAME_KINDS[match.group(1).lower()]))
        return True
    if match := _LINKED.match(clause):
        facts.linked_to.append(match.group(1).strip())
        return True
    for pattern, target in ((_DOB, facts.birth_dates), (_ESTABLISHED, facts.birth_dates)):
        if match := pattern.match(clause):
            dates = parse_dates(match.group(1))
            if not dates:
                facts.problems.append(f"unreadable date in {clause!r}")
            target.extend(d for d in dates if d not in target)
            return bool(dates)
    if match := _POB.match(clause):
        facts.birth_places.append(match.group(1).strip())
        return True
    if match := _REGISTRATION_COUNTRY.match(clause):
        return _add_country(facts.countries, match.group(1), facts, clause)
    if match := _NATIONALITY.match(clause):
        return _add_country(facts.nationalities, match.group(1), facts, clause)
    if match := _GENDER.match(clause):
        facts.gender = match.group(1).lower()
        return True
    if match := _LISTING_DATE.match(clause):
        listed = iso_date(match.group(1))
        if listed:
            facts.listed_on.append(listed)
        return listed is not None
    if (prop := split_property(clause)) is not None:
        facts.add_property(prop[1], prop[2])
        return True
    if (identifier := identifier_from(clause)) is not None:
        if identifier not in facts.identifiers:
            facts.identifiers.append(identifier)
        return True
    return False


def _add_country(target: list[str], text: str, facts: RemarkFacts, clause: str) -> bool:
    code = country_code(text)
    if code is None:
        facts.problems.append(f"unknown country in {clause!r}")
        return False
    if code not in target:
        target.append(code)
    return True


def split_clauses(remarks: str) -> list[str]:
    """The clauses of a remark, without the enclosing parentheses and final full stop."""
    text = remarks.strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    if text.endswith("."):
        text = text[:-1]
    return [c.strip() for c in text.split(";") if c.strip()]


def parse_remarks(remarks: str | None) -> RemarkFacts:
    """Every fact :func:`parse_clause` can read from a remark."""
    facts = RemarkFacts()
    if remarks:
        for clause in split_clauses(remarks):
            parse_clause(clause, facts)
    return facts
