"""Blocking keys shared by customers and listed records, and the one rule that pairs them.

A key is a name word's consonant skeleton (the abjad skeleton the list index uses for text from
scripts without vowels, cut to three letters so that "Petrov" and "Petroff", "Muhammad" and
"Mohammed", "Ladin" and the Arabic "Ladn" meet), or an identifier. The rule is symmetric, so the
same pairs are found forward (customer -> lists, a full screening) and backward (a changed list
record -> customers, a delta): this is what makes a delta re-screen equal a full one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sanctions.matching.party import Party
from sanctions.text.keys import abjad_skeleton
from sanctions.text.phrases import generic_words

NAME = "n:"
IDENT = "i:"
KEY_CHARS = 3


def name_key(token: str) -> str:
    """The blocking key of one name word."""
    key = abjad_skeleton(token)[:KEY_CHARS]
    return NAME + (key if len(key) >= 2 else "=" + token)


def party_keys(party: Party) -> frozenset[str]:
    """Every blocking key of a party: its name words and identifiers.

    Particles are left out, and so are business words ("trading", "global", "shipping") unless
    a name has nothing else: thousands of names share them, and they identify no one.
    """
    keys = {IDENT + v for v in party.id_values}
    generic = generic_words()
    for form in party.names:
        words = [t for t, minor in zip(form.tokens, form.minor, strict=False) if not minor]
        distinctive = [t for t in words if t not in generic]
        keys.update(name_key(t) for t in distinctive or words)
    return frozenset(keys)


def name_count(keys: Iterable[str]) -> int:
    """How many of the keys are name keys."""
    return sum(1 for k in keys if k.startswith(NAME))


def needed(a_names: int, b_names: int) -> int:
    """Name keys two parties must share to be compared: two, or all of the shorter one."""
    return max(1, min(2, a_names, b_names))


def is_pair(shared: Iterable[str], a_names: int, b_names: int) -> bool:
    """The pairing rule: a shared identifier, or enough shared name keys."""
    names = 0
    for key in shared:
        if key.startswith(IDENT):
            return True
        names += 1
    return names >= needed(a_names, b_names)


@dataclass(slots=True)
class KeyIndex:
    """Keys -> ids of the parties holding them, with each party's number of name keys."""

    postings: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    names: dict[str, int] = field(default_factory=dict)

    def add(self, party_id: str, keys: frozenset[str]) -> None:
        self.names[party_id] = name_count(keys)
        for key in keys:
            self.postings[key].append(party_id)

    def pairs(self, keys: frozenset[str]) -> list[str]:
        """Ids of the parties that pair with a party of these keys, in a stable order."""
        shared: dict[str, list[str]] = defaultdict(list)
        for key in sorted(keys):
            for other in self.postings.get(key, ()):
                shared[other].append(key)
        own = name_count(keys)
        return sorted(o for o, found in shared.items() if is_pair(found, own, self.names[o]))
