"""The served application: the HTTP API and the analyst web UI, mounted together.

The one place that composes the two faces (they never import each other). ``sanctions serve``
hands this factory to uvicorn by name: ``sanctions.server:create_app``.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from sanctions import Screener, Settings
from sanctions.api import create_app as create_api
from sanctions.web import install_web


def create_app(settings: Settings | None = None, screener: Screener | None = None) -> FastAPI:
    """The API with the web UI under ``/ui`` (and ``/`` leading there), for one worker."""
    app = create_api(settings, screener)
    install_web(app)

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse("/ui", status_code=307)

    return app
