"""A time budget that long-running work checks cooperatively, and that its caller can cancel.

The API starts a :class:`Budget` per request (``max_request_seconds``) and cancels it when
the client disconnects; the budget travels to worker threads in a context variable, so deep
code (graph walks, the document extraction worker) can call :func:`check` without every
signature in between carrying it. Outside a request there is no budget and :func:`check`
costs one lookup.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

from sanctions.errors import LimitExceededError

_CURRENT: ContextVar[Budget | None] = ContextVar("sanctions_budget", default=None)


class BudgetExceededError(LimitExceededError):
    """The work ran out of its time budget (``max_request_seconds``)."""


class CancelledError(BudgetExceededError):
    """The work was cancelled: its client went away."""


@dataclass(slots=True)
class Budget:
    """A deadline (monotonic seconds) and a cancel flag shared between threads."""

    seconds: float
    what: str = "the request"
    limit: str = "max_request_seconds"  # the setting that gave the seconds, named in errors
    deadline: float = 0.0
    cancelled: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        if not self.deadline:
            self.deadline = time.monotonic() + self.seconds

    @property
    def remaining(self) -> float:
        """Seconds left (never negative)."""
        return max(0.0, self.deadline - time.monotonic())

    @property
    def expired(self) -> bool:
        """True once the deadline has passed."""
        return time.monotonic() >= self.deadline

    def cancel(self) -> None:
        """Ask every holder of this budget to stop."""
        self.cancelled.set()

    def check(self) -> None:
        """Raise when cancelled or out of time."""
        if self.cancelled.is_set():
            raise CancelledError(self.what, self.limit, "cancelled: the client went away")
        if self.expired:
            raise BudgetExceededError(
                self.what, self.limit, f"took longer than its {self.seconds:g} s budget"
            )


def current() -> Budget | None:
    """The budget of the work running in this context, if any."""
    return _CURRENT.get()


def check() -> None:
    """Raise if the current work is cancelled or out of time (no-op without a budget)."""
    budget = _CURRENT.get()
    if budget is not None:
        budget.check()


@contextlib.contextmanager
def running(budget: Budget) -> Iterator[Budget]:
    """Make ``budget`` current for the code in the ``with`` block (and threads it starts from it)."""
    token = _CURRENT.set(budget)
    try:
        yield budget
    finally:
        _CURRENT.reset(token)
