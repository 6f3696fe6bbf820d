"""Numbers written in words, read as digits ("Forty-Four" -> "44"), for comparing names."""

from __future__ import annotations

import re

_UNITS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}  # fmt: skip
_WORDS = re.compile(
    rf"\b(?:({'|'.join(_TENS)})(?:[\s-]+({'|'.join(_UNITS[1:10])}))?|({'|'.join(_UNITS)}))\b",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")


def has_digits(text: str) -> bool:
    """Whether the text holds a digit."""
    return bool(_DIGIT.search(text))


def words_to_digits(text: str) -> str:
    """English number words from zero to ninety-nine replaced by their digits."""

    def value(m: re.Match[str]) -> str:
        if m.group(3):
            return str(_UNITS.index(m.group(3).lower()))
        tens = _TENS[m.group(1).lower()]
        return str(tens + (_UNITS.index(m.group(2).lower()) if m.group(2) else 0))

    return _WORDS.sub(value, text)
