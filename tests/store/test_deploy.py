"""The deployment of docs/deploy.md, in small: API workers and a loading process share one
PostgreSQL; a list loaded by the command line reaches every running worker without a restart."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.api.server import SERVE, start_server

HEADER = "name,type,birth_date,country,list\n"
KOGOGIN = "KOGOGIN Sergei Anatolyevich,person,1957-11-16,Russia,internal\n"
SOBYANIN = "SOBYANIN Sergei Semenovich,person,1958-06-21,Russia,internal\n"

pytestmark = pytest.mark.slow


def _load(csv: Path, url: str, data_dir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANCTIONS_")}
    env.update({"SANCTIONS_DATABASE_URL": url, "SANCTIONS_DATA_DIR": str(data_dir)})
    command = [sys.executable, "-c", SERVE, "load", "csv", str(csv), "--dataset", "internal"]
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)


def _hits(client: httpx.Client, base: str, name: str) -> list[str] | None:
    """Captions of the matches, or None while the worker that answered is still building."""
    query = {"queries": {"q": {"schema": "Person", "properties": {"name": [name]}}}}
    response = client.post(f"{base}/match/default", json=query)
    if response.status_code == 503:
        return None
    body = response.raise_for_status().json()
    return [r["caption"] for r in body["responses"]["q"]["results"] if r["match"]]


def _every_worker_finds(client: httpx.Client, base: str, name: str) -> bool:
    """True once 20 answers in a row find ``name`` (the workers take turns answering)."""
    streak, deadline = 0, time.monotonic() + 180
    while streak < 20 and time.monotonic() < deadline:
        streak = streak + 1 if _hits(client, base, name) else 0
        time.sleep(0.05)
    return streak == 20


def test_two_api_workers_see_a_list_loaded_by_another_process(pg_url: str, tmp_path: Path) -> None:
    first = tmp_path / "v1.csv"
    first.write_text(HEADER + KOGOGIN, encoding="utf-8")
    _load(first, pg_url, tmp_path / "cli")
    env = {"SANCTIONS_DATABASE_URL": pg_url, "SANCTIONS_RELOAD_CHECK_SECONDS": "1"}
    server = start_server(tmp_path / "api", tmp_path / "server.log", env=env, workers=2)
    try:
        with httpx.Client(timeout=30) as client:
            assert _every_worker_finds(client, server.url, "Sergei Kogogin"), server.log_text()[-3000:]
            assert _hits(client, server.url, "Sergei Sobyanin") == []
            second = tmp_path / "v2.csv"
            second.write_text(HEADER + KOGOGIN + SOBYANIN, encoding="utf-8")
            _load(second, pg_url, tmp_path / "cli")
            assert _every_worker_finds(client, server.url, "Sergei Sobyanin"), server.log_text()[-3000:]
    finally:
        server.stop()
