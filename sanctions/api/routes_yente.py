"""The yente-compatible matching endpoints: /match and /search (the data access ones are in
:mod:`sanctions.api.routes_entities`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from starlette.concurrency import run_in_threadpool

from sanctions.api.convert import build_query, example_properties, feature_docs, scored_json
from sanctions.api.deps import OPEN_READ, StateDep, dataset_scope
from sanctions.api.errors import ApiError
from sanctions.api.filters import (
    ANY_SCHEMA,
    QuerySchema,
    RowFilter,
    query_schema,
    schema_filter,
)
from sanctions.api.filters import facets as count_facets
from sanctions.api.responses import JsonResponse
from sanctions.api.schemas import (
    EntityMatchQuery,
    EntityMatchResponse,
    ErrorResponse,
    SearchResponse,
)
from sanctions.api.state import ServiceState

if TYPE_CHECKING:
    from sanctions import Query as MatchQuery

log = logging.getLogger("sanctions.api")
router = APIRouter(dependencies=OPEN_READ)

# yente's changed_since format: a date, optionally with hours, minutes and seconds.
TS_PATTERN = r"^\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2})?)?)?$"
FacetName = Literal["datasets", "schema", "countries", "topics"]
CANDIDATES = 20  # at least this many candidates are scored per query, so `total` counts beyond `limit`
SEARCH_HITS = 500  # every candidate the matcher finds for a name (it retrieves a few dozen)
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


@dataclass(frozen=True, slots=True)
class MatchRun:
    """One batch's settings: what to ask the matcher for and which results to keep."""

    algorithm: str
    threshold: float  # decides `match`
    cutoff: float  # results below are dropped
    limit: int
    datasets: set[str] | None
    rows: RowFilter


def _run_one(
    state: ServiceState, run: MatchRun, schema: QuerySchema, query: MatchQuery
) -> tuple[int, list[dict[str, Any]]]:
    """(matches among the candidates, the results kept) for one query."""
    if schema.ours is None:
        return 0, []  # no record of ours can have that schema (e.g. Security)
    screener = state.require_ready()
    found = screener.match(
        query,
        limit=max(run.limit, CANDIDATES) + len(run.rows.exclude_ids),
        algorithm=run.algorithm,
        datasets=run.datasets,
    )
    last_seen = state.loaded_at
    rows = [scored_json(m, last_seen, run.threshold) for m in found if float(m.score) >= run.cutoff]
    rows = [r for r in rows if (schema.results is None or r["schema"] in schema.results) and run.rows.keep(r)]
    return sum(1 for r in rows if r["match"]), rows[: run.limit]


def _run_queries(
    state: ServiceState, run: MatchRun, queries: list[tuple[str, QuerySchema, MatchQuery]]
) -> list[tuple[str, int, list[dict[str, Any]]]]:
    return [(name, *_run_one(state, run, schema, query)) for name, schema, query in queries]


def _changed(state: ServiceState, changed_since: str | None) -> frozenset[str] | None:
    return None if changed_since is None else state.require_ready().changed_since(changed_since)


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
        float | None,
        Query(
            ge=0.0,
            le=1.0,
            description="Drop results scoring below this (default and at most: the threshold, as in yente).",
        ),
    ] = None,
    algorithm: Annotated[
        str | None,
        Query(
            description="Matching algorithm: ours or a yente name (`best`, `logic-v2`, ...; see /algorithms)."
        ),
    ] = None,
    include_dataset: Annotated[list[str], Query(description="Only these datasets.")] = [],  # noqa: B006
    exclude_dataset: Annotated[list[str], Query(description="Not these datasets.")] = [],  # noqa: B006
    exclude_schema: Annotated[list[str], Query(description="Drop results of these schemata.")] = [],  # noqa: B006
    exclude_entity_ids: Annotated[
        list[str], Query(max_length=50, description="Drop these entities (e.g. decided false positives).")
    ] = [],  # noqa: B006
    topics: Annotated[
        list[str],
        Query(description="Only results with one of these topics (every listed entity: `sanction`)."),
    ] = [],  # noqa: B006
    changed_since: Annotated[
        str | None,
        Query(pattern=TS_PATTERN, description="Only entities added or changed by a list loaded since then."),
    ] = None,
) -> JsonResponse:
    """Match entities described by example (name, birth date, nationality, identifiers, ...)
    against the lists, as yente's ``/match``. Each result carries a score, a match decision and
    yente's ``explanations`` (per feature, our plain-words detail inside), plus its listings."""
    scope = _narrow(dataset_scope(state, dataset), state, include_dataset, exclude_dataset)
    if body.weights or body.config:
        raise ApiError(400, "custom weights/config are not supported: choose an algorithm instead")
    if len(body.queries) > state.settings.max_batch:
        raise ApiError(
            422, f"too many queries in one batch: {len(body.queries)} (limit: {state.settings.max_batch})"
        )
    if not body.queries:
        raise ApiError(400, "no queries provided")
    algo = state.screener.algorithm(algorithm)
    decide = algo.threshold if threshold is None else threshold
    rows = RowFilter(
        exclude_schemata=frozenset(exclude_schema),
        exclude_ids=frozenset(exclude_entity_ids),
        topics=frozenset(topics),
        changed=await run_in_threadpool(_changed, state, changed_since),
    )
    run = MatchRun(algo.name, decide, decide if cutoff is None else min(cutoff, decide), limit, scope, rows)
    queries = []
    echoes: dict[str, dict[str, Any]] = {}
    for name, example in body.queries.items():
        schema = query_schema(example.schema_)
        props = example_properties(example)
        queries.append((name, schema, build_query(schema.ours or ANY_SCHEMA, props)))
        echoes[name] = {"id": example.id, "schema": example.schema_, "properties": props}
    if len(queries) <= INLINE_BATCH:  # CPU-bound and short: the thread hop would cost more than it saves
        results = _run_queries(state, run, queries)
    else:
        results = await run_in_threadpool(_run_queries, state, run, queries)
    responses = {
        name: {
            "status": 200,
            "results": found,
            "total": {"value": total, "relation": "eq"},
            "query": echoes[name],
        }
        for name, total, found in results
    }
    log.info("match", extra={"batch": len(queries), "dataset": dataset, "algorithm": algo.name})
    return JsonResponse(
        {"responses": responses, "matcher": feature_docs(algo), "limit": limit},
        headers={"x-batch-size": str(len(responses))},
    )


