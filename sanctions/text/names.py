"""Names to comparable forms: variants, romanisations, tokens without legal forms or honorifics.

One written name gives one or more :class:`NameForm`: "Ocean Pioneer (ex-Cape Diamond)" gives
"ocean pioneer" and "cape diamond"; "Сергей Когогин" gives its BGN and ISO romanisations.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from sanctions.text.keys import abjad_skeleton, phonetic_key, skeleton
from sanctions.text.phrases import (
    abbreviation_table,
    honorific_table,
    label_table,
    legal_form_table,
    org_stopwords,
    particles,
    vessel_prefix_table,
)
from sanctions.text.scripts import Lossiness, is_latin, lossiness, scripts_of
from sanctions.text.translit import latin_forms

PERSON, ORG, VESSEL, ANY = "person", "org", "vessel", "any"
MAX_NAME_CHARS = 300
MAX_TOKENS = 12

_EX_NAME = re.compile(r"\(\s*(?:ex|f\.?k\.?a\.?|formerly|a\.?k\.?a\.?|previously)[\s.:\-]+([^)]+)\)", re.I)
_INLINE_ALIAS = re.compile(r"\s+(?:f\.k\.a\.?|a\.k\.a\.?|fka|aka|formerly known as|also known as)\s+", re.I)
_TRAILING_PARENS = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")
_LABEL_PREFIX = re.compile(r"^[^:]{1,40}:\s*(?=\S)")
# A voyage reference after a ship's name in trade documents ("V.214W", "Voy. 031E").
_VOYAGE = re.compile(r"\s+(?:v\.|voy\.?|voyage)\s*\d{1,4}[nsew]?\s*$", re.I)
_KANA_TEXT = frozenset({"Katakana", "Latin"})
_ABJADS = frozenset({"Arabic", "Hebrew"})


_GENERATIONS = {
    "jr": "jr",
    "junior": "jr",
    "sr": "sr",
    "snr": "sr",
    "senior": "sr",
    "ii": "2",
    "2nd": "2",
    "iii": "3",
    "3rd": "3",
    "iv": "4",
    "4th": "4",
}


def _generation(tokens: list[str]) -> str:
    """The generational suffix of a person's name ("Robert Smith Jr", "SMITH SR, Robert"): a
    marker after the first word ("Sr" first is "Señor")."""
    for token in tokens[1:]:
        found = _GENERATIONS.get(token)
        if found:
            return found
    return ""


def _reading(scripts: frozenset[str]) -> str:
    """Which script's way of writing Latin words a name in ``scripts`` is checked with."""
    if "Katakana" in scripts and scripts <= _KANA_TEXT:
        return "kana"
    if "Hangul" in scripts:
        return "hangul"
    if "Han" in scripts and not scripts & {"Hiragana", "Katakana"}:
        return "han"
    if scripts & _ABJADS and scripts <= _ABJADS | {"Latin"}:
        return "abjad"
    return ""


_CUT = re.compile(r",|\s+-\s+|\s+c/o\s+", re.I)
_ROMAN = {
    "ii": "2",
    "iii": "3",
    "iv": "4",
    "vi": "6",
    "vii": "7",
    "viii": "8",
    "ix": "9",
    "xi": "11",
    "xii": "12",
}
_NUMBER_WORDS = frozenset({"no", "number", "nr", "num"})


@dataclass(frozen=True, slots=True)
class NameForm:
    """One comparable rendering of a name.

    ``tokens`` are lower-case ASCII words with legal forms, honorifics, labels and vessel
    prefixes removed and abbreviations expanded; ``minor`` flags particles, function words and
    initials that weigh little; ``glued`` is every token joined, legal forms included, for
    names written without spaces.
    """

    original: str
    tokens: tuple[str, ...]
    phonetic: tuple[str, ...]
    skeletons: tuple[str, ...]
    minor: tuple[bool, ...]
    kind: str
    lossy: Lossiness  # what romanising the name's script lost (which skeletons compare it)
    legal_forms: frozenset[str]
    glued: str
    translit: bool = False  # romanised from another script (spellings vary with the scheme)
    reading: str = ""  # "kana" (katakana), "abjad" (Arabic, Hebrew), "han" or "hangul": Latin
    # words are checked against how that script writes them
    generation: str = ""  # a person's generational suffix: "jr", "sr", "2", "3", "4"


def kind_of(schema: str | None) -> str:
    """The comparison kind of an FtM schema name: person, org, vessel or any."""
    if schema == "Person":
        return PERSON
    if schema in ("Organization", "Company", "LegalEntity", "PublicBody"):
        return ORG
    if schema in ("Vessel", "Aircraft"):
        return VESSEL
    return ANY


