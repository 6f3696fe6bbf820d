"""Which writing systems a text uses, and what that means for comparing it with Latin text."""

from __future__ import annotations

import functools

from rigour._core import text_scripts

# Scripts that usually leave short vowels out (abjads), or whose romanisation of foreign names
# adds or changes vowels (syllabaries, Han): their Latin forms are compared on consonants.
LOSSY_SCRIPTS = frozenset({"Arabic", "Hebrew", "Syriac", "Thaana"})
# Scripts whose romanisations of one name vary in vowels and in consonant classes (Burmese
# "Yadanar" / "Yatana", Thai "Somchai" / "Somchay"): compared on coarse skeletons.
ABUGIDA_SCRIPTS = frozenset({"Thai", "Lao", "Myanmar", "Khmer"})
SYLLABIC_SCRIPTS = frozenset({"Han", "Hangul", "Katakana", "Hiragana"})
ABJAD_TRUST = 0.9
ABUGIDA_TRUST = 0.89
SYLLABIC_TRUST = 0.88  # also says: compare on the loan-word skeleton (sanctions.text.keys)


@functools.lru_cache(maxsize=4096)
def scripts_of(text: str) -> frozenset[str]:
    """The set of scripts (Unicode names: ``Latin``, ``Cyrillic``, ``Han``, ...) used in ``text``."""
    if text.isascii():
        return frozenset({"Latin"}) if any(c.isalpha() for c in text) else frozenset()
    return frozenset(text_scripts(text))


def is_latin(text: str) -> bool:
    """True when the text uses no script but Latin (digits and punctuation allowed)."""
    return scripts_of(text) <= {"Latin"}


def lossiness(scripts: frozenset[str]) -> float:
    """How much consonant skeletons are to be trusted for text in these scripts: 0.9 for
    scripts that write no short vowels, 0.89 for the abugidas of South-East Asia, 0.88 for
    syllabaries and Han, 0 for the rest. (The value also names the kind of skeleton used.)"""
    if scripts & LOSSY_SCRIPTS:
        return ABJAD_TRUST
    if scripts & ABUGIDA_SCRIPTS:
        return ABUGIDA_TRUST
    if scripts & SYLLABIC_SCRIPTS:
        return SYLLABIC_TRUST
    return 0.0


def is_lossy(scripts: frozenset[str]) -> bool:
    """True when text in these scripts loses vowels or sounds in romanisation."""
    return lossiness(scripts) > 0
