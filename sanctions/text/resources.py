"""Curated reference data (legal forms, honorifics, particles, name words) read lazily from YAML."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


@functools.cache
def load_resource(name: str) -> Any:
    """The parsed content of ``sanctions/resources/<name>.yml`` (read once, then cached)."""
    with open(RESOURCES / f"{name}.yml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)
