"""What yente's filters and facets mean over our results: FtM schemata, topics, countries,
datasets, changed entities.

The filters work on the result rows the endpoints build (yente's ``EntityResponse`` shape), so
``/match`` and ``/search`` apply them the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from followthemoney import model as ftm_model
from followthemoney.types import registry

from sanctions.api.errors import ApiError
from sanctions.api.ftm import ftm_schema_name
from sanctions.model import Schema

ANY_SCHEMA = "Thing"
FACETS = ("datasets", "schema", "countries", "topics")
DEFAULT_FACETS = ("countries", "topics", "datasets")
_FACET_LABELS = {"datasets": "Data sources", "schema": "Types", "countries": "Countries", "topics": "Topics"}
_COUNTRY_PROPS = ("country", "nationality", "citizenship", "jurisdiction", "mainCountry", "flag")


@dataclass(frozen=True, slots=True)
class QuerySchema:
    """How an FtM schema name reads against our lists.

    ``ours`` is the schema our matcher takes (None: no record of ours can be of that schema);
    ``results`` the FtM schemata a result may have (None: any).
    """

    ours: str | None
    results: frozenset[str] | None


@lru_cache(maxsize=128)
def query_schema(name: str) -> QuerySchema:
    """The reading of a yente query's ``schema``: ours, FtM's matchable ones, or 400.

    Our own schemata (``Person``, ``Company``, ``Vessel``, ``Airplane``, ...) and ``Thing`` are
    taken as they are. Another matchable FtM schema is read as its nearest ancestor of ours
    (``PublicBody`` as ``Organization``, ``Vehicle`` as ``Thing``) and its results are kept to
    the schemata FtM lets it match (``Vehicle``: vessels and airplanes; ``Security``: none).
    """
    ours = {s.value: s.value for s in Schema} | {ftm_schema_name(s): s.value for s in Schema}
    if name == ANY_SCHEMA:
        return QuerySchema(ANY_SCHEMA, None)
    if name in ours:
        return QuerySchema(ours[name], None)
    schema = ftm_model.get(name)
    if schema is None or not schema.matchable:
        known = ", ".join(sorted(s.name for s in ftm_model.schemata.values() if s.matchable))
        raise ApiError(400, f"unknown or unmatchable schema {name!r}; expected Thing or one of: {known}")
    ancestor = next((ours[s.name] for s in _ancestors(name) if s.name in ours), ANY_SCHEMA)
    allowed = frozenset(s.name for s in schema.matchable_schemata)
    return QuerySchema(ancestor if allowed & set(ours) else None, allowed)


def _ancestors(name: str) -> list[Any]:
    """The schema's parents, nearest first (breadth first over FtM's ``extends``)."""
    out: list[Any] = []
    todo = list(ftm_model.schemata[name].extends)
    while todo:
        schema = todo.pop(0)
        if schema not in out:
            out.append(schema)
            todo.extend(schema.extends)
    return out


def schema_filter(name: str) -> frozenset[str] | None:
    """FtM schemata a ``/search`` for ``name`` returns: it and its descendants (None: any); 400
    for a name FtM does not know."""
    if name == ANY_SCHEMA:
        return None
    schema = ftm_model.get(name)
    if schema is None:
        raise ApiError(400, f"unknown schema {name!r} (an FtM schema name such as Person, Company, Vessel)")
    return frozenset(s.name for s in schema.descendants) | {schema.name}


def row_countries(row: dict[str, Any]) -> set[str]:
    """The country codes of a result row (every country-like property)."""
    props = row["properties"]
    return {c.lower() for p in _COUNTRY_PROPS for c in props.get(p, []) if isinstance(c, str)}


@dataclass(frozen=True, slots=True)
class RowFilter:
    """yente's result filters. Several values of one filter: any of them (``or``) or all
    (``and``, yente's ``filter_op=AND``)."""

    schemata: frozenset[str] | None = None  # FtM schema names a result may have
    exclude_schemata: frozenset[str] = frozenset()
    exclude_ids: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    datasets: frozenset[str] = frozenset()
    changed: frozenset[str] | None = None  # ids changed since the asked time
    require_all: bool = False

    def _meets(self, wanted: frozenset[str], present: Iterable[str]) -> bool:
        if not wanted:
            return True
        have = set(present)
        return wanted <= have if self.require_all else bool(wanted & have)

    def keep(self, row: dict[str, Any]) -> bool:
        """Whether a result row passes every filter."""
        if self.schemata is not None and row["schema"] not in self.schemata:
            return False
        if row["schema"] in self.exclude_schemata:
            return False
        # A party's records on other lists stand for it, as a merged entity's referents do in yente.
        ids = [row["id"], *(r["id"] for r in row.get("related", []))]
        if self.exclude_ids and any(i in self.exclude_ids for i in ids):
            return False
        if self.changed is not None and not any(i in self.changed for i in ids):
            return False
        return (
            self._meets(self.topics, row["properties"].get("topics", []))
            and self._meets(frozenset(c.lower() for c in self.countries), row_countries(row))
            and self._meets(self.datasets, row["datasets"])
        )


def facets(rows: list[dict[str, Any]], wanted: Iterable[str] = DEFAULT_FACETS) -> dict[str, dict[str, Any]]:
    """yente's facets: for each asked facet, the count of rows per value, most frequent first."""
    out: dict[str, dict[str, Any]] = {}
    for key in wanted:
        counter: Counter[str] = Counter()
        for row in rows:
            if key == "datasets":
                counter.update(set(row["datasets"]))
            elif key == "schema":
                counter.update([row["schema"]])
            elif key == "countries":
                counter.update(row_countries(row))
            elif key == "topics":
                counter.update(set(row["properties"].get("topics", [])))
        out[key] = {
            "label": _FACET_LABELS[key],
            "values": [{"name": n, "label": _label(key, n), "count": c} for n, c in counter.most_common()],
        }
    return out


def _label(facet: str, value: str) -> str:
    if facet == "countries":
        return registry.country.caption(value) or value
    if facet == "topics":
        return registry.topic.caption(value) or value
    if facet == "schema":
        schema = ftm_model.get(value)
        return schema.plural if schema is not None else value
    return value
