"""Name variants: the token sequences under which a listed party can appear in running text.

People write names differently from lists: "Sergei Sobyanin" for "SOBYANIN, Sergey
Semyonovich", "KamAZ" for "KAMAZ PUBLICLY TRADED COMPANY", "Moskvich" for "JOINT STOCK
COMPANY MOSCOW AUTOMOTIVE FACTORY MOSKVICH". Each listed name yields a few variants, each a
tuple of token keys with a kind that says how much evidence a match of it needs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from enum import IntEnum
from typing import NamedTuple

from sanctions.model import Entity, Name, NameKind, Schema
from sanctions.scan.lexicon import Lexicon
from sanctions.scan.tokens import tokenize

MAX_TOKENS = 15  # anchor positions are packed in 4 bits


class Kind(IntEnum):
    """What a variant is; decides the base score and the evidence a match needs."""

    PERSON = 0  # given name(s) and surname, in either order
    SURNAME = 1  # a person's surname alone: only after a full mention in the same document
    ORG = 2  # an organisation, vessel or aircraft name, or its core without the legal form
    DERIVED = 3  # a short name left when generic descriptors are dropped ("MOSKVICH")


class Variant(NamedTuple):
    """One token sequence of one listed name."""

    tokens: tuple[str, ...]
    entity: int  # position in MentionIndex.entities
    kind: Kind
    given_mask: int  # bit i set: token i is a given name (an initial may stand for it)
    name: str  # the listed name it comes from
    weak: bool  # from a weak / low-quality alias
    name_rank: int  # 0 for the publisher's primary name: breaks ties between lists


KeyFunc = Callable[[str], str]


def split_person(value: str) -> tuple[list[str], list[str]] | None:
    """(given names, surname tokens) of a person's name as the publisher wrote it.

    "SOBYANIN, Sergey Semyonovich" has the surname before the comma; "Sergei Semyonovich
    SOBYANIN" and "СОБЯНИН Сергей Семёнович" mark it in capitals; otherwise the last word is
    taken as the surname.
    """
    if "," in value:
        surname_part, given_part = value.split(",", 1)
        surname, given = tokenize(surname_part), tokenize(given_part)
        if surname and given:
            return given, surname
    tokens = tokenize(value)
    if len(tokens) < 2:
        return None
    if not value.isupper():
        upper = [t for t in tokens if len(t) > 1 and t.isupper()]
        if 0 < len(upper) < len(tokens):
            return [t for t in tokens if t not in upper], upper
    return tokens[:-1], tokens[-1:]


def _person_variants(
    given: list[str], surname: list[str], key: KeyFunc
) -> Iterator[tuple[Kind, tuple[str, ...], int]]:
    g = [k for k in map(key, given) if k]
    s = [k for k in map(key, surname) if k]
    if not g or not s or sum(len(t) for t in s) < 3:
        return  # a one- or two-letter "surname" is an initial or a particle, not a name
    for gs in (g, g[:1]):
        yield Kind.PERSON, (*gs, *s), (1 << len(gs)) - 1
        yield Kind.PERSON, (*s, *gs), ((1 << len(gs)) - 1) << len(s)
    if sum(len(t) for t in s) >= 4:
        yield Kind.SURNAME, tuple(s), 0


def strip_legal_forms(keys: list[str], lexicon: Lexicon) -> list[str]:
    """The name without legal forms at its start or end ("JSC", "LIMITED LIABILITY COMPANY")."""
    out = list(keys)
    changed = True
    while changed and out:
        changed = False
        for n in range(min(lexicon.max_form_len, len(out) - 1), 0, -1):
            if tuple(out[:n]) in lexicon.legal_forms:
                out, changed = out[n:], True
                break
            if tuple(out[-n:]) in lexicon.legal_forms:
                out, changed = out[:-n], True
                break
    return out


# A Russian adjective in the nominative, in Cyrillic or transliterated ("Экспортный",
# "EKSPORTNYI", "Rossiiskaya"): it qualifies a company's name, it is not the name people use.
_RUSSIAN_ADJECTIVE = re.compile(r"(?:[ыи]й|ая|[ыо]е|yy|yi|iy|ii|ij|aya|oye|oe|ny|sky|ski)$", re.IGNORECASE)


def derive_short_name(
    core: list[str], lexicon: Lexicon, adjectives: frozenset[str] = frozenset()
) -> str | None:
    """The one distinctive word left when descriptors and acronyms are dropped, if any.

    A place ("MINSK AUTOMOBILE PLANT") or a Russian adjective (keys in ``adjectives``) is not
    taken as a short name: it says where or what kind, not which company.
    """
    rest = list(core)
    while len(rest) > 1 and (rest[0] in lexicon.descriptors or len(rest[0]) <= 3):
        rest.pop(0)
    while len(rest) > 1 and rest[-1] in lexicon.descriptors:
        rest.pop()
    if len(rest) != 1 or len(rest[0]) < 4 or len(core) < 2:
        return None
    short = rest[0]
    if short in lexicon.descriptors or short in lexicon.places or short in adjectives:
        return None
    return short


def _org_variants(value: str, key: KeyFunc, lexicon: Lexicon) -> Iterator[tuple[Kind, tuple[str, ...], int]]:
    words = [(t, k) for t, k in ((t, key(t)) for t in tokenize(value)) if k]
    if not words:
        return
    keys = [k for _, k in words]
    yield Kind.ORG, tuple(keys), 0
    core = strip_legal_forms(keys, lexicon)
    if core and core != keys:
        yield Kind.ORG, tuple(core), 0
    adjectives = frozenset(k for t, k in words if len(t) >= 6 and _RUSSIAN_ADJECTIVE.search(t))
    short = derive_short_name(core, lexicon, adjectives)
    if short is not None:
        yield Kind.DERIVED, (short,), 0


def name_variants(entity: Entity, entity_idx: int, key: KeyFunc, lexicon: Lexicon) -> Iterator[Variant]:
    """Every distinct variant of every name of an entity."""
    seen: set[tuple[Kind, tuple[str, ...]]] = set()
    for name in entity.names:
        weak = name.kind is NameKind.WEAK_ALIAS
        for kind, tokens, mask in _variants_of(entity.schema, name, key, lexicon):
            if len(tokens) > MAX_TOKENS or (kind, tokens) in seen:
                continue
            if weak and len(tokens) < 2:
                continue  # a one-word weak alias ("HAJJI") is noise in running text
            seen.add((kind, tokens))
            rank = 0 if name.kind is NameKind.PRIMARY else 1
            yield Variant(tokens, entity_idx, kind, mask, name.value, weak, rank)


def _variants_of(
    schema: Schema, name: Name, key: KeyFunc, lexicon: Lexicon
) -> Iterator[tuple[Kind, tuple[str, ...], int]]:
    if schema is Schema.PERSON:
        parts = split_person(name.value)
        if parts is not None:
            yield from _person_variants(parts[0], parts[1], key)
        return
    yield from _org_variants(name.value, key, lexicon)
