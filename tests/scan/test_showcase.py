"""The showcase article against every bundled list: the listed parties it names, and no others."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctions.scan import MentionIndex, scan_text
from sanctions.scan.model import Mention

pytestmark = pytest.mark.slow

# The parties the article names, by the OFAC SDN caption each must resolve to.
EXPECTED = {
    "Vladimir Putin": "PUTIN, Vladimir Vladimirovich",
    "Sergei Sobyanin": "SOBYANIN, Sergey Semyonovich",
    "Sergey Kogogin": "KOGOGIN, Sergei Anatolyevich",
    "KamAZ": "KAMAZ PUBLICLY TRADED COMPANY",
    "Moskvich": "JOINT STOCK COMPANY MOSCOW AUTOMOTIVE FACTORY MOSKVICH",
    "Aurus": "LIMITED LIABILITY COMPANY AURUS",
}
# The same parties as the EU's Official Journal transcription calls them (eu_journal).
EU_CAPTIONS = {
    "PJSC KAMAZ",
    "Sergey Anatolyevich KOGOGIN",
    "Sergey Semyonovich SOBYANIN",
    "Vladimir Vladimirovich PUTIN",
}
NOT_LISTED = ("Renault", "Volkswagen", "JAC", "AvtoVzglyad", "Vremya", "Olga Pautova", "Phaeton")


def captions(m: Mention) -> set[str]:
    return {m.entity.caption, *(e.caption for e, _ in m.alternatives)}


@pytest.fixture(scope="module")
def article_mentions(shared_data: Path, bundled_index: MentionIndex) -> tuple[str, list[Mention]]:
    text = (shared_data / "examples" / "moskvich-revival-article.txt").read_text(encoding="utf-8")
    return text, scan_text(text, bundled_index)


def test_article_names_the_listed_parties(article_mentions: tuple[str, list[Mention]]) -> None:
    text, mentions = article_mentions
    for surface, caption in EXPECTED.items():
        hits = [m for m in mentions if m.text == surface]
        assert hits, f"{surface} not found"
        assert all(caption in captions(m) for m in hits), (
            f"{surface} resolved to {[captions(m) for m in hits]}"
        )
    for m in mentions:
        assert text[m.start : m.end] == m.text


def test_article_reports_only_listed_parties(article_mentions: tuple[str, list[Mention]]) -> None:
    _, mentions = article_mentions
    for m in mentions:
        assert not any(word in m.text for word in NOT_LISTED), f"{m.text} -> {m.entity.caption}"
    parties = {c for m in mentions for c in captions(m)}
    assert set(EXPECTED.values()) <= parties
    # Every reported mention is one of the six parties (on one list or another).
    for m in mentions:
        known = set(EXPECTED.values()) | EU_CAPTIONS
        assert captions(m) & known, f"unexpected {m.text!r} -> {m.entity.caption}"


def test_article_surnames_refer_back(article_mentions: tuple[str, list[Mention]]) -> None:
    _, mentions = article_mentions
    surnames = [m for m in mentions if m.kind == "surname"]
    assert {m.text for m in surnames} >= {"Sobyanin", "Putin"}
    assert all(any("named in full" in e for e in m.explanations) for m in surnames)


def test_transliterated_legal_name(bundled_index: MentionIndex) -> None:
    text = "Payments to TORGOVO FINANSOVAYA KOMPANIYA KAMAZ were stopped."
    mentions = scan_text(text, bundled_index)
    assert any(
        "AKTSIONERNOE OBSHCHESTVO TORGOVO-FINANSOVAYA KOMPANIYA KAMAZ" in captions(m) for m in mentions
    )


def test_clean_prose_has_no_hits(bundled_index: MentionIndex) -> None:
    """The clean corpora name no listed party: every hit there is a false positive."""
    corpus = Path(__file__).resolve().parent.parent / "fixtures" / "scan" / "corpus"
    words = 0
    false_hits: list[str] = []
    for path in sorted(corpus.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        words += len(text.split())
        false_hits += [
            f"{path.name}: {m.text!r} -> {m.entity.caption}" for m in scan_text(text, bundled_index)
        ]
    assert words >= 8000  # about 6,000 English and 2,000 Russian words
    assert 1000 * len(false_hits) / words < 0.5, false_hits
