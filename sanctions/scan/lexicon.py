"""The word lists the scanner weighs evidence with, loaded once from ``sanctions/resources``.

- ``legal_forms.yml`` (shared with matching): legal forms stripped from organisation names.
- ``scan_words.yml``: generic name descriptors, vessel context words, legal-form evidence.
- ``scan_common_en.txt`` / ``scan_common_ru.txt``: everyday words, hand-written lists. A list
  name that is also an everyday word needs more evidence before it is reported.
- ``scan_places.txt`` and the countries of ``places.yml``: place names. They count as everyday
  words and are never taken as the short name of a legal name ("MINSK AUTOMOBILE PLANT" has no
  short name "MINSK").
- ``given_names.yml`` (shared with matching): common given names count as everyday words for
  one-word organisation names (a company or vessel called "OLGA").

Everything is stored as token keys (see :mod:`sanctions.scan.tokens`) so that lookups are a
set membership test on the same form the finder computes for every token.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from sanctions.scan.tokens import key_stems, token_key, tokenize

_RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def _read(name: str) -> str:
    return (_RESOURCES / name).read_text(encoding="utf-8")


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(token_key(t) for t in tokenize(text))


def _phrases(values: list[Any]) -> frozenset[tuple[str, ...]]:
    return frozenset(p for p in (_phrase(str(v)) for v in values) if p)


def _words(name: str) -> frozenset[str]:
    keys: set[str] = set()
    for line in _read(name).splitlines():
        if line.startswith("#"):
            continue
        keys.update(token_key(t) for t in tokenize(line))
    return frozenset(keys)


@dataclass(slots=True, frozen=True)
class Lexicon:
    """Token-key sets the scanner consults; build with :func:`load_lexicon`."""

    legal_forms: frozenset[tuple[str, ...]]  # every spelling, stripped from org names
    legal_form_evidence: frozenset[tuple[str, ...]]  # spellings that show a company is meant
    legal_form_first: frozenset[str]  # first / last words of those spellings (a quick filter)
    legal_form_last: frozenset[str]
    descriptors: frozenset[str]  # generic words of organisation names
    places: frozenset[str]
    vessel_context: frozenset[str]
    common_words: frozenset[str]  # everyday words, places and common given names
    quotes: frozenset[str]
    max_form_len: int

    def is_common(self, key: str, stems: tuple[str, ...] = ()) -> bool:
        """True when the word (or, for a Cyrillic word, one of its stems) is an everyday word."""
        if key in self.common_words:
            return True
        return any(s in self.common_words for s in stems)

    def is_common_key(self, key: str) -> bool:
        """Like :meth:`is_common` for a list-name token, trying Russian endings and English plurals."""
        if key in self.common_words or any(s in self.common_words for s in key_stems(key)):
            return True
        return any(s in self.common_words for s in english_singulars(key))


def english_singulars(key: str) -> tuple[str, ...]:
    """Keys the word may be the plural of ("airlines" -> "airline", "batteries" -> "batteri")."""
    if len(key) < 5 or not key.endswith("s") or key.endswith("ss"):
        return ()
    if key.endswith("ies"):
        return (key[:-3] + "i",)  # keys spell a final "y" as "i"
    if key.endswith("es"):
        return (key[:-1], key[:-2])
    return (key[:-1],)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Read the resource files (once per process)."""
    forms_doc = yaml.safe_load(_read("legal_forms.yml")) or {}
    spellings: list[Any] = []
    for form in forms_doc.get("forms", []):
        spellings.extend(form.get("spellings", []))
    words = yaml.safe_load(_read("scan_words.yml")) or {}
    legal_forms = _phrases(spellings)
    countries = (yaml.safe_load(_read("places.yml")) or {}).get("countries", [])
    places = _words("scan_places.txt") | frozenset(token_key(str(c)) for c in countries)
    given = frozenset(
        token_key(str(n))
        for group in (yaml.safe_load(_read("given_names.yml")) or {}).get("groups", [])
        for n in group
    )
    evidence = _phrases(words.get("legal_form_evidence", []))
    return Lexicon(
        legal_forms=legal_forms,
        legal_form_evidence=evidence,
        legal_form_first=frozenset(p[0] for p in evidence),
        legal_form_last=frozenset(p[-1] for p in evidence),
        descriptors=frozenset(token_key(str(w)) for w in words.get("descriptors", [])),
        places=places,
        # One letter ("M", "V") is vessel evidence only as "M/V" (checked as a pair by the finder);
        # alone it is a word ("в", "with"; "t").
        vessel_context=frozenset(
            k for k in (token_key(str(w)) for w in words.get("vessel_context", [])) if len(k) > 1
        ),
        common_words=_words("scan_common_en.txt") | _words("scan_common_ru.txt") | places | given,
        quotes=frozenset(str(q) for q in words.get("quotes", [])),
        max_form_len=max((len(f) for f in legal_forms), default=1),
    )
