"""Shared test fixtures: paths to tiny fixtures, the optional ../shared data, and databases.

Databases: ``db_url`` runs a test once on SQLite and once on a real PostgreSQL server
(``pg_url`` alone gives PostgreSQL only). The server is started once per session, only when a
test asks for it, and stopped at the end even on failure. ``SANCTIONS_TEST_POSTGRES=require``
(set by ``make test``) turns "PostgreSQL is not installed" from a skip into an error;
``SANCTIONS_TEST_POSTGRES=skip`` never starts it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.postgres import PostgresServer, missing_reason

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


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A real PostgreSQL 15 server for the whole session (skips when it cannot run here)."""
    mode = os.environ.get("SANCTIONS_TEST_POSTGRES", "auto")
    if mode == "skip":
        pytest.skip("SANCTIONS_TEST_POSTGRES=skip")
    reason = missing_reason()
    if reason:
        if mode == "require":
            pytest.fail(f"SANCTIONS_TEST_POSTGRES=require but {reason}", pytrace=False)
        pytest.skip(reason)
    server = PostgresServer()
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_template(postgres: PostgresServer) -> str:
    """A database migrated to head once, copied by every ``pg_url`` (CREATE DATABASE ... TEMPLATE)."""
    from sanctions.store import SqlStore

    name = postgres.create_database()
    SqlStore.open(postgres.url(name)).close()
    return name


@pytest.fixture
def pg_url(postgres: PostgresServer, pg_template: str) -> Iterator[str]:
    """The URL of a fresh PostgreSQL database with the store's schema, dropped after the test."""
    name = postgres.create_database(template=pg_template)
    yield postgres.url(name)
    postgres.drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh store URL, once on SQLite and once on PostgreSQL (parametrised)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db.sqlite'}"
    url: str = request.getfixturevalue("pg_url")
    return url
