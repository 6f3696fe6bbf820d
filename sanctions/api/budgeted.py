"""Run a request's heavy work under its time budget, and cancel it when the client goes away.

The work runs in a worker thread with a :class:`~sanctions.budget.Budget` current in its
context. The event loop watches it: when the client disconnects or the budget's time runs
out, the budget is cancelled (the work notices at its next check and stops: the document
extraction worker process is killed, graph walks end) and the request is answered at once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from sanctions import budget
from sanctions.budget import Budget, BudgetExceededError, CancelledError

T = TypeVar("T")
_WATCH_SECONDS = 0.2


async def run_budgeted(request: Request, func: Callable[..., T], *args: object) -> T:
    """``func(*args)`` in a thread, under ``max_request_seconds``, cancelled on client disconnect."""
    seconds = float(request.app.state.settings.max_request_seconds)
    job = Budget(seconds, what=request.url.path)
    with budget.running(job):  # the task (and the thread it starts) inherit this context
        task = asyncio.ensure_future(run_in_threadpool(func, *args))
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=_WATCH_SECONDS)
            if done:
                return task.result()
            if await request.is_disconnected():
                job.cancel()
                raise CancelledError(job.what, "max_request_seconds", "cancelled: the client went away")
            if job.expired:
                job.cancel()
                raise BudgetExceededError(
                    job.what, "max_request_seconds", f"took longer than its {seconds:g} s budget"
                )
    finally:
        if not task.done():
            job.cancel()
            task.add_done_callback(_consume)


def _consume(task: asyncio.Future[Any]) -> None:
    """Retrieve an abandoned task's outcome so it is not reported as never retrieved."""
    with contextlib.suppress(BaseException):
        task.result()
