"""Find every mention of a listed party in a text.

The text is tokenised once. Each *distinct* word is keyed once and looked up in the index;
only the positions of words that anchor some listed name are then checked against the
variants filed under them. Candidates are scored (:mod:`sanctions.scan.evidence`), overlaps
resolved longest first, and surnames alone accepted only after a full mention of the person.
"""

from __future__ import annotations

import bisect
import re
from itertools import compress, count

from sanctions.scan.bics import scan_bics
from sanctions.scan.evidence import (
    COREFERENCE,
    EXACT,
    INITIAL,
    STEM,
    Candidate,
    Context,
    base_score,
    context_score,
)
from sanctions.scan.index import EntityRef, MentionIndex
from sanctions.scan.model import Mention
from sanctions.scan.names import Kind
from sanctions.scan.plan import list_key_stems, plan_document
from sanctions.scan.tokens import TokenInfo, word_pattern

DEFAULT_THRESHOLD = 0.7
_GAP_CHARS = frozenset(" \t\r\n\u00a0-\u2010\u2011\u2013.,'\u2019\"\u201c\u201d\u00ab\u00bb")
_SENTENCE_END = frozenset(".!?\u2026")
_NAME_GAPS = frozenset((" ", "\u00a0", "-"))
_MV = frozenset((("m", "v"), ("m", "t")))  # "M/V", "M/T" before a ship's name
_CHUNK = 2_048  # characters per tokenisation chunk; offsets are computed only for chunks with hits
_NON_WORD = re.compile(r"[^\w\u0300-\u036f\u0483-\u0489]")

Group = tuple[tuple[str, ...], Kind, int]


_KIND_LABEL = {
    Kind.PERSON: "person",
    Kind.SURNAME: "surname",
    Kind.ORG: "organization",
    Kind.DERIVED: "short_name",
}


def _token_match(info: TokenInfo, surface: str, key: str, initial_ok: bool) -> int:
    if info.key == key:
        return EXACT
    stems = info.stems
    if stems and (key in stems or any(s == info.key or s in stems for s in list_key_stems(key))):
        return STEM
    if initial_ok and len(surface) == 1 and key[:1] == info.key:
        return INITIAL
    return 0


def is_mixed_case(text: str, sample: int = 20_000) -> bool:
    """True when the text uses lower case letters (most prose); False for all-caps telexes."""
    head = text[:sample]
    lower = sum(1 for ch in head if ch.islower())
    upper = sum(1 for ch in head if ch.isupper())
    return lower > upper


class _Document:
    """One text, tokenised once; token offsets are computed per chunk, only where needed.

    A token is the exact text it was cut from, so its offset is found by ``str.find`` from the
    end of the token before it: offsets cost no match objects, and only the start of a chunk up
    to the last token asked for is ever walked.
    """

    def __init__(self, text: str, index: MentionIndex):
        self.text = text
        self.index = index
        self.mixed = is_mixed_case(text)
        self.word = word_pattern(text)
        self.tokens: list[str] = []
        self._chunk_chars: list[int] = []  # char offset where each chunk starts
        self._chunk_tokens: list[int] = []  # index of each chunk's first token
        self._start: dict[int, int] = {}  # token -> start offset, for the tokens walked so far
        self._walked: dict[int, int] = {}  # chunk -> first token not walked yet
        pos, size = 0, len(text)
        while pos < size:
            end = min(size, pos + _CHUNK)
            if end < size:
                cut = _NON_WORD.search(text, end)
                end = cut.start() if cut else size
            self._chunk_chars.append(pos)
            self._chunk_tokens.append(len(self.tokens))
            self.tokens.extend(self.word.findall(text, pos, end))
            pos = end
        self._chunk_chars.append(size)
        self.distinct = set(self.tokens)

    def span(self, i: int) -> tuple[int, int]:
        """Character offsets of token i."""
        start = self._start.get(i)
        if start is None:
            start = self._find_starts(i)
        return start, start + len(self.tokens[i])

    def _find_starts(self, i: int) -> int:
        """Walk the chunk of token i from its last known token up to i; return the start of i."""
        chunk = bisect.bisect_right(self._chunk_tokens, i) - 1
        first = self._chunk_tokens[chunk]
        j = self._walked.get(chunk, first)
        tokens, starts, find = self.tokens, self._start, self.text.find
        pos = starts[j - 1] + len(tokens[j - 1]) if j > first else self._chunk_chars[chunk]
        while j <= i:
            # Only non-word characters lie between tokens, so the first occurrence is the token.
            pos = find(tokens[j], pos)
            starts[j] = pos
            pos += len(tokens[j])
            j += 1
        self._walked[chunk] = j
        return starts[i]

    def info(self, i: int) -> TokenInfo:
        return self.index.token(self.tokens[i])

    def gap(self, i: int) -> str:
        """The text between token i and token i + 1."""
        return self.text[self.span(i)[1] : self.span(i + 1)[0]]

    def joinable(self, i: int, comma_ok: bool) -> bool:
        """True when tokens i and i + 1 may belong to one name (no sentence or line-block break)."""
        gap = self.gap(i)
        if len(gap) > 4 or not gap or gap.count("\n") > 1 or any(ch not in _GAP_CHARS for ch in gap):
            return False
        if "." in gap and len(self.tokens[i]) > 1:
            return False  # a full stop ends a sentence unless it follows an initial
        return comma_ok or "," not in gap


