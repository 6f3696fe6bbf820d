"""What every API router shares (as yente's router utilities): the worker state as a
dependency, the ``{dataset}`` path scope, and who is asking.

Role checks (import them from here, never write one in a router)::

    from sanctions import Permission
    from sanctions.api.deps import require

    @router.post("/alerts/{alert_id}/decide")
    async def decide(principal: Annotated[Principal, Depends(require(Permission.DECIDE))]) -> ...:
        ...  # principal.name is the actor the audit trail records

``require(p)`` answers 401 without a valid principal and 403 when the principal's role lacks
``p``. A principal comes from a personal API key (``Authorization: ApiKey|Bearer K``,
``X-API-Key: K``, ``?api_key=K``), the server's SANCTIONS_API_KEY (the built-in admin
``api-key``), or the UI session cookie; a state-changing request made with the cookie must also
send the session's CSRF token as ``X-CSRF-Token``. :func:`screening_read` guards screening reads:
open while reads are open, else as ``require(Permission.READ)``.
"""

from __future__ import annotations

import functools
import hmac
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from sanctions import NotFoundError, Permission, Principal
from sanctions.api.errors import ApiError
from sanctions.api.security import api_key_header, presented_key
from sanctions.api.state import ServiceState

DEFAULT_DATASET = "default"
SESSION_COOKIE = "sanctions_session"  # set by the UI's login page
CSRF_HEADER = "x-csrf-token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_UNAUTHENTICATED = {"WWW-Authenticate": "ApiKey"}
_UNSET = object()


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


def principal_of(request: Request) -> Principal | None:
    """Who sent the request (None: nobody); 401 for a key that is presented but not valid.

    Blocking (a store query): FastAPI runs the sync dependencies below in its thread pool.
    """
    cached = getattr(request.state, "principal", _UNSET)
    if cached is not _UNSET:
        return cached if isinstance(cached, Principal) else None
    screener = get_state(request).screener
    key = presented_key(request.headers, request.query_params)
    found: Principal | None
    if key:
        found = screener.principal(key)
        if found is None:
            raise ApiError(401, "a valid API key is required", _UNAUTHENTICATED)
    else:
        found = screener.session_principal(request.cookies.get(SESSION_COOKIE))
        if found is not None and request.method not in _SAFE_METHODS:
            sent = request.headers.get(CSRF_HEADER, "")
            if not (found.csrf and hmac.compare_digest(sent.encode(), found.csrf.encode())):
                raise ApiError(403, "the session's CSRF token is required (X-CSRF-Token)")
    request.state.principal = found
    return found


@functools.cache
def require(permission: Permission) -> Callable[..., Principal]:
    """The dependency that admits a principal whose role has ``permission`` (401, else 403)."""

    def check(request: Request, _key: Annotated[str | None, Depends(api_key_header)] = None) -> Principal:
        found = principal_of(request)
        if found is None:
            raise ApiError(401, "a valid API key or session is required", _UNAUTHENTICATED)
        if not found.can(permission):
            raise ApiError(
                403, f"{found.name} ({found.role}) may not do this: it needs the {permission} permission"
            )
        return found

    check.__name__ = f"require_{permission.value}"
    return check


def screening_read(
    request: Request, _key: Annotated[str | None, Depends(api_key_header)] = None
) -> Principal | None:
    """Screening reads: open while reads are open (SANCTIONS_API_OPEN_READS, or no credential
    exists yet), else a principal with the ``read`` permission."""
    if get_state(request).screener.reads_open():
        return None
    return require(Permission.READ)(request)


PrincipalDep = Annotated[Principal, Depends(require(Permission.READ))]
AdminDep = Annotated[Principal, Depends(require(Permission.ADMIN))]
AuditDep = Annotated[Principal, Depends(require(Permission.AUDIT))]
READ = [Depends(require(Permission.READ))]  # customer data: never open
ADMIN = [Depends(require(Permission.ADMIN))]
OPEN_READ = [Depends(screening_read)]  # screening: open reads allowed
