"""`sanctions demo`, the first README command, tells the showcase story end to end."""

from __future__ import annotations

from typer.testing import CliRunner

from sanctions.cli import build_app
from sanctions.cli.demo import find_article
from sanctions.service import Screener


def test_demo_tells_the_showcase_story(loaded_screener: Screener) -> None:
    data_dir = str(loaded_screener.settings.data_dir)
    result = CliRunner().invoke(build_app(), ["demo", "--data-dir", data_dir], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.output
    assert "STALE" in out  # the bundled snapshot is old and must say so
    for listed in (
        "KOGOGIN, Sergei Anatolyevich",
        "SOBYANIN, Sergey Semyonovich",
        "KAMAZ PUBLICLY TRADED COMPANY",
    ):
        assert listed in out
    assert "JAC: exposed" in out and "Renault: clear" in out
    if find_article(None) is not None:
        assert "PUTIN" in out and "AURUS" in out and "MOSKVICH" in out