def _search_rows(
    state: ServiceState, q: str, schema: str, scope: set[str] | None, rows: RowFilter
) -> list[dict[str, Any]]:
    """Every hit for a name, best first, filtered (the matcher's candidates: at most a few dozen)."""
    screener = state.require_ready()
    try:
        kind = query_schema(schema).ours or ANY_SCHEMA  # a person's name is read as one, ...
    except ApiError:
        kind = ANY_SCHEMA  # a schema nothing matches by name (Address, Sanction): filtered below
    found = screener.match(build_query(kind, {"name": [q]}), limit=SEARCH_HITS, cutoff=0.0, datasets=scope)
    return [r for r in (scored_json(m, state.loaded_at) for m in found) if rows.keep(r)]


@router.get("/search/{dataset}", tags=["Matching"], response_model=SearchResponse, responses=_ERRORS)
async def search(
    dataset: PathDataset,
    state: StateDep,
    q: Annotated[str, Query(max_length=500, description="A name or part of one.")] = "",
    schema: Annotated[
        str, Query(description="Kind of entity (FtM schema): Thing (any), Person, Organization, ...")
    ] = ANY_SCHEMA,
    include_dataset: Annotated[list[str], Query(description="Only these datasets.")] = [],  # noqa: B006
    exclude_dataset: Annotated[list[str], Query(description="Not these datasets.")] = [],  # noqa: B006
    exclude_schema: Annotated[list[str], Query(description="Drop results of these schemata.")] = [],  # noqa: B006
    changed_since: Annotated[
        str | None,
        Query(pattern=TS_PATTERN, description="Only entities added or changed by a list loaded since then."),
    ] = None,
    countries: Annotated[list[str], Query(description="Only entities linked to these countries.")] = [],  # noqa: B006
    topics: Annotated[list[str], Query(description="Only entities with these topics.")] = [],  # noqa: B006
    datasets: Annotated[list[str], Query(description="Only entities on these datasets.")] = [],  # noqa: B006
    facets: Annotated[
        list[FacetName],
        Query(description="Facets to count over all hits."),
    ] = ["countries", "topics", "datasets"],  # noqa: B006
    filter_op: Annotated[
        Literal["OR", "AND"], Query(description="Several values of one filter: any (OR) or all (AND).")
    ] = "OR",
    limit: Annotated[int, Query(ge=0, le=500)] = 10,
    offset: Annotated[int, Query(ge=0, le=500)] = 0,
) -> JsonResponse:
    """Find entities by a name (typeahead-style search), ranked by the matcher's name score,
    filtered as yente filters; facets count every hit, not only the page."""
    scope = _narrow(dataset_scope(state, dataset), state, include_dataset, exclude_dataset)
    rows = RowFilter(
        schemata=schema_filter(schema),
        exclude_schemata=frozenset(exclude_schema),
        topics=frozenset(topics),
        countries=frozenset(countries),
        datasets=frozenset(datasets),
        changed=await run_in_threadpool(_changed, state, changed_since),
        require_all=filter_op == "AND",
    )
    hits: list[dict[str, Any]] = []
    if q.strip():
        hits = await run_in_threadpool(_search_rows, state, q.strip(), schema, scope, rows)
    return JsonResponse(
        {
            "results": hits[offset : offset + limit],
            "facets": count_facets(hits, dict.fromkeys(facets)),
            "total": {"value": len(hits), "relation": "eq"},
            "limit": limit,
            "offset": offset,
        }
    )
