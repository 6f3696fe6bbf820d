"""The API's application factory. Nothing happens at import time: ``create_app(settings)`` builds
the app and its start-up builds this worker's index in the background (``/readyz`` says when it
is done). The web UI is mounted beside it by :mod:`sanctions.server`, not by the API.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from sanctions import Screener, Settings, __version__
from sanctions.api.errors import install_error_handlers
from sanctions.api.responses import JsonResponse
from sanctions.api.schemas import ErrorResponse
from sanctions.api.security import GuardMiddleware
from sanctions.api.state import ServiceState

log = logging.getLogger("sanctions.api")

DESCRIPTION = """Screen names against official sanctions lists (OFAC, UN, UK, EU, AU, ...), with an
explanation for every hit. The `/match`, `/search`, `/entities`, `/algorithms`, `/catalog` and
`/reconcile` endpoints follow the [yente](https://www.opensanctions.org/docs/yente/) API so that
existing yente clients work unchanged; see `docs/api.md` for every difference.

Customer data (books, alerts) and every state-changing endpoint need a principal whose role
allows it: a personal API key or the server's SANCTIONS_API_KEY (`Authorization: ApiKey <key>`
or `X-API-Key`), or a UI session. Screening reads are open unless SANCTIONS_API_OPEN_READS=0."""


async def _watch_versions(state: ServiceState) -> None:
    """Rebuild the index when another process (CLI, another worker) loaded a new list version."""
    while True:
        await asyncio.sleep(state.settings.reload_check_seconds)
        try:
            await asyncio.to_thread(state.refresh_if_changed)
        except Exception:  # keep watching; the failure is logged without request data
            log.exception("version check failed")


def create_app(settings: Settings | None = None, screener: Screener | None = None) -> FastAPI:
    """Build the API for one worker. Settings default to the SANCTIONS_* environment."""
    settings = settings or Settings.from_env()
    state = ServiceState.create(settings, screener)
    owns_screener = screener is None

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        builder = threading.Thread(target=state.build, name="index-build", daemon=True)
        builder.start()
        watcher = asyncio.create_task(_watch_versions(state))
        try:
            yield
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
            if owns_screener:
                await asyncio.to_thread(builder.join, 60)
                state.screener.close()

    app = FastAPI(
        title="sanctions screening API",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        default_response_class=JsonResponse,
        docs_url=None,  # Swagger UI and ReDoc load scripts from a CDN: /docs is our own page
        redoc_url=None,
        # Any request can meet the guard: document its answers on every operation.
        responses={
            413: {"model": ErrorResponse, "description": "Request body too large"},
            429: {"model": ErrorResponse, "description": "Rate limit exceeded (see Retry-After)"},
        },
    )
    app.state.settings = settings
    app.state.service = state
    install_error_handlers(app)

    from sanctions.api import (
        routes_analysis,
        routes_books,
        routes_cases,
        routes_entities,
        routes_reconcile,
        routes_system,
        routes_users,
        routes_yente,
    )

    app.include_router(routes_system.router)
    app.include_router(routes_yente.router)
    app.include_router(routes_entities.reads)
    app.include_router(routes_entities.router)
    app.include_router(routes_reconcile.router)
    app.include_router(routes_analysis.router)
    app.include_router(routes_books.router)
    app.include_router(routes_cases.router)
    app.include_router(routes_cases.audit)
    app.include_router(routes_users.router)

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        from sanctions.api.docs_page import render_docs

        return HTMLResponse(render_docs(app.openapi()))

    app.add_middleware(GuardMiddleware, settings=settings, limiter=state.limiter, holders=state.key_holders())
    _document_validation_errors(app)
    return app


def _document_validation_errors(app: FastAPI) -> None:
    """Make OpenAPI show our 422 body (``detail`` text plus ``errors``) instead of FastAPI's default."""
    from fastapi.openapi.utils import get_openapi

    from sanctions.api.schemas import ValidationErrorResponse

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            schemas["HTTPValidationError"] = ValidationErrorResponse.model_json_schema(
                ref_template="#/components/schemas/{model}"
            )
            schemas.update(schemas["HTTPValidationError"].pop("$defs", {}))
            schemas.pop("ValidationError", None)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
