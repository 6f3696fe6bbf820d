"""The monitoring pages: every book, one book (size, coverage per list version, runs) and the
alert list. Each alert links to its case page (decide, approve: sanctions/web/cases.py). Every page
needs a logged-in user with ``read``: customer data is never open."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from sanctions import Permission, ServingState
from sanctions.errors import NotFoundError, QueryError
from sanctions.web.auth import FORM_CHECKS, page_access
from sanctions.web.views import render

ALERTS_SHOWN = 200


def create_books_router(templates: Jinja2Templates) -> APIRouter:
    """The /ui/books and /ui/alerts pages."""
    # Customer data: a logged-in user with ``read``, whatever the screening rule.
    guard = [Depends(page_access(Permission.READ)), *FORM_CHECKS]
    router = APIRouter(prefix="/ui", include_in_schema=False, dependencies=guard)

    async def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        return await render(templates, request, name, status_code, **context)

    @router.get("/books", response_class=HTMLResponse)
    async def books_page(request: Request) -> HTMLResponse:
        """Every book with its size, open alerts and last run."""
        state: ServingState = request.app.state.service
        books = await run_in_threadpool(state.screener.books)
        return await page(request, "books.html", books=books)

    @router.get("/books/{name}", response_class=HTMLResponse)
    async def book_page(request: Request, name: str) -> HTMLResponse:
        """One book: size, coverage per list version, recent runs, open alerts."""
        state: ServingState = request.app.state.service
        try:
            book = await run_in_threadpool(state.screener.book, name)
        except NotFoundError as exc:
            return await page(request, "error.html", 404, message=str(exc))
        alerts = await run_in_threadpool(lambda: state.screener.alerts(book=name, limit=ALERTS_SHOWN))
        return await page(request, "book.html", book=book, alerts=alerts, shown=ALERTS_SHOWN)

    @router.get("/alerts", response_class=HTMLResponse)
    async def alerts_page(request: Request, state: str = "open", book: str | None = None) -> HTMLResponse:
        """The alert list (open by default), newest change first."""
        service: ServingState = request.app.state.service
        try:
            alerts = await run_in_threadpool(
                lambda: service.screener.alerts(book=book or None, state=state, limit=ALERTS_SHOWN)
            )
        except (NotFoundError, QueryError) as exc:
            return await page(
                request, "error.html", 404 if isinstance(exc, NotFoundError) else 400, message=str(exc)
            )
        return await page(request, "alerts.html", alerts=alerts, state=state, book=book, shown=ALERTS_SHOWN)

    return router
