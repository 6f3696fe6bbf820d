"""Time stamps as every table stores them: UTC, ISO 8601, text that sorts in time order.

Two precisions: to the second (``2026-12-07T04:15:00Z``: books, alerts, runs, decisions) and to
the microsecond (``2026-12-07T04:15:00.123456Z``: the audit trail, users, keys and sessions,
where two events of one second must keep their order). Both take the Unix time ``at`` (a test
clock passes its own), now by default.
"""

from __future__ import annotations

import time

DAY = 86_400.0


def stamp(at: float | None = None) -> str:
    """UTC to the second: ``2026-12-07T04:15:00Z``."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() if at is None else at))


def stamp_us(at: float | None = None) -> str:
    """UTC to the microsecond: ``2026-12-07T04:15:00.000001Z``."""
    t = time.time() if at is None else at
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t % 1 * 1e6):06d}Z"


def days_from_now(days: float) -> str:
    """UTC to the second, ``days`` from now (negative: ago)."""
    return stamp(time.time() + days * DAY)
