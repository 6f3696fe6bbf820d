"""The yente-compatible endpoints: /match, /search, /entities, /algorithms, /catalog."""

from __future__ import annotations

import dataclasses
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from starlette.concurrency import run_in_threadpool

from sanctions import Match, MatchOptions, NotFoundError, Screener
from sanctions import Query as MatchQuery
from sanctions.api.convert import example_properties, facets, feature_docs, scored_json
from sanctions.api.deps import DEFAULT_DATASET, StateDep, dataset_scope
from sanctions.api.errors import ApiError
from sanctions.api.ftm import entity_response, nest_relations, relation_json, sanction_entities
from sanctions.api.responses import JsonResponse
from sanctions.api.schemas import (
    AlgorithmResponse,
    DataCatalogModel,
    EntityMatchQuery,
    EntityMatchResponse,
    EntityResponse,
    ErrorResponse,
    SearchResponse,
)
from sanctions.api.security import api_key_header, require_read_key
from sanctions.api.state import ServiceState

log = logging.getLogger("sanctions.api")
router = APIRouter(dependencies=[Depends(require_read_key), Depends(api_key_header)])

# Batches this large leave the event loop free by running in the thread pool.
INLINE_BATCH = 4
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Invalid query"},
    404: {"model": ErrorResponse, "description": "Unknown dataset"},
    413: {"model": ErrorResponse, "description": "Request body too large"},
    422: {"model": ErrorResponse, "description": "Too many queries or values"},
    429: {"model": ErrorResponse, "description": "Rate limit exceeded"},
    503: {"model": ErrorResponse, "description": "Index not ready"},
}
PathDataset = Annotated[
    str, Path(description="`default` for every loaded list, or one list, e.g. `us_ofac_sdn`.")
]


def _narrow(
    scope: set[str] | None, state: ServiceState, include: list[str], exclude: list[str]
) -> set[str] | None:
    if not include and not exclude:
        return scope
    chosen = set(scope if scope is not None else state.datasets)
    if include:
        chosen &= set(include)
    return chosen - set(exclude)


def _run_queries(
    state: ServiceState,
    queries: list[tuple[str, MatchQuery]],
    options: MatchOptions,
    excluded: tuple[set[str], set[str]],
) -> list[tuple[str, list[Match]]]:
    screener = state.require_ready()
    exclude_ids, exclude_schemas = excluded
    wider = dataclasses.replace(options, limit=options.limit + len(exclude_ids))
    found = screener.match_many([query for _, query in queries], wider)
    out = []
    for (name, _), matches in zip(queries, found, strict=True):
        kept = [
            m
            for m in matches
            if m.entity.id not in exclude_ids and m.entity.schema.value not in exclude_schemas
        ]
        out.append((name, kept[: options.limit]))
    return out


@router.post("/match/{dataset}", tags=["Matching"], response_model=EntityMatchResponse, responses=_ERRORS)
async def match(
    dataset: PathDataset,
    body: EntityMatchQuery,
    state: StateDep,
    limit: Annotated[int, Query(ge=1, le=500, description="Results per query.")] = 5,
    threshold: Annotated[
        float | None,
        Query(ge=0.0, le=1.0, description="Score from which a result is a match (default: the algorithm's)."),
    ] = None,
    cutoff: Annotated[
        float, Query(ge=0.0, le=1.0, description="Drop results scoring below this (default: keep the best).")
    ] = 0.0,
    algorithm: Annotated[str | None, Query(description="Matching algorithm (see /algorithms).")] = None,
    include_dataset: Annotated[list[str], Query(description="Only these datasets.")] = [],  # noqa: B006
    exclude_dataset: Annotated[list[str], Query(description="Not these datasets.")] = [],  # noqa: B006
    exclude_schema: Annotated[list[str], Query(description="Drop results of these schemata.")] = [],  # noqa: B006
    exclude_entity_ids: Annotated[
        list[str], Query(max_length=50, description="Drop these entities (e.g. decided false positives).")
    ] = [],  # noqa: B006
) -> JsonResponse:
    """Match entities described by example (name, birth date, nationality, identifiers, ...)
    against the lists, as yente's ``/match``. Each result carries a score, a match decision, the
    feature values and, as extras, a plain-words explanation and its listings (program, date)."""
    scope = _narrow(dataset_scope(state, dataset), state, include_dataset, exclude_dataset)
    if body.weights or body.config:
        raise ApiError(400, "custom weights/config are not supported: choose an algorithm instead")
    if len(body.queries) > state.settings.max_batch:
        raise ApiError(
            422, f"too many queries in one batch: {len(body.queries)} (limit: {state.settings.max_batch})"
        )
    if not body.queries:
        raise ApiError(400, "no queries provided")
    algo = Screener.algorithm(algorithm)  # QueryError (400) for an unknown one
    algo_name = algo.name
    queries = []
    echoes: dict[str, dict[str, Any]] = {}
    for name, example in body.queries.items():
        props = example_properties(example)
        queries.append((name, MatchQuery.from_fields(schema=example.schema_, properties=props)))
        echoes[name] = {"id": example.id, "schema": example.schema_, "properties": props}
    options = MatchOptions(
        limit=limit,
        threshold=threshold,
        cutoff=cutoff or None,
        algorithm=algo_name,
        datasets=frozenset(scope) if scope is not None else None,
    )
    excluded = (set(exclude_entity_ids), set(exclude_schema))
    if len(queries) <= INLINE_BATCH:  # CPU-bound and short: the thread hop would cost more than it saves
        results = _run_queries(state, queries, options, excluded)
    else:
        results = await run_in_threadpool(_run_queries, state, queries, options, excluded)
    responses = {}
    for name, matches in results:
        rows = [scored_json(m, state.loaded_at) for m in matches]
        responses[name] = {
            "status": 200,
            "results": rows,
            "total": {"value": len(rows), "relation": "eq"},
            "query": echoes[name],
        }
    log.info("match", extra={"batch": len(queries), "dataset": dataset, "algorithm": algo_name})
    return JsonResponse(
        {"responses": responses, "matcher": feature_docs(algo), "limit": limit},
        headers={"x-batch-size": str(len(responses))},
    )


