"""The monitoring pages: every book, one book (size, coverage per list version, runs) and the
alert list. Each alert links to its case page (decide, approve: sanctions/web/cases.py). Every page
needs a logged-in user with ``read``: customer data is never open.

Admins import a customer file from the books page. As over the API, the upload runs under the
request budget (``max_request_seconds``) and its size under the body limit; past
``book_sync_rows`` added or changed customers it is only stored and the background runner
screens it: the book page shows the run's progress, and admins cancel or resume it there."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from sanctions import Permission, ServingState, budget
from sanctions.errors import ConflictError, NotFoundError, QueryError, SanctionsError
from sanctions.web.auth import FORM_CHECKS, page_access
from sanctions.web.views import render

ALERTS_SHOWN = 200
T = TypeVar("T")
_STATUS = {NotFoundError: 404, ConflictError: 409}


async def _budgeted(request: Request, func: Callable[[], T]) -> T:
    """``func()`` in a worker thread under the request budget (it stops at its next check)."""
    settings = request.app.state.service.screener.settings
    job = budget.Budget(float(settings.max_request_seconds), what=request.url.path)

    def run() -> T:
        with budget.running(job):
            return func()

    return await run_in_threadpool(run)


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
        sync_rows = state.screener.settings.book_sync_rows
        return await page(request, "books.html", books=books, sync_rows=sync_rows)

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

    admin = [Depends(page_access(Permission.ADMIN))]

    def back(name: str) -> RedirectResponse:
        return RedirectResponse(f"/ui/books/{quote(name, safe='')}", status_code=303)

    async def failed(request: Request, exc: SanctionsError) -> HTMLResponse:
        code = next((c for kind, c in _STATUS.items() if isinstance(exc, kind)), 400)
        return await page(request, "error.html", code, message=str(exc))

    @router.post("/books/import", response_model=None, dependencies=admin)
    async def import_file(
        request: Request,
        book: Annotated[str, Form(max_length=100)],
        customers: Annotated[UploadFile, File()],
        remove_missing: Annotated[bool, Form()] = False,
    ) -> Response:
        """Upsert a customer file into a book: screened at once when small, else by a run."""
        state: ServingState = request.app.state.service
        who = request.state.viewer.name
        content = await customers.read()
        filename = customers.filename or "customers.csv"
        try:
            await _budgeted(
                request,
                lambda: state.screener.book_import_upload(
                    book, filename, content, remove_missing=remove_missing, actor=who, background=True
                ),
            )
        except SanctionsError as exc:
            return await failed(request, exc)
        return back(book)

    @router.post("/books/{name}/runs/{run_id}/{action}", response_model=None, dependencies=admin)
    async def run_action(request: Request, name: str, run_id: int, action: str) -> Response:
        """Cancel or resume a run of the book."""
        state: ServingState = request.app.state.service
        who = request.state.viewer.name
        act = {"cancel": state.screener.book_run_cancel, "resume": state.screener.book_run_resume}.get(action)
        if act is None:
            return await page(request, "error.html", 404, message=f"No action {action!r} on a run.")
        try:
            await run_in_threadpool(act, name, run_id, who)
        except SanctionsError as exc:
            return await failed(request, exc)
        return back(name)

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
