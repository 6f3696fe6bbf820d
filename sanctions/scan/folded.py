"""Scanning text after folding the tricks that hide names (invisible characters, NFKC,
look-alikes), with the original offsets kept for the report."""

from __future__ import annotations

import re

from sanctions.scan.index import MentionIndex
from sanctions.scan.mentions import DEFAULT_THRESHOLD, scan_text
from sanctions.scan.model import Mention
from sanctions.text.fold import fold


def scan_folded(
    text: str, index: MentionIndex, threshold: float = DEFAULT_THRESHOLD, max_word: int = 200
) -> tuple[list[Mention], list[str]]:
    """Scan ``text`` after folding it (hidden characters, NFKC, look-alikes): offsets stay original.

    Returns the mentions, with their offsets and text taken from ``text`` itself and a warning
    on each mention whose span hid something, and the document's warnings. A run of more than
    ``max_word`` characters without a space is not read as a name: it is blanked out before
    scanning (a 50 MB "word" would otherwise cost gigabytes).
    """
    folded = fold(text)
    scanned = _blank_long_words(folded.text, max_word)
    mentions = scan_text(scanned, index, threshold)
    warnings = folded.warnings
    if scanned is not folded.text:
        warnings = [*warnings, f"runs of over {max_word} characters without a space were not scanned"]
    if folded.offsets is None:
        return mentions, warnings
    for mention in mentions:
        mention.warnings = folded.span_warnings(mention.start, mention.end)
        mention.start, mention.end = folded.original_span(mention.start, mention.end)
        mention.text = text[mention.start : mention.end]
    return mentions, warnings


def _blank_long_words(text: str, max_word: int) -> str:
    """``text`` with every run of more than ``max_word`` non-space characters replaced by spaces."""
    if len(text) <= max_word:
        return text
    pattern = re.compile(rf"\S{{{max_word + 1},}}")
    if pattern.search(text) is None:
        return text
    return pattern.sub(lambda m: " " * len(m.group(0)), text)
