"""The yente-compatible data access and system endpoints: /entities (and adjacent),
/algorithms, /catalog (alias /manifest) and /updatez."""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from followthemoney import model as ftm_model
from followthemoney.types import registry
from starlette.concurrency import run_in_threadpool

from sanctions import Permission
from sanctions.api.convert import feature_docs, yente_time
from sanctions.api.deps import DEFAULT_DATASET, OPEN_READ, StateDep
from sanctions.api.errors import ApiError
from sanctions.api.ftm import entity_response, nest_relations, relation_json, sanction_entities
from sanctions.api.responses import JsonResponse
from sanctions.api.schemas import (
    AdjacentResultsResponse,
    AlgorithmResponse,
    DataCatalogModel,
    EntityAdjacentResponse,
    EntityResponse,
    ErrorResponse,
    UpdateRequest,
    UpdatezResponse,
)
from sanctions.api.security import presented_key
from sanctions.api.state import ServiceState
from sanctions.api.updating import run_update
from sanctions.errors import NotFoundError

router = APIRouter()  # /updatez: checks its own token
reads = APIRouter(dependencies=OPEN_READ)
_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "Unknown entity or property"},
    429: {"model": ErrorResponse, "description": "Rate limit exceeded"},
    503: {"model": ErrorResponse, "description": "Index not ready"},
}


def entity_json(state: ServiceState, entity_id: str, nested: bool) -> dict[str, Any]:
    """One entity with nested sanctions and relations, as yente's ``/entities/{id}``."""
    screener = state.screener
    entity = screener.entity(entity_id)
    if entity is None:
        raise NotFoundError(f"no entity {entity_id!r} in the loaded lists")
    data = entity_response(entity, yente_time(state.loaded_at.get(entity.dataset)))
    relations = screener.relations(entity_id)
    if nested:
        for prop, values in _adjacent(state, entity_id).items():
            data["properties"].setdefault(prop, []).extend(values)
    data["relations"] = [relation_json(r) for r in relations]
    return data


def _adjacent(state: ServiceState, entity_id: str) -> dict[str, list[dict[str, Any]]]:
    """The entities adjacent to one entity, by the FtM property that holds them on it:
    ``sanctions`` (its listings as ``Sanction`` entities) and the reverse properties of its
    relations (``ownershipAsset``, ``familyPerson``, ...)."""
    screener = state.screener
    entity = screener.entity(entity_id)
    if entity is None:
        raise NotFoundError(f"no entity {entity_id!r} in the loaded lists")
    out: dict[str, list[dict[str, Any]]] = {}
    if entity.listings:
        out["sanctions"] = sanction_entities(entity)
    for prop, values in nest_relations(entity, screener.relations(entity_id), screener.entity).items():
        out.setdefault(prop, []).extend(values)
    return {prop: _complete(values) for prop, values in out.items()}


# Every key of yente's EntityResponse, for nested entities built with fewer.
_ENTITY_KEYS: dict[str, Any] = {
    "datasets": [],
    "referents": [],
    "target": False,
    "first_seen": None,
    "last_seen": None,
    "last_change": None,
}


def _complete(values: list[Any]) -> list[Any]:
    """Nested entities with every key a yente client reads (recursively)."""
    for value in values:
        if isinstance(value, dict):
            for key, default in _ENTITY_KEYS.items():
                value.setdefault(key, list(default) if isinstance(default, list) else default)
            for inner in value.get("properties", {}).values():
                _complete(inner)
    return values


def _page(values: list[Any], limit: int, offset: int) -> dict[str, Any]:
    return {
        "results": values[offset : offset + limit],
        "total": {"value": len(values), "relation": "eq"},
        "limit": limit,
        "offset": offset,
    }


@reads.get("/entities/{entity_id}", tags=["Data access"], response_model=EntityResponse, responses=_ERRORS)
async def fetch_entity(
    entity_id: Annotated[str, Path(max_length=300)],
    state: StateDep,
    nested: Annotated[bool, Query(description="Include adjacent entities (sanctions, relations).")] = True,
) -> JsonResponse:
    """One listed entity: names in every script, identifiers, listings, relations."""
    return JsonResponse(await run_in_threadpool(entity_json, state, entity_id, nested))


PageLimit = Annotated[int, Query(ge=0, le=500, description="Adjacent entities per property.")]
PageOffset = Annotated[int, Query(ge=0, le=9500)]


