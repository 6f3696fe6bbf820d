"""Queries and list records as comparable parties: name forms, dates, countries, identifiers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sanctions.errors import InvalidInputError, QueryError
from sanctions.matching.clean import check_property, clean_country, clean_date
from sanctions.model import Entity, Schema
from sanctions.text import ANY, ORG, PERSON, VESSEL, NameForm, kind_of, name_forms
from sanctions.text.fold import check_text, fold_name

SCHEMAS = ("Person", "Organization", "Company", "LegalEntity", "Vessel", "Aircraft", "Thing")
MAX_PROPERTIES = 40
MAX_VALUES = 50
MAX_VALUE_CHARS = 500

NAME_PROPS = ("name", "alias", "previousName", "weakAlias", "abbreviation", "nameOriginal")
PART_PROPS = ("firstName", "secondName", "middleName", "fatherName", "patronymic", "lastName")
DATE_PROPS = ("birthDate", "incorporationDate", "dateOfBirth", "buildDate")
COUNTRY_PROPS = ("nationality", "country", "citizenship", "jurisdiction", "flag", "mainCountry")
ID_PROPS: dict[str, str] = {
    "idNumber": "other",
    "taxNumber": "tax",
    "vatCode": "tax",
    "innCode": "tax",
    "registrationNumber": "registration",
    "ogrnCode": "registration",
    "okpoCode": "registration",
    "imoNumber": "imo",
    "mmsi": "mmsi",
    "swiftBic": "swift",
    "bicCode": "swift",
    "leiCode": "lei",
    "passportNumber": "passport",
    "nationalId": "national_id",
    "registrationNumberAircraft": "aircraft_tail",
    "serialNumber": "aircraft_serial",
}
# Schemes where one party has exactly one value: two different values are a conflict.
UNIQUE_SCHEMES = frozenset({"imo", "lei", "swift", "mmsi", "aircraft_serial"})
_ID_CLEAN = re.compile(r"[^A-Z0-9]")
_GENDERS = {"male": "male", "m": "male", "man": "male", "female": "female", "f": "female", "woman": "female"}
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# Where Query.from_fields puts a typed birth date and country, by schema (FtM's property names).
_DATE_PROP = {
    "Company": "incorporationDate",
    "Organization": "incorporationDate",
    "LegalEntity": "incorporationDate",
    "Vessel": "buildDate",
}
_COUNTRY_PROP = {"Person": "nationality", "Vessel": "flag"}
MATCHED_PROPS = frozenset((*NAME_PROPS, *PART_PROPS, *DATE_PROPS, *COUNTRY_PROPS, *ID_PROPS, "gender"))


def normalise_identifier(value: str) -> str:
    """Upper-case letters and digits only, without a leading "IMO" (too short: empty)."""
    clean = _ID_CLEAN.sub("", value.upper())
    if clean.startswith("IMO") and clean[3:].isdigit():
        clean = clean[3:]
    return clean if len(clean) >= 4 else ""


@dataclass(slots=True)
class Party:
    """Everything matching compares about one side."""

    kind: str
    names: tuple[NameForm, ...]
    dates: tuple[str, ...] = ()
    countries: frozenset[str] = frozenset()
    identifiers: frozenset[tuple[str, str]] = frozenset()  # (scheme, normalised value)
    schema: str | None = None
    id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    gender: str | None = None  # "male" / "female"

    @property
    def id_values(self) -> frozenset[str]:
        """The normalised identifier values, whatever their scheme."""
        return frozenset(v for _, v in self.identifiers)


def _forms(values: list[str], kind: str) -> tuple[NameForm, ...]:
    out: dict[tuple[str, ...], NameForm] = {}
    for value in values:
        for form in name_forms(value, kind):
            out.setdefault(form.tokens, form)
    return tuple(out.values())


def _infer_kind(kind: str, forms: tuple[NameForm, ...]) -> str:
    """A name with a legal form names an organisation, whatever the query said (a vessel query
    "Kapitan Guseynov Shipping Ltd" is the ship's owner, not the ship)."""
    if kind in (ANY, VESSEL) and forms and any(f.legal_forms for f in forms):
        return ORG
    return kind


@dataclass(slots=True)
class Query:
    """A screening query in the shape yente takes: a schema and FtM-named properties."""

    schema: str | None
    properties: dict[str, list[str]]
    id: str | None = None

    @classmethod
    def from_dict(cls, data: Any, *, date_format: str | None = None) -> Query:
        """Read, bound and clean a query ``{"schema": .., "properties": {..}, "id": ..}`` (yente's
        shape, a JSON-lines batch line); QueryError when invalid (see :meth:`from_fields`)."""
        if not isinstance(data, dict):
            raise QueryError("a query must be a JSON object with 'schema' and 'properties'")
        props = data.get("properties", {})
        if not isinstance(props, dict):
            raise QueryError("'properties' must be an object of property name -> list of strings")
        qid = data.get("id")
        return cls.from_fields(
            schema=data.get("schema"),
            properties=props,
            id=str(qid) if qid is not None else None,
            date_format=date_format,
        )

    @classmethod
    def from_fields(
        cls,
        name: str | Iterable[str] = (),
        *,
        schema: str | None = None,
        birth_date: Iterable[str] = (),
        country: Iterable[str] = (),
        identifier: Iterable[str] = (),
        properties: Mapping[str, Any] | None = None,
        id: str | None = None,
        date_format: str | None = None,
    ) -> Query:
        """The one query builder of every face: typed fields and/or FtM-named properties.

        ``birth_date`` goes to the schema's date property (``birthDate`` for a person,
        ``incorporationDate`` for a company or organisation, ``buildDate`` for a vessel),
        ``country`` to ``nationality`` for a person and ``country`` otherwise, ``identifier``
        to ``idNumber``. Values are bounded and cleaned: dates become ISO (see
        :func:`~sanctions.matching.clean.clean_date`), countries ISO-2 codes. QueryError for
        an unknown schema or property, a bad date or country, or a query with no name or
        identifier to screen.
        """
        if schema is not None and schema not in SCHEMAS:
            raise QueryError(f"unknown schema {schema!r}; expected one of {', '.join(SCHEMAS)}")
        merged: dict[str, list[Any]] = {}
        for key, values in (properties or {}).items():
            merged[str(key)] = [values] if isinstance(values, str) else values
        typed = (
            ("name", [name] if isinstance(name, str) else list(name)),
            (_DATE_PROP.get(schema or "", "birthDate"), list(birth_date)),
            (_COUNTRY_PROP.get(schema or "", "country"), list(country)),
            ("idNumber", list(identifier)),
        )
        for prop, extra in typed:
            if extra:
                existing = merged.get(prop, [])
                merged[prop] = [*existing, *extra] if isinstance(existing, list) else existing
        if len(merged) > MAX_PROPERTIES:
            raise QueryError(f"too many properties ({len(merged)} > {MAX_PROPERTIES})")
        clean: dict[str, list[str]] = {}
        for key, values in merged.items():
            check_property(key, MATCHED_PROPS)
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                wrong = (
                    values
                    if not isinstance(values, list)
                    else next(v for v in values if not isinstance(v, str))
                )
                got = f"{type(wrong).__name__} {wrong!r}"
                raise InvalidInputError(f"property {key!r} must be a string or a list of strings, not {got}")
            if len(values) > MAX_VALUES:
                raise QueryError(f"property {key!r} has too many values ({len(values)} > {MAX_VALUES})")
            for value in values:
                check_text(value, f"property {key!r}")
                if len(value) > MAX_VALUE_CHARS:
                    raise QueryError(f"a value of {key!r} is longer than {MAX_VALUE_CHARS} characters")
            kept = [v.strip() for v in values if v.strip()]
            if key in DATE_PROPS:
                kept = [clean_date(v, date_format) for v in kept]
            elif key in COUNTRY_PROPS:
                kept = [clean_country(v) for v in kept]
            if kept:
                clean[key] = list(dict.fromkeys(kept))
        if not any(p in clean for p in (*NAME_PROPS, *PART_PROPS, *ID_PROPS)):
            raise QueryError(
                "the query has no name to screen: give 'name' (or alias, firstName, lastName, ...) "
                "or an identifier"
            )
        return cls(schema=schema, properties=clean, id=id)

    def folded(self) -> tuple[Query, list[str]]:
        """This query with every value folded against evasion (hidden characters, look-alikes).

        Returns the folded query and the warnings (empty when nothing was hidden); see
        :mod:`sanctions.text.fold`.
        """
        warnings: list[str] = []
        props: dict[str, list[str]] = {}
        for key, values in self.properties.items():
            kept = []
            for value in values:
                text, found = fold_name(value)
                warnings.extend(w for w in found if w not in warnings)
                if text.strip():
                    kept.append(text.strip())
            if kept:
                props[key] = kept
        if not warnings:
            return self, []
        return Query(schema=self.schema, properties=props, id=self.id), warnings

    @classmethod
    def from_entity(cls, e: Entity) -> Query:
        """A query that describes a list record (to screen one list against another)."""
        props: dict[str, list[str]] = {"name": [n.value for n in e.names]}
        if e.birth_dates:
            props["birthDate"] = [d.value for d in e.birth_dates]
        if e.gender:
            props["gender"] = [e.gender]
        if e.nationalities or e.countries:
            props["country"] = list(dict.fromkeys(e.nationalities + e.countries))
        for ident in e.identifiers:
            prop = next((p for p, s in ID_PROPS.items() if s == ident.scheme), "idNumber")
            props.setdefault(prop, []).append(ident.value)
        return cls(schema=e.schema.value, properties=props, id=e.id)

    def to_party(self) -> Party:
        """The comparable form of this query."""
        kind = kind_of(self.schema)
        names = [v for p in NAME_PROPS for v in self.properties.get(p, [])]
        parts = [" ".join(self.properties[p]) for p in PART_PROPS if p in self.properties]
        if parts:
            names.append(" ".join(parts))
        forms = _forms(names, kind)
        dates = tuple(d[:10] for p in DATE_PROPS for d in self.properties.get(p, []) if _DATE.match(d[:10]))
        countries = frozenset(c.lower() for p in COUNTRY_PROPS for c in self.properties.get(p, []))
        ids = frozenset(
            (scheme, v)
            for prop, scheme in ID_PROPS.items()
            for raw in self.properties.get(prop, [])
            if (v := normalise_identifier(raw))
        )
        gender = next((g for v in self.properties.get("gender", []) if (g := _GENDERS.get(v.lower()))), None)
        return Party(
            _infer_kind(kind, forms), forms, dates, countries, ids, self.schema, self.id, gender=gender
        )


def entity_party(e: Entity) -> Party:
    """The comparable form of a list record."""
    kind = kind_of(e.schema.value if isinstance(e.schema, Schema) else str(e.schema))
    return entity_party_with(e, _forms([n.value for n in e.names], kind))


def entity_party_with(e: Entity, forms: tuple[NameForm, ...]) -> Party:
    """A list record as a Party, with the given name forms (an index passes the ones it found)."""
    kind = kind_of(e.schema.value if isinstance(e.schema, Schema) else str(e.schema))
    ids = frozenset(
        (i.scheme, v)
        for i in e.identifiers
        if i.scheme not in ("email", "website", "phone") and (v := normalise_identifier(i.value))
    )
    countries = frozenset(c.lower() for c in e.nationalities + e.countries)
    dates = tuple(d.value for d in e.birth_dates)
    return Party(kind, forms, dates, countries, ids, e.schema.value, e.id, gender=e.gender)


def party_of(item: Query | Entity) -> Party:
    """A Query or an Entity as a Party."""
    return item.to_party() if isinstance(item, Query) else entity_party(item)


__all__ = [
    "ANY",
    "ORG",
    "PERSON",
    "VESSEL",
    "Party",
    "Query",
    "entity_party",
    "entity_party_with",
    "kind_of",
    "party_of",
]
