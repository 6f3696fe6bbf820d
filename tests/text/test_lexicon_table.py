"""The common-word table answers as wordfreq does, for every word it could be asked about."""

from __future__ import annotations

import random

from wordfreq import get_frequency_dict, zipf_frequency

from sanctions.text.lexicon import COMMON_ZIPF, LANGUAGES, common_words, is_common_word, is_english_word


def _wordfreq_says(token: str, languages: tuple[str, ...]) -> bool:
    return any(zipf_frequency(token, lang, wordlist="small") >= COMMON_ZIPF for lang in languages)


def _words() -> list[str]:
    """Every listed word near the threshold, a sample of the others, and words in no list."""
    rng = random.Random(13)
    words = {"warm", "crown", "crpwn", "abdalla", "werchnjaja", "xyzzy", "moloko", "b52", "a", "zz"}
    for lang in LANGUAGES:
        listed = get_frequency_dict(lang, wordlist="small")
        words.update(w for w, f in listed.items() if 0.8e-6 <= f <= 1.25e-6)
        words.update(rng.sample(sorted(listed), 400))
    return sorted(w for w in words if w.isascii())


def test_the_table_agrees_with_wordfreq() -> None:
    assert len(common_words()) > 100_000
    disagree = [
        (word, languages)
        for word in _words()
        for languages in (LANGUAGES, ("en",), ("de", "nl"))
        if is_common_word(word, languages)
        != (len(word) >= 2 and not word.isdigit() and _wordfreq_says(word, languages))
    ]
    assert disagree == []


def test_ordinary_and_foreign_words() -> None:
    assert is_english_word("crown") and not is_english_word("crpwn")
    assert is_common_word("moloko") is False and is_common_word("leche") is True
    assert is_common_word("Warm") == _wordfreq_says("Warm", LANGUAGES)  # not lower-case: wordfreq decides
