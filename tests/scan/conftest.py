"""Fixtures of the scanner tests: a mention index over hand-written real list entries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from sanctions.model import Entity, Identifier, Listing, Name, NameKind, Schema
from sanctions.scan import MentionIndex

SCAN_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "scan"


def entity_from_yaml(row: dict[str, Any]) -> Entity:
    """An Entity from the compact YAML form of tests/fixtures/scan/entities.yml."""
    return Entity(
        id=row["id"],
        dataset=row["dataset"],
        source_id=row["id"].rsplit("-", 1)[-1],
        schema=Schema(row["schema"]),
        names=[Name(value, NameKind(kind)) for value, kind in row["names"]],
        identifiers=[Identifier(scheme, value) for scheme, value in row.get("identifiers", [])],
        listings=[Listing(a, p, d) for a, p, d in row.get("listings", [])],
    )


def load_entities() -> list[Entity]:
    """Every fixture entity."""
    rows = yaml.safe_load((SCAN_FIXTURES / "entities.yml").read_text(encoding="utf-8"))
    return [entity_from_yaml(r) for r in rows]


@pytest.fixture(scope="session")
def scan_index() -> MentionIndex:
    """A mention index over the fixture entities."""
    return MentionIndex.build(load_entities())


@pytest.fixture(scope="session")
def scan_fixtures() -> Path:
    """tests/fixtures/scan."""
    return SCAN_FIXTURES


@pytest.fixture(scope="session")
def bundled_index(loaded_screener: Any) -> MentionIndex:
    """A mention index over every bundled official list (built once per session)."""
    return MentionIndex.build(loaded_screener.store.iter_entities())
