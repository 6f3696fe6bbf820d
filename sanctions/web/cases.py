"""The case pages: the alert queue, one case (customer and listed party side by side, the
explanation, history and the decision form), the checkers' approvals queue and the audit view.

Every page needs a logged-in user with ``read``; deciding needs ``decide``, approving and
rejecting ``approve``, the audit view ``audit``. The forms carry the session's CSRF token.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from sanctions import REASON_CODES, VERDICTS, Permission, ServingState
from sanctions.errors import (
    ConflictError,
    FourEyesError,
    InvalidInputError,
    NotFoundError,
    QueryError,
    SanctionsError,
)
from sanctions.model import ALERT_FILTERS
from sanctions.web.auth import FORM_CHECKS, page_access
from sanctions.web.views import render

STATES = ALERT_FILTERS
_STATUS = {
    NotFoundError: 404,
    FourEyesError: 403,
    ConflictError: 409,
    InvalidInputError: 422,
    QueryError: 400,
}


def _status(exc: SanctionsError) -> int:
    return next((code for kind, code in _STATUS.items() if isinstance(exc, kind)), 400)


def create_cases_router(templates: Jinja2Templates) -> APIRouter:
    """/ui/cases, /ui/cases/{id} with its forms, /ui/approvals and /ui/audit."""
    guard = [Depends(page_access(Permission.READ)), *FORM_CHECKS]
    router = APIRouter(prefix="/ui", include_in_schema=False, dependencies=guard)

    async def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        return await render(templates, request, name, status_code, **context)

    def screener(request: Request) -> Any:
        state: ServingState = request.app.state.service
        return state.screener

    @router.get("/cases", response_class=HTMLResponse)
    async def queue_page(
        request: Request,
        state: str = "queue",
        book: str = "",
        dataset: str = "",
        min_score: str = "",
        assignee: str = "",
        older_than: str = "",
        before: int | None = None,
    ) -> HTMLResponse:
        """The alert queue with its filters, one page at a time."""
        filters = {
            "state": state,
            "book": book,
            "dataset": dataset,
            "min_score": min_score,
            "assignee": assignee,
            "older_than": older_than,
        }
        try:
            page_data = await run_in_threadpool(
                lambda: screener(request).alert_queue(
                    book=book or None,
                    state=state,
                    dataset=dataset or None,
                    min_score=float(min_score) if min_score else None,
                    assignee=None if not assignee else ("" if assignee == "-" else assignee),
                    older_than_days=float(older_than) if older_than else None,
                    before=before,
                )
            )
        except (SanctionsError, ValueError) as exc:
            code = _status(exc) if isinstance(exc, SanctionsError) else 400
            return await page(request, "error.html", code, message=str(exc))
        return await page(request, "cases.html", page=page_data, filters=filters, states=STATES)

    @router.get("/cases/{alert_id}", response_class=HTMLResponse)
    async def case_page(request: Request, alert_id: int, error: str = "") -> HTMLResponse:
        """One case: both sides, the explanation, history, and the forms the viewer may use."""
        try:
            found = await run_in_threadpool(screener(request).alert_case, alert_id)
        except NotFoundError as exc:
            return await page(request, "error.html", 404, message=str(exc))
        return await page(
            request, "case.html", case=found, verdicts=VERDICTS, reasons=REASON_CODES, error=error
        )

    async def act(request: Request, alert_id: int, run: Any) -> Response:
        try:
            await run_in_threadpool(run)
        except SanctionsError as exc:
            found = await run_in_threadpool(screener(request).alert_case, alert_id)
            return await page(
                request,
                "case.html",
                _status(exc),
                case=found,
                verdicts=VERDICTS,
                reasons=REASON_CODES,
                error=str(exc),
            )
        return RedirectResponse(f"/ui/cases/{alert_id}", status_code=303)

    @router.post(
        "/cases/{alert_id}/decide",
        response_model=None,
        dependencies=[Depends(page_access(Permission.DECIDE))],
    )
    async def decide(
        request: Request,
        alert_id: int,
        verdict: Annotated[str, Form(max_length=20)],
        reason_code: Annotated[str, Form(max_length=50)] = "",
        note: Annotated[str, Form(max_length=10_000)] = "",
    ) -> Response:
        """Record the viewer's decision."""
        who = request.state.viewer.name
        return await act(
            request,
            alert_id,
            lambda: screener(request).alert_decide(
                alert_id, verdict, who, reason_code=reason_code or None, note=note
            ),
        )

    @router.post(
        "/cases/{alert_id}/approve",
        response_model=None,
        dependencies=[Depends(page_access(Permission.APPROVE))],
    )
    async def approve(
        request: Request, alert_id: int, note: Annotated[str, Form(max_length=10_000)] = ""
    ) -> Response:
        """Approve the awaiting decision (refused to its maker)."""
        who = request.state.viewer.name
        return await act(request, alert_id, lambda: screener(request).alert_approve(alert_id, who, note))

    @router.post(
        "/cases/{alert_id}/reject",
        response_model=None,
        dependencies=[Depends(page_access(Permission.APPROVE))],
    )
    async def reject(
        request: Request, alert_id: int, note: Annotated[str, Form(max_length=10_000)] = ""
    ) -> Response:
        """Send the awaiting decision back."""
        who = request.state.viewer.name
        return await act(request, alert_id, lambda: screener(request).alert_reject(alert_id, who, note))

    @router.post(
        "/cases/{alert_id}/assign",
        response_model=None,
        dependencies=[Depends(page_access(Permission.DECIDE))],
    )
    async def assign(
        request: Request, alert_id: int, assignee: Annotated[str, Form(max_length=100)] = ""
    ) -> Response:
        """Give the alert to an analyst (empty: nobody)."""
        who = request.state.viewer.name
        name = assignee.strip() or None
        return await act(request, alert_id, lambda: screener(request).alert_assign(alert_id, name, who))

    @router.post(
        "/cases/{alert_id}/attach",
        response_model=None,
        dependencies=[Depends(page_access(Permission.DECIDE))],
    )
    async def attach(request: Request, alert_id: int, document: Annotated[UploadFile, File()]) -> Response:
        """Keep a document with the case (the upload size is bounded by the request limit)."""
        who = request.state.viewer.name
        content = await document.read()
        name, kind = document.filename or "document", document.content_type or "application/octet-stream"
        return await act(
            request, alert_id, lambda: screener(request).alert_attach(alert_id, name, content, who, kind)
        )

    @router.get("/approvals", response_class=HTMLResponse)
    async def approvals_page(request: Request) -> HTMLResponse:
        """Decisions awaiting a checker."""
        found = await run_in_threadpool(screener(request).approvals)
        return await page(request, "approvals.html", approvals=found)

    @router.get("/audit", response_class=HTMLResponse, dependencies=[Depends(page_access(Permission.AUDIT))])
    async def audit_page(request: Request, verify: bool = False) -> HTMLResponse:
        """The latest events, and (``verify=1``) the whole chain checked against the checkpoints."""
        service = screener(request)
        result = (await run_in_threadpool(service.audit_verify)).to_dict() if verify else None
        recent = await run_in_threadpool(service.audit_recent, 100)
        return await page(request, "audit.html", result=result, events=recent)

    return router
