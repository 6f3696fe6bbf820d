"""Monitoring over HTTP: books, customers (upsert by id), alerts, the change cursor, webhooks.

Customer data is never open: reads need a principal with the ``read`` permission (every role);
every write, and anything that shows webhook endpoints, needs ``admin``.
Every route calls one Screener method.

Writes run under the request budget (``max_request_seconds``, cancelled on disconnect). An
upsert that adds or changes more than ``book_sync_rows`` customers, and a re-screen of a book
that large, only store what they must and answer ``202 Accepted`` with the run and a
``Location`` to poll (``GET /books/{name}/runs/{id}``): the background runner of `serve` or
`sanctions monitor` screens it under ``max_job_seconds`` (docs/api.md, docs/monitoring.md).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from sanctions.api.budgeted import run_budgeted
from sanctions.api.deps import ADMIN, READ, AdminDep, StateDep
from sanctions.api.responses import JsonResponse
from sanctions.api.schemas import ErrorResponse

router = APIRouter(tags=["Monitoring"])
WRITE = ADMIN
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Bad request"},
    401: {"model": ErrorResponse, "description": "Missing or wrong API key or session"},
    403: {"model": ErrorResponse, "description": "The role does not allow it"},
    404: {"model": ErrorResponse, "description": "No such book, customer, run or webhook"},
}
_ACCEPTED: dict[int | str, dict[str, Any]] = {
    202: {"description": "Stored; screened by a background run (its ``Location``)"},
    409: {"model": ErrorResponse, "description": "The run is not in a state that allows it"},
    503: {"model": ErrorResponse, "description": "The request ran out of its time budget"},
}
_RUN_ERRORS = _ERRORS | {409: _ACCEPTED[409]}
MAX_CUSTOMERS = 10_000  # per upsert request


class CustomerIn(BaseModel):
    """A customer in the yente query shape, with the user's stable id."""

    id: str = Field(min_length=1, max_length=200)
    schema_: str | None = Field(default=None, alias="schema")
    properties: dict[str, str | list[str]]


class CustomersIn(BaseModel):
    """Customers to upsert (by id); ``remove_missing`` makes the book mirror them."""

    customers: list[CustomerIn] = Field(max_length=MAX_CUSTOMERS)
    remove_missing: bool = False


class ScreenIn(BaseModel):
    """A full re-screen, optionally with another algorithm or threshold."""

    algorithm: str | None = None
    threshold: float | None = Field(default=None, gt=0, le=1)


class WebhookIn(BaseModel):
    """An endpoint for alert events (``book``: only that book's)."""

    url: str = Field(min_length=8, max_length=2000)
    book: str | None = None
    secret: str | None = None


@router.get("/books", dependencies=READ, responses=_ERRORS)
async def books(state: StateDep) -> JsonResponse:
    """Every book with its size and open alerts."""
    return JsonResponse(await run_in_threadpool(state.screener.books))


@router.get("/books/{name}", dependencies=READ, responses=_ERRORS)
async def book(name: str, state: StateDep) -> JsonResponse:
    """A book: settings, size, open alerts, recent runs and coverage."""
    return JsonResponse(await run_in_threadpool(state.screener.book, name))


@router.get("/books/{name}/coverage", dependencies=READ, responses=_ERRORS)
async def coverage(name: str, state: StateDep) -> JsonResponse:
    """Which version of each list every customer was last screened against."""
    return JsonResponse(await run_in_threadpool(state.screener.book_coverage, name))


@router.get("/books/{name}/customers", dependencies=READ, responses=_ERRORS)
async def customers(name: str, state: StateDep) -> JsonResponse:
    """The book's customers, by id."""
    return JsonResponse(await run_in_threadpool(state.screener.book_customers, name))


def _run_location(name: str, run_id: int) -> str:
    return f"/books/{quote(name, safe='')}/runs/{run_id}"


def _accepted_or_done(name: str, content: dict[str, Any], run_id: int | None) -> JsonResponse:
    """200 with the result when the run ended in the request (``run_id`` None), else 202 and
    where to poll."""
    if run_id is None:
        return JsonResponse(content)
    return JsonResponse(content, status_code=202, headers={"Location": _run_location(name, run_id)})


@router.put("/books/{name}/customers", dependencies=WRITE, responses=_ERRORS | _ACCEPTED)
async def upsert(
    name: str, body: CustomersIn, request: Request, state: StateDep, who: AdminDep
) -> JsonResponse:
    """Upsert customers by id (the book is created on first use); those added or changed are
    screened. Rejected records are listed in ``problems`` (``line`` = position, from 1).

    Up to ``book_sync_rows`` added or changed customers are screened in the request (200); more
    are stored and screened by a background run: 202, ``Location: /books/{name}/runs/{id}``."""
    records = [{"id": c.id, "schema": c.schema_, "properties": c.properties} for c in body.customers]
    screener = state.screener
    if body.remove_missing:
        result = await run_budgeted(
            request, lambda: screener.book_mirror(name, records, who.name, background=True)
        )
    else:
        result = await run_budgeted(
            request, lambda: screener.book_upsert(name, records, actor=who.name, background=True)
        )
    waiting = result.run.id if result.run is not None and result.run.waiting else None
    return _accepted_or_done(name, result.to_dict(), waiting)


