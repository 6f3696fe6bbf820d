"""Who is looking at a page, and may they: UI sessions, the login and logout pages, and CSRF.

Every UI router declares its guard once, for all its pages::

    router = APIRouter(prefix="/ui", dependencies=[Depends(page_access(Permission.READ)), *FORM_CHECKS])

``page_access(None)`` is the screening rule: open while reads are open, else a login. A page
that needs a login and has none redirects (303) to ``/ui/login?next=...``; a role without the
permission gets a 403 page. Every POST from a logged-in session must carry the session's CSRF
token as the form field ``csrf`` (the templates' ``csrf_field()``), else 403.

The session cookie ``sanctions_session`` is HttpOnly, SameSite=Strict, Path=/ and Secure unless
SANCTIONS_SECURE_COOKIES=0 (plain-HTTP development on loopback). The login form has its own
pre-session token (cookie ``sanctions_login``), so no other site can log a browser in.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from sanctions import Permission, Principal, ServingState
from sanctions.errors import AuthError

SESSION_COOKIE = "sanctions_session"
LOGIN_COOKIE = "sanctions_login"
_UNSET = object()


class LoginRequired(Exception):
    """The page needs a logged-in user; ``next`` is where to come back after the login."""

    def __init__(self, next_url: str):
        super().__init__(next_url)
        self.next_url = next_url


class PageForbidden(Exception):
    """The viewer may not see this page or send this form (403)."""


def _state(request: Request) -> ServingState:
    state: ServingState = request.app.state.service
    return state


def viewer(request: Request) -> Principal | None:
    """The logged-in user of this request's session cookie (None: nobody). Blocking."""
    cached = getattr(request.state, "viewer", _UNSET)
    if cached is not _UNSET:
        return cached if isinstance(cached, Principal) else None
    found = _state(request).screener.session_principal(request.cookies.get(SESSION_COOKIE))
    request.state.viewer = found
    return found


def page_access(permission: Permission | None) -> Callable[[Request], Principal | None]:
    """The guard of a router's pages: ``permission`` from a logged-in user, or (None) the
    screening rule: open while reads are open, else a logged-in user with ``read``."""

    def check(request: Request) -> Principal | None:
        found = viewer(request)
        if found is None:
            if permission is None and _state(request).screener.reads_open():
                return None
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise LoginRequired(target if request.method == "GET" else request.url.path)
        needed = permission or Permission.READ
        if not found.can(needed):
            raise PageForbidden(f"{found.name} ({found.role}) may not see this page: it needs {needed}.")
        return found

    check.__name__ = f"page_{permission.value if permission else 'screening'}"
    return check


async def form_csrf(request: Request) -> None:
    """Refuse (403) a POST from a logged-in session whose form lacks the session's CSRF token."""
    if request.method != "POST":
        return
    found = await run_in_threadpool(viewer, request)
    if found is None:
        return  # anonymous: only the open screening forms get here (SameSite keeps cookies home)
    sent = str((await request.form()).get("csrf") or "")
    if not (found.csrf and hmac.compare_digest(sent.encode(), found.csrf.encode())):
        raise PageForbidden("The form's security token is missing or out of date: reload the page and retry.")


FORM_CHECKS = [Depends(form_csrf)]


def _safe_next(target: str) -> str:
    """Only our own UI pages as a target after login (never another site: no open redirect)."""
    if target.startswith("/ui") and not target.startswith("//") and "\\" not in target:
        return target
    return "/ui"


def _cookie(response: Response, request: Request, name: str, value: str, max_age: int | None) -> None:
    secure = _state(request).settings.secure_cookies
    response.set_cookie(
        name, value, max_age=max_age, path="/", secure=secure, httponly=True, samesite="strict"
    )


def create_login_router(templates: Jinja2Templates) -> APIRouter:
    """``GET/POST /ui/login`` and ``POST /ui/logout``."""
    router = APIRouter(prefix="/ui", include_in_schema=False)

    def login_page(request: Request, status: int, error: str | None, next_url: str) -> HTMLResponse:
        token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)
        context: dict[str, Any] = {"login_token": token, "error": error, "next": next_url, "viewer": None}
        context |= {"lists": [], "stale_lists": [], "ready": True, "problem": None}
        response = templates.TemplateResponse(request, "login.html", context, status_code=status)
        _cookie(response, request, LOGIN_COOKIE, token, 3600)
        return response

    @router.get("/login", response_class=HTMLResponse)
    async def login_form(request: Request, next: str = "/ui") -> HTMLResponse:  # noqa: A002
        """The login form."""
        return login_page(request, 200, None, _safe_next(next))

    @router.post("/login", response_model=None)
    async def login(
        request: Request,
        name: Annotated[str, Form(max_length=64)] = "",
        password: Annotated[str, Form(max_length=1024)] = "",
        csrf: Annotated[str, Form(max_length=100)] = "",
        next: Annotated[str, Form(max_length=2000)] = "/ui",  # noqa: A002
    ) -> Response:
        """Check the name and password; on success set the session cookie and go to ``next``."""
        expected = request.cookies.get(LOGIN_COOKIE) or ""
        if not expected or not hmac.compare_digest(csrf.encode(), expected.encode()):
            return login_page(request, 403, "The form expired: please try again.", _safe_next(next))
        try:
            token, _ = await run_in_threadpool(_state(request).screener.login, name.strip(), password)
        except AuthError as exc:  # a wrong name or password, or a locked account (and until when)
            said = str(exc)
            return login_page(request, 401, said[:1].upper() + said[1:] + ".", _safe_next(next))
        response = RedirectResponse(_safe_next(next), status_code=303)
        hours = _state(request).settings.session_hours
        _cookie(response, request, SESSION_COOKIE, token, int(hours * 3600))
        response.delete_cookie(LOGIN_COOKIE, path="/")
        return response

    @router.post("/logout", dependencies=FORM_CHECKS)
    async def logout(request: Request) -> RedirectResponse:
        """End the session (the form carries its CSRF token) and go to the login page."""
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            await run_in_threadpool(_state(request).screener.logout, token)
        response = RedirectResponse("/ui/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    return router


def install_guards(app: FastAPI, templates: Jinja2Templates) -> None:
    """Answer :class:`LoginRequired` with a redirect to the login page and
    :class:`PageForbidden` with a 403 page."""

    async def to_login(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LoginRequired)
        return RedirectResponse(f"/ui/login?next={quote(exc.next_url, safe='/')}", status_code=303)

    async def forbidden(request: Request, exc: Exception) -> Response:
        shown = getattr(request.state, "viewer", None)
        context: dict[str, Any] = {"message": str(exc), "title": "Not allowed", "viewer": shown}
        context |= {"lists": [], "stale_lists": [], "ready": True, "problem": None}
        return templates.TemplateResponse(request, "error.html", context, status_code=403)

    app.add_exception_handler(LoginRequired, to_login)
    app.add_exception_handler(PageForbidden, forbidden)
