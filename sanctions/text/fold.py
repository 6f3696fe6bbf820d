"""Fold text the way a screener must before matching or scanning it, keeping original offsets.

Someone who wants a name past a screener hides it: a zero-width space or a soft hyphen
inside ``Put\u200bin``, a right-to-left override, a Cyrillic ``Р`` in a Latin ``Рutin``,
full-width or ligature letters. :func:`fold` undoes each trick:

* removes default-ignorable and format characters (zero-width spaces and joiners, soft
  hyphens, bidi controls and overrides, variation selectors, ...), the set ICU calls
  ``[[:DI:][:Cf:]]``;
* applies NFKC (full-width and ligature letters become plain ones);
* in a word that mixes scripts, maps the letters of the minority script to the look-alike
  of the word's main script (Latin or Cyrillic), using Unicode's confusables data through
  ICU's ``SpoofChecker`` skeletons: no hand-made table.

A word written wholly in one script is left alone (``Путин`` stays Cyrillic). The result
keeps, for every folded character, the offset of the original character it came from, so
reports point into the original text; and it says whether anything was hidden, because a
document that hides characters inside a name is itself a red flag.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from array import array
from dataclasses import dataclass
from typing import Any

HIDDEN_WARNING = "hidden characters removed"
CONFUSABLE_WARNING = "look-alike letters from another script read as their twin"

_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_CYRILLIC = re.compile(r"[\u0400-\u052f]")
# A word holding at least one letter of the Latin, Cyrillic or Greek blocks and at least one
# letter outside that block: the only words look-alike mapping looks at.
_WORD = re.compile(r"[^\W\d_]+")
_NON_LATIN_LETTER = re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f]")


@dataclass(frozen=True, slots=True)
class Folded:
    """Folded text, with the map back to the original and what was changed."""

    text: str
    original: str
    offsets: array[int] | None  # offsets[i]: original index of text[i]; None when unchanged
    hidden: int = 0  # invisible or control characters removed
    confusables: int = 0  # look-alike letters mapped to the word's script

    @property
    def warnings(self) -> list[str]:
        """What was done to the text that a reviewer should know (empty for clean text)."""
        out = []
        if self.hidden:
            out.append(HIDDEN_WARNING)
        if self.confusables:
            out.append(CONFUSABLE_WARNING)
        return out

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that ``text[start:end]`` was folded from."""
        if self.offsets is None:
            return start, end
        if start >= len(self.text):
            return len(self.original), len(self.original)
        window = self.offsets[start:end] if end > start else self.offsets[start : start + 1]
        first, last = min(window), max(window)  # a right-to-left override reverses the order
        # The original character ends where the next cluster begins (or at a hidden char).
        stop = last + 1
        while stop < len(self.original) and unicodedata.combining(self.original[stop]):
            stop += 1
        return first, stop

    def span_warnings(self, start: int, end: int) -> list[str]:
        """The warnings that apply to the original span behind ``text[start:end]``."""
        if self.offsets is None:
            return []
        first, stop = self.original_span(start, end)
        piece = self.original[first:stop]
        out = []
        if _hidden_pattern().search(piece):
            out.append(HIDDEN_WARNING)
        if self.confusables and piece != self.text[start:end] and _mixed(piece):
            out.append(CONFUSABLE_WARNING)
        return out


def fold(text: str) -> Folded:
    """Remove hidden characters, apply NFKC and map mixed-script look-alikes (see the module)."""
    if text.isascii():  # ASCII holds no format or default-ignorable character
        return Folded(text, text, None)
    hidden_re = _hidden_pattern()
    has_hidden = hidden_re.search(text) is not None
    normal = unicodedata.is_normalized("NFKC", text)
    if not has_hidden and normal and not _any_mixed(text):
        return Folded(text, text, None)
    out: list[str] = []
    offsets = array("l")
    hidden = 0
    for i, j in _clusters(text):
        cluster = text[i:j]
        if j - i == 1 and hidden_re.match(cluster):
            hidden += 1
            continue
        piece = cluster if normal or cluster.isascii() else unicodedata.normalize("NFKC", cluster)
        out.append(piece)
        offsets.extend([i] * len(piece))
    folded = "".join(out)
    folded, mapped = _map_confusables(folded)
    return Folded(folded, text, offsets, hidden, mapped)


