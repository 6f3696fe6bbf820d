"""A real server and a headless Chromium (Debian's) driven by Playwright, for the UI tests.

The tests skip, saying why, when Playwright or Chromium is not installed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.server import LiveServer, bundled_template, start_server

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("SANCTIONS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def ui_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server for the browser tests, on its own copy of the bundled lists."""
    template = bundled_template(tmp_path_factory.getbasetemp())
    data_dir = tmp_path_factory.mktemp("ui-data")
    shutil.copytree(template, data_dir, dirs_exist_ok=True)
    live = start_server(data_dir, tmp_path_factory.mktemp("logs") / "ui.log")
    yield live
    live.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium; skips when Playwright or the browser is missing."""
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
    )
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set SANCTIONS_CHROMIUM)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser: Any, ui_server: LiveServer) -> Iterator[Any]:
    """A fresh laptop-sized page; fails the test if the UI asks for anything off the server."""
    context = browser.new_context(viewport={"width": 1366, "height": 860}, base_url=ui_server.url)
    tab = context.new_page()
    foreign: list[str] = []
    tab.on("request", lambda req: None if req.url.startswith(ui_server.url) else foreign.append(req.url))
    yield tab
    context.close()
    assert not foreign, f"the UI loaded resources from elsewhere: {foreign[:5]}"


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/ (gitignored) and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
