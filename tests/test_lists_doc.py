"""docs/lists.md's coverage table names every source and every bundled list (no drift)."""

from __future__ import annotations

from pathlib import Path

from sanctions.bundle import bundled_lists
from sanctions.sources import SOURCES

DOC = Path(__file__).resolve().parent.parent / "docs" / "lists.md"


def _rows() -> dict[str, str]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            name = line.split("`")[1]
            rows[name] = line
    return rows


def test_every_source_has_a_coverage_row() -> None:
    assert set(_rows()) == set(SOURCES)


def test_bundled_lists_are_marked_bundled() -> None:
    rows = _rows()
    bundled = {b.dataset for b in bundled_lists()}
    for name, line in rows.items():
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert cells[5].startswith("yes") == (name in bundled), name


def test_closed_publications_say_so() -> None:
    rows = _rows()
    for name, spec in SOURCES.items():
        if spec.closed:
            assert "closed" in rows[name], name
