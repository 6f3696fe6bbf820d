"""Which writing systems a text uses, and what that means for comparing it with Latin text."""

from __future__ import annotations

import functools
from enum import Enum

from rigour.text.scripts import text_scripts

# Scripts that usually leave short vowels out (abjads), or whose romanisation of foreign names
# adds or changes vowels (syllabaries, Han): their Latin forms are compared on consonants.
LOSSY_SCRIPTS = frozenset({"Arabic", "Hebrew", "Syriac", "Thaana"})
# Scripts whose romanisations of one name vary in vowels and in consonant classes (Burmese
# "Yadanar" / "Yatana", Thai "Somchai" / "Somchay"): compared on coarse skeletons.
ABUGIDA_SCRIPTS = frozenset({"Thai", "Lao", "Myanmar", "Khmer"})
SYLLABIC_SCRIPTS = frozenset({"Han", "Hangul", "Katakana", "Hiragana"})


class Lossiness(float, Enum):
    """What romanising a script loses, which says which consonant skeleton compares its Latin
    forms; the value is how far an agreement of those skeletons is trusted (a similarity)."""

    NONE = 0.0  # alphabets with vowels: spellings compare as they are
    ABJAD = 0.9  # short vowels not written: the abjad skeleton (sanctions.text.keys)
    ABUGIDA = 0.89  # vowels and consonant classes vary: the plain skeleton
    SYLLABIC = 0.88  # syllabaries and Han: the loan-word skeleton (sanctions.text.keys)


@functools.lru_cache(maxsize=4096)
def scripts_of(text: str) -> frozenset[str]:
    """The set of scripts (Unicode names: ``Latin``, ``Cyrillic``, ``Han``, ...) used in ``text``."""
    if text.isascii():
        return frozenset({"Latin"}) if any(c.isalpha() for c in text) else frozenset()
    return frozenset(text_scripts(text))


def is_latin(text: str) -> bool:
    """True when the text uses no script but Latin (digits and punctuation allowed)."""
    return scripts_of(text) <= {"Latin"}


def lossiness(scripts: frozenset[str]) -> Lossiness:
    """What romanising text in these scripts loses: ``ABJAD`` for scripts that write no short
    vowels, ``ABUGIDA`` for those of South-East Asia, ``SYLLABIC`` for syllabaries and Han,
    ``NONE`` for the rest."""
    if scripts & LOSSY_SCRIPTS:
        return Lossiness.ABJAD
    if scripts & ABUGIDA_SCRIPTS:
        return Lossiness.ABUGIDA
    if scripts & SYLLABIC_SCRIPTS:
        return Lossiness.SYLLABIC
    return Lossiness.NONE


def is_lossy(scripts: frozenset[str]) -> bool:
    """True when text in these scripts loses vowels or sounds in romanisation."""
    return lossiness(scripts) is not Lossiness.NONE
