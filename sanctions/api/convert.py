"""From yente request shapes to our queries, and from our matches to yente response shapes."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from sanctions.api.errors import ApiError
from sanctions.api.ftm import entity_response, entity_stub
from sanctions.api.schemas import EntityExample

if TYPE_CHECKING:
    from sanctions import Algorithm, Match, Query

MAX_PROPERTIES = 40
MAX_VALUES = 50
MAX_VALUE_CHARS = 1000


def json_name(value: object) -> str:
    """How a JSON value is spelled (true, false, NaN...), for error messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def example_properties(example: EntityExample) -> dict[str, list[str]]:
    """A query's properties as lists of strings, bounded (422 past the bounds)."""
    if len(example.properties) > MAX_PROPERTIES:
        raise ApiError(422, f"too many properties in one query (limit: {MAX_PROPERTIES})")
    props: dict[str, list[str]] = {}
    for key, raw in example.properties.items():
        values = [raw] if isinstance(raw, str) else raw
        if len(values) > MAX_VALUES:
            raise ApiError(422, f"too many values for property {key!r} (limit: {MAX_VALUES})")
        clean: list[str] = []
        for value in values:
            if value is None or isinstance(value, (dict, list)):
                continue
            if isinstance(value, bool) or (isinstance(value, float) and not math.isfinite(value)):
                # true/false/NaN are not names: screening the text "True" finds nonsense.
                raise ApiError(422, f"property {key!r}: {json_name(value)} is not a text value")
            text = str(value).strip()
            if len(text) > MAX_VALUE_CHARS:
                raise ApiError(422, f"a value of {key!r} is longer than {MAX_VALUE_CHARS} characters")
            if text:
                clean.append(text)
        if clean:
            props[key] = clean
    return props


def build_query(schema: str, properties: dict[str, list[str]]) -> Query:
    """Our Query from a yente example (raises QueryError, mapped to 400)."""
    from sanctions import Query

    return Query.from_dict({"schema": schema, "properties": properties})


def yente_time(stamp: str | None) -> str | None:
    """A timestamp as yente writes it: ISO 8601 to the second, UTC, without an offset."""
    if not stamp:
        return None
    return stamp[:19] if len(stamp) >= 19 and stamp[10] == "T" else stamp


def scored_json(match: Match, last_seen: dict[str, str], threshold: float | None = None) -> dict[str, Any]:
    """A match in yente's ``ScoredEntityResponse`` shape: the entity's FtM properties, then
    :meth:`Match.to_dict` (score, match, datasets, features, listings, warnings) with two
    fields in yente 5's form: ``explanations`` keyed by feature and ``related`` as entity stubs.

    Each explanation is nomenklatura's ``FeatureResult`` (``score``, ``detail``, ``query``,
    ``candidate``): ``detail`` holds our plain-words account (which names were compared and how
    their words align); ``weight`` (extra) is the feature's coefficient, so score x weight is
    what it added. ``match`` is decided at ``threshold`` when one is given.
    """
    entity = match.entity
    data = entity_response(entity, yente_time(last_seen.get(entity.dataset)))
    core = match.to_dict(threshold)
    for key in ("id", "caption", "schema"):  # entity_response's own (FtM schema names)
        core.pop(key)
    core["explanations"] = {
        x["feature"]: {
            "score": x["value"],
            "detail": x["detail"],
            "query": None,
            "candidate": None,
            "weight": x["weight"],
        }
        for x in core["explanations"]
    }
    core["related"] = [entity_stub(e) for e in match.related]
    data.update(core)
    return data


def feature_docs(algorithm: Algorithm) -> dict[str, dict[str, Any]]:
    """yente's ``FeatureDocs`` of an algorithm: feature name -> description, coefficient, url.

    The description is the first paragraph of the feature function's docstring (the feature's
    human explanation); the url points at our own algorithm listing.
    """
    docs: dict[str, dict[str, Any]] = {}
    for name, feature, weight in algorithm.features:
        doc = " ".join((feature.__doc__ or "").strip().split("\n\n")[0].split())
        docs[name] = {"description": doc or None, "coefficient": float(weight), "url": f"/algorithms#{name}"}
    return docs
