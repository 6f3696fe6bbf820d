"""Refreshing the lists from the API (``POST /update``, ``/updatez``): one function both call,
over :meth:`Screener.refresh_lists`, then the serving index is rebuilt and the books re-screened."""

from __future__ import annotations

from typing import Any

from sanctions import ListVersion
from sanctions.api.schemas import UpdateRequest
from sanctions.api.state import ServiceState


def status_json(state: ServiceState, version: ListVersion) -> dict[str, Any]:
    """A list version as the API shows it, with whether this worker serves it yet."""
    status = state.screener.status(version)
    data = status.to_dict()
    data["title"] = status.title
    data["served"] = version.id in state.versions
    return data


def run_update(state: ServiceState, body: UpdateRequest, actor: str | None = None) -> dict[str, Any]:
    """Load the bundled snapshot or download every (asked) list, then rebuild the index."""
    if actor is not None:  # the loads themselves are the system's job, started by this request
        request = {"bundled": body.bundled, "sources": body.sources}
        state.screener.audit_record(actor, "lists.refresh_requested", "lists", request)
    done = state.screener.refresh_lists(bundled=body.bundled, sources=body.sources)
    state.build()
    state.screener.rescreen_books(done.loaded, "api update")  # the books, against what changed
    return {"loaded": [status_json(state, v) for v in done.loaded], "failures": done.failures}
