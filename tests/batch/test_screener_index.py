"""Every Screener reads the index file of the current list versions instead of rebuilding the
index; a damaged file is rebuilt, never trusted."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctions.matching import Index, Query
from sanctions.service import Screener
from sanctions.settings import Settings

QUERY = Query.from_fields("Bosco Ntaganda")


def test_the_second_screener_reads_the_file_and_a_damaged_file_is_rebuilt(
    tmp_path: Path, fixtures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Screener(Settings(data_dir=tmp_path))
    first.load("un_sc_sanctions", fixtures / "un" / "consolidated_excerpt.xml")
    expected = [m.entity.id for m in first.match(QUERY)]
    assert expected, "the query finds the listed party"
    (path,) = (tmp_path / "index").glob("matching-*.idx")

    built: list[int] = []
    real_build = Index.build

    def counting_build(*args: object, **kwargs: object) -> Index:
        built.append(1)
        return real_build(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Index, "build", staticmethod(counting_build))
    second = Screener(Settings(data_dir=tmp_path))
    assert [m.entity.id for m in second.match(QUERY)] == expected
    assert built == [], "read from the file, not built"

    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF  # one flipped byte in the payload
    path.write_bytes(bytes(data))
    third = Screener(Settings(data_dir=tmp_path))
    assert [m.entity.id for m in third.match(QUERY)] == expected
    assert built == [1], "the damaged file was rebuilt"


def test_the_mention_index_is_read_from_its_file_too(
    tmp_path: Path, fixtures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sanctions.scan import MentionIndex

    text = "The UN lists Bosco Ntaganda."
    first = Screener(Settings(data_dir=tmp_path))
    first.load("un_sc_sanctions", fixtures / "un" / "consolidated_excerpt.xml")
    expected = [m.to_dict() for m in first.scan(text)]
    assert expected, "the text names the listed party"
    (path,) = (tmp_path / "index").glob("mentions-*.idx")

    built: list[int] = []
    real_build = MentionIndex.build

    def counting_build(*args: object, **kwargs: object) -> MentionIndex:
        built.append(1)
        return real_build(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(MentionIndex, "build", staticmethod(counting_build))
    second = Screener(Settings(data_dir=tmp_path))
    assert [m.to_dict() for m in second.scan(text)] == expected
    assert built == [], "read from the file, not built"

    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))
    third = Screener(Settings(data_dir=tmp_path))
    assert [m.to_dict() for m in third.scan(text)] == expected
    assert built == [1], "the damaged file was rebuilt"
    assert third.mention_index.stats == first.mention_index.stats
