"""Romanisation: any script to lower-case ASCII, with ICU transliterators and curated readings.

A name in a non-Latin script may have several plausible Latin forms (BGN and ISO spellings of
Russian, Mandarin / Korean / Japanese readings of Han characters), so :func:`latin_forms`
returns a short list. Latin text with diacritics has one form.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import icu

from sanctions.text.resources import load_resource
from sanctions.text.scripts import scripts_of

_NON_ALNUM = re.compile(r"[^a-z0-9&]+")
_APOSTROPHES = re.compile(r"[\u0027\u2018\u2019\u02bc\u02bb\u02b9\u02be\u02bf\u00b4\u0060\u02c8\u2032]")
_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")
_BELARUSIAN = re.compile(r"[ўЎ]")
_HANGUL_SYLLABLE = re.compile(r"([\uac00-\ud7a3])")
# A Burmese syllable starts at a consonant or independent vowel that is not killed by asat
# (U+103A) or stacked under a virama (U+1039); ICU writes the syllables of a name as one word.
_MYANMAR_SYLLABLE = re.compile(r"(?<!\u1039)([\u1000-\u102a\u103f])(?![\u1039\u103a])")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_NAME_DOTS = re.compile(r"[\u00b7\u30fb\u2027\u2022\uff65\u318d\u16eb=]")
MAX_FORMS = 5
# Scripts with a BGN romanisation in ICU, in the order a text mixing them is read by.
_BGN = {
    "Cyrillic": "Russian-Latin/BGN",
    "Armenian": "Armenian-Latin/BGN",
    "Greek": "Greek-Latin/BGN",
    "Georgian": "Georgian-Latin/BGN",
}


@functools.cache
def _transliterator(spec: str) -> icu.Transliterator:
    return icu.Transliterator.createInstance(spec)


def transliterate(spec: str, text: str) -> str:
    """``text`` through the ICU transliterator ``spec`` (made once per spec)."""
    return str(_transliterator(spec).transliterate(text))


def ascii_clean(text: str) -> str:
    """Lower-case ASCII with punctuation turned into single spaces (apostrophes dropped)."""
    if not text.isascii():
        # (schwa: Azerbaijani "Ticarət" is "Ticaret" in ASCII; ICU would drop it)
        text = transliterate(
            "Latin-ASCII", unicodedata.normalize("NFC", text).replace("ə", "e").replace("Ə", "E")
        )
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = _APOSTROPHES.sub("", text.lower())
    return " ".join(_NON_ALNUM.sub(" ", text).split())


_ASCII_WORD_JUNK = re.compile(r"[^a-z0-9]+")


def ascii_word(word: str) -> str:
    """One word in any script as lower-case ASCII letters and digits, in one piece: ICU's
    transliteration of the script (its scholarly romanisation, ISO 9 for Cyrillic) folded to
    ASCII as :func:`ascii_clean` folds Latin text ("Когогин" -> "kogogin", "объект" -> "obekt")."""
    if word.isascii():
        return _ASCII_WORD_JUNK.sub("", word.lower())
    latin = transliterate("Any-Latin", unicodedata.normalize("NFC", word))
    return _ASCII_WORD_JUNK.sub("", ascii_clean(latin))


@functools.cache
def _translations() -> tuple[tuple[str, str], ...]:
    table: dict[str, str] = load_resource("names/name_words")["translations"]
    return tuple(sorted(table.items(), key=lambda kv: -len(kv[0])))


@functools.cache
def _readings(language: str) -> dict[str, str]:
    table: dict[str, str] = load_resource("scripts/han_readings")[language]
    return table


_HAN_DIGITS = dict(zip("〇零一二三四五六七八九", (0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_HAN_UNITS = {"十": 10, "百": 100, "千": 1000}
_HAN_ORDINAL = re.compile(r"第([〇零一二三四五六七八九十百千]+)")


def _han_number(chars: str) -> int:
    """The value of a Han numeral ("十八" -> 18, "二百三" -> 203 is read as 200 + 3)."""
    total, digit = 0, 0
    for char in chars:
        if char in _HAN_UNITS:
            total += (digit or 1) * _HAN_UNITS[char]
            digit = 0
        else:
            digit = digit * 10 + _HAN_DIGITS[char]
    return total + digit


def _han_ordinals(text: str) -> str:
    """Ordinals written in Han numerals ("第十八") as numbers: "No. 18" in the Latin renderings."""
    return _HAN_ORDINAL.sub(lambda m: f" {_han_number(m.group(1))} ", text)


def _translate_words(text: str) -> str:
    for word, english in _translations():
        if word in text:
            text = text.replace(word, english)
    return text


def _han_reading(text: str, language: str) -> str | None:
    """Read every Han character of ``text`` with the curated table, or None if one is missing."""
    table = _readings(language)
    out: list[str] = []
    for char in text:
        if _HAN.match(char):
            reading = table.get(char)
            if reading is None:
                return None
            out.append(f" {reading} ")
        else:
            out.append(char)
    return "".join(out)


@functools.lru_cache(maxsize=65536)
def latin_forms(text: str) -> tuple[str, ...]:
    """Plausible lower-case ASCII renderings of ``text``, best first (at most a few)."""
    text = unicodedata.normalize("NFKC", text)
    if text.isascii():
        return (ascii_clean(text),)
    scripts = scripts_of(text)
    if scripts <= {"Latin"}:
        return (ascii_clean(text),)
    text = _NAME_DOTS.sub(" ", _translate_words(text))
    if "Han" in scripts:
        text = _han_ordinals(text)
    forms: list[str] = []
    # A BGN romanisation (the English-speaking lists' "sh", "zh", "kh") first, then ICU's
    # scholarly one folded to ASCII (the "s", "z", "c" of Slavic names written in Latin).
    bgn = next((spec for script, spec in _BGN.items() if script in scripts), None)
    if bgn is not None:
        if bgn == _BGN["Cyrillic"]:
            # Belarusian first: it shares і with Ukrainian, but only it has ў.
            if _BELARUSIAN.search(text):
                bgn = "Belarusian-Latin/BGN"
            elif _UKRAINIAN.search(text):
                bgn = "Ukrainian-Latin/BGN"
        forms.append(transliterate(bgn, text))
        forms.append(transliterate("Any-Latin", text))
    elif "Han" in scripts or "Hangul" in scripts:
        spaced = _HANGUL_SYLLABLE.sub(r" \1 ", text)
        if "Hangul" not in scripts:
            for language in ("korean", "japanese"):
                reading = _han_reading(text, language)
                if reading is not None:
                    forms.append(transliterate("Any-Latin", reading))
        forms.append(transliterate("Any-Latin", spaced))
        # The syllables of each written word joined: "唐纳德 特朗普" -> "tangnade telangpu".
        forms.append(
            " ".join(ascii_clean(transliterate("Any-Latin", word)).replace(" ", "") for word in text.split())
        )
    elif "Myanmar" in scripts:
        forms.append(transliterate("Any-Latin", _MYANMAR_SYLLABLE.sub(r" \1", text)))
    else:
        forms.append(transliterate("Any-Latin", text))
    out: list[str] = []
    for form in forms:
        cleaned = ascii_clean(form.replace("~", ""))
        if cleaned and cleaned not in out:
            out.append(cleaned)
    return tuple(out[:MAX_FORMS])


@functools.lru_cache(maxsize=100_000)
def katakana_reading(token: str) -> str:
    """How a Latin word reads once written in katakana, romanised back ("glenda" -> "gurenda",
    "galindo" -> "garindo"): what a Japanese rendering of that word is expected to look like."""
    kana = transliterate("Latin-Katakana", token)
    return ascii_clean(transliterate("Katakana-Latin", kana)).replace(" ", "")
