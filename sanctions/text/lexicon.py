"""Is a word an ordinary word of a language? (word frequencies from the ``wordfreq`` package)

Two organisation names that differ in one ordinary word ("Exports" / "Experts", "Glory" /
"Gloria") name two businesses, while two spellings of a foreign word or proper name ("Abdalla"
/ "Abdulla", "Verkhnyaya" / "Werchnjaja") name one. Ordinary words are those frequent enough to
be in wordfreq's small lists of the languages company names are most often written in.
"""

from __future__ import annotations

import functools

from wordfreq import zipf_frequency

LANGUAGES = ("en", "es", "fr", "de", "pt", "it", "nl")
COMMON_ZIPF = 3.0  # at least once per million words


@functools.lru_cache(maxsize=100_000)
def is_common_word(token: str, languages: tuple[str, ...] = LANGUAGES) -> bool:
    """True when ``token`` (lower-case ASCII) is a common word in one of ``languages``."""
    if len(token) < 2 or token.isdigit():
        return False
    return any(zipf_frequency(token, lang, wordlist="small") >= COMMON_ZIPF for lang in languages)


def is_english_word(token: str) -> bool:
    """True when ``token`` is a common English word (the language most list names are given in)."""
    return is_common_word(token, ("en",))