def _align(doc: _Document, i: int, group: Group, pos: int) -> tuple[int, ...] | None:
    """How each token of a variant group matches the text when its anchor is token i, or None."""
    tokens, kind, mask = group
    first = i - pos
    n = len(tokens)
    if first < 0 or first + n > len(doc.tokens):
        return None
    matches: list[int] = []
    for j in range(n):
        t = first + j
        # An initial is a given name's first letter with a full stop ("S. Sobyanin"); a lone
        # letter without one is a word ("С Когогиным": "with Kogogin"). Offsets are only
        # looked at when the words match.
        m = _token_match(doc.info(t), doc.tokens[t], tokens[j], bool(mask >> j & 1))
        if m == INITIAL and not doc.text.startswith(".", doc.span(t)[1]):
            m = 0
        if not m:
            return None
        matches.append(m)
    for j in range(n - 1):
        comma_ok = kind is Kind.PERSON and not (mask >> j & 1) and bool(mask >> (j + 1) & 1)
        if not doc.joinable(first + j, comma_ok):
            return None
    return tuple(matches)


def _context(doc: _Document, first: int, last: int, person: bool) -> Context:
    text, lex = doc.text, doc.index.lexicon
    start, end = doc.span(first)[0], doc.span(last)[1]
    anchor = doc.tokens[last] if person else doc.tokens[first]
    capitalised = not doc.mixed or not anchor[0].islower()
    before = text[max(0, start - 3) : start].rstrip(" \u00a0\"'\u201c\u201d\u00ab\u00bb\u2018\u2019")
    sentence_start = first == 0 or not before.strip() or before[-1:] in _SENTENCE_END
    quoted = text[start - 1 : start] in lex.quotes and text[end : end + 1] in lex.quotes
    return Context(
        capitalised=capitalised,
        sentence_start=sentence_start,
        quoted=quoted,
        legal_form=None if person else _legal_form_beside(doc, first, last),
        vessel_word=None if person else _vessel_word(doc, first, last),
        coreference=None,
        longer_name=_longer_name(doc, first, sentence_start) if first == last and doc.mixed else None,
    )


def _name_word(doc: _Document, t: int) -> bool:
    """True when token t reads as a word of a proper name: capitalised, not an acronym or legal form."""
    surface = doc.tokens[t]
    if len(surface) < 2 or not surface[0].isupper() or surface.isupper():
        return False
    lex = doc.index.lexicon
    key = doc.info(t).key
    return key not in lex.legal_form_first and key not in lex.legal_form_last


def _longer_name(doc: _Document, i: int, sentence_start: bool) -> str | None:
    """The capitalised name token i is written inside ("Aston Villa", "Avanti West Coast"), if any.

    Only a space or a hyphen may separate the words; a capitalised word that opens a sentence
    says nothing.
    """
    if i + 1 < len(doc.tokens) and doc.gap(i) in _NAME_GAPS and _name_word(doc, i + 1):
        return f"{doc.tokens[i]} {doc.tokens[i + 1]}"
    if not sentence_start and i > 0 and doc.gap(i - 1) in _NAME_GAPS and _name_word(doc, i - 1):
        before = doc.text[max(0, doc.span(i - 1)[0] - 3) : doc.span(i - 1)[0]].rstrip(" \u00a0")
        if i - 1 > 0 and before and before[-1] not in _SENTENCE_END and before.strip():
            return f"{doc.tokens[i - 1]} {doc.tokens[i]}"
    return None


