"""The index file: written atomically, loaded once per process, never trusted when damaged."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest

from sanctions.batch import IndexFileError, cached_index, ensure_index_file, read_header, read_index_file
from sanctions.batch.indexfile import FORMAT_VERSION, index_file_name, write_mention_file
from sanctions.matching import Index
from sanctions.scan import MentionIndex
from sanctions.service import Screener


def test_the_file_holds_the_index_of_the_current_versions(un_screener: Screener, un_index: Path) -> None:
    versions = un_screener.store.current_versions()
    header, index = read_index_file(un_index)
    assert un_index.name == index_file_name(versions)
    assert header.format_version == FORMAT_VERSION
    assert header.version_ids == tuple(sorted(v.id for v in versions))
    assert header.payload_bytes == un_index.stat().st_size - len(un_index.read_bytes().split(b"\n", 1)[0]) - 1
    assert sorted(e.id for e in index.entities) == sorted(e.id for e in un_screener.index.entities)
    assert not [p for p in un_index.parent.iterdir() if p.suffix == ".tmp"]  # written aside, renamed


def test_an_unchanged_file_is_used_as_it_is(un_screener: Screener, un_index: Path) -> None:
    before = un_index.stat().st_mtime_ns
    built: list[int] = []

    def build() -> Index:
        built.append(1)
        return un_screener.index

    path, rebuilt = ensure_index_file(un_index.parent, un_screener.store.current_versions(), build)
    assert path == un_index and not rebuilt and not built
    assert un_index.stat().st_mtime_ns == before


@pytest.mark.parametrize(
    "damage",
    [
        "flip a payload byte",
        "truncate",
        "foreign file",
        "other format version",
        "empty",
        "moved section",
        "mention index",
    ],
)
def test_a_damaged_or_foreign_file_is_refused_and_rebuilt(
    un_screener: Screener, un_index: Path, tmp_path: Path, damage: str
) -> None:
    folder = tmp_path / "index"
    folder.mkdir()
    copy = folder / un_index.name
    shutil.copy(un_index, copy)
    data = copy.read_bytes()
    head, payload = data.split(b"\n", 1)
    if damage == "flip a payload byte":
        middle = len(payload) // 2
        payload = payload[:middle] + bytes([payload[middle] ^ 0xFF]) + payload[middle + 1 :]
        copy.write_bytes(head + b"\n" + payload)
    elif damage == "truncate":
        copy.write_bytes(data[: len(data) - 100])
    elif damage == "foreign file":
        copy.write_bytes(b"PK\x03\x04 not an index at all\n" + payload[:1000])
    elif damage == "other format version":
        other = head.replace(b'"format_version":%d' % FORMAT_VERSION, b'"format_version":99')
        assert other != head
        copy.write_bytes(other + b"\n" + payload)
    elif damage == "moved section":  # the section table is hashed with the payload
        header = orjson.loads(head)
        for entry in header["sections"]:
            if entry[0] == "forms.data":
                entry[1] += 8
        moved = orjson.dumps(header)
        copy.write_bytes(moved + b"\n" + payload)
    elif damage == "mention index":
        write_mention_file(copy, MentionIndex.build(un_screener.store.iter_entities()), [])
    else:
        copy.write_bytes(b"")
    with pytest.raises(IndexFileError):
        read_index_file(copy)
    path, rebuilt = ensure_index_file(folder, un_screener.store.current_versions(), lambda: un_screener.index)
    assert rebuilt and path == copy
    header, index = read_index_file(path)
    assert header.lists == read_header(un_index).lists
    assert [e.id for e in index.entities] == [e.id for e in un_screener.index.entities]


def test_workers_load_the_file_once(un_index: Path) -> None:
    first = cached_index(un_index)
    assert cached_index(str(un_index)) is first
