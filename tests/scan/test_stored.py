"""A mention index read from its file finds the same mentions as the index it was written from."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sanctions.batch.indexfile import IndexFileError, read_index_file, read_mention_file, write_mention_file
from sanctions.scan import MentionIndex, scan_text
from tests.scan.conftest import SCAN_FIXTURES, load_entities

CASES = yaml.safe_load((SCAN_FIXTURES / "mentions.yml").read_text(encoding="utf-8"))
TEXTS = [c["text"] for c in CASES] + [
    p.read_text(encoding="utf-8") for p in sorted((SCAN_FIXTURES / "corpus").glob("*.txt"))
]


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[MentionIndex, MentionIndex, Path]:
    built = MentionIndex.build(load_entities())
    path = tmp_path_factory.mktemp("mentions") / "mentions-x.idx"
    write_mention_file(path, built, [])
    return built, read_mention_file(path)[1], path


def test_the_tables_read_back_equal(pair: tuple[MentionIndex, MentionIndex, Path]) -> None:
    built, loaded, _ = pair
    assert list(loaded.entities) == list(built.entities)
    assert list(loaded.variants) == list(built.variants)
    assert list(loaded.groups) == list(built.groups)
    assert [list(g) for g in loaded.group_variants] == [list(g) for g in built.group_variants]
    assert {k: list(v) for k, v in loaded.anchors.items()} == {k: list(v) for k, v in built.anchors.items()}
    assert loaded.entity_freq == built.entity_freq and loaded.bics == built.bics
    assert loaded.stats == built.stats


@pytest.mark.parametrize("threshold", [0.3, 0.7])
def test_the_same_mentions(pair: tuple[MentionIndex, MentionIndex, Path], threshold: float) -> None:
    built, loaded, _ = pair
    found = 0
    for text in TEXTS:
        expected = [m.to_dict() for m in scan_text(text, built, threshold)]
        assert [m.to_dict() for m in scan_text(text, loaded, threshold)] == expected
        found += len(expected)
    assert found > 20  # the texts do name listed parties


def test_a_mention_file_is_not_a_matching_index(pair: tuple[MentionIndex, MentionIndex, Path]) -> None:
    with pytest.raises(IndexFileError, match="mentions index, not a matching index"):
        read_index_file(pair[2])
