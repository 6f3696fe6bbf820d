"""A store holding the UN excerpt, its index file, and the 50-customer file the batch tests screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sanctions.service import Screener
from sanctions.settings import Settings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CUSTOMERS = FIXTURES / "customers" / "batch_customers.csv"
MAPPING = {"Client No": "id", "Full Name": "name"}


@pytest.fixture(scope="session")
def un_screener(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Screener]:
    """A Screener whose store holds the UN consolidated-list excerpt (15 parties)."""
    screener = Screener(Settings.from_env(tmp_path_factory.mktemp("un-data")))
    screener.load("un_sc_sanctions", FIXTURES / "un" / "consolidated_excerpt.xml", published="2026-02-27")
    yield screener
    screener.close()


@pytest.fixture(scope="session")
def un_index(un_screener: Screener) -> Path:
    """The index file of the UN excerpt."""
    return un_screener.index_file()
