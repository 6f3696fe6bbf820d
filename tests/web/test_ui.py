"""The analyst UI as a user drives it: keyboard first, in a real browser, against a real server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.web.conftest import screenshot


def test_screen_a_name_with_the_keyboard(page: Any) -> None:
    page.goto("/ui")
    focused = page.evaluate("document.activeElement.id")
    assert focused == "name", "the name field has the focus on arrival"
    page.keyboard.type("Sergei Sobyanin")
    page.keyboard.press("Enter")
    page.wait_for_selector("ol.hits li.hit")
    first = page.locator("ol.hits li.hit").first
    assert "SOBYANIN" in first.locator(".hit-name").inner_text().upper()
    assert first.locator(".listings li").count() >= 1, "the lists and programs of the hit"
    reasons = first.locator("details.why li")
    assert reasons.count() >= 1 and reasons.first.is_visible(), "the explanation of the top hit is open"
    assert page.locator("#name").input_value() == "Sergei Sobyanin", "the form keeps the query"
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "keyboard focus is visible"
    assert screenshot(page, "ui-screen-sobyanin").stat().st_size > 10_000


def test_screen_with_type_and_birth_date(page: Any) -> None:
    page.goto("/ui")
    page.fill("#name", "Kirill Kogogin")
    page.select_option("#entity_type", "Person")
    page.fill("#birth_date", "1970")
    page.click("button[type=submit]")
    page.wait_for_selector("#results-title")
    assert "Kirill Kogogin" in page.locator("#results-title").inner_text()


def test_scan_the_showcase_article(page: Any, shared_data: Path) -> None:
    article = (shared_data / "examples" / "moskvich-revival-article.txt").read_text(encoding="utf-8")
    page.goto("/ui/scan")
    assert page.evaluate("document.activeElement.id") == "text"
    page.fill("#text", article)
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#scan-text a.mention")
    marked = [m.inner_text() for m in page.locator("#scan-text a.mention").all()]
    assert len(marked) >= 5
    joined = " ".join(marked).upper()
    for party in ("KAMAZ", "SOBYANIN", "MOSKVICH"):
        assert party in joined, f"{party} is highlighted"
    assert "JAC" not in marked and "Renault" not in marked, "unlisted companies stay plain"
    screenshot(page, "ui-scan-moskvich-article")
    page.locator("#scan-text a.mention").first.click()
    page.wait_for_selector("h1")
    assert "/ui/entities/" in page.url


def test_open_an_entity_page(page: Any) -> None:
    page.goto("/ui")
    page.fill("#name", "KAMAZ")
    page.select_option("#entity_type", "Company")
    page.keyboard.press("Enter")
    page.wait_for_selector("ol.hits a.hit-name")
    page.locator("ol.hits a.hit-name").first.click()
    page.wait_for_selector("#h-names")
    assert "KAMAZ" in page.locator("h1").inner_text().upper()
    names = page.locator("#h-names + table tbody tr")
    assert names.count() >= 2, "every name of the entity"
    assert page.locator("#h-listings + ul.listings li").count() >= 1
    relations = page.locator("#h-rel + table tbody tr")
    assert relations.count() >= 1, "KAMAZ's publisher-stated links"
    assert page.locator(".graph svg").count() == 1, "the exposure graph"
    screenshot(page, "ui-entity-kamaz")


def test_lists_page_warns_about_stale_lists(page: Any) -> None:
    page.goto("/ui/lists")
    banner = page.locator(".banner-stale")
    assert banner.is_visible() and "Stale lists" in banner.inner_text()
    rows = page.locator("#lists-table tbody tr")
    assert rows.count() >= 5
    assert page.locator("#lists-table .status-stale").count() == rows.count(), "the bundled lists are all old"
    screenshot(page, "ui-lists")


def test_unknown_entity_page_is_a_friendly_404(page: Any) -> None:
    response = page.goto("/ui/entities/no-such-entity")
    assert response is not None and response.status == 404
    assert "No entity" in page.locator("main").inner_text()
