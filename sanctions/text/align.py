"""Name comparison: align the words of two names, weigh them, explain the alignment.

Words are aligned greedily, best pair first. A word may align with two or three adjacent words
of the other name joined ("Abdalla" ~ "Abd Alla", "Saebyeokbyeol" ~ "sae byeog byeol"). Each
aligned pair contributes its similarity times its weight (rare words weigh more than "trading"
or "al"); words left unaligned count against the score, less so for people (a missing middle
name or patronymic is common) than for organisations (an extra "Holdings" is another company).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein

from sanctions.text.keys import (
    abjad_letters,
    abjad_reading,
    abjad_skeleton,
    loan_skeleton,
    romanisation_key,
    skeleton,
)
from sanctions.text.lexicon import is_common_word, is_english_word
from sanctions.text.names import ANY, ORG, PERSON, VESSEL, NameForm
from sanctions.text.phrases import country_words, same_given_name
from sanctions.text.scripts import ABJAD_TRUST, SYLLABIC_TRUST
from sanctions.text.translit import katakana_reading

Weigher = Callable[[str], float]
MIN_SIM = 0.6
MAX_SPAN = 3
MINOR_FACTOR = 0.25
UNMATCHED = {PERSON: 0.5, ORG: 1.0, VESSEL: 1.0}
UNMATCHED_ANY = 0.8
SIM_POWER = 1.6
WEAK_EVIDENCE = 0.7  # matched word weight below which a name agreement is weak
WEAK_CAP = 0.6
STRICT_EDIT = 3.0  # organisation words: a change that is no spelling variant counts this many times
SUBSTITUTION = 0.8  # organisations whose names each keep a word of their own
OTHER_PLACE = 0.85  # an organisation name naming a country the other does not (a subsidiary)
GIVEN_NAME_SIM = 0.9  # two forms of one given name (Edward / Eddie)
ROMAN_MIN_LEN = 5  # shorter words with one consonant key are often two English words (pier / peer)
ROMANISED_SIM = 0.85  # two romanisations of one foreign word in organisation names
TYPO_MIN_LEN = 4
TYPO_SIM = 0.8
KANA_GATE = 0.4  # a Latin word's katakana reading this unlike the query's: no skeleton match
ABJAD_GATE = 0.35  # the same for Arabic and Hebrew
SKELETON_INFO = (0.0, 0.8, 1.0, 1.0)  # weight of a skeleton agreement by skeleton length 0, 1, 2, 3+


@dataclass(frozen=True, slots=True)
class NameScore:
    """The best alignment of two name forms."""

    score: float
    query: NameForm
    candidate: NameForm
    pairs: tuple[tuple[str, str, float], ...]
    note: str


def token_similarity(
    a: str, b: str, pa: str, pb: str, sa: str, sb: str, trust: float = 0.9, strict: bool = False
) -> float:
    """Similarity of two words in [0, 1]: spelling, romanisation variants, consonant skeletons.

    ``strict`` (words of organisation and vessel names written in Latin on both sides): a
    change that is not a spelling variant of the same sound ("Lixin"/"Lixing", "Star"/"Stars",
    "Exports"/"Imports") usually names another company, so it costs ``STRICT_EDIT`` times more.
    """
    if a == b:
        return 1.0
    if a.isdigit() or b.isdigit():
        return 0.0
    la, lb = len(a), len(b)
    if la == 1 or lb == 1:
        return 0.9 if a[0] == b[0] else 0.0
    if not sa and (la * 5 < lb * 3 or lb * 5 < la * 3):
        return 0.0  # lengths too far apart for a similarity of MIN_SIM
    sim = Levenshtein.normalized_similarity(a, b)
    if pa == pb:
        sim = max(sim, 0.95)
    elif sim < 0.95:
        sim = max(sim, 0.95 * Levenshtein.normalized_similarity(pa, pb))
    if sa and sb and sim < 0.9:
        # Skeletons of one or two consonants collide by chance ("byw" / "Ayyub": p / p), so
        # their agreement counts for less than that of longer ones.
        informative = SKELETON_INFO[min(len(sa), len(sb), 3)]
        sim = max(sim, trust * informative * JaroWinkler.normalized_similarity(sa, sb))
    if strict and pa != pb:
        if (
            min(la, lb) >= ROMAN_MIN_LEN
            and romanisation_key(a) == romanisation_key(b)
            and not (is_common_word(a) and is_common_word(b))
        ):
            # Two romanisations of one foreign word ("Abdalla" / "Abdulla", "Verkhnyaya" /
            # "Werchnjaja"), not two English words: no strict penalty.
            return max(sim, ROMANISED_SIM)
        if min(la, lb) >= TYPO_MIN_LEN and OSA.distance(a, b) == 1:
            common_a, common_b = is_english_word(a), is_english_word(b)
            if common_a != common_b or (not common_a and Levenshtein.distance(a, b) == 2):
                # A typo: one letter off an ordinary word ("Crpwn" / "Crown"), or two letters
                # of a name swapped ("Mainpahrma"): no strict penalty.
                return max(sim, TYPO_SIM)
        if a.startswith(b) or a.endswith(b) or b.startswith(a) or b.endswith(a):
            return 0.0  # "Star" / "Stars", "Rightstone" / "Wrightstone": another word
        sim = 1.0 - STRICT_EDIT * (1.0 - sim)
    return sim if sim >= MIN_SIM else 0.0


Mode = tuple[float, bool, bool, str]  # skeleton trust, strict spelling, people, reading
Span = tuple[int, int, str, str, str]  # first word, end, text, phonetic key, skeleton
Hits = tuple[tuple[int, float], ...]  # (query span number, similarity) for one candidate span
SpanMemo = dict[str, Hits]  # by PreparedForm.keys


def _spans(form: NameForm, lossy: float) -> list[Span]:
    toks = form.tokens
    out: list[Span] = []
    n = len(toks)
    skel: tuple[str, ...] | None = None
    if lossy == SYLLABIC_TRUST:
        # The loan-word skeleton for words of some length; one syllable ("zheng" / "jon") keeps
        # the finer plain skeleton.
        skel = tuple(ls if len(ls := loan_skeleton(t)) >= 3 else skeleton(t) for t in toks)
    elif lossy == ABJAD_TRUST:
        skel = form.skeletons if form.lossy == lossy else tuple(abjad_skeleton(t) for t in toks)
    elif lossy:
        skel = form.skeletons if form.lossy == lossy else tuple(skeleton(t) for t in toks)
    for size in range(1, min(MAX_SPAN, n) + 1):
        for i in range(n - size + 1):
            j = i + size
            if size == 1:
                text, phon = toks[i], form.phonetic[i]
            else:
                text, phon = "".join(toks[i:j]), "".join(form.phonetic[i:j])
            # Loan-word skeletons are too coarse for joined words ("jin zheng en" would meet
            # "Jon Jin Yong"): in that mode they only compare single words.
            sk = "".join(skel[i:j]) if skel and (size == 1 or lossy != SYLLABIC_TRUST) else ""
            out.append((i, j, text, phon, sk))
    return out


def _weights(form: NameForm, weigh: Weigher) -> list[float]:
    return [weigh(t) * (MINOR_FACTOR if m else 1.0) for t, m in zip(form.tokens, form.minor, strict=True)]


@dataclass(frozen=True, slots=True)
class PreparedForm:
    """A name form ready to align in one transliteration mode: its spans (one to three adjacent
    words), the weight of each word and of each span, and a memo key per span. Made once per
    form and mode, then reused (a query's forms meet ~13 candidate forms, an index form many
    queries)."""

    form: NameForm
    spans: list[Span]
    weights: list[float]
    masses: list[float]  # summed word weights of each span
    keys: list[str]  # text, phonetic key, skeleton and whether it joins words, in one string


def prepare(form: NameForm, lossy: float, weigh: Weigher) -> PreparedForm:
    """The spans and weights of ``form`` for comparisons in mode ``lossy``."""
    spans = _spans(form, lossy)
    weights = _weights(form, weigh)
    masses = [sum(weights[i:j]) for i, j, _, _, _ in spans]
    keys = [f"{t}\0{p}\0{k}\0{j - i > 1:d}" for i, j, t, p, k in spans]
    return PreparedForm(form, spans, weights, masses, keys)


def span_hits(qspans: list[Span], span: Span, mode: Mode) -> Hits:
    """The query spans one candidate span aligns with, and their similarities."""
    lossy, strict, people, reading = mode
    ci, cj, ct, cp, ck = span
    c_multi = cj - ci > 1
    lc = len(ct)
    c_digit = ct.isdigit()
    out: list[tuple[int, float]] = []
    for qsi, (qi, qj, qt, qp, qk) in enumerate(qspans):
        q_multi = qj - qi > 1
        if q_multi and c_multi:
            continue
        lq = len(qt)
        if qt != ct and (
            c_digit or (not qk and lq > 1 and lc > 1 and (lq * 5 < lc * 3 or lc * 5 < lq * 3)) or qt.isdigit()
        ):
            sim = 0.0  # what token_similarity says first for these (digits, lengths far apart)
        else:
            sim = token_similarity(qt, ct, qp, cp, qk, ck, lossy, strict)
        if people and sim < GIVEN_NAME_SIM and not q_multi and not c_multi and same_given_name(qt, ct):
            sim = GIVEN_NAME_SIM
        if reading and 0.0 < sim < 0.95 and not q_multi and not c_multi:
            # The Latin word would be written otherwise in the other name's script ("Galindo"
            # is garindo in katakana, not gurenda; "Ivanovich" is not nnsy in Hebrew): its
            # consonants agreeing with the other word's is chance.
            native, latin = (qt, ct) if reading[0] == "q" else (ct, qt)
            if reading[2:] == "kana":
                if Levenshtein.normalized_similarity(native, katakana_reading(latin)) < KANA_GATE:
                    sim = 0.0
            elif Levenshtein.normalized_similarity(abjad_letters(native), abjad_reading(latin)) < ABJAD_GATE:
                sim = 0.0
        if sim > 0.0:
            if (q_multi or c_multi) and sim < 0.8:
                continue
            out.append((qsi, sim))
    return tuple(out)


def pair_lossy(q: NameForm, c: NameForm) -> float:
    """Trust in consonant skeletons for this pair: none when both names were romanised from
    scripts of one kind (the same scheme spelled both, so spellings compare as they are)."""
    if q.translit and c.translit and q.lossy == c.lossy:
        return 0.0
    return max(q.lossy, c.lossy)


def compare_forms(q: NameForm, c: NameForm, weigh: Weigher) -> NameScore:
    """Align two name forms and score the alignment (symmetric in its two arguments)."""
    lossy = pair_lossy(q, c)
    return align(prepare(q, lossy, weigh), prepare(c, lossy, weigh), {})


def mode_of(q: NameForm, c: NameForm) -> Mode:
    """(skeleton trust, strict spelling, people, reading) for comparing these two forms.
    Spelling is strict for organisation names written in one script: a name romanised from
    another script may be spelled any of several ways. A sole trader's name is compared as a
    person's. ``reading`` says which side ("q:" or "c:") is written in katakana or an abjad
    when the other is spelled in full (Latin, Cyrillic), and which ("kana", "abjad"): its Latin words are then
    checked against how that script would write them."""
    lossy = pair_lossy(q, c)
    # A sole trader ("IP", "FOP", "Einzelunternehmen") trades under a person's name.
    sole = "sole" in q.legal_forms or "sole" in c.legal_forms
    org_like = q.kind in (ORG, VESSEL) and c.kind in (ORG, VESSEL) and not sole
    people = PERSON in (q.kind, c.kind) or (q.kind == c.kind == ANY) or sole
    # (the other side written in full: Latin, or an alphabet such as Cyrillic romanised)
    reading = (
        f"q:{q.reading}"
        if q.reading and not c.lossy
        else f"c:{c.reading}"
        if c.reading and not q.lossy
        else ""
    )
    return lossy, org_like and not lossy and q.translit == c.translit, people, reading


def align(qf: PreparedForm, cf: PreparedForm, memo: SpanMemo) -> NameScore:
    """Align two prepared forms (of one mode) and score the alignment. ``memo`` keeps, per
    candidate span, the query spans it aligns with, valid for this query form and mode only."""
    q, c = qf.form, cf.form
    lossy = pair_lossy(q, c)
    if q.tokens == c.tokens:
        return NameScore(1.0, q, c, tuple((t, t, 1.0) for t in q.tokens), "identical")
    mode = mode_of(q, c)
    org_like = q.kind in (ORG, VESSEL) and c.kind in (ORG, VESSEL) and not mode[2]
    strict = mode[1]
    qs, cs = qf.spans, cf.spans
    wq, wc = qf.weights, cf.weights
    q_mass, c_mass = qf.masses, cf.masses
    # (-similarity, -weight, query span, candidate span): best similarity first; among equals,
    # the pair carrying more weight (symmetric), then the order of the spans.
    cands: list[tuple[float, float, int, int]] = []
    for csi, key in enumerate(cf.keys):
        hits = memo.get(key)
        if hits is None:
            hits = memo[key] = span_hits(qs, cs[csi], mode)
        for qsi, sim in hits:
            cands.append((-sim, -(q_mass[qsi] + c_mass[csi]), qsi, csi))
    cands.sort()
    q_used = [False] * len(q.tokens)
    c_used = [False] * len(c.tokens)
    matched = 0.0
    matched_w = 0.0
    pairs: list[tuple[str, str, float]] = []
    for neg_sim, _, qsi, csi in cands:
        qi, qj, qt, _, _ = qs[qsi]
        ci, cj, ct, _, _ = cs[csi]
        if any(q_used[qi:qj]) or any(c_used[ci:cj]):
            continue
        for k in range(qi, qj):
            q_used[k] = True
        for k in range(ci, cj):
            c_used[k] = True
        sim = -neg_sim
        w = q_mass[qsi] + c_mass[csi]
        matched += (sim**SIM_POWER) * w
        matched_w += w
        qt, ct = (qt + "|" + ct).split("|", 1)
        pairs.append((qt, ct, round(sim, 3)))
    lam = UNMATCHED.get(q.kind, UNMATCHED_ANY) if q.kind == c.kind else UNMATCHED_ANY
    if PERSON in (q.kind, c.kind) and ORG not in (q.kind, c.kind):
        lam = UNMATCHED[PERSON]
    q_minor, c_minor = q.minor, c.minor
    q_left = [k for k, used in enumerate(q_used) if not used]
    c_left = [k for k, used in enumerate(c_used) if not used]
    if not all([q_minor[k] for k in q_left]) and not all([c_minor[k] for k in c_left]):
        lam = 1.0  # both names have words of their own: other people, not a missing middle name
    elif lossy == SYLLABIC_TRUST and (q.translit and q_left or c.translit and c_left):
        lam = 1.0  # a syllable left over is part of a word, not a missing middle name
    # (lists, not generators, in the sums: the same values in the same order, made faster)
    unmatched = sum([wq[k] for k in q_left]) + sum([wc[k] for k in c_left])
    total = matched_w + lam * unmatched
    score = matched / total if total > 0 else 0.0
    note = "transliterated" if lossy else "fuzzy"
    strong_weight = min(
        sum([wq[k] for k, used in enumerate(q_used) if used and not q_minor[k]]),
        sum([wc[k] for k, used in enumerate(c_used) if used and not c_minor[k]]),
    )
    if strong_weight < WEAK_EVIDENCE and score > WEAK_CAP:
        # Agreeing on one common word ("Mohammed") is not enough to call a match.
        score = WEAK_CAP
    strong = [p for p in pairs if min(len(p[0]), len(p[1])) > 1]
    if len(strong) == 1 and (len(q_left) + len(c_left)) > 0:
        # One shared word is weak evidence when either name has more to it.
        score *= 0.8
        note = "one word in common"
    if org_like and score > 0:
        q_own = [q.tokens[k] for k in q_left if not q.minor[k]]
        c_own = [c.tokens[k] for k in c_left if not c.minor[k]]
        places = country_words()
        if q_own and c_own:
            # "Zhejiang Yongxu Chemical" / "... Pharmaceutical": one business, not the other.
            score *= SUBSTITUTION
            note = f"different words ({q_own[0]} / {c_own[0]})"
        if any(t in places for t in q_own + c_own):
            score *= OTHER_PLACE
            note = "another country named"
    q_nums = {q.tokens[k] for k in q_left if q.tokens[k][:1].isdigit()}
    c_nums = {c.tokens[k] for k in c_left if c.tokens[k][:1].isdigit()}
    if q_nums and c_nums:
        score *= 0.5
        note = "different numbers"
    one_word = 1 in (len(q.tokens), len(c.tokens))
    if one_word and q.tokens != c.tokens and min(len(q.glued), len(c.glued)) > 5:
        glued = Levenshtein.normalized_similarity(q.glued, c.glued)
        if strict:
            glued = max(0.0, 1.0 - STRICT_EDIT * (1.0 - glued))
        glued = glued**SIM_POWER
        if glued > score:
            return NameScore(glued, q, c, ((q.glued, c.glued, round(glued, 3)),), "written together")
    return NameScore(score, q, c, tuple(pairs), note)


def compare_names(
    query: tuple[NameForm, ...], candidate: tuple[NameForm, ...], weigh: Weigher
) -> NameScore | None:
    """The best-scoring pair of forms of two parties' names (None if either has none)."""
    best: NameScore | None = None
    for q in query:
        for c in candidate:
            result = compare_forms(q, c, weigh)
            if best is None or result.score > best.score:
                best = result
                if result.score >= 1.0:
                    return best
    return best


def describe(result: NameScore) -> str:
    """Plain-English account of a name alignment."""
    aligned = ", ".join(f"{a}={b}" if a == b else f"{a}~{b} ({s:.2f})" for a, b, s in result.pairs)
    return (
        f"name {result.query.original!r} ~ {result.candidate.original!r} "
        f"({result.note}, {result.score:.2f}; aligned: {aligned or 'nothing'})"
    )
