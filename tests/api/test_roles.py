"""Every route of the served app checks who is asking, on a real `sanctions serve` process with
closed reads: each non-public route answers 401 (API) or redirects to the login page (UI)
without credentials, and 403 to every role that lacks its permission. The routes are walked
from the app itself, so a route added later without a check fails here."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Mount

from sanctions import Screener, Settings
from sanctions.ingest import LoadRequest, load
from sanctions.server import create_app
from sanctions.users import PERMISSIONS, Permission, Role
from tests.api.server import LiveServer, start_server

SERVER_KEY = "roles-server-key-0123456789"
PASSWORD = "a long enough password"
# Routes anyone may call: probes, docs, the login page, and /updatez (it checks its own token).
PUBLIC = {
    ("GET", "/"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/docs"),
    ("GET", "/openapi.json"),
    ("GET", "/ui/login"),
    ("POST", "/ui/login"),
    ("POST", "/ui/logout"),
    ("POST", "/updatez"),
}
# The guard dependencies and the permission each asks for ("screening": read, as reads are closed).
GUARD = re.compile(r"^(require|page)_(\w+)$|^screening_read$")
PARAMS = {"dataset": "default", "source": "csv", "webhook_id": "999999", "key_id": "999999"}


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    permission: Permission

    @property
    def url(self) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: PARAMS.get(m.group(1), "nobody"), self.path)

    @property
    def is_ui(self) -> bool:
        return self.path.startswith("/ui")


def _walk(routes: list[BaseRoute]) -> Iterator[BaseRoute]:
    for route in routes:
        inner = getattr(route, "original_router", None)  # an included router
        if inner is not None:
            yield from _walk(inner.routes)
        else:
            yield route


def _guards(dependant: object) -> list[str]:
    found = []
    for dep in getattr(dependant, "dependencies", []):
        name = getattr(dep.call, "__name__", "")
        if GUARD.match(name):
            found.append(name)
        found.extend(_guards(dep))
    return found


def endpoints(tmp_path: Path) -> tuple[list[Endpoint], list[str]]:
    """Every guarded route of the app (method, path, permission) and the unguarded ones."""
    app = create_app(Settings(data_dir=tmp_path))
    guarded, unguarded = [], []
    for route in _walk(app.routes):
        if isinstance(route, Mount) or not hasattr(route, "methods"):
            continue
        for method in sorted(set(route.methods or ()) - {"HEAD"}):
            if (method, route.path) in PUBLIC:  # type: ignore[attr-defined]
                continue
            names = _guards(route.dependant) if isinstance(route, APIRoute) else []
            if not names:
                unguarded.append(f"{method} {route.path}")  # type: ignore[attr-defined]
                continue
            # Every guard must pass: a route-level one (decide, audit) is stricter than its router's read.
            found = set()
            for name in names:
                match = GUARD.match(name)
                assert match is not None
                found.add(match.group(2) if match.group(2) not in (None, "screening") else "read")
            wanted = next(iter(sorted(found - {"read"})), "read")
            assert len(found - {"read"}) <= 1, f"{route.path}: more than one strict guard {found}"
            guarded.append(Endpoint(method, route.path, Permission(wanted)))  # type: ignore[attr-defined]
    return guarded, unguarded


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    data_dir = tmp_path_factory.mktemp("roles")
    screener = Screener(Settings(data_dir=data_dir))
    fixture = Path(__file__).parent.parent / "fixtures" / "un" / "consolidated_excerpt.xml"
    load(screener.store, LoadRequest("un_sc_sanctions", fixture))
    keys = {}
    for role in sorted(Role, key=lambda r: r != Role.ADMIN):  # the first user must be an admin
        name = f"{role.value}-user"
        screener.user_add(name, role.value, PASSWORD, actor="bootstrap")
        keys[role.value] = screener.key_create(name, "roles test", actor="bootstrap")[1]
    screener.close()
    env = {
        "SANCTIONS_API_KEY": SERVER_KEY,
        "SANCTIONS_API_OPEN_READS": "0",
        "SANCTIONS_SECURE_COOKIES": "0",
        "SANCTIONS_RATE_LIMIT_PER_MINUTE": "0",
    }
    server = start_server(data_dir, data_dir / "server.log", env=env)
    yield server, keys
    server.stop()


def _login(http: httpx.Client, name: str) -> str:
    """Log ``http`` in through the UI form; returns the session's CSRF token."""
    page = http.get("/ui/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token is not None
    answer = http.post("/ui/login", data={"name": name, "password": PASSWORD, "csrf": token.group(1)})
    assert answer.status_code == 303, answer.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', http.get("/ui").text)
    assert csrf is not None
    return csrf.group(1)


def test_every_route_is_guarded(tmp_path: Path) -> None:
    guarded, unguarded = endpoints(tmp_path)
    assert not unguarded, f"routes without a role check (add one, or list them in PUBLIC): {unguarded}"
    assert len(guarded) > 50
    assert Endpoint("POST", "/users", Permission.ADMIN) in guarded
    assert Endpoint("GET", "/ui/books", Permission.READ) in guarded


def test_without_credentials_every_route_answers_401_or_the_login_page(
    live: tuple[LiveServer, dict[str, str]], tmp_path: Path
) -> None:
    server, _ = live
    guarded, _ = endpoints(tmp_path)
    wrong = []
    with httpx.Client(base_url=server.url, timeout=60.0) as http:
        for end in guarded:
            answer = http.request(end.method, end.url)
            if end.is_ui:
                ok = answer.status_code == 303 and answer.headers["location"].startswith("/ui/login?next=")
            else:
                ok = answer.status_code == 401
            if not ok:
                wrong.append(f"{end.method} {end.url}: {answer.status_code}")
            bad_key = http.request(end.method, end.url, headers={"X-API-Key": "sk_forged"})
            if not end.is_ui and bad_key.status_code != 401:
                wrong.append(f"{end.method} {end.url} with a forged key: {bad_key.status_code}")
    assert not wrong, "\n".join(wrong)


def test_every_role_without_the_permission_gets_403(
    live: tuple[LiveServer, dict[str, str]], tmp_path: Path
) -> None:
    server, keys = live
    guarded, _ = endpoints(tmp_path)
    wrong: list[str] = []
    checked = 0
    for role, granted in PERMISSIONS.items():
        with httpx.Client(base_url=server.url, timeout=60.0) as http:
            csrf = _login(http, f"{role.value}-user")
            api = {"X-API-Key": keys[role.value]}
            for end in guarded:
                if end.is_ui:
                    data = {"csrf": csrf} if end.method == "POST" else None
                    answer = http.request(end.method, end.url, data=data)
                else:
                    answer = http.request(end.method, end.url, headers=api)  # the key wins over the cookie
                if end.permission in granted:
                    # Allowed: whatever the answer (404 for a made-up name...), never 401 or 403.
                    if end.method == "GET" and answer.status_code in (401, 403):
                        wrong.append(f"{role} {end.method} {end.url}: {answer.status_code}, expected access")
                elif answer.status_code != 403:
                    wrong.append(f"{role} {end.method} {end.url}: {answer.status_code}, expected 403")
                else:
                    checked += 1
    assert not wrong, "\n".join(wrong)
    assert checked > 40


def test_server_key_is_the_builtin_admin_and_me_says_who(live: tuple[LiveServer, dict[str, str]]) -> None:
    server, keys = live
    with httpx.Client(base_url=server.url, timeout=60.0) as http:
        me = http.get("/me", headers={"Authorization": f"ApiKey {SERVER_KEY}"}).json()
        assert (me["name"], me["role"], me["via"]) == ("api-key", "admin", "server-key")
        me = http.get("/me", headers={"Authorization": f"Bearer {keys['auditor']}"}).json()
        assert (me["name"], me["role"], me["permissions"]) == ("auditor-user", "auditor", ["read", "audit"])
        assert http.get("/catalog", params={"api_key": keys["checker"]}).status_code == 200
        # A session's state-changing API call needs the CSRF token in a header too.
        csrf = _login(http, "admin-user")
        assert http.get("/me").json()["via"] == "session"
        refused = http.post("/users", json={"name": "eve", "role": "analyst"})
        assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
        added = http.post("/users", json={"name": "eve", "role": "analyst"}, headers={"X-CSRF-Token": csrf})
        assert added.status_code == 201, added.text
