"""Deciding alerts over HTTP, and the audit trail: every route role-checked.

- reads (queue, case, approvals, memory, attachments, report): ``read`` (every role);
- ``POST /alerts/{id}/decide``, ``/assign``, ``/attachments``: ``decide`` (analysts);
- ``POST /alerts/{id}/approve`` and ``/reject``: ``approve`` (checkers; never the decision's maker);
- ``GET /audit/...``: ``audit`` (auditors and admins); ``POST /audit/checkpoint``: ``admin``.

The acting user is always the authenticated principal, never a field of the body.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from sanctions import REASON_CODES, VERDICTS, Permission, Principal
from sanctions.api.deps import READ, StateDep, require
from sanctions.api.errors import ApiError
from sanctions.api.responses import JsonResponse
from sanctions.api.schemas import ErrorResponse

router = APIRouter(tags=["Cases"])
audit = APIRouter(tags=["Audit"])
Decider = Annotated[Principal, Depends(require(Permission.DECIDE))]
Checker = Annotated[Principal, Depends(require(Permission.APPROVE))]
Auditor = Annotated[Principal, Depends(require(Permission.AUDIT))]
Admin = Annotated[Principal, Depends(require(Permission.ADMIN))]
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Bad request"},
    401: {"model": ErrorResponse, "description": "Missing or wrong API key or session"},
    403: {"model": ErrorResponse, "description": "The role does not allow it, or four eyes refuse it"},
    404: {"model": ErrorResponse, "description": "No such alert or attachment"},
    409: {"model": ErrorResponse, "description": "The alert's state does not allow it"},
    422: {"model": ErrorResponse, "description": "Invalid verdict, reason code or note"},
}
MAX_ATTACHMENT = 20_000_000


class DecisionIn(BaseModel):
    """A decision: ``false_positive`` needs a ``reason_code``."""

    verdict: Literal["true_match", "false_positive", "needs_info"]
    reason_code: str | None = Field(default=None, description=f"One of {', '.join(REASON_CODES)}.")
    note: str = Field(default="", max_length=10_000)
    review_days: int | None = Field(default=None, ge=0, le=3653)


class NoteIn(BaseModel):
    """A checker's note on an approval or rejection."""

    note: str = Field(default="", max_length=10_000)


class AssignIn(BaseModel):
    """Who works the alert (null: nobody)."""

    assignee: str | None = Field(default=None, max_length=100)


assert set(VERDICTS) == {"true_match", "false_positive", "needs_info"}


