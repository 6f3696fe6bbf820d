"""What every API router shares (as yente's router utilities): the worker state as a
dependency, and the ``{dataset}`` path scope. Routers import these from here, never from
each other."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from sanctions import NotFoundError
from sanctions.api.state import ServiceState

DEFAULT_DATASET = "default"


def get_state(request: Request) -> ServiceState:
    """The worker's state (dependency)."""
    state: ServiceState = request.app.state.service
    return state


StateDep = Annotated[ServiceState, Depends(get_state)]


def dataset_scope(state: ServiceState, dataset: str) -> set[str] | None:
    """The datasets a path's ``{dataset}`` stands for (None: all); 404 for an unknown one."""
    if dataset == DEFAULT_DATASET:
        return None
    state.require_ready()
    if dataset not in state.datasets:
        known = ", ".join([DEFAULT_DATASET, *sorted(state.datasets)])
        raise NotFoundError(f"no dataset {dataset!r}; known: {known}")
    return {dataset}
