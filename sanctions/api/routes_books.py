"""Monitoring over HTTP: books, customers (upsert by id), alerts, the change cursor, webhooks.

Customer data is never open: reads need a principal with the ``read`` permission (every role);
every write, and anything that shows webhook endpoints, needs ``admin``.
Every route calls one Screener method.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from sanctions.api.deps import ADMIN, READ, AdminDep, StateDep
from sanctions.api.responses import JsonResponse
from sanctions.api.schemas import ErrorResponse

router = APIRouter(tags=["Monitoring"])
WRITE = ADMIN
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Bad request"},
    401: {"model": ErrorResponse, "description": "Missing or wrong API key or session"},
    403: {"model": ErrorResponse, "description": "The role does not allow it"},
    404: {"model": ErrorResponse, "description": "No such book, customer or webhook"},
}
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


@router.put("/books/{name}/customers", dependencies=WRITE, responses=_ERRORS)
async def upsert(name: str, body: CustomersIn, state: StateDep, who: AdminDep) -> JsonResponse:
    """Upsert customers by id (the book is created on first use); those added or changed are
    screened at once. Rejected records are listed in ``problems`` (``line`` = position, from 1)."""
    records = [{"id": c.id, "schema": c.schema_, "properties": c.properties} for c in body.customers]
    if body.remove_missing:
        result = await run_in_threadpool(state.screener.book_mirror, name, records, who.name)
    else:
        result = await run_in_threadpool(lambda: state.screener.book_upsert(name, records, actor=who.name))
    return JsonResponse(result.to_dict())


@router.delete("/books/{name}/customers/{customer_id}", dependencies=WRITE, responses=_ERRORS)
async def remove(name: str, customer_id: str, state: StateDep, who: AdminDep) -> JsonResponse:
    """Take a customer out of a book; its open alerts close."""
    run = await run_in_threadpool(state.screener.book_remove, name, [customer_id], who.name)
    return JsonResponse(run.to_dict())


@router.post("/books/{name}/screen", dependencies=WRITE, responses=_ERRORS)
async def screen(name: str, body: ScreenIn, state: StateDep, who: AdminDep) -> JsonResponse:
    """Screen the whole book again (resumable)."""
    run = await run_in_threadpool(
        lambda: state.screener.book_screen(
            name, algorithm=body.algorithm, threshold=body.threshold, actor=who.name
        )
    )
    return JsonResponse(run.to_dict())


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
