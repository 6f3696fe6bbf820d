"""From yente request shapes to our queries, and from our matches to yente response shapes."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sanctions import Algorithm, Match
from sanctions.api.errors import ApiError
from sanctions.api.ftm import entity_response, entity_stub
from sanctions.api.schemas import EntityExample

MAX_PROPERTIES = 40
MAX_VALUES = 50
MAX_VALUE_CHARS = 1000


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
            text = str(value).strip()
            if len(text) > MAX_VALUE_CHARS:
                raise ApiError(422, f"a value of {key!r} is longer than {MAX_VALUE_CHARS} characters")
            if text:
                clean.append(text)
        if clean:
            props[key] = clean
    return props


# The fields of Match.to_dict() a yente result carries beside the entity's own.
_MATCH_FIELDS = ("datasets", "listings", "score", "match", "features", "explanations")


def scored_json(match: Match, last_seen: dict[str, str]) -> dict[str, Any]:
    """A match in yente's ``ScoredEntityResponse`` shape plus explanations, listings, related
    (``match`` was decided at the request's threshold by the service)."""
    entity = match.entity
    data = entity_response(entity, last_seen.get(entity.dataset))
    result = match.to_dict()
    data.update({key: result[key] for key in _MATCH_FIELDS})
    data["related"] = [entity_stub(e) for e in match.related]
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


def facets(results: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Counts of datasets, countries and topics among the results (yente's facets, over the page)."""
    buckets: dict[str, Counter[str]] = {"datasets": Counter(), "countries": Counter(), "topics": Counter()}
    for result in results:
        buckets["datasets"].update(result["datasets"])
        props = result["properties"]
        buckets["countries"].update(set(props.get("country", []) + props.get("nationality", [])))
        buckets["topics"].update(props.get("topics", []))
    labels = {"datasets": "Data sources", "countries": "Countries", "topics": "Topics"}
    return {
        key: {
            "label": labels[key],
            "values": [{"name": n, "label": n, "count": c} for n, c in counter.most_common()],
        }
        for key, counter in buckets.items()
    }
