"""Scoring a candidate mention: how much the text supports that it names the listed party.

Each step adds a line to the explanation, so every score can be read back as a sum:

- the base depends on the kind of variant matched (a person's given name and surname, an
  organisation's name, a derived short name) and, for one-word names, on how distinctive the
  word is (everyday words and words many listed names share weigh less);
- stemmed Cyrillic endings, initials and weak aliases lower it a little;
- the context raises it: a legal form beside the name ("PJSC KAMAZ"), quotation marks
  («Москвич»), a capital letter in the middle of a sentence, a vessel word beside a ship's
  name, an earlier full mention of the same party in the document;
- a short name we derived ourselves, written inside a longer capitalised name ("Aston Villa",
  "Newton Abbot"), lowers it: the text names something else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sanctions.model import Schema
from sanctions.scan.index import MentionIndex
from sanctions.scan.names import Kind, Variant

EXACT, STEM, INITIAL = 3, 2, 1
COREFERENCE = 0.10  # an earlier full mention of the same party: the most a second pass adds


@dataclass(slots=True)
class Context:
    """What the finder observed around a candidate span."""

    capitalised: bool  # the anchor word starts with a capital (or the text has no case)
    sentence_start: bool
    quoted: bool
    legal_form: str | None  # the legal form written beside the name
    vessel_word: str | None
    coreference: int | None  # offset of an earlier accepted mention of the same entity
    longer_name: str | None = None  # a one-word span written inside a longer capitalised name


@dataclass(slots=True)
class Candidate:
    """A variant aligned to a run of text tokens, with how each token matched."""

    variant: Variant
    first: int  # token index of the first matched token
    start: int  # character offsets in the text
    end: int
    matches: tuple[int, ...]  # EXACT / STEM / INITIAL per variant token
    surfaces: tuple[str, ...]
    score: float = 0.0
    explanations: list[str] = field(default_factory=list)


def _add(c: Candidate, delta: float, why: str) -> None:
    c.score += delta
    sign = "+" if delta >= 0 else "-"
    c.explanations.append(f"{why}: {sign}{abs(delta):.2f}")


def base_score(c: Candidate, index: MentionIndex) -> None:
    """Set the score from the variant kind, word distinctiveness and token match quality."""
    v = c.variant
    listed = f"listed name {v.name!r}"
    entity = index.entities[v.entity]
    if v.kind is Kind.PERSON:
        given = sum(1 for i in range(len(v.tokens)) if v.given_mask >> i & 1)
        _add(c, 0.80, f"{listed}: given name and surname")
        if given >= 2 and all(c.matches[i] == EXACT for i in range(len(v.tokens)) if v.given_mask >> i & 1):
            _add(c, 0.05, "middle name or patronymic also written")
    elif v.kind is Kind.SURNAME:
        _add(c, 0.65, f"{listed}: surname alone")
    else:
        core = index.core(v.tokens)
        d = max(index.distinctiveness(t) for t in core)
        words = " ".join(v.tokens)
        if len(core) >= 2:
            extra = 0.1 if len(core) >= 3 else 0.0
            _add(
                c,
                0.5 + 0.3 * d + extra,
                f"{listed}: all {len(core)} words ({words!r}, distinctiveness {d:.2f})",
            )
        elif entity.schema in (Schema.VESSEL, Schema.AIRCRAFT):
            _add(
                c,
                0.30 + 0.3 * d,
                f"{listed}: one-word {entity.schema.value.lower()} name (distinctiveness {d:.2f})",
            )
        elif v.kind is Kind.DERIVED:
            _add(
                c,
                0.35 + 0.45 * d,
                f"{listed}: short name {words!r} without descriptors (distinctiveness {d:.2f})",
            )
        else:
            _add(c, 0.40 + 0.45 * d, f"{listed}: one-word name {core[0]!r} (distinctiveness {d:.2f})")
        if len(core) < len(v.tokens):
            _add(c, 0.20, "written with its legal form")
    for i, m in enumerate(c.matches):
        if m == STEM:
            ending = "English plural" if c.surfaces[i].isascii() else "Russian case"
            _add(c, -0.03, f"{ending} ending on {c.surfaces[i]!r}")
        elif m == INITIAL:
            _add(c, -0.08, f"{c.surfaces[i]!r} is an initial of {v.tokens[i]!r}")
    if v.weak:
        _add(c, -0.15, "the publisher marks this alias as weak")


def context_score(c: Candidate, ctx: Context, index: MentionIndex) -> None:
    """Add the evidence of the surrounding text."""
    v = c.variant
    single = len(v.tokens) == 1
    if single and v.kind is not Kind.SURNAME:
        if not ctx.capitalised:
            _add(c, -0.30, "written in lower case")
        elif not ctx.sentence_start:
            _add(c, 0.05, "capitalised in mid-sentence")
    if ctx.longer_name and v.kind is Kind.DERIVED and not ctx.legal_form:
        _add(c, -0.20, f"written as part of the longer name {ctx.longer_name!r}")
    if ctx.legal_form and v.kind is not Kind.PERSON:
        _add(c, 0.20, f"legal form {ctx.legal_form!r} beside the name")
    if ctx.quoted and v.kind is not Kind.PERSON:
        _add(c, 0.10, "set in quotation marks")
    schema = index.entities[v.entity].schema
    if ctx.vessel_word and schema is Schema.VESSEL:
        _add(c, 0.35, f"vessel word {ctx.vessel_word!r} nearby")
    if ctx.coreference is not None:
        _add(c, COREFERENCE, f"same party named in full at offset {ctx.coreference}")
    c.score = round(max(0.0, min(1.0, c.score)), 4)
