"""Value cleaning for the EU Official Journal transcription (``eu_journal``).

The transcription keeps the printed wording (``26.11.1972``, ``Approximately 1952``,
``(a) German, (b) Moroccan``, ``1650032058 (Tax ID/INN)``); turning it into dates, country
codes and identifiers is the reader's job. Dates go through followthemoney's date cleaning
with the publisher's printed shapes, countries through the same table as the UK parsers.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache

from followthemoney.types import registry

from sanctions.model import Identifier, PartialDate
from sanctions.sources.base import approximate_years
from sanctions.sources.uk_common import country_code

# The printed date shapes of the Official Journal annexes (strftime), tried in order.
DATE_FORMATS = (
    "%d.%m.%Y",
    "%d %B %Y",
    "%d %b. %Y",
    "%d %b %Y",
    "%d %b.%Y",
    "%d.%m. %Y",
    "%B %d, %Y",
    "%B %Y",
    "%b. %Y",
    "%b %Y",
    "%Y-%m-%d",
    "%Y-%m",
    "%Y",
)
_ENUM = re.compile(r"(?:^|(?<=[\s,;]))\(?([a-z]|[ivx]+|\d{1,2})\)\s*")
_APPROX = re.compile(r"^(?:approximately|approx\.?|circa|ca\.|about|around|\(probably\))\s+", re.IGNORECASE)
_APPROX_SUFFIX = re.compile(r"\s*(?:\((?:approximately|approx\.?|probably)\)|circa)$", re.IGNORECASE)
_BETWEEN = re.compile(r"^(?:between\s+)?(\d{4})\s*(?:-|–|and|to)\s*(\d{4})$", re.IGNORECASE)
_PAREN_TAIL = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")
_COUNTRY_SPLIT = re.compile(r"\s*(?:,|;|/| and | or )\s*")
# Country spellings of the annexes that the shared table does not read.
_COUNTRIES = {
    "myanmar/burma": "mm",
    "burma/myanmar": "mm",
    "dprk": "kp",
    "drc": "cd",
    "belarussian": "by",
    "palestinian": "ps",
    "filipino": "ph",
    "congolese": "cd",
    "central african": "cf",
    "south sudanese": "ss",
}
# Identifier columns -> (scheme, label kept as the identifier's note).
ID_COLUMNS: dict[str, tuple[str, str | None]] = {
    "innCode": ("tax", "INN"),
    "ogrnCode": ("registration", "OGRN"),
    "kppCode": ("other", "KPP"),
    "okpoCode": ("other", "OKPO"),
    "leiCode": ("lei", None),
    "swiftBic": ("swift", None),
    "imoNumber": ("imo", None),
    "mmsi": ("mmsi", None),
    "passportNumber": ("passport", None),
    "taxNumber": ("tax", None),
    "idNumber": ("national_id", None),
    "registrationNumber": ("registration", None),
    "ticker": ("other", "ticker"),
    "phone": ("phone", None),
    "email": ("email", None),
    "website": ("website", None),
}


def split_cell(cell: str) -> list[str]:
    """A multi-valued cell (``Foo; "Bar; baz"``) as its values, CSV-decoded with ``;``."""
    cell = cell.strip()
    if not cell:
        return []
    if '"' not in cell:
        values = cell.split(";")
    else:
        values = next(csv.reader([cell], delimiter=";", skipinitialspace=True), [])
    return [v.strip() for v in values if v.strip()]


def enumerated(value: str) -> list[str]:
    """``(a) 1.2.1960, (b) 3.4.1961`` -> the two parts; a value without markers stays whole."""
    if not _ENUM.search(value):
        return [value]
    parts = _ENUM.split(value)
    # re.split keeps the captured marker: drop markers, keep text between them.
    texts = [p for i, p in enumerate(parts) if i % 2 == 0]
    return [t.strip(" ,;") for t in texts if t.strip(" ,;")]


@lru_cache(maxsize=8192)
def _clean_date(text: str) -> str | None:
    for fmt in DATE_FORMATS:
        value = registry.date.clean(text, format=fmt)
        if value:
            return value
    return None


def parse_dates(cell_value: str) -> list[PartialDate]:
    """A printed date phrase -> dates; ranges and alternatives give several. [] if unreadable."""
    out: list[PartialDate] = []
    for part in enumerated(cell_value):
        for alternative in re.split(r"\s+or\s+|\s*/\s*|;\s*", part):
            text = alternative.strip(" .,’'")
            approximate = False
            if _APPROX_SUFFIX.search(text):
                approximate, text = True, _APPROX_SUFFIX.sub("", text)
            if _APPROX.match(text):
                approximate, text = True, _APPROX.sub("", text)
            if m := _BETWEEN.match(text):
                first, last = int(m.group(1)), int(m.group(2))
                if first <= last:
                    out.extend(approximate_years(first, last))
                continue
            value = _clean_date(text)
            if value:
                out.append(PartialDate(value[:10], approximate))
    return list(dict.fromkeys(out))


def iso_date(text: str) -> str | None:
    """A printed designation date (``17.3.2014``) as ISO, or None."""
    found = parse_dates(text) if text.strip() else []
    return found[0].value if found else None


@lru_cache(maxsize=4096)
def country(text: str) -> str | None:
    """One printed country or nationality (``Russian``, ``Myanmar/Burma``) -> ISO alpha-2."""
    text = text.strip(" .,;")
    if not text:
        return None
    return _COUNTRIES.get(text.lower()) or country_code(text)


def countries(value: str) -> tuple[list[str], list[str]]:
    """All countries of one printed value (``(a) German, (b) Moroccan``): (codes, unread)."""
    code = country(value)
    if code:
        return [code], []
    codes: list[str] = []
    unread: list[str] = []
    for part in enumerated(value):
        match = _PAREN_TAIL.match(part)
        part = match.group(1) if match else part  # "Ukrainian (the Union does not recognise ...)"
        whole = country(part)
        pieces = [whole] if whole else [country(p) for p in _COUNTRY_SPLIT.split(part) if p.strip()]
        found = [c for c in pieces if c]
        codes.extend(c for c in found if c not in codes)
        if not found:
            unread.append(part)
    return codes, unread


def identifier(column: str, value: str) -> Identifier | None:
    """An identifier cell value (``1650032058 (Tax ID/INN)``) of an identifier column."""
    scheme, label = ID_COLUMNS[column]
    note = label
    match = _PAREN_TAIL.match(value)
    if match and scheme not in ("website", "email") and match.group(1):
        value, printed = match.group(1), match.group(2)
        note = printed if label is None else f"{label}: {printed}"
        if "inn" in printed.lower() and scheme in ("registration", "national_id", "other"):
            scheme = "tax"
    value = value.strip(" ,;")
    if not value:
        return None
    return Identifier(scheme, value, None, note)
