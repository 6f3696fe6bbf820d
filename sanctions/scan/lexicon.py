"""The word lists the scanner weighs evidence with, loaded once from ``sanctions/resources``.

- ``legal_forms.yml`` (shared with matching): legal forms stripped from organisation names.
- ``scan_words.yml``: generic name descriptors, vessel context words, legal-form evidence.
- ``scan_common_en.txt`` / ``scan_common_ru.txt``: everyday words, hand-written lists. A list
  name that is also an everyday word needs more evidence before it is reported.

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
    descriptors: frozenset[str]
    vessel_context: frozenset[str]
    common_words: frozenset[str]
    quotes: frozenset[str]
    max_form_len: int

    def is_common(self, key: str, stems: tuple[str, ...] = ()) -> bool:
        """True when the word (or, for a Cyrillic word, one of its stems) is an everyday word."""
        if key in self.common_words:
            return True
        return any(s in self.common_words for s in stems)

    def is_common_key(self, key: str) -> bool:
        """Like :meth:`is_common` for a list-name token, trying Russian endings on the key."""
        return key in self.common_words or any(s in self.common_words for s in key_stems(key))


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Read the resource files (once per process)."""
    forms_doc = yaml.safe_load(_read("legal_forms.yml")) or {}
    spellings: list[Any] = []
    for form in forms_doc.get("forms", []):
        spellings.extend(form.get("spellings", []))
    words = yaml.safe_load(_read("scan_words.yml")) or {}
    legal_forms = _phrases(spellings)
    evidence = _phrases(words.get("legal_form_evidence", []))
    return Lexicon(
        legal_forms=legal_forms,
        legal_form_evidence=evidence,
        legal_form_first=frozenset(p[0] for p in evidence),
        legal_form_last=frozenset(p[-1] for p in evidence),
        descriptors=frozenset(token_key(str(w)) for w in words.get("descriptors", [])),
        vessel_context=frozenset(token_key(str(w)) for w in words.get("vessel_context", [])),
        common_words=_words("scan_common_en.txt") | _words("scan_common_ru.txt"),
        quotes=frozenset(str(q) for q in words.get("quotes", [])),
        max_form_len=max((len(f) for f in legal_forms), default=1),
    )
