"""Every screening command documents grep's exit status in its --help."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from sanctions.cli import build_app


@pytest.mark.parametrize("command", ["match", "scan", "exposure"])
def test_help_documents_the_exit_status(command: str) -> None:
    result = CliRunner().invoke(build_app(), [command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "Exit status: 0" in text and "1 " in text and "2 bad input" in text, text


def test_a_usage_error_exits_2() -> None:
    result = CliRunner().invoke(build_app(), ["match", "--limit", "0", "X"])
    assert result.exit_code == 2
