"""docs/api.md documents every endpoint the application serves (so the table cannot drift)."""

from __future__ import annotations

from pathlib import Path

from sanctions.api import create_app
from sanctions.settings import Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def test_every_openapi_path_is_in_the_docs(tmp_path: Path) -> None:
    app = create_app(Settings.from_env(tmp_path))
    try:
        paths = app.openapi()["paths"]
    finally:
        app.state.service.screener.close()
    text = DOC.read_text(encoding="utf-8")
    missing = [p for p in paths if f" {p}`" not in text and f" {p}?" not in text]
    assert not missing, f"endpoints missing from docs/api.md: {missing}"
