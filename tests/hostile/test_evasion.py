"""Item 3 of the hostile-input issue: names hidden by invisible characters, look-alike letters,
right-to-left overrides and deep HTML are found by ``match`` and ``scan``, and flagged."""

from __future__ import annotations

import pytest

from sanctions.matching import Query, match
from sanctions.matching.index import Index
from sanctions.scan import MentionIndex, scan_document
from sanctions.text.fold import CONFUSABLE_WARNING, HIDDEN_WARNING, fold
from tests.hostile.bombs import docx_paragraphs
from tests.scan.conftest import load_entities

TRICKS = [
    pytest.param("\u0420utin", CONFUSABLE_WARNING, id="cyrillic-er"),
    pytest.param("Put\u200bin", HIDDEN_WARNING, id="zero-width-space"),
    pytest.param("Pu\u200dtin", HIDDEN_WARNING, id="zero-width-joiner"),
    pytest.param("Pu\u00adtin", HIDDEN_WARNING, id="soft-hyphen"),
    pytest.param("\u202enituP\u202c", HIDDEN_WARNING, id="right-to-left-override"),
    pytest.param("P\u03c5tin", CONFUSABLE_WARNING, id="greek-upsilon"),
]


@pytest.fixture(scope="module")
def index() -> Index:
    return Index.build(load_entities())


@pytest.mark.parametrize(("surname", "warning"), TRICKS)
def test_match_finds_the_hidden_name_and_flags_it(index: Index, surname: str, warning: str) -> None:
    query = Query.from_dict({"schema": "Person", "properties": {"name": [f"Vladimir {surname}"]}})
    found = match(query, index, limit=3)
    assert found and "PUTIN" in found[0].entity.caption.upper()
    assert found[0].match
    assert warning in found[0].warnings


def test_clean_query_has_no_warning(index: Index) -> None:
    found = match(Query.from_dict({"schema": "Person", "properties": {"name": ["Vladimir Putin"]}}), index)
    assert found[0].warnings == []


@pytest.mark.parametrize(("surname", "warning"), TRICKS)
def test_scan_finds_the_hidden_name_with_original_offsets(
    scan_index: MentionIndex, surname: str, warning: str
) -> None:
    text = f"Yesterday Vladimir {surname} spoke."
    result = scan_document(text.encode("utf-8"), scan_index, source="note.txt")
    hits = [m for m in result.mentions if "PUTIN" in m.entity.caption.upper()]
    assert hits, result.mentions
    mention = hits[0]
    assert text[mention.start : mention.end] == mention.text
    assert surname.rstrip("\u202c") in mention.text  # the original text, hidden characters and all
    assert warning in mention.warnings and warning in result.warnings and result.suspicious


def test_scan_of_a_docx_with_a_zero_width_joiner(scan_index: MentionIndex) -> None:
    result = scan_document(docx_paragraphs("Notes", "Sergei Sob\u200dyanin met the press."), scan_index)
    assert any("SOBYANIN" in m.entity.caption.upper() for m in result.mentions)
    assert HIDDEN_WARNING in result.warnings


@pytest.mark.parametrize("depth", [300, 3_000])
def test_deep_html_keeps_the_text_after_the_nesting(scan_index: MentionIndex, depth: int) -> None:
    page = "<html><body>" + "<div>" * depth + "x" + "</div>" * depth + "<p>Sergei Sobyanin</p></body></html>"
    result = scan_document(page.encode(), scan_index, source="deep.html")
    assert [m.text for m in result.mentions] == ["Sergei Sobyanin"]


def test_html_attribute_over_ten_megabytes_does_not_hide_text(scan_index: MentionIndex) -> None:
    page = '<html><body><p title="' + "a" * 11_000_000 + '">Sergei Sobyanin</p></body></html>'
    result = scan_document(page.encode(), scan_index, source="big.html")
    assert [m.text for m in result.mentions] == ["Sergei Sobyanin"]


def test_single_script_words_are_left_alone() -> None:
    assert fold("Путин").text == "Путин" and not fold("Путин").warnings
    assert fold("ПAO Газпром").text == "ПАО Газпром"  # Latin A and O in a Cyrillic word
    assert fold("\uff30\uff55\uff54\uff49\uff4e").text == "Putin"  # full-width, NFKC


def test_folding_is_idempotent_and_keeps_offsets() -> None:
    text = "A Pu\u00adt\u200bin and \u0420utin, e\u0301cole"
    folded = fold(text)
    assert fold(folded.text).text == folded.text
    start = folded.text.index("Putin")
    first, stop = folded.original_span(start, start + 5)
    assert text[first:stop] == "Pu\u00adt\u200bin"


def test_a_50_megabyte_word_is_not_scanned_as_a_name(scan_index: MentionIndex) -> None:
    from sanctions.scan.extract import ExtractLimits

    word = ("Ab-" * 6_000_000).encode()  # 18 MB without a space
    result = scan_document(word + b" Sergei Sobyanin", scan_index, limits=ExtractLimits())
    assert [m.text for m in result.mentions] == ["Sergei Sobyanin"]
    assert any("without a space" in w for w in result.warnings)


@pytest.mark.parametrize(("surname", "warning"), TRICKS)
def test_a_payment_message_hiding_a_name_is_caught_and_flagged(
    scan_index: MentionIndex, surname: str, warning: str
) -> None:
    message = (
        "{1:F01DEUTDEFFAXXX0000000000}{2:I103SABRRUMMXXXXN}{4:\n:20:INV-7\n:23B:CRED\n"
        ":32A:240611EUR125000,00\n:50K:/DE89370400440532013000\nMUELLER GMBH\n"
        f":59:/40702810500000012345\nVladimir {surname}\n:71A:SHA\n-}}"
    )
    result = scan_document(message.encode("utf-8"), scan_index, source="mt103.txt")
    hits = [m for m in result.mentions if "PUTIN" in m.entity.caption.upper()]
    assert hits, result.mentions
    assert hits[0].field is not None and hits[0].field.startswith("59")
    assert result.text[hits[0].start : hits[0].end] == hits[0].text
    assert warning in hits[0].warnings and result.suspicious
    assert any(w.startswith("59") for w in result.warnings)
