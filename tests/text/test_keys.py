"""Spelling keys: romanisation variants meet, other words stay apart."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctions.text.keys import abjad_letters, abjad_reading, romanisation_key, spelling_key
from sanctions.text.lexicon import is_common_word, is_english_word
from sanctions.text.loans import loan_similarity, loan_spellings, loan_table, syllables
from sanctions.text.phrases import business_word_groups, same_business_word
from sanctions.text.translit import ascii_clean, ascii_word, katakana_reading


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("verkhnyaya", "werchnjaja"),
        ("abdalla", "abdulla"),
        ("qureshi", "quraishi"),
        ("kholmogrant", "holmogrant"),
    ],
)
def test_romanisation_key_joins_spellings_of_one_word(a: str, b: str) -> None:
    assert romanisation_key(a) == romanisation_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("traore", "toure"), ("jinqiao", "yinqiao"), ("umisachi", "yamasachi"), ("exports", "imports")],
)
def test_romanisation_key_keeps_other_words_apart(a: str, b: str) -> None:
    assert romanisation_key(a) != romanisation_key(b)


def test_common_words_of_several_languages() -> None:
    assert is_common_word("exports") and is_common_word("experts") and is_common_word("comercio")
    assert not is_common_word("abdulla") and not is_common_word("werchnjaja") and not is_common_word("12")


def test_english_words_only() -> None:
    assert is_english_word("crown") and not is_english_word("hing")  # German and Dutch only


def test_readings_of_latin_words_in_other_scripts() -> None:
    assert katakana_reading("glenda") == "gurenda"
    assert abjad_reading("mauro") == "mwrw" and abjad_letters("mwr") == "mwr"


def test_business_word_groups_cover_scripts_and_romanisations() -> None:
    assert same_business_word("molochnyi", "milk") and same_business_word("moloko", "lait")
    assert not same_business_word("exports", "imports")
    groups = business_word_groups()
    assert len(groups) > 5000  # every word under each of its romanisations


def test_azerbaijani_schwa_folds_to_e() -> None:
    assert ascii_clean("Əliyev Ticarət") == "eliyev ticaret"


def test_loan_syllables_rebuild_latin_spellings() -> None:
    assert "totti" in loan_spellings("tuodi", "han")
    assert loan_similarity("telangpu", "trump", "han") == 1.0
    assert loan_similarity("tuodi", "schmidt", "han") < 0.5
    assert syllables("tuodi", loan_table("han")) == ("tuo", "di")


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", max_size=12))
def test_spelling_key_is_idempotent(word: str) -> None:
    assert spelling_key(spelling_key(word)) == spelling_key(word)


@pytest.mark.parametrize(
    ("a", "b"),
    [("sergey", "sergej"), ("yevgeny", "evgenij"), ("semyonovich", "semenovic"), ("kogogin", "kogogin")],
)
def test_spelling_key_joins_romanisations_of_cyrillic(a: str, b: str) -> None:
    assert spelling_key(a) == spelling_key(b)


@pytest.mark.parametrize("word", ["Məhdud", "Société", "O'Brien", "Müller", "KAMAZ"])
def test_one_word_romanises_as_the_matcher_reads_latin_text(word: str) -> None:
    # The scanner's keys start from ascii_word; the matcher's name forms from ascii_clean.
    assert ascii_word(word) == ascii_clean(word).replace(" ", "")


def test_one_word_romanises_other_scripts_in_one_piece() -> None:
    assert ascii_word("Когогин") == "kogogin"
    assert ascii_word("объект") == "obekt"
