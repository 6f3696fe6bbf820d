"""The full SDN list of 2024-05-03 with the 2026-06 aliases and addresses (../shared/data)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sanctions.model import Entity, Relation
from sanctions.sources import get_parser
from sanctions.sources.base import ParseContext

pytestmark = pytest.mark.shared


def _stage(shared_data: Path, tmp_path: Path) -> Path:
    lists = shared_data / "lists"
    shutil.copy(lists / "us-ofac-sdn-2024-05" / "sdn.csv", tmp_path)
    for name in ("alt.csv", "add.csv"):
        shutil.copy(lists / "us-ofac-sdn-aliases-2026-06" / name, tmp_path)
    return tmp_path


def test_full_sdn_with_newer_aliases(shared_data: Path, tmp_path: Path) -> None:
    ctx = ParseContext(path=_stage(shared_data, tmp_path), dataset="us_ofac_sdn")
    records = list(get_parser("us_ofac_sdn")(ctx))
    entities = [r for r in records if isinstance(r, Entity)]
    relations = [r for r in records if isinstance(r, Relation)]
    assert len(entities) == 14_965
    assert sum(len(e.names) for e in entities) == 36_139
    assert len(relations) == 6_369
    assert len({e.id for e in entities}) == len(entities)
    ids = {e.id for e in entities}
    assert all(r.subject_id in ids and r.object_id in ids for r in relations)
    assert any("alt.csv: 2727 rows refer to 1724 ent_nums absent" in w for w in ctx.warnings)
    assert any("add.csv: 5598 rows refer to 4894 ent_nums absent" in w for w in ctx.warnings)
    assert sum("names no entry of this list" in w for w in ctx.warnings) == 8
    assert len(ctx.warnings) < 20


def test_full_consolidated_list(shared_data: Path) -> None:
    ctx = ParseContext(path=shared_data / "lists" / "us-ofac-cons-2025-12", dataset="us_ofac_cons")
    records = list(get_parser("us_ofac_cons")(ctx))
    entities = [r for r in records if isinstance(r, Entity)]
    assert len(entities) == 442
    assert sum(len(e.names) for e in entities) == 1_585
    assert sum(isinstance(r, Relation) for r in records) == 282