@reads.get(
    "/entities/{entity_id}/adjacent",
    tags=["Data access"],
    response_model=EntityAdjacentResponse,
    responses=_ERRORS,
)
async def fetch_adjacent(
    entity_id: Annotated[str, Path(max_length=300)],
    state: StateDep,
    limit: PageLimit = 10,
    offset: PageOffset = 0,
) -> JsonResponse:
    """The entity and, per property, a page of its adjacent entities (sanctions, owners,
    directors, relatives, ...), as yente's ``/entities/{id}/adjacent``."""
    entity = await run_in_threadpool(entity_json, state, entity_id, False)
    adjacent = await run_in_threadpool(_adjacent, state, entity_id)
    pages = {prop: _page(values, limit, offset) for prop, values in adjacent.items()}
    return JsonResponse({"entity": entity, "adjacent": pages})


@reads.get(
    "/entities/{entity_id}/adjacent/{property_name}",
    tags=["Data access"],
    response_model=AdjacentResultsResponse,
    responses=_ERRORS,
)
async def fetch_adjacent_by_property(
    entity_id: Annotated[str, Path(max_length=300)],
    property_name: Annotated[str, Path(max_length=100, description="e.g. sanctions, ownershipAsset")],
    state: StateDep,
    limit: PageLimit = 10,
    offset: PageOffset = 0,
) -> JsonResponse:
    """A page of the entities adjacent to one entity through one property."""
    entity = await run_in_threadpool(entity_json, state, entity_id, False)
    schema = ftm_model.get(entity["schema"])
    prop = schema.properties.get(property_name) if schema is not None else None
    if prop is None or prop.type != registry.entity:
        raise NotFoundError(f"no property {property_name!r} linking {entity['schema']} entities to others")
    adjacent = await run_in_threadpool(_adjacent, state, entity_id)
    return JsonResponse(_page(adjacent.get(property_name, []), limit, offset))


@reads.get("/algorithms", tags=["Matching"], response_model=AlgorithmResponse)
async def algorithms(state: StateDep) -> JsonResponse:
    """The matching algorithms, their features and weights, and the yente algorithm names each
    one answers to. Released algorithms never change."""
    screener = state.screener
    aliases = screener.algorithm_aliases()
    items = []
    for a in screener.algorithms():
        features = feature_docs(a)
        items.append(
            {
                "name": a.name,
                "description": a.description,
                "features": features,
                "docs": {"name": a.name, "description": a.description, "config": {}, "features": features},
                "threshold": a.threshold,
                "aliases": sorted(k for k, v in aliases.items() if v == a.name),
            }
        )
    default = screener.algorithm().name
    return JsonResponse({"algorithms": items, "default": default, "best": default})


@reads.get("/catalog", tags=["Data access"], response_model=DataCatalogModel)
@reads.get("/manifest", response_model=DataCatalogModel, include_in_schema=False)
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


@router.post(
    "/updatez",
    tags=["System information"],
    response_model=UpdatezResponse,
    responses={403: {"model": ErrorResponse, "description": "Missing or wrong update token"}},
)
async def updatez(
    request: Request,
    state: StateDep,
    token: Annotated[str, Query(description="The update token: our API key (SANCTIONS_API_KEY).")] = "",
    sync: Annotated[bool, Query(description="Answer when the update is done.")] = False,
    bundled: Annotated[
        bool, Query(description="Extra: load the snapshot shipped with the package instead of downloading.")
    ] = False,
) -> JsonResponse:
    """Update every list from its publisher (as ``POST /update``), as yente's ``/updatez``
    re-indexes. Needs the update token: the API key as ``token`` or in the usual headers."""
    key = token or presented_key(request.headers, request.query_params)
    principal = await run_in_threadpool(state.screener.principal, key)
    if principal is None or not principal.can(Permission.ADMIN):
        raise ApiError(
            403, "invalid token: /updatez needs an admin's API key (or SANCTIONS_API_KEY) as token"
        )
    body = UpdateRequest.model_validate({"bundled": bundled})
    if sync:
        result = await run_in_threadpool(run_update, state, body, principal.name)
        return JsonResponse({"status": "ok", **result})
    args = (state, body, principal.name)
    threading.Thread(target=run_update, args=args, name="updatez", daemon=True).start()
    return JsonResponse({"status": "ok"})
