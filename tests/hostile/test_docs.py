"""docs/security.md shows the limits exactly as the code defines them (the table is generated)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctions.settings import LIMITS, Settings, limits_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"


def test_the_limits_table_is_the_generated_one() -> None:
    assert limits_table() in DOC.read_text(encoding="utf-8")


def test_every_limit_is_a_settings_field_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in LIMITS:
        monkeypatch.setenv(f"SANCTIONS_{name.upper()}", "7")
    settings = Settings.from_env("/tmp/unused")
    assert all(getattr(settings, name) == 7 for name in LIMITS)
