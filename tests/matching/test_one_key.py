"""One normalisation: every spelling the document scanner takes for a listed word, a search
finds as a candidate too (the scanner's key is one of the index's word maps)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sanctions.matching.index import Index
from sanctions.model import Entity, Name, NameKind, Schema
from sanctions.scan.tokens import token_key
from sanctions.text.scripts import Lossiness

# Pieces of Russian names as the English, German, BGN and ISO 9 romanisations write them.
SOUNDS = {
    "ts": ["ts", "tz", "c"],
    "ch": ["ch", "tch", "c"],
    "sh": ["sh", "s"],
    "zh": ["zh", "z"],
    "kh": ["kh", "h"],
    "y": ["y", "j", "i"],
    "yo": ["yo", "e"],
    "v": ["v", "w"],
}
PLAIN = ["a", "e", "i", "o", "u", "r", "n", "m", "l", "k", "t", "p", "b", "d"]
piece = st.sampled_from(sorted(SOUNDS)) | st.sampled_from(PLAIN)


def _index(words: list[str]) -> Index:
    entity = Entity(id="x-1", dataset="x", source_id="1", schema=Schema.PERSON)
    for word in words:
        entity.names.append(Name(word.capitalize(), NameKind.ALIAS))
    return Index.build([entity])


@settings(max_examples=200, deadline=None)
@given(st.lists(piece, min_size=3, max_size=8), st.randoms(use_true_random=False))
def test_a_spelling_the_scanner_takes_for_a_listed_word_is_a_search_candidate(
    pieces: list[str], rnd: object
) -> None:
    import random

    assert isinstance(rnd, random.Random)
    listed = "".join(rnd.choice(SOUNDS[p]) if p in SOUNDS else p for p in pieces)
    typed = "".join(rnd.choice(SOUNDS[p]) if p in SOUNDS else p for p in pieces)
    index = _index([listed])
    [word] = list(index.postings)
    if token_key(typed) != token_key(word):
        return  # the scanner does not take them for one word either
    found = dict(index.expand(typed, Lossiness.NONE))
    assert word in found, (typed, word)


def test_cyrillic_romanisations_meet_in_search() -> None:
    index = _index(["Tsentralnyi", "Prigozhin"])
    for typed, listed in (("centralnyj", "tsentralnyi"), ("prigozin", "prigozhin")):
        assert token_key(typed) == token_key(listed)
        assert listed in dict(index.expand(typed, Lossiness.NONE))
