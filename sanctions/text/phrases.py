"""Curated phrase tables (legal forms, honorifics, labels, vessel prefixes, abbreviations) over tokens.

Every table is keyed by tuples of lower-case ASCII tokens, as :func:`latin_forms` produces them,
so one spelling in the YAML covers "S.A.", "s a" and "SA" alike.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from sanctions.text.derived import derived
from sanctions.text.resources import load_resource
from sanctions.text.translit import latin_forms

Phrase = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LegalForm:
    """A legal form: its id ("gmbh"), class ("limited") and whether it is a generic English word."""

    id: str
    kind: str
    generic: bool


@dataclass(frozen=True, slots=True)
class PhraseTable:
    """Phrases to find in token lists, longest first."""

    entries: dict[Phrase, str]
    longest: int

    def match_at(self, tokens: tuple[str, ...] | list[str], start: int) -> tuple[int, str] | None:
        """The longest phrase starting at ``start``: (its length in tokens, its value)."""
        for size in range(min(self.longest, len(tokens) - start), 0, -1):
            value = self.entries.get(tuple(tokens[start : start + size]))
            if value is not None:
                return size, value
        return None


def _table(pairs: list[tuple[str, str]]) -> PhraseTable:
    entries = {tuple(key.split()): value for key, value in pairs if key.split()}
    return PhraseTable(entries, max((len(k) for k in entries), default=1))


@functools.cache
def legal_forms() -> dict[str, LegalForm]:
    """Legal forms by id."""
    return {
        f["id"]: LegalForm(f["id"], f["class"], bool(f.get("generic", False)))
        for f in load_resource("organisations/legal_forms")["forms"]
    }


@functools.cache
def legal_form_table() -> PhraseTable:
    """Spellings of legal forms -> legal form id."""
    forms = load_resource("organisations/legal_forms")["forms"]
    return _table([(s, f["id"]) for f in forms for s in f["spellings"]])


@functools.cache
def honorific_table() -> PhraseTable:
    """Titles and honorifics of people."""
    return _table([(h, "honorific") for h in load_resource("names/honorifics")["person"]])


@functools.cache
def label_table() -> PhraseTable:
    """Payment-message and export labels ("beneficiary", "field 59")."""
    return _table([(h, "label") for h in load_resource("names/honorifics")["labels"]])


@functools.cache
def vessel_prefix_table() -> PhraseTable:
    """Vessel type prefixes ("mv", "m t")."""
    return _table([(h, "vessel") for h in load_resource("names/honorifics")["vessel"]])


@functools.cache
def abbreviation_table() -> PhraseTable:
    """Abbreviations and foreign business words -> the English word they stand for."""
    words = load_resource("names/name_words")
    english_of = {other: english for english, others in words["synonyms"].items() for other in others}
    pairs = [(short, english_of.get(long, long)) for short, long in words["abbreviations"].items()]
    pairs += list(english_of.items())
    return _table(pairs)


@functools.cache
def particles() -> frozenset[str]:
    """Particles of person names ("bin", "van", "al")."""
    return frozenset(load_resource("names/particles")["particles"])


@functools.cache
def org_stopwords() -> frozenset[str]:
    """Function words of organisation names ("and", "of", "de")."""
    return frozenset(load_resource("names/particles")["org_stopwords"])


@functools.cache
def generic_words() -> frozenset[str]:
    """Business-kind words ("trading", "company") that weigh little without list statistics."""
    return frozenset(load_resource("names/name_words")["generic"])


@functools.cache
def country_words() -> frozenset[str]:
    """One-word country names and their usual abbreviations ("canada", "uk")."""
    return frozenset(load_resource("places/places")["countries"])


@functools.cache
def given_name_groups() -> dict[str, frozenset[int]]:
    """Given name -> the numbers of its equivalence groups (Eddie: the Edward and Edmund groups)."""
    out: dict[str, set[int]] = {}
    for number, group in enumerate(load_resource("names/given_names")["groups"]):
        for name in group:
            out.setdefault(name, set()).add(number)
    return {name: frozenset(groups) for name, groups in out.items()}


@functools.cache
def business_word_groups() -> dict[str, frozenset[int]]:
    """Business word (a lower-case ASCII token, as names read after romanisation) -> the numbers
    of its translation groups in ``business_words.yml``. A word written in another script is
    entered under each of its romanisations; phrases that romanise to several words are left out
    (names are aligned word by word). Kept in index files (:mod:`sanctions.text.derived`)."""
    table: dict[str, frozenset[int]] = derived("business_word_groups", _business_word_groups)
    return table


def _business_word_groups() -> dict[str, frozenset[int]]:
    synonyms = abbreviation_table()
    out: dict[str, set[int]] = {}
    for number, group in enumerate(load_resource("organisations/business_words")["groups"]):
        for word in group:
            for latin in latin_forms(str(word)):
                tokens = latin.split()
                if len(tokens) != 1 or len(tokens[0]) < 3:
                    continue
                out.setdefault(tokens[0], set()).add(number)
                # Names read "stroy" as "building" (name_words.yml synonyms): that word too.
                hit = synonyms.match_at(tokens, 0)
                if hit and hit[0] == 1 and " " not in hit[1]:
                    out.setdefault(hit[1], set()).add(number)
    return {word: frozenset(groups) for word, groups in out.items()}


def same_business_word(a: str, b: str) -> bool:
    """True when two words are translations of one business word ("moloko", "milk", "lait")."""
    groups = business_word_groups()
    ga = groups.get(a)
    if ga is None:
        return False
    gb = groups.get(b)
    return gb is not None and not ga.isdisjoint(gb)


def same_given_name(a: str, b: str) -> bool:
    """True when two given names are forms of one name (Edward, Eddie, Ed; Guillaume, William)."""
    groups = given_name_groups()
    ga, gb = groups.get(a), groups.get(b)
    return ga is not None and gb is not None and not ga.isdisjoint(gb)
