"""The analyst pages: screen a name, scan a document, read an entity, check the lists' age.

Screened names and documents travel in POST bodies, never in URLs, so they stay out of
browser history and proxy logs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from sanctions import MatchOptions, NotReadyError, Query, QueryError, SanctionsError, ServingState
from sanctions.web.auth import FORM_CHECKS, page_access
from sanctions.web.present import (
    Hit,
    group_mentions,
    highlight,
    hit_from_match,
    identifier_rows,
    name_rows,
    relation_rows,
)

# Below this score a candidate is noise to an analyst; the page says how many were left out.
SHOWN_FROM = 0.5
SCHEMA_CHOICES = [
    ("", "Any kind"),
    ("Person", "Person"),
    ("Organization", "Organisation"),
    ("Company", "Company"),
    ("Vessel", "Vessel"),
    ("Aircraft", "Aircraft"),
]


def _state(request: Request) -> ServingState:
    """The worker's serving state, which the application that mounts the UI holds."""
    state: ServingState = request.app.state.service
    return state


async def render(
    templates: Jinja2Templates, request: Request, name: str, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """A page with what every page shows: the viewer, the lists and their staleness, readiness."""
    state: ServingState = request.app.state.service
    context["viewer"] = getattr(request.state, "viewer", None)
    lists = await run_in_threadpool(_lists, state)
    context.setdefault("lists", lists)
    context["stale_lists"] = [x for x in lists if x["stale"]]
    context["ready"] = state.ready.is_set()
    context["problem"] = state.problem
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def _lists(state: ServingState) -> list[dict[str, Any]]:
    rows = []
    for status in state.lists():
        version = status.version
        rows.append(
            {
                "dataset": version.dataset,
                "title": status.title,
                "published": version.published,
                "loaded_at": version.loaded_at.replace("T", " ").removesuffix("+00:00"),
                "entities": version.entities,
                "names": version.names,
                "relations": version.relations,
                "age_days": status.age_days,
                "stale": status.stale,
                "dated_by": status.dated_by.replace("_", " "),
                "note": status.note,
                "warnings": len(version.warnings),
            }
        )
    return rows


def create_router(templates: Jinja2Templates) -> APIRouter:
    """The UI routes, rendered with ``templates``."""
    # The screening pages: open while reads are open, else a login with ``read``.
    router = APIRouter(
        prefix="/ui", include_in_schema=False, dependencies=[Depends(page_access(None)), *FORM_CHECKS]
    )

    async def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        return await render(templates, request, name, status_code, **context)

    @router.get("", response_class=HTMLResponse)
    async def screen_form(request: Request) -> HTMLResponse:
        """The screening form."""
        return await page(request, "screen.html", form={}, schemas=SCHEMA_CHOICES, hits=None)

    @router.post("/screen", response_class=HTMLResponse)
    async def screen(
        request: Request,
        name: Annotated[str, Form(max_length=500)] = "",
        entity_type: Annotated[str, Form(max_length=40)] = "",
        birth_date: Annotated[str, Form(max_length=40)] = "",
        country: Annotated[str, Form(max_length=60)] = "",
        dataset: Annotated[str, Form(max_length=100)] = "",
    ) -> HTMLResponse:
        """Screen one name (with optional type, birth date, country) and show ranked hits."""
        form = {
            "name": name,
            "schema": entity_type,
            "birth_date": birth_date,
            "country": country,
            "dataset": dataset,
        }
        context: dict[str, Any] = {"form": form, "schemas": SCHEMA_CHOICES, "hits": None}
        if not name.strip():
            context["error"] = "Type a name to screen."
            return await page(request, "screen.html", 422, **context)
        try:
            hits = await run_in_threadpool(_screen, _state(request), form)
            context["hits"] = [h for h in hits if h.score >= SHOWN_FROM]
            context["hidden"] = len(hits) - len(context["hits"])
        except (QueryError, NotReadyError) as exc:
            context["error"] = str(exc)
            return await page(request, "screen.html", 400 if isinstance(exc, QueryError) else 503, **context)
        return await page(request, "screen.html", **context)

    @router.get("/scan", response_class=HTMLResponse)
    async def scan_form(request: Request) -> HTMLResponse:
        """The document form: paste a text or choose a file."""
        return await page(request, "scan.html", text="", result=None)

    @router.post("/scan", response_class=HTMLResponse)
    async def scan(
        request: Request,
        text: Annotated[str, Form(max_length=2_000_000)] = "",
        file: Annotated[UploadFile | None, File()] = None,
    ) -> HTMLResponse:
        """Scan the pasted text, or the uploaded file when one is chosen; highlight every mention."""
        data, source = text.encode("utf-8"), "pasted text"
        if file is not None and file.filename:
            data, source = await file.read(), Path(file.filename).name
        if not data.strip():
            return await page(
                request, "scan.html", 422, text=text, result=None, error="Paste a text or choose a file."
            )
        try:
            result = await run_in_threadpool(_scan, _state(request), data, source)
        except NotReadyError as exc:
            return await page(request, "scan.html", 503, text=text, result=None, error=str(exc))
        except SanctionsError as exc:
            return await page(request, "scan.html", 400, text=text, result=None, error=str(exc))
        return await page(request, "scan.html", text=text, result=result, source=source)

    @router.get("/lists", response_class=HTMLResponse)
    async def lists_page(request: Request) -> HTMLResponse:
        """The loaded lists, their dates and whether they are stale."""
        return await page(request, "lists.html", stale_days=_state(request).settings.stale_days)

    @router.get("/entities/{entity_id}", response_class=HTMLResponse)
    async def entity_page(request: Request, entity_id: str, preview: bool = False) -> HTMLResponse:
        """Everything known about one entity: names, identifiers, listings, relations, exposure."""
        state = _state(request)
        view = await run_in_threadpool(_entity_view, state, entity_id)
        if view is None:
            return await page(
                request, "error.html", 404, message=f"No entity {entity_id!r} in the loaded lists."
            )
        return await page(request, "entity_preview.html" if preview else "entity.html", **view)

    return router


def _screen(state: ServingState, form: dict[str, str]) -> list[Hit]:
    screener = state.require_ready()
    query = Query.from_fields(
        form["name"],
        schema=form["schema"] or "Thing",
        birth_date=[form["birth_date"]] if form["birth_date"].strip() else (),
        country=[form["country"]] if form["country"].strip() else (),
    )
    datasets = state.datasets_in([form["dataset"]]) if form["dataset"] else None
    return [hit_from_match(m) for m in screener.match(query, MatchOptions(limit=15, datasets=datasets))]


def _entity_view(state: ServingState, entity_id: str) -> dict[str, Any] | None:
    screener = state.screener
    entity = screener.entity(entity_id)
    if entity is None:
        return None
    relations = screener.relations(entity_id)
    view: dict[str, Any] = {
        "entity": entity,
        "names": name_rows(entity),
        "identifiers": identifier_rows(entity),
        "relations": relation_rows(entity, relations, screener.entity),
        "other_records": screener.same_party(entity_id)[1:] if state.ready.is_set() else [],
        "exposure_svg": None,
    }
    try:
        view["exposure_svg"] = _exposure_svg(state, entity_id)
    except SanctionsError:
        view["exposure_svg"] = None
    return view


def _scan(state: ServingState, data: bytes, source: str) -> dict[str, Any]:
    screener = state.require_ready()
    result = screener.scan_document(data, source=source)
    mentions = [m.to_dict() for m in result.mentions]
    return {
        "html": highlight(result.text, mentions),
        "mentions": mentions,
        "parties": group_mentions(mentions),
        "stats": result.stats,
    }


def _exposure_svg(state: ServingState, entity_id: str) -> str | None:
    """The exposure graph of a party two relations deep, drawn when it reaches listed parties."""
    if not state.ready.is_set():
        return None
    screener = state.require_ready()
    result = screener.exposure(entity_id, [], depth=2, screen=False)
    return screener.exposure_svg(result) if result.paths else None
