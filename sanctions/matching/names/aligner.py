"""One query's names against many candidates: the same results as ``compare_names``, faster.

A query's forms meet ~13 candidate forms, and the candidates share many words. A
:class:`NameAligner` prepares each form once (spans and weights; an index keeps its forms'
preparations across queries) and remembers, for each candidate span, the query spans it aligns
with, so a word met in several candidates is compared with the query once.
"""

from __future__ import annotations

from sanctions.matching.names.align import (
    Mode,
    NameScore,
    PreparedForm,
    SpanMemo,
    Weigher,
    align,
    mode_of,
    prepare,
)
from sanctions.text.names import NameForm
from sanctions.text.scripts import Lossiness

PreparedCache = dict[tuple[int, Lossiness], PreparedForm]  # by (id(form), mode); entries keep the form
# A query form, and what of a candidate form decides the mode (kind, lossiness, romanised,
# reading, sole trader)
SideKey = tuple[int, str, Lossiness, bool, str, bool]


class NameAligner:
    """Compares one query's name forms with many candidates' forms, as :func:`compare_names`
    does, remembering what a query alone determines: its prepared forms, and for every
    candidate span met so far the query spans it aligns with (candidates share many words).

    ``shared`` keeps candidate forms' preparations across queries (an index passes its own,
    made for the same ``weigh``); without it they are kept for this aligner's life only.
    """

    def __init__(
        self, query: tuple[NameForm, ...], weigh: Weigher, shared: PreparedCache | None = None
    ) -> None:
        self.query = query
        self.weigh = weigh
        self.shared: PreparedCache = {} if shared is None else shared
        self._own: PreparedCache = {}
        self._memos: dict[tuple[int, Lossiness, bool, bool, str], SpanMemo] = {}
        # by (query form, what of the candidate form decides the mode): the query form prepared,
        # memo, mode
        self._sides: dict[SideKey, tuple[PreparedForm, SpanMemo, Mode]] = {}

    def _prepared(self, cache: PreparedCache, form: NameForm, lossy: Lossiness) -> PreparedForm:
        key = (id(form), lossy)
        found = cache.get(key)
        if found is None or found.form is not form:
            found = cache[key] = prepare(form, lossy, self.weigh)
        return found

    def compare_forms(self, q: NameForm, c: NameForm) -> NameScore:
        """:func:`compare_forms` of a query form and a candidate form."""
        if q.tokens == c.tokens:
            return NameScore(1.0, q, c, tuple((t, t, 1.0) for t in q.tokens), "identical")
        side_key = (id(q), c.kind, c.lossy, c.translit, c.reading, "sole" in c.legal_forms)
        side = self._sides.get(side_key)
        if side is None or side[0].form is not q:
            mode = mode_of(q, c)
            memo = self._memos.get((id(q), *mode))
            if memo is None:
                memo = self._memos[(id(q), *mode)] = {}
            side = self._sides[side_key] = (self._prepared(self._own, q, mode[0]), memo, mode)
        qf, memo, mode = side
        return align(qf, self._prepared(self.shared, c, mode[0]), memo, mode)

    def compare_names(self, candidate: tuple[NameForm, ...]) -> NameScore | None:
        """:func:`compare_names` of the query's forms and ``candidate``."""
        best: NameScore | None = None
        for q in self.query:
            for c in candidate:
                result = self.compare_forms(q, c)
                if best is None or result.score > best.score:
                    best = result
                    if result.score >= 1.0:
                        return best
        return best
