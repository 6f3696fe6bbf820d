"""Customer fields: header names and their FtM properties, and the one place values are cleaned.

A customer file's columns are mapped to FtM property names (the vocabulary queries use) by
header name, or by the user's ``--map COLUMN=FIELD``. Dates and countries are cleaned with
followthemoney's types, so ``Russia``, ``RUS`` and ``ru`` are one country, as in queries.
"""

from __future__ import annotations

import re

from sanctions.matching.party import COUNTRY_PROPS, DATE_PROPS, ID_PROPS, NAME_PROPS, PART_PROPS

ID_FIELD = "id"
SCHEMA_FIELD = "schema"
IGNORE = "-"

# Header spellings (lower-cased, spaces and dashes as "_") -> field. FtM names map to themselves.
FIELD_ALIASES: dict[str, str] = {
    "id": ID_FIELD,
    "customer_id": ID_FIELD,
    "customerid": ID_FIELD,
    "client_id": ID_FIELD,
    "record_id": ID_FIELD,
    "schema": SCHEMA_FIELD,
    "type": SCHEMA_FIELD,
    "entity_type": SCHEMA_FIELD,
    "kind": SCHEMA_FIELD,
    "name": "name",
    "full_name": "name",
    "customer_name": "name",
    "alias": "alias",
    "aliases": "alias",
    "first_name": "firstName",
    "given_name": "firstName",
    "middle_name": "middleName",
    "last_name": "lastName",
    "surname": "lastName",
    "family_name": "lastName",
    "father_name": "fatherName",
    "birth_date": "birthDate",
    "date_of_birth": "birthDate",
    "dob": "birthDate",
    "incorporation_date": "incorporationDate",
    "country": "country",
    "countries": "country",
    "nationality": "nationality",
    "citizenship": "citizenship",
    "jurisdiction": "jurisdiction",
    "flag": "flag",
    "id_number": "idNumber",
    "passport": "passportNumber",
    "passport_number": "passportNumber",
    "national_id": "nationalId",
    "tax_number": "taxNumber",
    "tax_id": "taxNumber",
    "vat": "vatCode",
    "registration_number": "registrationNumber",
    "lei": "leiCode",
    "imo": "imoNumber",
    "imo_number": "imoNumber",
    "swift": "swiftBic",
    "bic": "swiftBic",
    "address": "address",
    "gender": "gender",
    "sex": "gender",
}
SCREENED_PROPS = frozenset(
    (*NAME_PROPS, *PART_PROPS, *DATE_PROPS, *COUNTRY_PROPS, *ID_PROPS, "address", "gender")
)
SCHEMA_ALIASES = {
    "person": "Person",
    "individual": "Person",
    "natural_person": "Person",
    "organization": "Organization",
    "organisation": "Organization",
    "company": "Company",
    "legalentity": "LegalEntity",
    "legal_entity": "LegalEntity",
    "entity": "LegalEntity",
    "vessel": "Vessel",
    "ship": "Vessel",
    "aircraft": "Aircraft",
}
_KEY = re.compile(r"[\s\-./]+")


def field_for(header: str, mapping: dict[str, str] | None = None) -> str | None:
    """The field a column feeds: the user's mapping first, then known header names, else None."""
    if mapping and header in mapping:
        target = mapping[header]
        return None if target == IGNORE else FIELD_ALIASES.get(_key(target), target)
    if header in SCREENED_PROPS:
        return header
    return FIELD_ALIASES.get(_key(header))


def _key(header: str) -> str:
    return _KEY.sub("_", header.strip().lower())


def parse_mapping(items: list[str]) -> dict[str, str]:
    """``["Client No=id", "DOB=birth_date"]`` -> mapping; ValueError on an item without '='."""
    out: dict[str, str] = {}
    for item in items:
        column, sep, target = item.partition("=")
        if not sep or not column.strip() or not target.strip():
            raise ValueError(f"--map expects COLUMN=FIELD, got {item!r}")
        field = target.strip()
        known = field in (IGNORE, ID_FIELD, SCHEMA_FIELD) or field in SCREENED_PROPS
        if not known and _key(field) not in FIELD_ALIASES:
            raise ValueError(f"--map {item!r}: unknown field {field!r}")
        out[column.strip()] = field
    return out


def clean_schema(value: str) -> str | None:
    """A schema name from a customer file (``person``, ``Company``, ``individual``), or None."""
    key = _key(value)
    return SCHEMA_ALIASES.get(key) or SCHEMA_ALIASES.get(key.replace("_", ""))
