"""The W3C Reconciliation Service API (v0.2, OpenRefine's protocol), as yente offers it.

``GET /reconcile`` is the service manifest; queries come as JSON in the ``queries`` parameter,
by POST form or GET query string. ``/reconcile/{dataset}`` restricts to one list.
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Form, Query, Request
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from sanctions.api.convert import build_query
from sanctions.api.deps import DEFAULT_DATASET, OPEN_READ, StateDep, dataset_scope
from sanctions.api.errors import ApiError
from sanctions.api.filters import ANY_SCHEMA, query_schema
from sanctions.api.ftm import ftm_schema_name
from sanctions.api.reconcile_extend import extend, parse_extend, propose_properties, propose_settings
from sanctions.api.responses import JsonResponse
from sanctions.api.schemas import ErrorResponse
from sanctions.api.state import ServiceState
from sanctions.model import Entity

router = APIRouter(tags=["Reconciliation"], dependencies=OPEN_READ)

_TYPES = {
    "Person": ("People", "A natural person"),
    "Organization": ("Organizations", "Any kind of organisation"),
    "Company": ("Companies", "A company or other business"),
    "LegalEntity": ("Legal entities", "A person or organisation the publisher did not classify"),
    "Vessel": ("Vessels", "A ship"),
    "Airplane": ("Airplanes", "An aircraft"),
}
# Properties a reconciliation query may send (the FtM names the matcher reads).
_PROPERTIES = {
    "birthDate": "Date of birth",
    "nationality": "Nationality",
    "country": "Country",
    "idNumber": "ID number",
    "passportNumber": "Passport number",
    "taxNumber": "Tax number",
    "registrationNumber": "Registration number",
    "imoNumber": "IMO number",
    "swiftBic": "SWIFT/BIC",
    "incorporationDate": "Date of incorporation",
    "alias": "Other name",
}
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Invalid queries"},
    404: {"model": ErrorResponse, "description": "Unknown dataset"},
    422: {"model": ErrorResponse, "description": "Too many queries"},
    503: {"model": ErrorResponse, "description": "Index not ready"},
}


class ReconProperty(BaseModel):
    pid: str
    v: Any


class ReconQuery(BaseModel):
    query: str | None = Field(None, max_length=1000)
    type: str | list[str] | None = None
    limit: int = Field(5, ge=1, le=100)
    properties: list[ReconProperty] = Field([], max_length=40)


def _type(schema: str) -> dict[str, str]:
    name, description = _TYPES.get(schema, (schema, schema))
    return {"id": schema, "name": name, "description": description}


def public_base_url(request: Request) -> str:
    """The configured public address of the API, or the address of the socket serving it."""
    configured: str | None = request.app.state.settings.public_base_url
    if configured:
        return configured.rstrip("/")
    server = request.scope.get("server")
    if server and server[0]:
        host, port = server[0], server[1]
        default = (request.url.scheme == "https" and port == 443) or (
            request.url.scheme == "http" and port == 80
        )
        return f"{request.url.scheme}://{host}" + ("" if default or port is None else f":{port}")
    return "http://localhost"


def manifest(request: Request, dataset: str) -> dict[str, Any]:
    """The service manifest: where to send queries, how to show and suggest entities.

    Its URLs start with ``SANCTIONS_PUBLIC_BASE_URL``, or else the address the server is bound
    to: never the request's ``Host`` header, which any client can set.
    """
    base = public_base_url(request)
    service = f"{base}/reconcile" + ("" if dataset == DEFAULT_DATASET else f"/{dataset}")
    keep = f"?{request.url.query}" if request.url.query else ""
    return {
        "versions": ["0.2"],
        "name": f"sanctions screening ({dataset})",
        "identifierSpace": f"{base}/entities/",
        "schemaSpace": "https://followthemoney.tech/explorer/schemata/",
        "view": {"url": f"{base}/ui/entities/{{{{id}}}}"},
        "preview": {"url": f"{base}/ui/entities/{{{{id}}}}?preview=1", "width": 430, "height": 300},
        "suggest": {
            "entity": {"service_url": service, "service_path": f"/suggest/entity{keep}"},
            "type": {"service_url": service, "service_path": f"/suggest/type{keep}"},
            "property": {"service_url": service, "service_path": f"/suggest/property{keep}"},
        },
        "extend": {
            "propose_properties": {"service_url": service, "service_path": f"/extend/property{keep}"},
            "propose_settings": propose_settings(),
        },
        "documentation": f"{base}/docs",
        "defaultTypes": [_type(t) for t in ("Person", "Organization", "Company", "Vessel")],
        "batchSize": 10,
    }


def _reconcile(state: ServiceState, raw: str, dataset: str, algorithm: str | None = None) -> dict[str, Any]:
    try:
        decoded = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ApiError(400, f"queries is not valid JSON: {exc}") from exc
    if not isinstance(decoded, dict):
        raise ApiError(400, "queries must be a JSON object of named queries")
    if len(decoded) > state.settings.max_batch:
        raise ApiError(
            422, f"too many queries in one batch: {len(decoded)} (limit: {state.settings.max_batch})"
        )
    scope = dataset_scope(state, dataset)
    screener = state.require_ready()
    algo = screener.algorithm(algorithm).name
    out: dict[str, Any] = {}
    for key, item in decoded.items():
        try:
            query = ReconQuery.model_validate(item)
        except ValidationError as exc:
            raise ApiError(400, f"query {str(key)[:40]!r} is invalid: {exc.errors()[0]['msg']}") from exc
        schema = query.type[0] if isinstance(query.type, list) and query.type else query.type
        props: dict[str, list[str]] = {"name": [query.query]} if query.query else {}
        for prop in query.properties:
            name = prop.pid.split(":")[-1]
            values = prop.v if isinstance(prop.v, list) else [prop.v]
            texts = [str(v.get("id", "")) if isinstance(v, dict) else str(v) for v in values if v is not None]
            props.setdefault(name, []).extend(t for t in texts if t)
        reading = query_schema(str(schema or ANY_SCHEMA))
        if not props.get("name") or reading.ours is None:
            out[str(key)] = {"result": []}
            continue
        found = screener.match(
            build_query(reading.ours, props), limit=query.limit, algorithm=algo, datasets=scope
        )
        kept = [
            m for m in found if reading.results is None or ftm_schema_name(m.entity.schema) in reading.results
        ]
        out[str(key)] = {"result": [_candidate(m.entity, m.score, m.match) for m in kept]}
    return out


def _candidate(entity: Entity, score: float, match: bool) -> dict[str, Any]:
    schema = ftm_schema_name(entity.schema)
    return {
        "id": entity.id,
        "name": entity.caption,
        "description": f"{_type(schema)['description']}; {entity.dataset}",
        "type": [_type(schema)],
        "score": round(float(score), 4),
        "match": bool(match),
    }


async def _manifest_or_answers(
    request: Request, state: StateDep, dataset: str, queries: str | None
) -> JsonResponse:
    if queries is None or not queries.strip():
        if dataset != DEFAULT_DATASET:
            dataset_scope(state, dataset)  # 404 for an unknown dataset
        return JsonResponse(manifest(request, dataset))
    return JsonResponse(await run_in_threadpool(_reconcile, state, queries, dataset))


async def _post(
    state: StateDep, dataset: str, queries: str | None, extend_request: str | None, algorithm: str | None
) -> JsonResponse:
    """A POST carries ``queries`` or ``extend`` (form fields, JSON); anything else is a 400."""
    if extend_request is not None and extend_request.strip():
        if dataset != DEFAULT_DATASET:
            dataset_scope(state, dataset)
        query = parse_extend(extend_request, state.settings.max_batch)
        answer = await run_in_threadpool(extend, state, query)
        return JsonResponse(answer, headers={"x-batch-size": str(len(answer["rows"]))})
    if queries is None or not queries.strip():
        raise ApiError(
            400,
            "no queries or extend request: send the form field 'queries' (JSON object of named "
            "queries) or 'extend' (JSON {ids, properties}); GET answers the manifest",
        )
    answer = await run_in_threadpool(_reconcile, state, queries, dataset, algorithm)
    return JsonResponse(answer, headers={"x-batch-size": str(len(answer))})


# A URL must fit the server's 16 KB request-head limit: larger batches go by POST.
QueriesParam = Annotated[
    str | None, Query(max_length=1000, description="JSON object of named queries (POST for larger batches).")
]
QueriesForm = Annotated[str | None, Form(max_length=1_000_000, description="JSON object of named queries.")]
ExtendForm = Annotated[
    str | None, Form(max_length=1_000_000, description="Data extension: JSON {ids, properties}.")
]
AlgorithmParam = Annotated[str | None, Query(description="Matching algorithm (ours or a yente name).")]


@router.get("/reconcile", responses=_ERRORS)
async def reconcile(request: Request, state: StateDep, queries: QueriesParam = None) -> JsonResponse:
    """The manifest, or the answers to ``queries`` (JSON) over every loaded list."""
    return await _manifest_or_answers(request, state, DEFAULT_DATASET, queries)


@router.post("/reconcile", responses=_ERRORS)
async def reconcile_post(
    state: StateDep,
    queries: QueriesForm = None,
    extend: ExtendForm = None,
    algorithm: AlgorithmParam = None,
) -> JsonResponse:
    """Answers to the form field ``queries``, or the data asked by ``extend``, over every list."""
    return await _post(state, DEFAULT_DATASET, queries, extend, algorithm)


@router.get("/reconcile/{dataset}", responses=_ERRORS)
async def reconcile_dataset(
    dataset: str, request: Request, state: StateDep, queries: QueriesParam = None
) -> JsonResponse:
    """The manifest or the answers, over one list (or ``default``)."""
    return await _manifest_or_answers(request, state, dataset, queries)


@router.post("/reconcile/{dataset}", responses=_ERRORS)
async def reconcile_dataset_post(
    dataset: str,
    state: StateDep,
    queries: QueriesForm = None,
    extend: ExtendForm = None,
    algorithm: AlgorithmParam = None,
) -> JsonResponse:
    """Answers to ``queries`` or the data asked by ``extend``, over one list (or ``default``)."""
    return await _post(state, dataset, queries, extend, algorithm)


@router.get("/reconcile/{dataset}/extend/property", responses=_ERRORS)
async def extend_properties(
    dataset: str,
    state: StateDep,
    type: Annotated[str, Query(max_length=100, description="An FtM schema, e.g. Person.")] = ANY_SCHEMA,
    limit: Annotated[int, Query(ge=0, le=500, description="At most this many (0: all).")] = 0,
) -> JsonResponse:
    """The properties an entity of that type can be extended with (OpenRefine's "add columns")."""
    if dataset != DEFAULT_DATASET:
        dataset_scope(state, dataset)
    return JsonResponse(propose_properties(type, limit))


PrefixParam = Annotated[str, Query(max_length=200)]


@router.get("/reconcile/{dataset}/suggest/entity", responses=_ERRORS)
async def suggest_entity(dataset: str, state: StateDep, prefix: PrefixParam = "") -> JsonResponse:
    """Entities whose names start like ``prefix`` (OpenRefine's entity autocomplete)."""
    scope = dataset_scope(state, dataset)
    results: list[dict[str, Any]] = []
    if prefix.strip():
        screener = state.require_ready()
        found = await run_in_threadpool(
            screener.match,
            build_query("Thing", {"name": [prefix.strip()]}),
            limit=10,
            cutoff=0.0,
            datasets=scope,
        )
        results = [
            {
                k: v
                for k, v in _candidate(m.entity, m.score, m.match).items()
                if k in ("id", "name", "description", "type")
            }
            for m in found
        ]
    return JsonResponse({"code": "/api/status/ok", "status": "200 OK", "prefix": prefix, "result": results})


@router.get("/reconcile/{dataset}/suggest/type", responses=_ERRORS)
async def suggest_type(dataset: str, prefix: PrefixParam = "") -> JsonResponse:
    """Entity types whose name starts like ``prefix``."""
    wanted = prefix.strip().lower()
    result = [
        _type(t)
        for t in _TYPES
        if not wanted or t.lower().startswith(wanted) or wanted in _TYPES[t][0].lower()
    ]
    return JsonResponse({"code": "/api/status/ok", "status": "200 OK", "prefix": prefix, "result": result})


@router.get("/reconcile/{dataset}/suggest/property", responses=_ERRORS)
async def suggest_property(dataset: str, prefix: PrefixParam = "") -> JsonResponse:
    """Query properties whose name starts like ``prefix``."""
    wanted = prefix.strip().lower()
    result = [
        {"id": k, "name": label, "description": None}
        for k, label in _PROPERTIES.items()
        if not wanted or k.lower().startswith(wanted) or label.lower().startswith(wanted)
    ]
    return JsonResponse({"code": "/api/status/ok", "status": "200 OK", "prefix": prefix, "result": result})