def _text_variants(value: str, kind: str) -> list[str]:
    """Structural variants of the written name: aliases inside it, without annotations."""
    value = " ".join(value.split())[:MAX_NAME_CHARS]
    texts = [m.group(1) for m in _EX_NAME.finditer(value)]
    main = _EX_NAME.sub(" ", value)
    parts = _INLINE_ALIAS.split(main)
    main, texts = parts[0], texts + parts[1:]
    if ":" in main and kind != PERSON:
        main = _LABEL_PREFIX.sub("", main)
    out = [main]
    stripped = _TRAILING_PARENS.sub("", main)
    if kind != PERSON:
        stripped = _VOYAGE.sub("", stripped)
    if stripped and stripped != main:
        out.append(stripped)
    if kind != PERSON:
        for text in list(out):
            head = _CUT.split(text, maxsplit=1)[0]
            if head.strip() and head != text:
                out.append(head)
    return [t for t in dict.fromkeys(t.strip() for t in out + texts) if t]


def _legal_run(tokens: list[str], start: int) -> tuple[int, set[str]] | None:
    """If ``tokens[start:]`` is nothing but legal forms: where it ends (len) and their ids."""
    table = legal_form_table()
    forms: set[str] = set()
    i = start
    while i < len(tokens):
        hit = table.match_at(tokens, i)
        if hit is None:
            return None
        forms.add(hit[1])
        i += hit[0]
    return i, forms


def _strip_legal_forms(tokens: list[str]) -> tuple[list[str], set[str]]:
    """Remove legal forms: any run at the start or the end, long spellings anywhere."""
    table = legal_form_table()
    forms: set[str] = set()
    i = 0
    while i < len(tokens) - 1:
        hit = table.match_at(tokens, i)
        if hit is None or hit[0] >= len(tokens) - i:
            break
        forms.add(hit[1])
        i += hit[0]
    tokens = tokens[i:]
    for j in range(1, len(tokens)):
        run = _legal_run(tokens, j)
        if run is not None:
            forms |= run[1]
            tokens = tokens[:j]
            break
    out: list[str] = []
    i = 0
    while i < len(tokens):
        hit = table.match_at(tokens, i)
        # Short single-token forms ("sa", "as", "ao") only count at the start or the end.
        if hit and (hit[0] > 1 or len(tokens[i]) > 2) and len(tokens) > hit[0]:
            forms.add(hit[1])
            i += hit[0]
            continue
        out.append(tokens[i])
        i += 1
    return out, forms


def _strip_phrases(tokens: list[str], kind: str) -> tuple[list[str], set[str]]:
    """Remove legal forms, labels, honorifics and vessel prefixes; expand abbreviations."""
    forms: set[str] = set()
    if kind != PERSON:
        tokens, forms = _strip_legal_forms(tokens)
    honorific = honorific_table()
    out: list[str] = []
    i = 0
    n = len(tokens)
    while i < n:
        if kind != PERSON:
            if not out:
                hit = label_table().match_at(tokens, i) or vessel_prefix_table().match_at(tokens, i)
                if hit and i + hit[0] < n:
                    i += hit[0]
                    continue
            hit = abbreviation_table().match_at(tokens, i)
            if hit:
                out.extend(hit[1].split())
                i += hit[0]
                continue
        if kind in (PERSON, ANY) or not out:
            hit = honorific.match_at(tokens, i)
            if hit and (kind == PERSON or i + hit[0] < n):
                i += hit[0]
                continue
        out.append(tokens[i])
        i += 1
    return out, forms


def _normalise_numbers(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for i, tok in enumerate(tokens):
        if tok in _NUMBER_WORDS and i + 1 < len(tokens) and tokens[i + 1][:1].isdigit():
            continue
        if tok == "i" and i == len(tokens) - 1 and i > 0:
            tok = "1"  # "Sino Iron I" / "Sino Iron II": a trailing I is a numeral
        out.append(_ROMAN.get(tok, tok) if i > 0 else tok)
    return out


@functools.lru_cache(maxsize=100_000)
def name_forms(value: str, kind: str = ANY) -> tuple[NameForm, ...]:
    """The comparable forms of one written name, for a party of ``kind`` (person/org/vessel/any)."""
    forms: dict[tuple[str, ...], NameForm] = {}
    minor_words = particles() if kind == PERSON else particles() | org_stopwords()
    for text in _text_variants(value, kind):
        lossy = lossiness(scripts_of(text))
        for latin in latin_forms(text):
            raw = [("and" if t == "&" else t) for t in latin.replace("&", " & ").split()][: MAX_TOKENS * 2]
            tokens, legal = _strip_phrases(raw, kind)
            if kind != PERSON:
                tokens = _normalise_numbers(tokens)
            if not tokens:
                tokens = [t for t in raw if t != "and"]
            tokens = tokens[:MAX_TOKENS]
            key = tuple(tokens)
            if not key or key in forms:
                continue
            form_kind = ORG if kind == ANY and legal else kind
            forms[key] = NameForm(
                original=value,
                tokens=key,
                phonetic=tuple(phonetic_key(t) for t in key),
                skeletons=tuple(map(abjad_skeleton if lossy is Lossiness.ABJAD else skeleton, key))
                if lossy
                else (),
                minor=tuple(t in minor_words or (len(t) == 1 and t.isalpha()) for t in key),
                kind=form_kind,
                lossy=lossy,
                legal_forms=frozenset(legal),
                glued="".join(raw),
                translit=not is_latin(text),
                reading=_reading(scripts_of(text)),
                generation=_generation(raw) if kind in (PERSON, ANY) else "",
            )
    return tuple(forms.values())
