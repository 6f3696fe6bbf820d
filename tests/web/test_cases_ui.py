"""The case flow in Debian's Chromium against a real server: an analyst decides, cannot approve,
a checker approves, the alert leaves the queue, and a list change brings it back as
review_required. No page answers a user whose role does not allow it."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from lxml import etree

from sanctions.service import Screener
from sanctions.settings import Settings
from tests.api.server import LiveServer, start_server
from tests.web.conftest import screenshot

UN = "un_sc_sanctions"
PASSWORD = "correct horse battery staple"
USERS = {"root": "admin", "ann": "analyst", "cid": "checker", "bob": "checker", "aud": "auditor"}


@pytest.fixture(scope="module")
def cases_server(
    tmp_path_factory: pytest.TempPathFactory, fixtures: Path
) -> Iterator[tuple[LiveServer, Path]]:
    data_dir = tmp_path_factory.mktemp("cases-ui")
    screener = Screener(Settings(data_dir=data_dir))
    screener.load(UN, fixtures / "un" / "consolidated_excerpt.xml")
    book = data_dir / "book.csv"
    with book.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["id", "name"], ["C1", "Bosco Ntaganda"], ["C2", "Anna Schmidt"]])
    screener.book_import("bank", book)
    for name, role in USERS.items():
        screener.user_add(name, role, PASSWORD, actor="setup")
    screener.close()
    live = start_server(
        data_dir, tmp_path_factory.mktemp("logs") / "cases-ui.log", env={"SANCTIONS_SECURE_COOKIES": "0"}
    )
    yield live, data_dir
    live.stop()


@pytest.fixture()
def tab(browser: Any, cases_server: tuple[LiveServer, Path]) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, base_url=cases_server[0].url)
    page = context.new_page()
    yield page
    context.close()


def _login(page: Any, name: str, target: str = "/ui/cases") -> None:
    page.goto(target)
    assert "/ui/login" in page.url, "a case page needs a login"
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"**{target}")


def _logout(page: Any) -> None:
    page.click("form.who-logout button")
    page.wait_for_load_state()


def _with_birth_date(fixtures: Path, target: Path) -> Path:
    tree = etree.parse(str(fixtures / "un" / "consolidated_excerpt.xml"))
    for node in tree.iter("INDIVIDUAL"):
        if node.findtext("DATAID") == "6908021":
            dob = etree.SubElement(node, "INDIVIDUAL_DATE_OF_BIRTH")
            etree.SubElement(dob, "TYPE_OF_DATE").text = "EXACT"
            etree.SubElement(dob, "DATE").text = "1973-11-05"
    tree.write(str(target), xml_declaration=True, encoding="utf-8")
    return target


def test_decide_approve_and_come_back(
    tab: Any, cases_server: tuple[LiveServer, Path], fixtures: Path
) -> None:
    live, data_dir = cases_server
    _login(tab, "ann")
    rows = tab.locator("#queue-table tbody tr")
    assert rows.count() == 1 and "Bosco Ntaganda" in rows.first.inner_text()
    tab.click("#queue-table tbody tr a")
    tab.wait_for_selector("#decide-form")
    assert "Bosco Ntaganda" in tab.locator("#case-customer").inner_text()
    assert "TAGANDA" in tab.locator("#case-party").inner_text().upper()
    assert tab.locator("#approve-form").count() == 0, "an analyst is not offered the approval"
    tab.select_option("#verdict", "false_positive")
    tab.select_option("#reason_code", "different_person")
    tab.fill("#note", "Passport on file: born 1990 in Nairobi")
    tab.click("#decide")
    tab.wait_for_selector("#case-state")
    assert tab.locator("#case-state").inner_text() == "pending"
    alert_id = tab.url.rstrip("/").rsplit("/", 1)[-1]
    tab.fill("#assignee", "ann")
    tab.click("#assign")
    tab.wait_for_selector("#case-state")
    assert "assigned to ann" in tab.locator("p.lead").inner_text()
    passport = {"name": "passport.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 passport"}
    tab.set_input_files("#document", files=[passport])
    tab.click("#attach")
    tab.wait_for_selector("#case-attachments a")
    link = tab.locator("#case-attachments a").first
    assert link.inner_text() == "passport.pdf"
    assert tab.request.get(link.get_attribute("href")).body() == b"%PDF-1.4 passport"
    csrf = tab.locator("#decide-form input[name=csrf]").input_value()
    answer = tab.request.post(f"/ui/cases/{alert_id}/approve", form={"csrf": csrf, "note": ""})
    assert answer.status == 403, "the analyst cannot approve"
    screenshot(tab, "ui-case-pending")
    _logout(tab)

    _login(tab, "bob", "/ui/approvals")
    tab.click(f"#approvals-table tr[data-alert='{alert_id}'] a")
    tab.click("#approve")
    tab.wait_for_selector("#case-state")
    assert tab.locator("#case-state").inner_text() == "cleared"
    tab.goto("/ui/cases")
    assert tab.locator("#queue-table").count() == 0, "the cleared alert left the queue"
    _logout(tab)

    screener = Screener(Settings(data_dir=data_dir))
    new = screener.load(UN, _with_birth_date(fixtures, data_dir / "b.xml"))
    screener.rescreen_books([new])
    screener.close()
    _login(tab, "ann")
    row = tab.locator(f"#queue-table tr[data-alert='{alert_id}']")
    assert "review_required" in row.inner_text()
    row.locator("a").click()
    assert "1973-11-05" in tab.locator("#case-review").inner_text()
    screenshot(tab, "ui-case-review-required")
    tab.goto("/ui/alerts?state=review_required")
    assert tab.locator(f"#alerts-table a[href='/ui/cases/{alert_id}']").count() == 1, (
        "the book's alert list links the case"
    )


def test_a_checker_cannot_approve_their_own_decision(tab: Any, cases_server: tuple[LiveServer, Path]) -> None:
    _login(tab, "cid", "/ui/cases?state=all")
    tab.locator("#queue-table tbody tr a").first.click()
    tab.wait_for_selector("#decide-form")
    tab.select_option("#verdict", "true_match")
    tab.click("#decide")
    tab.wait_for_selector("#approve")
    tab.click("#approve")
    assert "another user" in tab.locator("#case-error").inner_text()
    assert tab.locator("#case-state").inner_text() == "pending"


def test_no_page_answers_a_role_that_may_not_see_it(cases_server: tuple[LiveServer, Path], tab: Any) -> None:
    live, _ = cases_server
    with httpx.Client(base_url=live.url, follow_redirects=False) as anonymous:
        for path in ("/ui/cases", "/ui/cases/1", "/ui/approvals", "/ui/audit", "/ui/books", "/ui/alerts"):
            answer = anonymous.get(path)
            assert answer.status_code == 303 and "/ui/login" in answer.headers["location"], path
        assert anonymous.get("/cases/queue").status_code == 401
    _login(tab, "ann")
    assert tab.goto("/ui/audit").status == 403
    _logout(tab)
    _login(tab, "aud", "/ui/audit")
    tab.click("#verify")
    tab.wait_for_selector("#audit-status")
    assert "intact" in tab.locator("#audit-status").inner_text()
    csrf = tab.locator("form.who-logout input[name=csrf]").input_value()
    answer = tab.request.post("/ui/cases/1/decide", form={"csrf": csrf, "verdict": "needs_info"})
    assert answer.status == 403, "an auditor changes nothing"
