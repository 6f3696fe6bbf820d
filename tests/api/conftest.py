"""Real servers for the API tests: `sanctions serve` processes over the bundled lists."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.server import LiveServer, bundled_template, start_server

API_KEY = "test-key-0123456789"


@pytest.fixture(scope="session")
def bundled_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir holding the bundled lists, loaded once per test session (a template to copy)."""
    return bundled_template(tmp_path_factory.getbasetemp())


def _copy(template: Path, target: Path) -> Path:
    shutil.copytree(template, target, dirs_exist_ok=True)
    return target


@pytest.fixture(scope="session")
def server(bundled_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The main server: open reads, an API key for writes, generous limits."""
    live = start_server(
        bundled_data_dir,
        tmp_path_factory.mktemp("logs") / "server.log",
        env={"SANCTIONS_API_KEY": API_KEY, "SANCTIONS_RATE_LIMIT_PER_MINUTE": "0"},
    )
    yield live
    live.stop()


@pytest.fixture(scope="session")
def locked_server(bundled_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A strict server on its own copy of the store: keyed reads, small bounds, a low rate limit."""
    data_dir = _copy(bundled_data_dir, tmp_path_factory.mktemp("locked-data"))
    live = start_server(
        data_dir,
        tmp_path_factory.mktemp("logs") / "locked.log",
        env={
            "SANCTIONS_API_KEY": API_KEY,
            "SANCTIONS_API_OPEN_READS": "0",
            "SANCTIONS_MAX_BATCH": "3",
            "SANCTIONS_MAX_BODY_BYTES": "4000",
            "SANCTIONS_RATE_LIMIT_PER_MINUTE": "600",
        },
    )
    yield live
    live.stop()


@pytest.fixture()
def client(server: LiveServer) -> Iterator[httpx.Client]:
    """An HTTP client on the main server."""
    with httpx.Client(base_url=server.url, timeout=120.0) as http:
        yield http


@pytest.fixture()
def keyed(locked_server: LiveServer) -> Iterator[httpx.Client]:
    """An HTTP client on the strict server that sends the API key."""
    with httpx.Client(base_url=locked_server.url, timeout=180.0, headers={"X-API-Key": API_KEY}) as http:
        yield http
