"""docs/security.md shows the roles exactly as the code defines them (the table is generated)."""

from __future__ import annotations

from pathlib import Path

from sanctions.users import roles_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"


def test_the_roles_table_is_the_generated_one() -> None:
    assert roles_table() in DOC.read_text(encoding="utf-8")