def _legal_form_beside(doc: _Document, first: int, last: int) -> str | None:
    lex = doc.index.lexicon
    before_ok = first > 0 and doc.info(first - 1).key in lex.legal_form_last
    after_ok = last + 1 < len(doc.tokens) and doc.info(last + 1).key in lex.legal_form_first
    if not (before_ok or after_ok):
        return None
    for n in range(min(4, lex.max_form_len), 0, -1):
        lo = first - n
        if lo >= 0 and all(doc.joinable(t, False) for t in range(lo, first)):
            keys = tuple(doc.info(t).key for t in range(lo, first))
            if keys in lex.legal_form_evidence and not (doc.mixed and doc.tokens[lo][0].islower()):
                return " ".join(doc.tokens[lo:first])
        hi = last + n
        if hi < len(doc.tokens) and all(doc.joinable(t, False) for t in range(last, hi)):
            keys = tuple(doc.info(t).key for t in range(last + 1, hi + 1))
            if keys in lex.legal_form_evidence and not (doc.mixed and doc.tokens[last + 1][0].islower()):
                return " ".join(doc.tokens[last + 1 : hi + 1])
    return None


def _vessel_word(doc: _Document, first: int, last: int) -> str | None:
    words = doc.index.lexicon.vessel_context
    for t in (*range(max(0, first - 4), first), *range(last + 1, min(len(doc.tokens), last + 3))):
        if doc.info(t).key in words:
            return str(doc.tokens[t])
    if first >= 2 and (doc.info(first - 2).key, doc.info(first - 1).key) in _MV:
        return f"{doc.tokens[first - 2]}/{doc.tokens[first - 1]}"
    return None


def _base_bound(index: MentionIndex, gid: int) -> float:
    """The best score any variant of a group gets before context (cached on the index)."""
    bound = index.bounds.get(gid)
    if bound is None:
        tokens = index.groups[gid][0]
        exact = (EXACT,) * len(tokens)
        bound = 0.0
        for vid in index.group_variants[gid]:
            c = Candidate(index.variants[vid], 0, 0, 0, exact, tokens)
            base_score(c, index)
            bound = max(bound, c.score)
        index.bounds[gid] = bound
    return bound


def _hopeless(doc: _Document, i: int, gid: int, threshold: float) -> bool:
    """True when a one-word name at token i cannot reach the threshold whatever its context.

    Checked on words only (no offsets): capitals and quotes (+0.15) are assumed; a legal form
    or a vessel word must be one of the neighbouring words to count.
    """
    bound = _base_bound(doc.index, gid) + 0.15
    if bound >= threshold:
        return False
    lex = doc.index.lexicon
    if (i > 0 and doc.info(i - 1).key in lex.legal_form_last) or (
        i + 1 < len(doc.tokens) and doc.info(i + 1).key in lex.legal_form_first
    ):
        bound += 0.20
    if bound < threshold and (
        any(doc.info(t).key in lex.vessel_context for t in range(max(0, i - 4), min(len(doc.tokens), i + 3)))
        or (i >= 2 and (doc.info(i - 2).key, doc.info(i - 1).key) in _MV)
    ):
        bound += 0.35
    return bound < threshold


Contexts = dict[tuple[int, int, bool], Context]
Deferred = list[tuple[int, int, tuple[int, ...]]]  # (group, first token, matches)


def _collect(doc: _Document, threshold: float, contexts: Contexts) -> tuple[list[Candidate], Deferred]:
    """Scored candidates, and the aligned surname-alone groups left for the second pass.

    A surname alone counts only after a full mention of the person, so it is scored (and its
    context read) only in the second pass, if that person was named in full at all.
    """
    plans = plan_document(doc.distinct, doc.mixed, doc.index)
    out: list[Candidate] = []
    deferred: Deferred = []
    if not plans:
        return out, deferred
    index = doc.index
    tokens = doc.tokens
    n = len(tokens)
    # Positions of anchoring words, found without a Python-level loop over every word.
    for i in compress(count(), map(plans.__contains__, tokens)):
        plan = plans[tokens[i]]
        todo = plan.single
        if plan.beside:
            todo = list(todo)
            for offset, buckets in plan.beside.items():
                t = i + offset
                if 0 <= t < n:
                    for form in doc.info(t).forms:
                        todo.extend(buckets.get(form, ()))
            if len(todo) > 1:
                todo = list(dict.fromkeys(todo))
        for gid, pos in todo:
            group = index.groups[gid]
            if len(group[0]) == 1 and group[1] is not Kind.SURNAME and _hopeless(doc, i, gid, threshold):
                continue
            matches = _align(doc, i, group, pos)
            if matches is None:
                continue
            if group[1] is Kind.SURNAME:
                deferred.append((gid, i - pos, matches))
            else:
                _score_group(doc, gid, i - pos, matches, contexts, threshold, out)
    return out, deferred


