"""Name comparison: align the words of two names, weigh them, explain the alignment.

Words are aligned greedily, best pair first. A word may align with two or three adjacent words
of the other name joined ("Abdalla" ~ "Abd Alla", "Saebyeokbyeol" ~ "sae byeog byeol"). Each
aligned pair contributes its similarity times its weight (rare words weigh more than "trading"
or "al"); words left unaligned count against the score, less so for people (a missing middle
name or patronymic is common) than for organisations (an extra "Holdings" is another company).
The tuning constants live in :mod:`sanctions.matching.names.policy`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein

from sanctions.matching.names.policy import (
    ABJAD_GATE,
    BUSINESS_SIM,
    GIVEN_NAME_SIM,
    GLUED_MIN_LEN,
    INITIAL_SIM,
    JOINED_MIN_SIM,
    KANA_GATE,
    MAX_SPAN,
    MIN_SIM,
    MINOR_FACTOR,
    ONE_WORD_FACTOR,
    OTHER_NUMBER,
    OTHER_PLACE,
    PHONETIC_SIM,
    ROMAN_MIN_LEN,
    ROMANISED_SIM,
    SIM_POWER,
    SKELETON_INFO,
    STRICT_EDIT,
    SUBSTITUTION,
    TYPO_MIN_LEN,
    TYPO_SIM,
    UNMATCHED,
    UNMATCHED_ANY,
    WEAK_CAP,
    WEAK_EVIDENCE,
)
from sanctions.text.keys import (
    abjad_letters,
    abjad_reading,
    abjad_skeleton,
    loan_skeleton,
    romanisation_key,
    skeleton,
)
from sanctions.text.lexicon import is_common_word, is_english_word
from sanctions.text.loans import loan_similarity
from sanctions.text.names import ANY, ORG, PERSON, VESSEL, NameForm
from sanctions.text.phrases import country_words, given_name_groups, same_business_word
from sanctions.text.scripts import Lossiness
from sanctions.text.translit import katakana_reading

Weigher = Callable[[str], float]
_edit_similarity = OSA.normalized_similarity  # Levenshtein, a swap of neighbours counting one edit
_skeleton_similarity = JaroWinkler.normalized_similarity


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
        return INITIAL_SIM if a[0] == b[0] else 0.0
    if not sa and (la * 5 < lb * 3 or lb * 5 < la * 3):
        return 0.0  # lengths too far apart for a similarity of MIN_SIM
    return _spelling_similarity(a, b, pa, pb, sa, sb, trust, strict)


def _spelling_similarity(
    a: str, b: str, pa: str, pb: str, sa: str, sb: str, trust: float, strict: bool
) -> float:
    """:func:`token_similarity` of two different words, neither a number, both longer than
    one letter, once the quick answers are ruled out."""
    sim = _edit_similarity(a, b)
    if pa == pb:
        if sim < PHONETIC_SIM:
            sim = PHONETIC_SIM
    elif sim < PHONETIC_SIM:
        phonetic = PHONETIC_SIM * _edit_similarity(pa, pb)
        if phonetic > sim:
            sim = phonetic
    if sa and sb and sim < 0.9:
        # Skeletons of one or two consonants collide by chance ("byw" / "Ayyub": p / p), so
        # their agreement counts for less than that of longer ones.
        skeletal = trust * SKELETON_INFO[min(len(sa), len(sb), 3)] * _skeleton_similarity(sa, sb)
        if skeletal > sim:
            sim = skeletal
    if strict and pa != pb:
        la, lb = len(a), len(b)
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


Hits = tuple[tuple[int, float], ...]  # (query span number, similarity) for one candidate span
SpanMemo = dict[str, Hits]  # by PreparedForm.keys
Mode = tuple[Lossiness, bool, bool, str]  # skeleton trust, strict spelling, people, reading: see mode_of

# One span (one to three adjacent words) as span_hits compares it: (span number, text (the words
# joined), phonetic key, skeleton, text length, phonetic key length, whether the text is a
# number, the given-name groups of a one-word span).
SpanRow = tuple[int, str, str, str, int, int, bool, frozenset[int] | None]


def _skeletons(form: NameForm, lossy: Lossiness) -> tuple[str, ...] | None:
    """The skeleton of each word for comparisons in mode ``lossy`` (None: none compared)."""
    if lossy is Lossiness.SYLLABIC:
        # The loan-word skeleton for words of some length; one syllable ("zheng" / "jon") keeps
        # the finer plain skeleton.
        return tuple(ls if len(ls := loan_skeleton(t)) >= 3 else skeleton(t) for t in form.tokens)
    if lossy is Lossiness.ABJAD:
        return form.skeletons if form.lossy is lossy else tuple(abjad_skeleton(t) for t in form.tokens)
    if lossy:
        return form.skeletons if form.lossy is lossy else tuple(skeleton(t) for t in form.tokens)
    return None


def _weights(form: NameForm, weigh: Weigher) -> list[float]:
    return [weigh(t) * (MINOR_FACTOR if m else 1.0) for t, m in zip(form.tokens, form.minor, strict=True)]


@dataclass(frozen=True, slots=True)
class PreparedForm:
    """A name form ready to align in one transliteration mode: its spans (one to three adjacent
    words; the one-word spans first, in word order, then those of two words, then three), the
    weight of each word and of each span, and a memo key per span. Made once per form and mode,
    then reused (a query's forms meet ~13 candidate forms, an index form many queries).

    Sets of words are bits of an int (bit k for word k): ``bits`` per span, all the words
    (``full``), those that are not minor (particles, initials) and those that start with a digit.
    """

    form: NameForm
    weights: list[float]
    masses: list[float]  # summed word weights of each span
    keys: list[str]  # text, phonetic key, skeleton and whether it joins words, in one string
    rows: list[SpanRow]  # per span, what span_hits compares
    singles: list[SpanRow]  # the rows of the one-word spans
    multis: list[SpanRow]  # the rows of the spans joining words
    bits: list[int]  # per span, its words
    full: int
    major_bits: int
    number_bits: int
    major_weight: float  # weight_of(major_bits)
    sums: dict[int, float] = field(default_factory=dict)  # weight_of, remembered by bits

    def weight_of(self, bits: int) -> float:
        """The summed weight of the words set in ``bits``: the sum of the list of their weights in
        word order (0 for none)."""
        if not bits:
            return 0
        if bits == self.major_bits:
            return self.major_weight
        found = self.sums.get(bits)
        if found is None:
            found = self.sums[bits] = sum([w for k, w in enumerate(self.weights) if bits >> k & 1])
        return found


def prepare(form: NameForm, lossy: Lossiness, weigh: Weigher) -> PreparedForm:
    """The spans and weights of ``form`` for comparisons in mode ``lossy``."""
    toks, phon = form.tokens, form.phonetic
    n = len(toks)
    skel = _skeletons(form, lossy)
    weights = _weights(form, weigh)
    groups = given_name_groups()
    masses = list(weights)  # (a one-word span's mass: its word's weight)
    keys: list[str] = []
    rows: list[SpanRow] = []
    bits: list[int] = []
    major_bits = number_bits = 0
    for i, t in enumerate(toks):
        p, k = phon[i], skel[i] if skel else ""
        keys.append(f"{t}\0{p}\0{k}\0w")  # (w: one word, j: joined words)
        rows.append((i, t, p, k, len(t), len(p), t.isdigit(), groups.get(t)))
        bits.append(1 << i)
        if not form.minor[i]:
            major_bits |= 1 << i
        if t[:1].isdigit():
            number_bits |= 1 << i
    # Loan-word skeletons are too coarse for joined words ("jin zheng en" would meet "Jon Jin
    # Yong"): in that mode they only compare single words.
    joined_skel = skel if lossy is not Lossiness.SYLLABIC else None
    for size in range(2, min(MAX_SPAN, n) + 1):
        for i in range(n - size + 1):
            j = i + size
            t, p = "".join(toks[i:j]), "".join(phon[i:j])
            k = "".join(joined_skel[i:j]) if joined_skel else ""
            masses.append(sum(weights[i:j]))
            keys.append(f"{t}\0{p}\0{k}\0j")
            rows.append((len(rows), t, p, k, len(t), len(p), t.isdigit(), None))
            bits.append(((1 << size) - 1) << i)
    major_weight = sum([w for k, w in enumerate(weights) if major_bits >> k & 1]) if major_bits else 0
    return PreparedForm(
        form,
        weights,
        masses,
        keys,
        rows,
        rows[:n],
        rows[n:],
        bits,
        (1 << n) - 1,
        major_bits,
        number_bits,
        major_weight,
    )


def span_hits(qf: PreparedForm, row: SpanRow, joined: bool, mode: Mode) -> Hits:
    """The spans of the query form ``qf`` that one candidate span (``row``, joining words if
    ``joined``) aligns with, and their similarities (in the order of the query spans).

    Two one-word spans compare as :func:`token_similarity` says (its quick answers made here
    first), or as two forms of one given name between people; two spans that both join words
    are not compared (see :func:`_joined_hits` for the others)."""
    out: list[tuple[int, float]] = []
    if joined:
        _joined_hits(qf.singles, row, mode, out)
        return tuple(out)
    lossy, strict, people, reading = mode
    _, ct, cp, ck, lc, _, c_digit, c_given = row
    given = c_given if people else None
    for qsi, qt, qp, qk, lq, _, q_digit, q_given in qf.singles:
        if qt == ct:
            sim = 1.0
        elif c_digit or q_digit:
            sim = 0.0
        elif lq == 1 or lc == 1:
            sim = INITIAL_SIM if qt[0] == ct[0] else 0.0
        elif not qk and (lq * 5 < lc * 3 or lc * 5 < lq * 3):
            sim = 0.0  # lengths too far apart for a similarity of MIN_SIM
        else:
            sim = _spelling_similarity(qt, ct, qp, cp, qk, ck, lossy, strict)
        if (
            sim < GIVEN_NAME_SIM
            and given is not None
            and q_given is not None
            and not given.isdisjoint(q_given)
        ):
            sim = GIVEN_NAME_SIM
        elif sim < BUSINESS_SIM and same_business_word(qt, ct) and is_english_word(qt) != is_english_word(ct):
            # A business word and its English translation ("Molochnyi Zavod" / "Dairy Plant");
            # two words of one language ("Star" / "Stars", "Kaiun" / "Kisen") stay two words.
            sim = BUSINESS_SIM
        if reading and sim < 0.95:
            sim = _read_similarity(qt, ct, reading, sim, lossy)
        if sim > 0.0:
            out.append((qsi, sim))
    if qf.multis:
        _joined_hits(qf.multis, row, mode, out)
    return tuple(out)


def _read_similarity(qt: str, ct: str, reading: str, sim: float, trust: float) -> float:
    """``sim`` of two words, one in the script named by ``reading`` (see :func:`mode_of`),
    checked against how that script writes the other: a Chinese or Korean rendering close to a
    Latin spelling its syllables stand for counts that much ("tuodi" / "Totti"); a skeleton
    agreement with a katakana or abjad word that the script would write otherwise is dropped."""
    script = reading[2:]
    if script in ("han", "hangul"):
        native, latin = (qt, ct) if reading[0] == "q" else (ct, qt)
        if len(latin) >= 3:
            loan = trust * loan_similarity(native, latin, script)
            if loan >= MIN_SIM and loan > sim:
                return loan
        return sim
    if sim > 0.0 and not _reads_alike(qt, ct, reading):
        return 0.0
    return sim


def _reads_alike(qt: str, ct: str, reading: str) -> bool:
    """Whether the Latin word of the two would be written like the other in its script (see
    :func:`mode_of`). If not ("Galindo" is garindo in katakana, not gurenda; "Ivanovich" is
    not nnsy in Hebrew), their consonants agreeing is chance."""
    native, latin = (qt, ct) if reading[0] == "q" else (ct, qt)
    if reading[2:] == "kana":
        return _edit_similarity(native, katakana_reading(latin)) >= KANA_GATE
    return _edit_similarity(abjad_letters(native), abjad_reading(latin)) >= ABJAD_GATE


def _joined_hits(qrows: list[SpanRow], row: SpanRow, mode: Mode, out: list[tuple[int, float]]) -> None:
    """Add to ``out`` the query spans of ``qrows`` that the candidate span ``row`` aligns with,
    where one of the two joins words and the other does not: such a pair needs a
    :func:`token_similarity` of 0.8. A pair is passed over without computing it when neither
    its texts' lengths nor its (different) phonetic keys' lengths allow 0.8 and there is no
    pair of skeletons to compare (a normalised edit similarity is at most the shorter length
    over the longer; that of the phonetic keys counts 0.95 times). The integer tests below are
    those bounds for ``JOINED_MIN_SIM`` 0.8 and ``PHONETIC_SIM`` 0.95, exact (no float rounding)."""
    lossy, strict, _, _ = mode
    _, ct, cp, ck, lc, lcp, c_digit, _ = row
    for qsi, qt, qp, qk, lq, lqp, q_digit, _ in qrows:
        if qt == ct:
            out.append((qsi, 1.0))
        elif c_digit or q_digit:
            continue
        elif lq == 1 or lc == 1:
            if qt[0] == ct[0]:
                out.append((qsi, INITIAL_SIM))
        elif (not qk and (lq * 5 < lc * 3 or lc * 5 < lq * 3)) or (
            qp != cp
            and not (qk and ck)
            and (lq * 5 < lc * 4 if lq < lc else lc * 5 < lq * 4)
            and (lqp * 95 < lcp * 80 if lqp < lcp else lcp * 95 < lqp * 80)
        ):
            continue
        else:
            sim = _spelling_similarity(qt, ct, qp, cp, qk, ck, lossy, strict)
            if sim >= JOINED_MIN_SIM:
                out.append((qsi, sim))


def pair_lossy(q: NameForm, c: NameForm) -> Lossiness:
    """Trust in consonant skeletons for this pair: none when both names were romanised from
    scripts of one kind (the same scheme spelled both, so spellings compare as they are)."""
    if q.translit and c.translit and q.lossy is c.lossy:
        return Lossiness.NONE
    return max(q.lossy, c.lossy)


def compare_forms(q: NameForm, c: NameForm, weigh: Weigher) -> NameScore:
    """Align two name forms and score the alignment (symmetric in its two arguments)."""
    mode = mode_of(q, c)
    return align(prepare(q, mode[0], weigh), prepare(c, mode[0], weigh), {}, mode)


def mode_of(q: NameForm, c: NameForm) -> Mode:
    """(skeleton trust, strict spelling, people, reading) for comparing these two forms.

    Spelling is strict for organisation names written in one script: a name romanised from
    another script may be spelled any of several ways. A sole trader's name is compared as a
    person's. ``reading`` says which side ("q:" or "c:") is written in katakana or an abjad
    when the other is spelled in full (Latin, or an alphabet such as Cyrillic), and which
    ("kana", "abjad"): the other side's words are then checked against how that script would
    write them.
    """
    lossy = pair_lossy(q, c)
    # A sole trader ("IP", "FOP", "Einzelunternehmen") trades under a person's name.
    sole = "sole" in q.legal_forms or "sole" in c.legal_forms
    org_like = q.kind in (ORG, VESSEL) and c.kind in (ORG, VESSEL) and not sole
    people = PERSON in (q.kind, c.kind) or (q.kind == c.kind == ANY) or sole
    reading = (
        f"q:{q.reading}"
        if q.reading and not c.lossy
        else f"c:{c.reading}"
        if c.reading and not q.lossy
        else ""
    )
    return lossy, org_like and not lossy and q.translit == c.translit, people, reading


def align(qf: PreparedForm, cf: PreparedForm, memo: SpanMemo, mode: Mode | None = None) -> NameScore:
    """Align two prepared forms (of one mode) and score the alignment. ``memo`` keeps, per
    candidate span, the query spans it aligns with, valid for this query form and mode only
    (``mode``: :func:`mode_of` the two forms, computed when not given)."""
    q, c = qf.form, cf.form
    if q.tokens == c.tokens:
        return NameScore(1.0, q, c, tuple((t, t, 1.0) for t in q.tokens), "identical")
    if mode is None:
        mode = mode_of(q, c)
    lossy, strict, people, _ = mode
    org_like = q.kind in (ORG, VESSEL) and c.kind in (ORG, VESSEL) and not people
    q_mass, c_mass = qf.masses, cf.masses
    # (-similarity, -weight, query span, candidate span): best similarity first; among equals,
    # the pair carrying more weight (symmetric), then the order of the spans.
    cands: list[tuple[float, float, int, int]] = []
    c_rows, c_size = cf.rows, len(c.tokens)
    for csi, key in enumerate(cf.keys):
        hits = memo.get(key)
        if hits is None:
            hits = memo[key] = span_hits(qf, c_rows[csi], csi >= c_size, mode)
        if hits:
            cm = c_mass[csi]
            for qsi, sim in hits:
                cands.append((-sim, -(q_mass[qsi] + cm), qsi, csi))
    pairs: list[tuple[str, str, float]] = []
    note = "transliterated" if lossy else "fuzzy"
    if not cands:
        # Nothing aligns: no weight matched, a score of 0 (what the general case gives).
        score = 0.0
        q_left, c_left = qf.full, cf.full
    else:
        score, note, q_left, c_left = _score_pairs(qf, cf, cands, pairs, note, lossy)
        if org_like and score > 0:
            q_own_bits, c_own_bits = q_left & qf.major_bits, c_left & cf.major_bits
            q_own = [t for k, t in enumerate(q.tokens) if q_own_bits >> k & 1]
            c_own = [t for k, t in enumerate(c.tokens) if c_own_bits >> k & 1]
            places = country_words()
            if q_own and c_own:
                # "Zhejiang Yongxu Chemical" / "... Pharmaceutical": one business, not the other.
                score *= SUBSTITUTION
                note = f"different words ({q_own[0]} / {c_own[0]})"
            if any(t in places for t in q_own + c_own):
                score *= OTHER_PLACE
                note = "another country named"
    if q_left & qf.number_bits and c_left & cf.number_bits:
        score *= OTHER_NUMBER
        note = "different numbers"
    one_word = 1 in (len(q.tokens), len(c.tokens))
    if one_word and min(len(q.glued), len(c.glued)) > GLUED_MIN_LEN:
        glued = _edit_similarity(q.glued, c.glued)
        if strict:
            glued = max(0.0, 1.0 - STRICT_EDIT * (1.0 - glued))
        glued = glued**SIM_POWER
        if glued > score:
            return NameScore(glued, q, c, ((q.glued, c.glued, round(glued, 3)),), "written together")
    return NameScore(score, q, c, tuple(pairs), note)


def _score_pairs(
    qf: PreparedForm,
    cf: PreparedForm,
    cands: list[tuple[float, float, int, int]],
    pairs: list[tuple[str, str, float]],
    note: str,
    lossy: Lossiness,
) -> tuple[float, str, int, int]:
    """Align greedily, best candidate pair first (``cands``, sorted here), and weigh the result:
    (score, note, words left unaligned in the query and in the candidate). The aligned words
    and their similarities are added to ``pairs``."""
    q, c = qf.form, cf.form
    cands.sort()
    q_rows, c_rows, q_bits, c_bits = qf.rows, cf.rows, qf.bits, cf.bits
    q_full, c_full = qf.full, cf.full
    q_used = c_used = 0
    matched = 0.0
    matched_w = 0.0
    strong = 0  # pairs of words longer than one letter
    for neg_sim, neg_w, qsi, csi in cands:
        qb, cb = q_bits[qsi], c_bits[csi]
        if q_used & qb or c_used & cb:
            continue
        q_used |= qb
        c_used |= cb
        sim = -neg_sim
        w = -neg_w
        matched += (sim**SIM_POWER) * w
        matched_w += w
        qrow, crow = q_rows[qsi], c_rows[csi]
        pairs.append((qrow[1], crow[1], round(sim, 3)))
        if qrow[4] > 1 and crow[4] > 1:
            strong += 1
        if q_used == q_full or c_used == c_full:
            break  # no span left to align on one side
    lam = UNMATCHED.get(q.kind, UNMATCHED_ANY) if q.kind == c.kind else UNMATCHED_ANY
    if PERSON in (q.kind, c.kind) and ORG not in (q.kind, c.kind):
        lam = UNMATCHED[PERSON]
    q_left, c_left = q_full & ~q_used, c_full & ~c_used
    if q_left & qf.major_bits and c_left & cf.major_bits:
        lam = 1.0  # both names have words of their own: other people, not a missing middle name
    elif lossy is Lossiness.SYLLABIC and (q.translit and q_left or c.translit and c_left):
        lam = 1.0  # a syllable left over is part of a word, not a missing middle name
    unmatched = qf.weight_of(q_left) + cf.weight_of(c_left)
    total = matched_w + lam * unmatched
    score = matched / total if total > 0 else 0.0
    strong_weight = min(qf.weight_of(q_used & qf.major_bits), cf.weight_of(c_used & cf.major_bits))
    if strong_weight < WEAK_EVIDENCE and score > WEAK_CAP:
        # Agreeing on one common word ("Mohammed") is not enough to call a match.
        score = WEAK_CAP
    if strong == 1 and (q_left or c_left):
        # One shared word is weak evidence when either name has more to it.
        score *= ONE_WORD_FACTOR
        note = "one word in common"
    return score, note, q_left, c_left


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
    aligned = ", ".join([f"{a}={b}" if a == b else f"{a}~{b} ({s:.2f})" for a, b, s in result.pairs])
    return (
        f"name {result.query.original!r} ~ {result.candidate.original!r} "
        f"({result.note}, {result.score:.2f}; aligned: {aligned or 'nothing'})"
    )
