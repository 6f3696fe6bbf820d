"""``sanctions scan`` end to end over the bundled lists: JSON, table and HTML report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from sanctions.cli import build_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    return build_app()


def test_scan_json_and_html(
    runner: CliRunner, app: typer.Typer, loaded_screener: Any, shared_data: Path, tmp_path: Path
) -> None:
    article = shared_data / "examples" / "moskvich-revival-article.txt"
    report = tmp_path / "report.html"
    data_dir = str(loaded_screener.settings.data_dir)
    result = runner.invoke(
        app, ["scan", str(article), "--json", "--html", str(report), "--data-dir", data_dir]
    )
    assert result.exit_code == 1, result.output  # grep's status: something found
    doc = json.loads(result.stdout[result.stdout.index("{") :])
    assert doc["stats"]["mentions"] == len(doc["mentions"]) > 0
    first = doc["mentions"][0]
    assert {"start", "end", "text", "score", "entity", "explanations"} <= first.keys()
    assert {"id", "caption", "schema", "datasets"} <= first["entity"].keys()
    html = report.read_text(encoding="utf-8")
    assert "<mark" in html and "http" not in html.split("<body>")[1].split("</main>")[0].replace(
        'href="#', ""
    )


def test_scan_payment_from_stdin(runner: CliRunner, app: typer.Typer, loaded_screener: Any) -> None:
    message = (
        "{1:F01DEUTDEFFAXXX0000000000}{2:I103CITIUS33XXXXN}{4:\n"
        ":20:X\n:32A:240611EUR1,00\n:59:/123\nKAMAZ PJSC\n-}"
    )
    data_dir = str(loaded_screener.settings.data_dir)
    result = runner.invoke(app, ["scan", "-", "--json", "--data-dir", data_dir], input=message)
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout[result.stdout.index("{") :])
    assert any(m["field"].startswith("59") for m in doc["mentions"])


def test_scan_bad_file_is_a_clear_error(
    runner: CliRunner, app: typer.Typer, loaded_screener: Any, tmp_path: Path
) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\xff" * 100)
    result = runner.invoke(app, ["scan", str(junk), "--data-dir", str(loaded_screener.settings.data_dir)])
    assert result.exit_code == 2
    assert "binary" in result.output
