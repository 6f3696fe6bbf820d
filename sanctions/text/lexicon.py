"""Is a word an ordinary word of a language? (word frequencies from the ``wordfreq`` package)

Two organisation names that differ in one ordinary word ("Exports" / "Experts", "Glory" /
"Gloria") name two businesses, while two spellings of a foreign word or proper name ("Abdalla"
/ "Abdulla", "Verkhnyaya" / "Werchnjaja") name one. Ordinary words are those frequent enough to
be in wordfreq's small lists of the languages company names are most often written in.

Importing wordfreq costs every command about 0.3 s (its language tables), so lower-case ASCII
words, the tokens names are compared by, are looked up in :func:`common_words`, a table drawn
from wordfreq's lists that index files keep (:mod:`sanctions.text.derived`); other words ask
wordfreq itself. Both give the same answer (``tests/text/test_lexicon_table.py``).
"""

from __future__ import annotations

import functools

from sanctions.text.derived import derived

LANGUAGES = ("en", "es", "fr", "de", "pt", "it", "nl")
COMMON_ZIPF = 3.0  # at least once per million words
_BITS = {lang: 1 << i for i, lang in enumerate(LANGUAGES)}
# Frequencies this far from 10^-6 are on the same side of COMMON_ZIPF after wordfreq's rounding;
# between them, wordfreq's own zipf_frequency decides.
_SURELY_COMMON, _SURELY_RARE = 1.1e-6, 0.9e-6


@functools.cache
def common_words() -> dict[str, int]:
    """Lower-case ASCII word -> bit ``i`` set when it is common in ``LANGUAGES[i]``."""
    table: dict[str, int] = derived("common_words", _common_words)
    return table


def _common_words() -> dict[str, int]:
    from wordfreq import get_frequency_dict, zipf_frequency

    out: dict[str, int] = {}
    for lang, bit in _BITS.items():
        for word, freq in get_frequency_dict(lang, wordlist="small").items():
            if freq < _SURELY_RARE or not _plain(word):
                continue
            if freq < _SURELY_COMMON and zipf_frequency(word, lang, wordlist="small") < COMMON_ZIPF:
                continue
            out[word] = out.get(word, 0) | bit
    return out


def _plain(word: str) -> bool:
    """Lower-case ASCII letters only: wordfreq reads such a word as one token, as it is."""
    return word.isascii() and word.isalpha() and word.islower()


@functools.lru_cache(maxsize=100_000)
def is_common_word(token: str, languages: tuple[str, ...] = LANGUAGES) -> bool:
    """True when ``token`` (lower-case ASCII) is a common word in one of ``languages``."""
    if len(token) < 2 or token.isdigit():
        return False
    if _plain(token) and all(lang in _BITS for lang in languages):
        mask = common_words().get(token, 0)
        return any(mask & _BITS[lang] for lang in languages)
    from wordfreq import zipf_frequency

    return any(zipf_frequency(token, lang, wordlist="small") >= COMMON_ZIPF for lang in languages)


def is_english_word(token: str) -> bool:
    """True when ``token`` is a common English word (the language most list names are given in)."""
    return is_common_word(token, ("en",))
