"""Lists that cannot be silently broken (issue 16.4, issue 15.4-5): every case loads a real
excerpt first, attacks it, and checks the refusal and that the previous version stays current."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sanctions.cli import build_app
from sanctions.errors import SanctionsError, SourceFormatError, UpdateRefused
from sanctions.ingest import LoadRequest, load
from sanctions.load_guards import LoadPolicy
from sanctions.model import ListVersion
from sanctions.service import Screener, list_status
from sanctions.settings import Settings
from sanctions.store import SqlStore

TODAY = date(2026, 12, 6)
POLICY = LoadPolicy(max_drop_share=0.10, today=TODAY)


@pytest.fixture
def store(tmp_path: Path) -> SqlStore:
    return SqlStore.open(f"sqlite:///{tmp_path / 'store.db'}")


def _sdn_copy(fixtures: Path, tmp_path: Path, name: str = "sdn") -> Path:
    folder = tmp_path / name
    shutil.copytree(fixtures / "ofac" / "sdn", folder)
    return folder


def _load(store: SqlStore, source: str, path: Path, **kwargs: object) -> ListVersion:
    return load(store, LoadRequest(source, path, **kwargs), policy=POLICY)  # type: ignore[arg-type]


def _current(store: SqlStore, dataset: str) -> ListVersion:
    return next(v for v in store.current_versions() if v.dataset == dataset)


def test_sdn_cut_mid_row_is_refused_and_the_old_version_kept(
    store: SqlStore, fixtures: Path, tmp_path: Path
) -> None:
    good = _load(store, "us_ofac_sdn", _sdn_copy(fixtures, tmp_path), published="2024-05-03")
    cut = _sdn_copy(fixtures, tmp_path, "cut")
    data = (cut / "sdn.csv").read_bytes()
    (cut / "sdn.csv").write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(SourceFormatError):
        _load(store, "us_ofac_sdn", cut, published="2024-05-10")
    assert _current(store, "us_ofac_sdn").id == good.id


def test_sdn_cut_at_a_line_end_misses_its_end_marker(store: SqlStore, fixtures: Path, tmp_path: Path) -> None:
    cut = _sdn_copy(fixtures, tmp_path, "cut")
    lines = (cut / "sdn.csv").read_bytes().split(b"\r\n")
    (cut / "sdn.csv").write_bytes(b"\r\n".join(lines[:10]) + b"\r\n")
    with pytest.raises(SourceFormatError, match="end-of-file marker"):
        _load(store, "us_ofac_sdn", cut, published="2024-05-03")


def test_truncated_ftm_file_is_refused(store: SqlStore, fixtures: Path, tmp_path: Path) -> None:
    source = fixtures / "ftm" / "edge-cases.ftm.json"
    good = _load(store, "ftm", source, dataset="edge")
    data = source.read_bytes().rstrip(b"\n")
    cut = tmp_path / "cut.ftm.json"
    cut.write_bytes(data[: data.rfind(b"\n") + 40])  # the last line stops after 39 bytes
    with pytest.raises(SourceFormatError, match="truncated"):
        _load(store, "ftm", cut, dataset="edge")
    assert _current(store, "edge").id == good.id


def test_xml_without_its_closing_tag_is_refused(store: SqlStore, fixtures: Path, tmp_path: Path) -> None:
    source = fixtures / "un" / "consolidated_excerpt.xml"
    good = _load(store, "un_sc_sanctions", source)
    cut = tmp_path / "consolidated.xml"
    cut.write_bytes(source.read_bytes().replace(b"</CONSOLIDATED_LIST>", b""))
    with pytest.raises(SourceFormatError):
        _load(store, "un_sc_sanctions", cut)
    assert _current(store, "un_sc_sanctions").id == good.id


def test_user_file_cannot_replace_an_official_list(tmp_path: Path) -> None:
    one = tmp_path / "one.csv"
    one.write_text("id,name,type\n1,KAMAZ,company\n", encoding="utf-8")
    result = CliRunner().invoke(
        build_app(), ["load", "csv", str(one), "--dataset", "us_ofac_sdn", "--data-dir", str(tmp_path / "d")]
    )
    assert result.exit_code != 0
    assert "official" in result.output and "us_ofac_sdn" in result.output


def test_future_publication_date_is_refused(store: SqlStore, fixtures: Path, tmp_path: Path) -> None:
    with pytest.raises(UpdateRefused, match="future"):
        _load(store, "us_ofac_sdn", _sdn_copy(fixtures, tmp_path), published="2099-01-01")
    assert store.current_versions() == []


def test_older_publication_than_the_current_version_is_refused(
    store: SqlStore, fixtures: Path, tmp_path: Path
) -> None:
    good = _load(store, "us_ofac_sdn", _sdn_copy(fixtures, tmp_path), published="2024-05-03")
    changed = _sdn_copy(fixtures, tmp_path, "older")
    (changed / "add.csv").unlink()  # different content, same entities
    with pytest.raises(UpdateRefused, match="older"):
        _load(store, "us_ofac_sdn", changed, published="2024-04-01")
    assert _current(store, "us_ofac_sdn").id == good.id
    forced = _load(store, "us_ofac_sdn", changed, published="2024-04-01", force=True)
    assert _current(store, "us_ofac_sdn").id == forced.id != good.id


def test_identical_content_is_not_a_new_version(store: SqlStore, fixtures: Path, tmp_path: Path) -> None:
    first = _load(store, "us_ofac_sdn", _sdn_copy(fixtures, tmp_path), published="2024-05-03")
    again = _load(store, "us_ofac_sdn", _sdn_copy(fixtures, tmp_path, "again"), published="2024-05-03")
    assert again.id == first.id
    assert len(store.versions("us_ofac_sdn")) == 1


def test_shrunken_list_is_refused_without_force(store: SqlStore, fixtures: Path, tmp_path: Path) -> None:
    good = _load(store, "us_ofac_sdn", _sdn_copy(fixtures, tmp_path), published="2024-05-03")
    small = _sdn_copy(fixtures, tmp_path, "small")
    lines = (small / "sdn.csv").read_bytes().split(b"\r\n")
    (small / "sdn.csv").write_bytes(b"\r\n".join(lines[:5]) + b"\r\n\x1a")
    with pytest.raises(UpdateRefused, match=r"fewer, more than the 10% allowed.*--force"):
        _load(store, "us_ofac_sdn", small, published="2024-05-10")
    assert _current(store, "us_ofac_sdn").id == good.id
    assert _load(store, "us_ofac_sdn", small, published="2024-05-10", force=True).entities == 5


def test_list_that_loses_its_header_date_is_refused(store: SqlStore, fixtures: Path, tmp_path: Path) -> None:
    source = fixtures / "un" / "consolidated_excerpt.xml"
    good = _load(store, "un_sc_sanctions", source)
    assert good.dated_by == "publisher"
    headless = tmp_path / "consolidated.xml"
    text = source.read_text(encoding="utf-8")
    headless.write_text(text.replace('dateGenerated="2026-02-27T00:00:09.554Z"', ""), encoding="utf-8")
    with pytest.raises(UpdateRefused, match="no publication date"):
        _load(store, "un_sc_sanctions", headless)
    assert _current(store, "un_sc_sanctions").id == good.id


def test_undated_ofac_file_is_of_unknown_date_and_stale(
    store: SqlStore, fixtures: Path, tmp_path: Path
) -> None:
    version = _load(store, "us_ofac_sdn", _sdn_copy(fixtures, tmp_path))
    status = list_status(version, stale_days=7, today=TODAY)
    assert (version.published, status.age_days, status.stale, status.dated_by) == (
        None,
        None,
        True,
        "unknown",
    )
    assert status.to_dict()["age_days"] is None and "unknown" in status.note


def test_entity_ids_and_cluster_heads_are_stable_across_reloads(fixtures: Path, tmp_path: Path) -> None:
    from sanctions.matching import Query

    screener = Screener(Settings.from_env(tmp_path / "data"))
    screener.load(LoadRequest("us_ofac_sdn", _sdn_copy(fixtures, tmp_path), published="2024-05-03"))
    screener.load(LoadRequest("un_sc_sanctions", fixtures / "un" / "consolidated_excerpt.xml"))
    query = Query.from_dict({"schema": "Company", "properties": {"name": ["KAMAZ"]}})
    before = [m.entity.id for m in screener.match(query, limit=3)]
    ids_before = sorted(e.id for e in screener.store.iter_entities(["us_ofac_sdn"]))
    changed = _sdn_copy(fixtures, tmp_path, "reload")
    (changed / "add.csv").unlink()
    screener.load(LoadRequest("us_ofac_sdn", changed, published="2024-05-10"))
    screener.refresh()
    assert sorted(e.id for e in screener.store.iter_entities(["us_ofac_sdn"])) == ids_before
    assert [m.entity.id for m in screener.match(query, limit=3)] == before
    screener.close()


def test_published_option_must_be_a_date(store: SqlStore, fixtures: Path, tmp_path: Path) -> None:
    with pytest.raises(SanctionsError, match="not a date"):
        _load(store, "us_ofac_sdn", _sdn_copy(fixtures, tmp_path), published="yesterday")