@router.get("/cases/queue", dependencies=READ, responses=_ERRORS)
async def queue(
    state: StateDep,
    book: str | None = None,
    alert_state: Annotated[str, Query(alias="state")] = "queue",
    dataset: Annotated[str | None, Query(alias="list")] = None,
    min_score: Annotated[float | None, Query(ge=0, le=1)] = None,
    assignee: str | None = None,
    older_than_days: Annotated[float | None, Query(ge=0)] = None,
    before: Annotated[int | None, Query(ge=1)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> JsonResponse:
    """The analysts' queue (``state=queue``: open, review_required, needs_info), newest first;
    pass the answer's ``next`` as ``before`` for the following page."""
    page = await run_in_threadpool(
        lambda: state.screener.alert_queue(
            book=book,
            state=alert_state,
            dataset=dataset,
            min_score=min_score,
            assignee=assignee,
            older_than_days=older_than_days,
            before=before,
            limit=limit,
        )
    )
    return JsonResponse(page)


@router.get("/cases/approvals", dependencies=READ, responses=_ERRORS)
async def approvals(state: StateDep, limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> JsonResponse:
    """Alerts whose decision awaits a checker, oldest decision first."""
    return JsonResponse(await run_in_threadpool(state.screener.approvals, limit))


@router.get("/cases/memory", dependencies=READ, responses=_ERRORS)
async def memory(state: StateDep, book: str | None = None) -> JsonResponse:
    """The approved decisions keeping alerts quiet, with their expiry."""
    return JsonResponse(await run_in_threadpool(state.screener.alert_memory, book))


@router.get("/alerts/{alert_id}/case", dependencies=READ, responses=_ERRORS)
async def case(alert_id: int, state: StateDep) -> JsonResponse:
    """One alert whole: customer, listed party, explanation, decisions, attachments, history."""
    return JsonResponse(await run_in_threadpool(state.screener.alert_case, alert_id))


@router.get(
    "/alerts/{alert_id}/report",
    dependencies=READ,
    responses={**_ERRORS, 200: {"content": {"text/html": {}}, "description": "The printable case report"}},
)
async def report(alert_id: int, state: StateDep) -> HTMLResponse:
    """The printable case report (HTML) for an examiner."""
    html = await run_in_threadpool(state.screener.case_report, alert_id)
    return HTMLResponse(
        html, headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"}
    )


@router.post("/alerts/{alert_id}/decide", responses=_ERRORS, status_code=201)
async def decide(alert_id: int, body: DecisionIn, state: StateDep, who: Decider) -> JsonResponse:
    """Decide an alert; false positives and true matches then await a checker (four eyes)."""
    found = await run_in_threadpool(
        lambda: state.screener.alert_decide(
            alert_id,
            body.verdict,
            who.name,
            reason_code=body.reason_code,
            note=body.note,
            review_days=body.review_days,
        )
    )
    return JsonResponse(found, status_code=201)


@router.post("/alerts/{alert_id}/approve", responses=_ERRORS)
async def approve(alert_id: int, body: NoteIn, state: StateDep, who: Checker) -> JsonResponse:
    """Approve the decision awaiting a checker: 403 when the checker made it."""
    return JsonResponse(await run_in_threadpool(state.screener.alert_approve, alert_id, who.name, body.note))


@router.post("/alerts/{alert_id}/reject", responses=_ERRORS)
async def reject(alert_id: int, body: NoteIn, state: StateDep, who: Checker) -> JsonResponse:
    """Send the awaiting decision back to the analysts."""
    return JsonResponse(await run_in_threadpool(state.screener.alert_reject, alert_id, who.name, body.note))


@router.post("/alerts/{alert_id}/assign", responses=_ERRORS)
async def assign(alert_id: int, body: AssignIn, state: StateDep, who: Decider) -> JsonResponse:
    """Give the alert to an analyst (or to nobody)."""
    await run_in_threadpool(state.screener.alert_assign, alert_id, body.assignee, who.name)
    return JsonResponse({"alert_id": alert_id, "assignee": body.assignee})


@router.post("/alerts/{alert_id}/attachments", responses=_ERRORS, status_code=201)
async def attach(
    alert_id: int, request: Request, state: StateDep, who: Decider, filename: str
) -> JsonResponse:
    """Keep a document with the case: the raw body is the file, ``filename`` names it."""
    content = await request.body()
    if len(content) > MAX_ATTACHMENT:
        raise ApiError(413, f"the attachment is over {MAX_ATTACHMENT:,} bytes")
    kind = request.headers.get("content-type", "application/octet-stream")
    found = await run_in_threadpool(state.screener.alert_attach, alert_id, filename, content, who.name, kind)
    return JsonResponse(found, status_code=201)


@router.get("/attachments/{attachment_id}", dependencies=READ, responses=_ERRORS)
async def attachment(attachment_id: int, state: StateDep) -> Response:
    """An attachment's bytes (always as a download, never rendered)."""
    meta, content = await run_in_threadpool(state.screener.alert_attachment, attachment_id)
    return Response(
        content,
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(meta['filename'], safe='')}",
            "X-SHA256": meta["sha256"],
        },
    )


@audit.get("/audit/verify", responses=_ERRORS)
async def verify(state: StateDep, who: Auditor) -> JsonResponse:
    """Walk the chain and hold it against this server's signed checkpoints."""
    result = await run_in_threadpool(state.screener.audit_verify)
    return JsonResponse(result.to_dict())


@audit.get("/audit/events", responses=_ERRORS)
async def events(
    state: StateDep,
    who: Auditor,
    start: Annotated[str | None, Query(alias="from")] = None,
    end: Annotated[str | None, Query(alias="to")] = None,
    fmt: Annotated[Literal["jsonl", "csv"], Query(alias="format")] = "jsonl",
) -> StreamingResponse:
    """The audit events between two times (ISO, UTC), with their hashes, as JSON lines or CSV."""
    chunks = await run_in_threadpool(lambda: list(state.screener.audit_export(fmt, start, end)))
    media = "application/x-ndjson" if fmt == "jsonl" else "text/csv; charset=utf-8"
    return StreamingResponse(iter(chunks), media_type=media)


@audit.post("/audit/checkpoint", responses=_ERRORS, status_code=201)
async def checkpoint(state: StateDep, who: Admin) -> JsonResponse:
    """Sign the chain's head now; returns the checkpoint."""
    found, _ = await run_in_threadpool(state.screener.audit_checkpoint)
    return JsonResponse(found.to_dict(), status_code=201)
