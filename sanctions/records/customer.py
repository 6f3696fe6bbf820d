"""A customer record: a stable id, a schema and FtM properties, cleaned like a query."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import orjson

from sanctions.errors import QueryError
from sanctions.matching.clean import clean_country, clean_date
from sanctions.matching.party import COUNTRY_PROPS, DATE_PROPS, NAME_PROPS, PART_PROPS, SCHEMAS, Query
from sanctions.records.fields import clean_schema

MAX_ID_CHARS = 200


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row left out of a file, and why (line numbers count the header as line 1)."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.message}"


@dataclass(slots=True)
class Customer:
    """One customer of a book: the user's id, a schema and cleaned FtM properties.

    ``extra`` keeps the file's other columns (so results can be written back beside them).
    """

    id: str
    schema: str | None  # None: any kind of party
    properties: dict[str, list[str]]
    extra: dict[str, str] = field(default_factory=dict)
    line: int = 0

    @property
    def caption(self) -> str:
        """The customer's display name."""
        for prop in NAME_PROPS:
            if self.properties.get(prop):
                return self.properties[prop][0]
        parts = [v for p in PART_PROPS for v in self.properties.get(p, [])]
        return " ".join(parts) or self.id

    @property
    def fingerprint(self) -> str:
        """A digest of what screening reads (schema and properties): equal means unchanged."""
        data = orjson.dumps([self.schema, self.properties], option=orjson.OPT_SORT_KEYS)
        return hashlib.sha1(data).hexdigest()

    def to_query(self) -> Query:
        """The customer as a screening query (customer first, listed entity second)."""
        return Query(schema=self.schema, properties=self.properties, id=self.id)

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "schema": self.schema, "properties": self.properties, "extra": self.extra}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Customer:
        props = data.get("properties") or {}
        extra = data.get("extra") or {}
        assert isinstance(props, dict) and isinstance(extra, dict)
        schema = data.get("schema")
        return cls(str(data["id"]), str(schema) if schema else None, props, extra)


def make_customer(
    line: int, values: dict[str, list[str]], extra: dict[str, str] | None = None
) -> Customer | RowProblem:
    """A cleaned customer from mapped values (field -> raw strings), or the row's first problem.

    A row needs an id and a name; dates and countries are cleaned by
    :mod:`sanctions.matching.clean`, as a query's are (an impossible or ambiguous date, or an
    unknown country, rejects the row with that module's message and the line number).
    """
    ids = [v.strip() for v in values.get("id", []) if v.strip()]
    if not ids:
        return RowProblem(line, "id", "no customer id")
    cid = ids[0]
    if len(cid) > MAX_ID_CHARS:
        return RowProblem(line, "id", f"id longer than {MAX_ID_CHARS} characters")
    raw_schema = next((v for v in values.get("schema", []) if v.strip()), "")
    schema: str | None = None
    if raw_schema:
        found = raw_schema if raw_schema in SCHEMAS else clean_schema(raw_schema)
        if found is None:
            return RowProblem(line, "schema", f"unknown schema {raw_schema!r} (person, company, vessel, ...)")
        schema = found
    props: dict[str, list[str]] = {}
    for prop, raw in values.items():
        if prop in ("id", "schema"):
            continue
        kept: list[str] = []
        for value in raw:
            value = value.strip()
            if not value:
                continue
            try:  # cleaned as a query's values are: "Russia", "RUS" and "ru" are one country
                if prop in DATE_PROPS:
                    value = clean_date(value)
                elif prop in COUNTRY_PROPS:
                    value = clean_country(value)
            except QueryError as exc:
                return RowProblem(line, prop, str(exc))
            if value not in kept:
                kept.append(value)
        if kept:
            props[prop] = kept
    if not any(props.get(p) for p in (*NAME_PROPS, *PART_PROPS)):
        return RowProblem(line, "name", "no name")
    return Customer(cid, schema, props, dict(extra or {}), line)