def _score_group(
    doc: _Document,
    gid: int,
    first: int,
    matches: tuple[int, ...],
    contexts: Contexts,
    threshold: float,
    out: list[Candidate],
) -> None:
    """Score every variant of an aligned group; keep those that can still pass."""
    index = doc.index
    group = index.groups[gid]
    last = first + len(group[0]) - 1
    person = group[1] is Kind.PERSON
    ctx = contexts.get((first, last, person))
    if ctx is None:
        ctx = contexts[(first, last, person)] = _context(doc, first, last, person)
    start, end = doc.span(first)[0], doc.span(last)[1]
    surfaces = tuple(doc.tokens[first : last + 1])
    for vid in index.group_variants[gid]:
        c = Candidate(index.variants[vid], first, start, end, matches, surfaces)
        base_score(c, index)
        context_score(c, ctx, index)
        if c.score + COREFERENCE + 1e-9 >= threshold:  # others can pass in neither pass
            out.append(c)


def _mention(group: list[Candidate], index: MentionIndex, text: str) -> Mention:
    best = group[0]
    seen = {best.variant.entity}
    alternatives: list[tuple[EntityRef, float]] = []
    for c in group[1:]:
        # Other lists naming the same party: the same kind of match (a short name derived from
        # a subsidiary's legal name is not the same party as the listed name itself).
        if c.variant.entity not in seen and c.variant.kind is best.variant.kind:
            seen.add(c.variant.entity)
            alternatives.append((index.entities[c.variant.entity], c.score))
    return Mention(
        start=best.start,
        end=best.end,
        text=text[best.start : best.end],
        score=best.score,
        entity=index.entities[best.variant.entity],
        listed_name=best.variant.name,
        kind=_KIND_LABEL[best.variant.kind],
        explanations=best.explanations,
        alternatives=alternatives,
    )


def _accept(
    cands: list[Candidate], taken: list[tuple[int, int]], threshold: float, index: MentionIndex, text: str
) -> list[Mention]:
    """Group passing candidates by span; keep spans that overlap no taken span, longest first."""
    groups: dict[tuple[int, int], list[Candidate]] = {}
    for c in cands:
        if c.score >= threshold:
            groups.setdefault((c.start, c.end), []).append(c)
    out: list[Mention] = []
    order = sorted(
        groups.items(), key=lambda kv: (-(kv[0][1] - kv[0][0]), -max(c.score for c in kv[1]), kv[0])
    )
    for (start, end), group in order:
        if _overlaps(taken, start, end):
            continue
        group.sort(
            key=lambda c: (-c.score, c.variant.kind, c.variant.name_rank, index.entities[c.variant.entity].id)
        )
        bisect.insort(taken, (start, end))
        out.append(_mention(group, index, text))
    return out


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when [start, end) overlaps an interval of ``taken`` (sorted, non-overlapping)."""
    at = bisect.bisect_left(taken, (start, end))
    if at > 0 and taken[at - 1][1] > start:
        return True
    return at < len(taken) and taken[at][0] < end


def scan_text(text: str, index: MentionIndex, threshold: float = DEFAULT_THRESHOLD) -> list[Mention]:
    """Every mention of a listed party in ``text``, in document order."""
    doc = _Document(text, index)
    contexts: Contexts = {}
    cands, deferred = _collect(doc, threshold, contexts)
    found = scan_bics(doc.tokens, doc.span, index, doc.distinct)
    taken = sorted((m.start, m.end) for m in found)
    # First pass: mentions that stand on their own; then references back to them.
    found += _accept(cands, taken, threshold, index, text)
    first_seen: dict[int, int] = {}
    for m in sorted(found, key=lambda m: m.start):
        for ref in (m.entity, *(e for e, _ in m.alternatives)):
            first_seen.setdefault(id(ref), m.start)
    for gid, first, matches in deferred:
        if any(id(index.entities[index.variants[v].entity]) in first_seen for v in index.group_variants[gid]):
            _score_group(doc, gid, first, matches, contexts, threshold, cands)
    second: list[Candidate] = []
    for c in cands:
        seen_at = first_seen.get(id(index.entities[c.variant.entity]))
        if (
            seen_at is None
            or seen_at >= c.start
            or c.score >= threshold
            and c.variant.kind is not Kind.SURNAME
        ):
            continue
        context_score(c, _coreference_only(seen_at), index)
        second.append(c)
    found += _accept(second, taken, threshold, index, text)
    return sorted(found, key=lambda m: (m.start, m.end))


def _coreference_only(offset: int) -> Context:
    return Context(True, True, False, None, None, offset)