@router.get("/search/{dataset}", tags=["Matching"], response_model=SearchResponse, responses=_ERRORS)
async def search(
    dataset: PathDataset,
    state: StateDep,
    q: Annotated[str, Query(max_length=500, description="A name or part of one.")] = "",
    schema: Annotated[
        str, Query(description="Kind of entity: Thing (any), Person, Organization, ...")
    ] = "Thing",
    limit: Annotated[int, Query(ge=1, le=500)] = 10,
    offset: Annotated[int, Query(ge=0, le=500)] = 0,
) -> JsonResponse:
    """Find entities by a name (typeahead-style search), ranked by the matcher's name score."""
    scope = dataset_scope(state, dataset)
    rows: list[dict[str, Any]] = []
    if q.strip():
        query = MatchQuery.from_fields(q.strip(), schema=schema)
        screener = state.require_ready()
        options = MatchOptions(
            limit=limit + offset, cutoff=0.0, datasets=frozenset(scope) if scope is not None else None
        )
        found = await run_in_threadpool(screener.match, query, options)
        rows = [scored_json(m, state.loaded_at) for m in found]
    page = rows[offset : offset + limit]
    return JsonResponse(
        {
            "results": page,
            "facets": facets(page),
            "total": {"value": len(rows), "relation": "eq" if len(rows) < limit + offset else "gte"},
            "limit": limit,
            "offset": offset,
        }
    )


def entity_json(state: ServiceState, entity_id: str, nested: bool) -> dict[str, Any]:
    """One entity with nested sanctions and relations, as yente's ``/entities/{id}``."""
    screener = state.screener
    entity = screener.entity(entity_id)
    if entity is None:
        raise NotFoundError(f"no entity {entity_id!r} in the loaded lists")
    data = entity_response(entity, state.loaded_at.get(entity.dataset))
    relations = screener.relations(entity_id)
    if nested:
        data["properties"]["sanctions"] = sanction_entities(entity)
        for prop, values in nest_relations(entity, relations, screener.entity).items():
            data["properties"].setdefault(prop, []).extend(values)
    data["relations"] = [relation_json(r) for r in relations]
    return data


@router.get("/entities/{entity_id}", tags=["Data access"], response_model=EntityResponse, responses=_ERRORS)
async def fetch_entity(
    entity_id: Annotated[str, Path(max_length=300)],
    state: StateDep,
    nested: Annotated[bool, Query(description="Include adjacent entities (sanctions, relations).")] = True,
) -> JsonResponse:
    """One listed entity: names in every script, identifiers, listings, relations."""
    return JsonResponse(await run_in_threadpool(entity_json, state, entity_id, nested))


@router.get("/algorithms", tags=["Matching"], response_model=AlgorithmResponse)
async def algorithms() -> JsonResponse:
    """The matching algorithms, their features and weights. Released algorithms never change."""
    items = [
        {"name": a.name, "description": a.description, "features": feature_docs(a), "threshold": a.threshold}
        for a in Screener.algorithms()
    ]
    default = Screener.algorithm().name
    return JsonResponse({"algorithms": items, "default": default, "best": default})


@router.get("/catalog", tags=["Data access"], response_model=DataCatalogModel)
async def catalog(state: StateDep) -> JsonResponse:
    """The datasets this service screens against: ``default`` (all) and one per loaded list."""
    statuses = await run_in_threadpool(state.lists)
    versions = [status.version for status in statuses]
    items: list[dict[str, Any]] = []
    for status in statuses:
        v = status.version
        items.append(
            {
                "name": v.dataset,
                "title": status.title,
                "summary": None,
                "url": status.url,
                "load": True,
                "entities_url": None,
                "version": v.published or v.loaded_at,
                "index_version": str(v.id),
                "index_current": v.id in state.versions,
                "children": [],
                "published": v.published,
                "loaded_at": v.loaded_at,
                "entities": v.entities,
                "stale": status.stale,
                "age_days": status.age_days,
            }
        )
    names = [v.dataset for v in versions]
    newest = max((v.loaded_at for v in versions), default="")
    default = {
        "name": DEFAULT_DATASET,
        "title": "All loaded sanctions lists",
        "summary": "Every list loaded in this service.",
        "url": None,
        "load": False,
        "entities_url": None,
        "version": newest,
        "index_version": ",".join(str(v) for v in state.versions),
        "index_current": all(i["index_current"] for i in items),
        "children": names,
    }
    current = [i["name"] for i in items if i["index_current"]]
    outdated = [i["name"] for i in items if not i["index_current"]]
    return JsonResponse(
        {
            "datasets": [default, *items],
            "current": current,
            "outdated": outdated,
            "index_stale": bool(outdated),
        }
    )
