"""Token keys: one comparable form for a word whatever its script or transliteration scheme.

A text token and a list-name token match when their keys are equal. A key is built from the
text stage's primitives: the word romanised to lower-case ASCII (:func:`sanctions.text.translit.ascii_word`)
and folded by :func:`sanctions.text.keys.spelling_key`, which forgets the differences between
the usual romanisations of Cyrillic (``Sergey``/``Sergei``/``Sergej``, ``Kogogin``/``Когогин``,
``Yevgeny``/``Evgenij``).

What only scanning needs stays here. Russian inflects names (``Собянина``, ``Когогиным``,
``КамАЗа``): Cyrillic tokens of a text also get *stems*, the key with one common case ending
removed; capitalised Latin words get the key without an English plural ending (``Moskvichs``).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from sanctions.text.keys import spelling_key
from sanctions.text.translit import ascii_word

# A word: letters/digits of any script, with the combining marks some publishers put on
# Cyrillic stress vowels ("Ка́мский") kept inside the word.
WORD = re.compile(r"[^\W_]+(?:[\u0300-\u036f\u0483-\u0489]+[^\W_]*)*")
# The same words in a text without underscores or those combining marks (nearly every text):
# a plain ``\w+`` is about twice as fast as the general pattern.
_PLAIN_WORD = re.compile(r"\w+")
_NOT_PLAIN = re.compile(r"[_\u0300-\u036f\u0483-\u0489]")
_CYRILLIC = re.compile(r"[\u0400-\u052f]")

# Russian case endings as they read after transliteration (longest first). Only
# Cyrillic text tokens are stemmed: Latin words would lose real letters.
RUSSIAN_ENDINGS = (
    "ami", "ogo", "ego", "omu", "emu", "ymi", "imi",
    "ah", "om", "em", "im", "ym", "oi", "ei", "oj", "ej", "ov", "ev", "uu", "aa",
    "u", "a", "e", "i", "y",
)  # fmt: skip
MIN_STEM = 3


def token_key(token: str) -> str:
    """The key under which a token is indexed and compared."""
    return spelling_key(ascii_word(token))


def is_cyrillic(token: str) -> bool:
    """True when the token is written (at least partly) in Cyrillic."""
    return not token.isascii() and _CYRILLIC.search(token) is not None


def stems_of_ascii(ascii_lower: str) -> tuple[str, ...]:
    """Keys of the word with one Russian case ending removed (``sobanina`` -> ``sobanin``)."""
    out: list[str] = []
    for ending in RUSSIAN_ENDINGS:
        if ascii_lower.endswith(ending) and len(ascii_lower) - len(ending) >= MIN_STEM:
            stem = spelling_key(ascii_lower[: -len(ending)])
            if stem not in out:
                out.append(stem)
    return tuple(out)


def key_stems(key: str) -> tuple[str, ...]:
    """Stems of an already-folded key: used on list-name tokens at verification."""
    return tuple(s for s in stems_of_ascii(key) if s != key)


class TokenInfo(NamedTuple):
    """What the finder needs to know about one distinct surface token.

    A named tuple of strings rather than a dataclass: the index caches one per distinct word,
    and tuples of strings are not tracked by the garbage collector (cheaper full collections).
    """

    key: str
    stems: tuple[str, ...]  # without a Russian case ending, or an English plural ending
    cyrillic: bool

    @property
    def forms(self) -> tuple[str, ...]:
        """The key, then its stems: every form looked up in the index."""
        return (self.key, *self.stems) if self.stems else (self.key,)


def english_plural_stems(surface: str, ascii_lower: str) -> tuple[str, ...]:
    """Keys of a capitalised Latin word without an English plural ending ("Moskvichs", "Moskviches").

    Lower-case words are not names in prose; "-ss", "-us", "-is" are not plurals ("Aurus").
    """
    if len(ascii_lower) < 5 or not surface[:1].isupper() or not ascii_lower.endswith("s"):
        return ()
    if ascii_lower.endswith(("ss", "us", "is")):
        return ()
    out = [spelling_key(ascii_lower[:-1])]
    if ascii_lower.endswith("es") and len(ascii_lower) >= 6:
        out.append(spelling_key(ascii_lower[:-2]))
    return tuple(out)


def token_info(surface: str) -> TokenInfo:
    """Key and stems of one surface token: Russian case endings, English plurals."""
    ascii_lower = ascii_word(surface)
    key = spelling_key(ascii_lower)
    if is_cyrillic(surface):
        stems = tuple(s for s in stems_of_ascii(ascii_lower) if s != key)
        return TokenInfo(key, stems, True)
    return TokenInfo(key, tuple(s for s in english_plural_stems(surface, ascii_lower) if s != key), False)


def word_pattern(text: str) -> re.Pattern[str]:
    """The fastest pattern that finds exactly the words of :data:`WORD` in this text."""
    return WORD if _NOT_PLAIN.search(text) else _PLAIN_WORD


def tokenize(text: str) -> list[str]:
    """The words of a text, in order."""
    return WORD.findall(text)
