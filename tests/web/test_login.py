"""Logging in and out of the UI in Debian's Chromium, on a real server whose reads are closed:
pages need a login, book and alert pages need a role with ``read``, the header shows who is
logged in, forms without the session's CSRF token are refused, and the cookie is locked down."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sanctions import Screener, Settings
from sanctions.ingest import LoadRequest, load
from sanctions.server import create_app
from tests.api.server import LiveServer, start_server
from tests.web.conftest import screenshot

PASSWORD = "checker password"
UN = Path(__file__).parent.parent / "fixtures" / "un" / "consolidated_excerpt.xml"


@pytest.fixture(scope="module")
def closed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data_dir = tmp_path_factory.mktemp("login-ui")
    screener = Screener(Settings(data_dir=data_dir))
    load(screener.store, LoadRequest("un_sc_sanctions", UN))
    screener.user_add("root", "admin", actor="bootstrap")
    screener.user_add("cleo", "checker", PASSWORD, actor="root")
    screener.close()
    env = {
        "SANCTIONS_API_OPEN_READS": "0",
        "SANCTIONS_SECURE_COOKIES": "0",
        "SANCTIONS_RATE_LIMIT_PER_MINUTE": "0",
    }
    server = start_server(data_dir, data_dir / "server.log", env=env)
    yield server
    server.stop()


@pytest.fixture()
def tab(browser: Any, closed_server: LiveServer) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 860}, base_url=closed_server.url)
    yield context.new_page()
    context.close()


def _log_in(tab: Any, password: str) -> None:
    tab.fill("#name", "cleo")
    tab.fill("#password", password)
    with tab.expect_navigation():
        tab.keyboard.press("Enter")


def test_login_required_then_header_and_logout(tab: Any) -> None:
    tab.goto("/ui/books")
    assert "/ui/login?next=/ui/books" in tab.url, "book pages need a login"
    assert tab.evaluate("document.activeElement.id") == "name"
    _log_in(tab, "not the password")
    assert "Wrong user name or password." in tab.locator("[role=alert]").inner_text()
    _log_in(tab, PASSWORD)
    assert tab.url.endswith("/ui/books"), "back where the login started"
    assert tab.locator(".who-name").inner_text().split() == ["cleo", "checker"]

    (cookie,) = [c for c in tab.context.cookies() if c["name"] == "sanctions_session"]
    assert (cookie["httpOnly"], cookie["sameSite"], cookie["path"]) == (True, "Strict", "/")
    assert not cookie["secure"], "SANCTIONS_SECURE_COOKIES=0 on this plain-HTTP test server"

    tab.goto("/ui/alerts")
    assert tab.locator("h1").first.is_visible() and "/ui/alerts" in tab.url
    tab.goto("/ui")
    tab.fill("#name", "Eric Badege")
    tab.keyboard.press("Enter")
    tab.wait_for_selector("#results-title")
    screenshot(tab, "ui-logged-in-checker")

    tab.click(".who-logout button")
    tab.wait_for_url(re.compile(r".*/ui/login$"))
    assert not [c for c in tab.context.cookies() if c["name"] == "sanctions_session"]
    tab.goto("/ui/alerts")
    assert "/ui/login?next=/ui/alerts" in tab.url, "the session ended"


def test_a_form_without_the_csrf_token_is_refused(tab: Any) -> None:
    tab.goto("/ui/login")
    _log_in(tab, PASSWORD)
    tab.goto("/ui")
    tab.fill("#name", "Eric Badege")
    tab.evaluate("document.querySelector('#screen-form input[name=csrf]').remove()")
    with tab.expect_response(lambda r: r.url.endswith("/ui/screen")) as answer:
        tab.keyboard.press("Enter")
    assert answer.value.status == 403
    assert "security token" in tab.locator("main").inner_text()
    tab.goto("/ui")
    tab.evaluate("document.querySelector('#screen-form input[name=csrf]').value = 'forged'")
    tab.fill("#name", "Eric Badege")
    with tab.expect_response(lambda r: r.url.endswith("/ui/screen")) as answer:
        tab.keyboard.press("Enter")
    assert answer.value.status == 403


def test_login_form_refuses_a_post_from_elsewhere_and_open_redirects(
    tab: Any, closed_server: LiveServer
) -> None:
    # A login posted without the login page's own token (as another site would) is refused.
    answer = tab.request.post(
        f"{closed_server.url}/ui/login",
        form={"name": "cleo", "password": PASSWORD, "csrf": "x"},
        max_redirects=0,
    )
    assert answer.status == 403
    tab.goto("/ui/login?next=https://evil.example/")
    _log_in(tab, PASSWORD)
    assert tab.url.endswith("/ui"), "next= only leads to our own pages"


def test_the_session_cookie_is_secure_by_default() -> None:
    with tempfile.TemporaryDirectory() as folder:
        screener = Screener(Settings(data_dir=Path(folder)))
        screener.user_add("root", "admin", "root password 1", actor="bootstrap")
        app = create_app(screener.settings, screener)
        with TestClient(app, base_url="https://testserver") as http:
            page = http.get("/ui/login")
            token = re.search(r'name="csrf" value="([^"]+)"', page.text)
            assert token is not None
            form = {"name": "root", "password": "root password 1", "csrf": token.group(1)}
            answer = http.post("/ui/login", data=form, follow_redirects=False)
        screener.close()
    assert answer.status_code == 303
    cookie = next(
        v for k, v in answer.headers.multi_items() if k == "set-cookie" and "sanctions_session" in v
    )
    assert all(part in cookie for part in ("HttpOnly", "Secure", "SameSite=strict", "Path=/"))


def test_the_login_form_says_when_an_account_is_locked() -> None:
    """After the failures the settings allow, the form says the account is locked (and until
    when) instead of "wrong password", even for the right password."""
    with tempfile.TemporaryDirectory() as folder:
        screener = Screener(Settings(data_dir=Path(folder), max_failed_logins=2))
        screener.user_add("root", "admin", "root password 1", actor="bootstrap")
        app = create_app(screener.settings, screener)
        with TestClient(app, base_url="https://testserver") as http:

            def attempt(password: str) -> Any:
                page = http.get("/ui/login")
                token = re.search(r'name="csrf" value="([^"]+)"', page.text)
                assert token is not None
                form = {"name": "root", "password": password, "csrf": token.group(1)}
                return http.post("/ui/login", data=form, follow_redirects=False)

            answers = [attempt("wrong password 1"), attempt("wrong password 1"), attempt("root password 1")]
        screener.close()
    assert [a.status_code for a in answers] == [401, 401, 401]
    assert "Wrong user name or password." in answers[0].text
    assert "Too many failed logins: this account refuses logins until " in answers[2].text
