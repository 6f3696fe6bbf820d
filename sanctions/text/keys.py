"""Token keys that survive spelling variation: a phonetic key and a consonant skeleton.

``phonetic_key`` folds the usual romanisation variants of one sound (kh/h, zh/j, ts/tz/c,
w/v, y/i, doubled letters): "Rabinowitz" and "Rabinovich", "Levitskiy" and "Levitsky" meet.
``skeleton`` keeps only consonant classes; it is for text from scripts that write no vowels
(Arabic, Hebrew) or syllabaries whose renderings of foreign names add vowels (Han, kana).
``spelling_key`` folds the English, German, BGN and ISO 9 romanisations of Cyrillic onto one
key (Sergey/Sergei/Sergej, Yevgeny/Evgenij): the document scanner indexes and looks up words
by it.
"""

from __future__ import annotations

import functools
import re

_PHONETIC_RULES: tuple[tuple[str, str], ...] = (
    ("sch", "s"),
    ("tch", "C"),
    ("dzh", "J"),
    ("shch", "S"),
    ("ch", "C"),
    ("tz", "C"),
    ("ts", "C"),
    ("cz", "C"),
    ("sh", "S"),
    ("zh", "J"),
    ("dj", "J"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("ck", "k"),
    ("qu", "k"),
    ("q", "k"),
    ("x", "ks"),
    ("w", "v"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ie", "i"),
    ("ij", "i"),
    ("iy", "i"),
    ("yi", "i"),
    ("ey", "ei"),
    ("y", "i"),
    ("j", "J"),
    ("ce", "Ce"),  # Slavic romanisations write ts as c before e and i ("Hotincev")
    ("ci", "Ci"),
    ("c", "k"),
)
_REPEATS = re.compile(r"(.)\1+")
_VOWEL_J = re.compile(r"(?<=[aeiou])j")
# Vowels and the letters that stand for vowels or glides in one romanisation or another: gone
# from the skeletons.
_VOWELISH: dict[str, str | None] = dict.fromkeys("aeiouhywv")
# b/f and the sibilants are one class each in every skeleton; ``skeleton`` also merges g/k, d/t,
# r/l and m/n, which scripts without vowels tell apart (``abjad_skeleton``).
_LABIALS_SIBILANTS = {"b": "p", "f": "p", "z": "s", "S": "s", "C": "s"}
_SKELETON_MAP = str.maketrans(
    {**_VOWELISH, **_LABIALS_SIBILANTS, "g": "k", "d": "t", "J": "s", "r": "l", "m": "n"}
)


@functools.lru_cache(maxsize=200_000)
def phonetic_key(token: str) -> str:
    """A spelling-variant-insensitive key of one lower-case ASCII token (digits unchanged)."""
    if token.isdigit() or len(token) < 3:
        return token
    key = _VOWEL_J.sub("i", token)
    for old, new in _PHONETIC_RULES:
        if old in key:
            key = key.replace(old, new)
    key = _REPEATS.sub(r"\1", key)
    if len(key) > 3 and key.endswith("h"):
        key = key[:-1]
    return key


@functools.lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """Consonant classes of a token, for comparing text written without vowels."""
    if token.isdigit():
        return token
    key = phonetic_key(token) if len(token) >= 3 else token
    return _REPEATS.sub(r"\1", key.translate(_SKELETON_MAP))


_ABJAD_MAP = str.maketrans({**_VOWELISH, **_LABIALS_SIBILANTS, "g": "j", "J": "j"})


@functools.lru_cache(maxsize=200_000)
def abjad_skeleton(token: str) -> str:
    """Consonants of a token as an abjad (Arabic, Hebrew) writes them, for comparing a name
    romanised from one with its Latin spelling. Finer than :func:`skeleton`: these scripts tell
    r from l, m from n, t from d and g from k, so "Molloy" (mwlwy) is not "Munir" (mnyr). Long
    vowels are written with w and y, so those go with the vowels."""
    if token.isdigit():
        return token
    # Doubled letters are already single in the phonetic key; consonants that meet once the
    # vowels between them are gone stay two ("David" and dwd: dd).
    key = phonetic_key(token) if len(token) >= 3 else token
    return key.translate(_ABJAD_MAP)


_ROMAN_RULES: tuple[tuple[str, str], ...] = (
    ("tsch", "ch"),
    ("sch", "sh"),
    ("kh", "h"),
    ("ch", "h"),
    ("ph", "f"),
    ("ck", "k"),
    ("qu", "k"),
    ("q", "k"),
    ("c", "k"),
    ("x", "ks"),
    ("w", "v"),
    ("j", "y"),
)
_ROMAN_MAP = str.maketrans({"a": None, "e": None, "i": None, "o": None, "u": None, "y": None})


@functools.lru_cache(maxsize=200_000)
def romanisation_key(token: str) -> str:
    """The consonants of a romanised word, with the letters romanisation schemes swap folded
    (English kh, German ch; w/v; j/y after the first letter; c/k/q), doubled letters single and
    vowels after the first letter dropped: "Verkhnyaya" and
    "Werchnjaja", "Abdalla" and "Abdulla", "Qureshi" and "Quraishi" give one key. Coarse: it
    only says two long words may be spellings of one foreign word."""
    key = _REPEATS.sub(r"\1", token)
    for old, new in _ROMAN_RULES:
        if old == "j":
            key = key[:1] + key[1:].replace(old, new)
        elif old in key:
            key = key.replace(old, new)
    # The first letter stays, vowel or not ("Umisachi" / "Yamasachi" are two names).
    return key[:1] + key[1:].translate(_ROMAN_MAP)


_LOAN_RULES: tuple[tuple[str, str], ...] = (
    ("tch", "s"),
    ("dzh", "s"),
    ("sch", "s"),
    ("ng", "n"),
    ("ch", "s"),
    ("sh", "s"),
    ("zh", "s"),
    ("th", "t"),
    ("ph", "p"),
    ("kh", "k"),
    ("ts", "s"),
    ("tz", "s"),
    ("ck", "k"),
    ("x", "s"),
    ("q", "s"),
    ("j", "s"),
    ("z", "s"),
    ("c", "k"),
)
_LOAN_MAP = str.maketrans(
    {
        "a": None,
        "e": None,
        "i": None,
        "o": None,
        "u": None,
        "y": None,
        "w": None,
        "h": None,
        "b": "p",
        "f": "p",
        "v": "p",
        "d": "t",
        "g": "k",
        "r": "l",
        "m": "n",
    }
)


@functools.lru_cache(maxsize=200_000)
def loan_skeleton(token: str) -> str:
    """Consonant classes of a token, for names written in a syllabary or Han characters.

    Chinese, Korean and Japanese renderings of Western names add vowels ("Trump" -> "te lang
    pu", "teu leom peu"), write l for r, p for b and f, and change nasal endings, so only the
    classes of consonants survive: "trump" and "telangpu" both give "tlnp".
    """
    if token.isdigit():
        return token
    key = token
    for old, new in _LOAN_RULES:
        if old in key:
            key = key.replace(old, new)
    return _REPEATS.sub(r"\1", key.translate(_LOAN_MAP))


_ABJAD_READING_RULES: tuple[tuple[str, str], ...] = (
    ("tsch", "ch"),
    ("sch", "sh"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ph", "f"),
    ("ck", "k"),
    ("qu", "k"),
    ("x", "ks"),
    ("c", "k"),
    ("q", "k"),
)
_ABJAD_READING_MAP = str.maketrans({"a": None, "e": None, "i": "y", "o": "w", "u": "w", "v": "w"})
_VOWELS_Q = str.maketrans({"a": None, "e": None, "i": None, "o": None, "u": None, "q": "k"})


@functools.lru_cache(maxsize=200_000)
def abjad_reading(token: str) -> str:
    """A Latin word as Arabic or Hebrew script would write it, romanised: consonants, with o/u
    and i as the letters w and y that mark long vowels ("mauro" -> "mwrw", "ivanovich" ->
    "ywnwwyk"). Compared with :func:`abjad_letters` of a romanised abjad word."""
    key = token
    for old, new in _ABJAD_READING_RULES:
        if old in key:
            key = key.replace(old, new)
    return _REPEATS.sub(r"\1", key).translate(_ABJAD_READING_MAP)


@functools.lru_cache(maxsize=200_000)
def abjad_letters(token: str) -> str:
    """A word romanised from Arabic or Hebrew without the vowels the romanisation adds."""
    return _REPEATS.sub(r"\1", token.translate(_VOWELS_Q))


# Digraphs of the English, German and BGN romanisations against ISO 9 single letters.
_SPELLING_FOLDS = (
    ("shch", "s"),
    ("tch", "c"),
    ("ch", "c"),
    ("sh", "s"),
    ("zh", "z"),
    ("kh", "h"),
    ("ts", "c"),
    ("tz", "c"),
    ("ph", "f"),
    ("ck", "k"),
    ("w", "v"),
    ("q", "k"),
    ("x", "ks"),
    ("j", "i"),
    ("ou", "u"),
    # ё: BGN/English "yo" (Semyonovich, Fyodorov), ICU and ISO 9 "e" (Семёнович -> semenovic).
    # After "ou", so that Yousef and Yusuf still meet.
    ("yo", "e"),
)
_Y_BEFORE_VOWEL = re.compile(r"y(?=[aeiou])")


def spelling_key(ascii_lower: str) -> str:
    """Fold a lower-case ASCII word to a key its romanisations from Cyrillic share ("sergey",
    "sergei", "sergej" -> "sergei"; "kogogin" -> "kogogin"): digraphs to ISO 9 letters, y before
    a vowel dropped and y as i, doubled letters single. Idempotent."""
    key = ascii_lower
    while True:
        folded = _fold_once(key)
        if folded == key:
            return key
        key = folded


def _fold_once(key: str) -> str:
    for a, b in _SPELLING_FOLDS:
        if a in key:
            key = key.replace(a, b)
    key = _Y_BEFORE_VOWEL.sub("", key).replace("y", "i")
    return _REPEATS.sub(r"\1", key)
