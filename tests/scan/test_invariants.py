"""Properties that hold for any input: offsets slice the text, scanning never crashes."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctions.scan import DocumentError, MentionIndex, scan_document, scan_text
from sanctions.scan.tokens import token_info, token_key

NAMES = [
    "Sergei Sobyanin",
    "KamAZ",
    "«Москвич»",
    "Собянина",
    "S. Kogogin",
    "Aurus",
    "SABRRUMM",
    "JSC Argument",
]
pieces = st.one_of(
    st.text(max_size=30), st.sampled_from(NAMES), st.sampled_from([" ", "\n", ". ", "'s ", "-"])
)
documents = st.lists(pieces, max_size=25).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=documents)
def test_offsets_slice_the_text(scan_index: MentionIndex, text: str) -> None:
    mentions = scan_text(text, scan_index)
    previous_end = 0
    for m in mentions:
        assert text[m.start : m.end] == m.text
        assert m.start >= previous_end  # no overlaps, in order
        previous_end = m.end
        assert 0.0 <= m.score <= 1.0


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_scan_or_raise_our_error(scan_index: MentionIndex, data: bytes) -> None:
    try:
        result = scan_document(data, scan_index)
    except DocumentError:
        return
    for m in result.mentions:
        assert result.text[m.start : m.end] == m.text


@given(st.text(max_size=20))
def test_token_keys_are_idempotent_on_ascii(word: str) -> None:
    key = token_key(word)
    assert key.isascii()
    assert token_key(key) == key or not key
    info = token_info(word)
    assert info.key == key


def test_long_documents_find_every_mention(scan_index: MentionIndex) -> None:
    """Offsets are computed per chunk of the text: names across and at chunk edges still slice right."""
    filler = "The council met on Tuesday to discuss the budget for roads and schools. "
    parts = []
    for n in range(120):
        parts.append(filler * (n % 7) + "x" * (n % 5) + " ")
        parts.append("Sergei Sobyanin visited KamAZ PJSC. ")
    text = "".join(parts)
    mentions = scan_text(text, scan_index)
    for m in mentions:
        assert text[m.start : m.end] == m.text
    assert sum(m.text == "Sergei Sobyanin" for m in mentions) == 120
    assert sum(m.text.startswith("KamAZ") for m in mentions) == 120
