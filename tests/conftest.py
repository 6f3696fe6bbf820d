"""Shared test fixtures: paths to tiny fixtures and to the optional ../shared data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from sanctions.service import Screener

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_DATA = Path(os.environ.get("SANCTIONS_SHARED_DATA", ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def fixtures() -> Path:
    """The folder of small real excerpts shipped with the tests."""
    return FIXTURES


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The full shared data folder; skips the test when it is not beside the project."""
    if not (SHARED_DATA / "lists").is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA} (clone ../shared beside the project)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def loaded_screener(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Screener]:
    """A Screener over a temporary data dir holding every bundled official list (built once)."""
    from sanctions.bundle import load_bundled
    from sanctions.service import Screener
    from sanctions.settings import Settings

    data_dir = tmp_path_factory.mktemp("bundled-data")
    screener = Screener(Settings.from_env(data_dir))
    load_bundled(screener.store)
    yield screener
    screener.close()
