"""Data extension of the reconciliation API (W3C Reconciliation 0.2, as yente offers it).

After reconciling, OpenRefine asks which properties an entity type has (``propose_properties``)
and then the values of the chosen properties for a batch of entity ids (``extend``). The
properties are those of our entities' FtM form (:mod:`sanctions.api.ftm`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import orjson
from followthemoney import model as ftm_model
from followthemoney.types import registry
from pydantic import BaseModel, Field, ValidationError

from sanctions.api.errors import ApiError
from sanctions.api.ftm import entity_properties, ftm_schema_name
from sanctions.api.state import ServiceState


class Render(StrEnum):
    """How a value comes back: as users read it (``Russia``) or as stored (``ru``)."""

    caption = "caption"
    raw = "raw"


class ExtendSettings(BaseModel):
    limit: int = Field(0, ge=0, description="Values per row and property (0: all).")
    render: Render = Render.caption


class ExtendProperty(BaseModel):
    id: str = Field(..., max_length=100, examples=["birthDate"])
    settings: ExtendSettings = Field(default_factory=lambda: ExtendSettings.model_validate({}))


class ExtendQuery(BaseModel):
    ids: list[str] = Field(..., max_length=10_000, examples=[["us_ofac_sdn-35217"]])
    properties: list[ExtendProperty] = Field(..., max_length=100, examples=[[{"id": "birthDate"}]])


def propose_settings() -> list[dict[str, Any]]:
    """The settings a client may send with each property (the manifest's ``propose_settings``)."""
    return [
        {
            "name": "limit",
            "label": "Limit",
            "type": "number",
            "default": 0,
            "help_text": "Maximum number of values per row (0: no limit).",
            "choices": [],
        },
        {
            "name": "render",
            "label": "Value rendering",
            "type": "select",
            "default": Render.caption.value,
            "choices": [
                {"id": Render.caption.value, "name": "User-readable value"},
                {"id": Render.raw.value, "name": "Machine-readable value"},
            ],
            "help_text": "A readable value (e.g. 'Russia') instead of the raw one ('ru').",
        },
    ]


def propose_properties(type_name: str, limit: int) -> dict[str, Any]:
    """The properties of an FtM schema a client can ask for: featured ones first, then the
    others, without hidden ones and links to other entities; 400 for an unknown schema."""
    schema = ftm_model.get(type_name)
    if schema is None:
        raise ApiError(400, f"unknown type {type_name!r}: expected an FtM schema name such as Person")
    chosen = [schema.properties[p] for p in schema.featured if p in schema.properties]
    chosen += [p for p in schema.properties.values() if p not in chosen]
    usable = [p for p in chosen if not p.hidden and p.type != registry.entity]
    if limit > 0:
        usable = usable[:limit]
    properties = sorted(({"id": p.name, "name": p.label} for p in usable), key=lambda p: p["name"])
    return {"limit": limit, "type": schema.name, "properties": properties}


def parse_extend(raw: str, max_batch: int) -> ExtendQuery:
    """The extension request in the form field ``extend``; 400 when malformed, 422 when too large."""
    try:
        query = ExtendQuery.model_validate(orjson.loads(raw))
    except orjson.JSONDecodeError as exc:
        raise ApiError(400, f"extend is not valid JSON: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "extend"
        raise ApiError(400, f"extend is invalid: {where}: {first['msg']}") from exc
    if len(query.ids) > max_batch:
        raise ApiError(422, f"too many ids in one extend request: {len(query.ids)} (limit: {max_batch})")
    return query


def extend(state: ServiceState, query: ExtendQuery) -> dict[str, Any]:
    """``{meta: [{id, name}], rows: {entity id: {property: [{str: value}]}}}``: the asked
    properties of each entity (an unknown id gets an empty row, a property its schema lacks is
    left out)."""
    screener = state.require_ready()
    meta: dict[str, dict[str, str]] = {}
    rows: dict[str, dict[str, list[dict[str, str]]]] = {}
    for entity_id in query.ids:
        row: dict[str, list[dict[str, str]]] = rows.setdefault(entity_id, {})
        entity = screener.entity(entity_id)
        if entity is None:
            continue
        schema = ftm_model.get(ftm_schema_name(entity.schema))
        values = entity_properties(entity)
        for asked in query.properties:
            prop = schema.get(asked.id) if schema is not None else None
            if prop is None:
                continue
            meta.setdefault(asked.id, {"id": prop.name, "name": prop.label})
            found = values.get(prop.name, [])
            if asked.settings.limit:
                found = found[: asked.settings.limit]
            if asked.settings.render is Render.caption:
                found = [prop.type.caption(v) or v for v in found]
            row[asked.id] = [{"str": v} for v in found]
    return {"meta": list(meta.values()), "rows": rows}
