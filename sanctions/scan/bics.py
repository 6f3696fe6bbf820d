"""SWIFT/BIC codes: listed codes matched exactly, an 8-character code read as branch ``XXX``.

A code that differs from a listed head-office code (``XXX``) only by its branch is reported
as a branch of the listed institution, with a slightly lower score.
"""

from __future__ import annotations

from collections.abc import Callable

from sanctions.scan.index import MentionIndex, normalize_bic
from sanctions.scan.model import Mention

_BIC_LENGTHS = (8, 11)


def scan_bics(
    tokens: list[str],
    span: Callable[[int], tuple[int, int]],
    index: MentionIndex,
    distinct: set[str] | None = None,
) -> list[Mention]:
    """Listed SWIFT/BIC codes among the words of a text; ``span(i)`` gives word i's offsets.

    ``distinct`` is ``set(tokens)`` when the caller has it already.
    """
    bics = index.bics
    if not bics:
        return []
    words = set(tokens) if distinct is None else distinct
    codes = {t for t in words if len(t) in _BIC_LENGTHS and t.isupper() and t.isalnum()}
    wanted = {t: normalize_bic(t) for t in codes}
    wanted = {t: b for t, b in wanted.items() if b in bics}
    out: list[Mention] = []
    if not wanted:
        return out
    for i, surface in enumerate(tokens):
        bic = wanted.get(surface)
        if bic is None:
            continue
        start, end = span(i)
        out.extend(bic_mentions(index, surface, start, end))
    return out


def bic_mentions(index: MentionIndex, code: str, start: int, end: int) -> list[Mention]:
    """Mentions for a BIC written at [start, end): the exact listed code, or its head office."""
    bic = normalize_bic(code)
    if bic is None:
        return []
    hits = [(e, listed, 1.0, "exactly") for e, listed in index.bics.get(bic, [])]
    head = bic[:8] + "XXX"
    if not hits and head != bic:
        hits = [(e, listed, 0.9, "as a branch of") for e, listed in index.bics.get(head, [])]
    if not hits:
        return []
    first, listed, score, how = hits[0]
    why = f"BIC {code} matches {how} the listed SWIFT/BIC {listed} (8-character codes read as branch XXX)"
    return [
        Mention(
            start=start,
            end=end,
            text=code,
            score=score,
            entity=index.entities[first],
            listed_name=listed,
            kind="bic",
            explanations=[why],
            alternatives=[(index.entities[e], s) for e, _, s, _ in hits[1:]],
        )
    ]
