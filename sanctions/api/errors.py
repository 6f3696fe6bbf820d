"""Every error the API answers, mapped to HTTP in one table. Errors are JSON ``{"detail": "..."}``.

The domain errors carry no status codes (see :mod:`sanctions.errors`); this module decides them.
Nothing from the request is echoed into the logs. Unexpected errors are caught by the guard
middleware (:mod:`sanctions.api.security`), which logs their type and place, never their message.
"""

from __future__ import annotations

import logging
import re
import tempfile

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from sanctions.api.responses import JsonResponse
from sanctions.budget import BudgetExceededError
from sanctions.errors import (
    AuthError,
    ConflictError,
    FetchError,
    FourEyesError,
    InvalidInputError,
    LimitExceededError,
    NotFoundError,
    NotReadyError,
    PermissionDenied,
    QueryError,
    SanctionsError,
    SourceFormatError,
    StoreError,
    UnknownSourceError,
    UpdateRefused,
    UserError,
)

log = logging.getLogger("sanctions.api")

# The one table: domain error -> HTTP status. Looked up along the class hierarchy.
ERROR_STATUS: dict[type[SanctionsError], int] = {
    NotFoundError: 404,
    AuthError: 401,  # no valid key, password or session
    PermissionDenied: 403,  # the role does not allow it
    UserError: 400,  # a bad user name, role, password or key label
    ConflictError: 409,  # e.g. approving an alert that awaits no approval
    FourEyesError: 403,  # the maker of a decision may not approve it
    UnknownSourceError: 404,
    QueryError: 400,  # yente answers malformed queries with 400
    InvalidInputError: 422,  # wrong JSON type, NUL, lone surrogate
    LimitExceededError: 413,  # a hostile-input limit: too large, too deep, too many pages
    BudgetExceededError: 503,  # the request ran out of time (max_request_seconds)
    SourceFormatError: 422,  # an uploaded list file that does not parse
    FetchError: 502,  # a publisher's server failed
    UpdateRefused: 409,  # a new list version fails a safety check; the current one stays
    StoreError: 503,
    NotReadyError: 503,  # with Retry-After: the index is being built
    SanctionsError: 400,
}


def status_for(exc: SanctionsError) -> int:
    """The HTTP status of a domain error (the nearest class in the table wins)."""
    for cls in type(exc).__mro__:
        if cls in ERROR_STATUS:
            return ERROR_STATUS[cls]
    return 500


class ApiError(Exception):
    """An error the API layer raises itself (limits, auth, readiness), with its status."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers


def error_response(status: int, detail: str, headers: dict[str, str] | None = None) -> JsonResponse:
    """The JSON body every error has."""
    return JsonResponse({"detail": detail}, status_code=status, headers=headers)


async def _domain_error(request: Request, exc: Exception) -> JsonResponse:
    assert isinstance(exc, SanctionsError)
    status = status_for(exc)
    log.info(
        "request failed", extra={"path": request.url.path, "status": status, "error": type(exc).__name__}
    )
    headers = {"Retry-After": "5"} if isinstance(exc, NotReadyError) else None
    return error_response(status, without_server_paths(str(exc)), headers)


def without_server_paths(message: str) -> str:
    """``message`` with the server's temporary folders cut out of any path (the file name stays)."""
    tmp = re.escape(tempfile.gettempdir().rstrip("/"))
    return re.sub(tmp + r"/(?:[^/\s:'\"]+/)*", "", message)


async def _api_error(_request: Request, exc: Exception) -> JsonResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.detail, exc.headers)


async def _http_error(_request: Request, exc: Exception) -> JsonResponse:
    assert isinstance(exc, StarletteHTTPException)
    return error_response(exc.status_code, str(exc.detail), dict(exc.headers) if exc.headers else None)


def _field(loc: tuple[int | str, ...] | list[int | str]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "form")]
    return ".".join(parts) or "request"


async def _validation_error(_request: Request, exc: Exception) -> JsonResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"field": _field(e.get("loc", ())), "message": str(e.get("msg", "invalid"))}
        for e in exc.errors()[:20]
    ]
    summary = "; ".join(f"{p['field']}: {p['message']}" for p in problems[:5]) or "invalid request"
    return JsonResponse({"detail": f"invalid request: {summary}", "errors": problems}, status_code=422)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn every error into ``{"detail": ...}`` JSON."""
    app.add_exception_handler(SanctionsError, _domain_error)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