def _clusters(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each character with its combining marks, in the order a reader sees.

    A right-to-left override (U+202E) shows the letters after it reversed until the next
    pop (U+202C) or line end: ``\u202eniruP`` reads ``Putin``, so those clusters are reversed.
    """
    spans: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        spans.append((i, j))
        i = j
    if "\u202e" not in text:
        return spans
    ordered: list[tuple[int, int]] = []
    k = 0
    while k < len(spans):
        start = spans[k][0]
        if text[start] != "\u202e":
            ordered.append(spans[k])
            k += 1
            continue
        end = k + 1
        while end < len(spans) and text[spans[end][0]] not in "\u202c\n\r\u2029":
            end += 1
        ordered.append(spans[k])
        ordered.extend(reversed(spans[k + 1 : end]))
        k = end
    return ordered


_UNREADABLE = re.compile(r"[\x00\ud800-\udfff]")


def check_text(value: str, what: str) -> None:
    """Refuse a NUL or a lone surrogate (text no screener can read), naming the field and place."""
    bad = _UNREADABLE.search(value)
    if bad is not None:
        from sanctions.errors import InvalidInputError

        kind = (
            "a NUL character" if bad.group(0) == "\x00" else f"a lone surrogate (U+{ord(bad.group(0)):04X})"
        )
        raise InvalidInputError(f"{what} contains {kind} at position {bad.start()}: not valid text")


def fold_name(value: str) -> tuple[str, list[str]]:
    """A name folded for matching, and the warnings about it (empty when it was clean)."""
    folded = fold(value)
    return folded.text, folded.warnings


def _any_mixed(text: str) -> bool:
    return any(_mixed(m.group(0)) for m in _WORD.finditer(text) if not m.group(0).isascii())


def _mixed(word: str) -> bool:
    return _LATIN.search(word) is not None and _NON_LATIN_LETTER.search(word) is not None


def _map_confusables(text: str) -> tuple[str, int]:
    """Map the minority-script letters of mixed-script words to their look-alike (1 to 1)."""
    if text.isascii():
        return text, 0
    chars: list[str] | None = None
    mapped = 0
    for match in _WORD.finditer(text):
        word = match.group(0)
        if word.isascii() or not _mixed(word):
            continue
        target = _target_script(word)
        for k, ch in enumerate(word):
            if (target == "latin" and _LATIN.match(ch)) or (target == "cyrillic" and _CYRILLIC.match(ch)):
                continue
            twin = _twin(ch, target)
            if twin is not None:
                if chars is None:
                    chars = list(text)
                chars[match.start() + k] = twin
                mapped += 1
    return ("".join(chars) if chars is not None else text), mapped


def _target_script(word: str) -> str:
    """The script a mixed word is read in: one its foreign letters all have a twin in, else the majority."""
    latin = len(_LATIN.findall(word))
    cyrillic = len(_CYRILLIC.findall(word))
    fits = [
        script
        for script, own in (("latin", _LATIN), ("cyrillic", _CYRILLIC))
        if all(own.match(ch) or _twin(ch, script) is not None for ch in word)
    ]
    if len(fits) == 1:
        return fits[0]
    return "latin" if latin >= cyrillic else "cyrillic"


@functools.lru_cache(maxsize=4096)
def _twin(ch: str, target: str) -> str | None:
    """The letter of ``target`` script that ``ch`` is confusable with (same case when possible)."""
    skeleton = _checker().getSkeleton(0, ch)
    candidates = _prototypes(target).get(skeleton, ())
    for candidate in candidates:
        if candidate.isupper() == ch.isupper():
            return candidate
    return candidates[0] if candidates else None


@functools.cache
def _prototypes(target: str) -> dict[str, tuple[str, ...]]:
    """ICU skeleton -> the letters of ``target`` script that have it."""
    if target == "latin":
        letters = [chr(c) for c in range(ord("A"), ord("Z") + 1)] + [
            chr(c) for c in range(ord("a"), ord("z") + 1)
        ]
    else:
        letters = [chr(c) for c in range(0x400, 0x460)]  # the basic Cyrillic letters
    table: dict[str, list[str]] = {}
    checker = _checker()
    for letter in letters:
        table.setdefault(checker.getSkeleton(0, letter), []).append(letter)
    return {k: tuple(v) for k, v in table.items()}


@functools.cache
def _checker() -> Any:
    import icu

    return icu.SpoofChecker()


@functools.cache
def _hidden_pattern() -> re.Pattern[str]:
    """One character of ICU's default-ignorable or format sets (zero-width, bidi, soft hyphen...)."""
    import icu

    hidden = icu.UnicodeSet("[[:DI:][:Cf:]]")
    ranges = []
    for k in range(hidden.getRangeCount()):
        start, end = hidden.getRangeStart(k), hidden.getRangeEnd(k)
        ranges.append(re.escape(start) + ("-" + re.escape(end) if end != start else ""))
    return re.compile("[" + "".join(ranges) + "]")
