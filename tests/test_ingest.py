"""Loading files into the store: atomic versions, clear errors, the previous version kept."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sanctions.errors import SanctionsError, SourceFormatError, UnknownSourceError
from sanctions.ingest import LoadRequest, file_digest, load
from sanctions.store import SqlStore

GOOD = "name,type,birth_date,country,list\nKOGOGIN Sergei Anatolyevich,person,1957-11-16,Russia,internal\n"


@pytest.fixture()
def store(db_url: str) -> Iterator[SqlStore]:
    """A fresh store, once on SQLite and once on PostgreSQL."""
    opened = SqlStore.open(db_url)
    yield opened
    opened.close()


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_load_creates_a_current_version(store: SqlStore, tmp_path: Path) -> None:
    path = _write(tmp_path, "deny.csv", GOOD)
    version = load(store, LoadRequest("csv", path, "deny", "2026-11-01"))
    assert (version.dataset, version.entities, version.published, version.current) == (
        "deny",
        1,
        "2026-11-01",
        True,
    )
    assert version.sha256 == file_digest(path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", "", "empty|no header|no entities"),
        ("wrong.csv", "foo,bar\n1,2\n", "name"),
        ("binary.csv", b"\x00\xff\xfe\x00garbage", "binary|decode|encoding|UTF|NUL|name"),
    ],
)
def test_bad_file_keeps_previous_version(
    store: SqlStore, tmp_path: Path, name: str, content: str | bytes, message: str
) -> None:
    first = load(store, LoadRequest("csv", _write(tmp_path, "deny.csv", GOOD), "deny"))
    with pytest.raises(SanctionsError, match=message):
        load(store, LoadRequest("csv", _write(tmp_path, name, content), "deny"))
    assert [v.id for v in store.current_versions()] == [first.id]
    assert [e.caption for e in store.iter_entities()] == ["KOGOGIN Sergei Anatolyevich"]


def test_wrong_file_for_official_source(store: SqlStore, fixtures: Path, tmp_path: Path) -> None:
    path = _write(tmp_path, "consolidated.xml", "<CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>")
    with pytest.raises(SourceFormatError):
        load(store, LoadRequest("gb_hmt_sanctions", path))
    assert store.current_versions() == []


def test_missing_path_and_unknown_source(store: SqlStore, tmp_path: Path) -> None:
    with pytest.raises(SourceFormatError, match="no such file"):
        load(store, LoadRequest("csv", tmp_path / "nope.csv", "deny"))
    with pytest.raises(UnknownSourceError, match="known"):
        load(store, LoadRequest("nonsense", tmp_path))


def test_user_sources_need_a_dataset_name(store: SqlStore, tmp_path: Path) -> None:
    with pytest.raises(SanctionsError, match="dataset name"):
        load(store, LoadRequest("csv", _write(tmp_path, "deny.csv", GOOD)))


def test_gzipped_file_is_read(store: SqlStore, tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "deny.csv.gz"
    path.write_bytes(gzip.compress(GOOD.encode()))
    assert load(store, LoadRequest("csv", path, "deny")).entities == 1
