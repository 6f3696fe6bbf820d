"""The analyst web UI, served by the API process: Jinja templates and local static files only."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

__all__ = ["install_web"]

_HERE = Path(__file__).parent


def install_web(app: FastAPI) -> None:
    """Mount the UI pages under ``/ui`` and their CSS/JS under ``/static``."""
    from sanctions.web.auth import create_login_router, install_guards
    from sanctions.web.books import create_books_router
    from sanctions.web.cases import create_cases_router
    from sanctions.web.views import create_router

    templates = Jinja2Templates(directory=str(_HERE / "templates"))
    templates.env.globals["version"] = app.version
    install_guards(app, templates)
    app.include_router(create_login_router(templates))
    app.include_router(create_router(templates))
    app.include_router(create_books_router(templates))
    app.include_router(create_cases_router(templates))
    app.mount("/static", StaticFiles(directory=str(_HERE / "static")), name="static")
