"""The mention finder on the golden table of tests/fixtures/scan/mentions.yml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from sanctions.scan import MentionIndex, scan_text
from sanctions.scan.model import Mention

CASES = yaml.safe_load(
    (Path(__file__).resolve().parent.parent / "fixtures" / "scan" / "mentions.yml").read_text(
        encoding="utf-8"
    )
)


def entity_ids(m: Mention) -> set[str]:
    """The best entity of a mention and the same party on other lists."""
    return {m.entity.id, *(e.id for e, _ in m.alternatives)}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_golden_mentions(case: dict[str, Any], scan_index: MentionIndex) -> None:
    text = case["text"]
    mentions = scan_text(text, scan_index)
    for m in mentions:
        assert text[m.start : m.end] == m.text
    for surface, entity_id in case.get("found", []):
        hits = [m for m in mentions if surface in m.text and entity_id in entity_ids(m)]
        assert hits, f"{surface!r} -> {entity_id} not found in {[(m.text, m.entity.id) for m in mentions]}"
    for surface in case.get("absent", []):
        assert all(m.text != surface for m in mentions), f"{surface!r} wrongly reported"
    for entity_id in case.get("absent_entities", []):
        assert all(entity_id not in entity_ids(m) for m in mentions), f"{entity_id} wrongly reported"


def test_surname_reference_points_back(scan_index: MentionIndex) -> None:
    text = "Vladimir Putin spoke first. Putin then left."
    mentions = scan_text(text, scan_index)
    kinds = [(m.text, m.kind) for m in mentions]
    assert kinds == [("Vladimir Putin", "person"), ("Putin", "surname")]
    assert any("named in full at offset 0" in e for e in mentions[1].explanations)


def test_every_mention_is_explained(scan_index: MentionIndex) -> None:
    text = "Sergey Kogogin heads KAMAZ PJSC, which sells trucks."
    for m in scan_text(text, scan_index):
        assert m.explanations
        assert 0.0 < m.score <= 1.0
        assert m.entity.listings


def test_threshold_filters(scan_index: MentionIndex) -> None:
    text = "Aurus made a good car."
    assert [m.text for m in scan_text(text, scan_index)] == ["Aurus"]
    assert scan_text(text, scan_index, threshold=0.99) == []


def test_common_word_needs_more_than_a_rare_word(scan_index: MentionIndex) -> None:
    assert scan_index.distinctiveness("argument") < scan_index.distinctiveness("aurus")
    assert scan_index.distinctiveness("olimpia") <= 1.0


def test_all_caps_text_is_scanned(scan_index: MentionIndex) -> None:
    text = "PAYMENT FOR TRUCK PARTS TO KAMAZ PJSC AS AGREED WITH SERGEY KOGOGIN"
    found = set().union(*(entity_ids(m) for m in scan_text(text, scan_index)))
    assert {"us_ofac_sdn-37756", "us_ofac_sdn-37767"} <= found