@router.delete("/books/{name}/customers/{customer_id}", dependencies=WRITE, responses=_ERRORS)
async def remove(name: str, customer_id: str, state: StateDep, who: AdminDep) -> JsonResponse:
    """Take a customer out of a book; its open alerts close."""
    run = await run_in_threadpool(state.screener.book_remove, name, [customer_id], who.name)
    return JsonResponse(run.to_dict())


@router.post("/books/{name}/screen", dependencies=WRITE, responses=_ERRORS | _ACCEPTED)
async def screen(name: str, body: ScreenIn, request: Request, state: StateDep, who: AdminDep) -> JsonResponse:
    """Screen the whole book again (resumable): in the request for a book of up to
    ``book_sync_rows`` customers (200), else by a background run (202 and its ``Location``)."""
    screener = state.screener
    run = await run_budgeted(
        request,
        lambda: screener.book_screen(
            name, algorithm=body.algorithm, threshold=body.threshold, actor=who.name, background=True
        ),
    )
    return _accepted_or_done(name, run.to_dict(), run.id if run.waiting else None)


@router.get("/books/{name}/runs/{run_id}", dependencies=READ, responses=_ERRORS)
async def run(name: str, run_id: int, state: StateDep) -> JsonResponse:
    """A run of the book: ``state`` (pending, running, done, cancelled, failed), progress
    (``customers`` screened of ``total``), counts, and ``error`` for a failed or cancelled run."""
    return JsonResponse((await run_in_threadpool(state.screener.book_run, name, run_id)).to_dict())


@router.post("/books/{name}/runs/{run_id}/cancel", dependencies=WRITE, responses=_RUN_ERRORS)
async def cancel_run(name: str, run_id: int, state: StateDep, who: AdminDep) -> JsonResponse:
    """Cancel a pending or running run (its runner stops after the chunk at hand); resumable."""
    found = await run_in_threadpool(state.screener.book_run_cancel, name, run_id, who.name)
    return JsonResponse(found.to_dict())


@router.post("/books/{name}/runs/{run_id}/resume", dependencies=WRITE, responses=_RUN_ERRORS | _ACCEPTED)
async def resume_run(name: str, run_id: int, state: StateDep, who: AdminDep) -> JsonResponse:
    """Queue a cancelled or failed run again; the background runner goes on where it stopped."""
    found = await run_in_threadpool(state.screener.book_run_resume, name, run_id, who.name)
    return JsonResponse(found.to_dict(), status_code=202, headers={"Location": _run_location(name, found.id)})


@router.get("/alerts", dependencies=READ, responses=_ERRORS)
async def alerts(
    state: StateDep,
    book: str | None = None,
    alert_state: Annotated[str, Query(alias="state")] = "open",
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> JsonResponse:
    """Alerts, newest change first (``state``: open, delisted, closed or all)."""
    found = await run_in_threadpool(
        lambda: state.screener.alerts(book=book, state=alert_state, limit=limit, offset=offset)
    )
    return JsonResponse(found)


@router.get("/alerts/changes", dependencies=READ, responses=_ERRORS)
async def changes(
    state: StateDep,
    since: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> JsonResponse:
    """Alert events after the cursor ``since``, in order; store the returned ``cursor`` and pass
    it as ``since`` next time."""
    events, cursor = await run_in_threadpool(state.screener.alert_changes, since, limit)
    return JsonResponse({"events": events, "cursor": cursor})


@router.get("/webhooks", dependencies=WRITE, responses=_ERRORS)
async def webhooks(state: StateDep) -> JsonResponse:
    """Endpoints with their pending, delivered and dead messages."""
    return JsonResponse(await run_in_threadpool(state.screener.webhook_list))


@router.post("/webhooks", dependencies=WRITE, responses=_ERRORS, status_code=201)
async def add_webhook(body: WebhookIn, state: StateDep, who: AdminDep) -> JsonResponse:
    """Register an endpoint; the answer holds its signing secret, shown only this once."""
    hook = await run_in_threadpool(
        lambda: state.screener.webhook_add(body.url, book=body.book, secret=body.secret, actor=who.name)
    )
    return JsonResponse(hook, status_code=201)


@router.delete("/webhooks/{webhook_id}", dependencies=WRITE, responses=_ERRORS)
async def remove_webhook(webhook_id: int, state: StateDep, who: AdminDep) -> JsonResponse:
    """Stop sending to an endpoint."""
    await run_in_threadpool(state.screener.webhook_remove, webhook_id, who.name)
    return JsonResponse({"id": webhook_id, "active": False})


@router.post("/webhooks/{webhook_id}/rotate", dependencies=WRITE, responses=_ERRORS)
async def rotate_webhook(webhook_id: int, state: StateDep, who: AdminDep) -> JsonResponse:
    """Sign with a new secret too (returned once); the previous one signs until the next rotation."""
    return JsonResponse(await run_in_threadpool(state.screener.webhook_rotate, webhook_id, None, who.name))


@router.post("/webhooks/{webhook_id}/replay", dependencies=WRITE, responses=_ERRORS)
async def replay_webhook(webhook_id: int, state: StateDep, since: int | None = None) -> JsonResponse:
    """Queue dead messages again, or every message after the event ``since``."""
    count = await run_in_threadpool(lambda: state.screener.webhook_replay(webhook_id, since_seq=since))
    return JsonResponse({"queued": count})
