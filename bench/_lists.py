"""Shared by the scan benchmarks: the entities of every bundled list, loaded once into a data dir."""

from __future__ import annotations

import time
from pathlib import Path

from sanctions.bundle import load_bundled
from sanctions.model import Entity
from sanctions.service import Screener
from sanctions.settings import Settings


def bundled_entities(data_dir: Path) -> list[Entity]:
    """Every entity of the bundled lists (loads them into ``data_dir`` on first use)."""
    screener = Screener(Settings.from_env(data_dir))
    try:
        if not screener.store.current_versions():
            started = time.perf_counter()
            load_bundled(screener.store)
            print(f"loaded bundled lists into {data_dir} in {time.perf_counter() - started:.1f} s")
        return list(screener.store.iter_entities())
    finally:
        screener.close()
