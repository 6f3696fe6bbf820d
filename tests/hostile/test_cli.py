"""The command line refuses hostile documents with a one-line message and exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sanctions.cli import build_app
from sanctions.ingest import LoadRequest, load
from sanctions.settings import Settings
from sanctions.store import open_store
from tests.hostile.bombs import entity_bomb_docx, pdf_pages, zip_bomb_docx

runner = CliRunner()
USER_LIST = Path(__file__).resolve().parents[1] / "fixtures" / "user" / "watchlist.csv"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir holding one small user list (so the CLI does not load the bundled lists)."""
    folder = tmp_path_factory.mktemp("cli-data")
    store = open_store(Settings.from_env(folder))
    try:
        load(store, LoadRequest("csv", USER_LIST, dataset="watchlist"))
    finally:
        store.close()
    return folder


def _scan(tmp_path: Path, data_dir: Path, name: str, data: bytes) -> tuple[int, str]:
    path = tmp_path / name
    path.write_bytes(data)
    args = ["scan", str(path), "--data-dir", str(data_dir)]
    result = runner.invoke(build_app(), args, env={"COLUMNS": "200"})
    return result.exit_code, result.output


def test_zip_bomb_docx_exits_2_naming_the_limit(tmp_path: Path, data_dir: Path) -> None:
    code, output = _scan(tmp_path, data_dir, "bomb.docx", zip_bomb_docx(100))
    assert code == 2 and "max_compression_ratio" in output and "Traceback" not in output


def test_many_page_pdf_exits_2(tmp_path: Path, data_dir: Path) -> None:
    code, output = _scan(tmp_path, data_dir, "long.pdf", pdf_pages(20_000, "x"))
    assert code == 2 and "max_pdf_pages" in output


def test_entity_bomb_docx_is_a_clean_error(tmp_path: Path, data_dir: Path) -> None:
    code, output = _scan(tmp_path, data_dir, "laughs.docx", entity_bomb_docx())
    assert code == 2 and "error" in output and "Traceback" not in output
