"""The word lists the scanner weighs evidence with, read once through the one resource loader.

From the text stage's tables (shared with matching, :mod:`sanctions.text.phrases`):

- legal forms (``organisations/legal_forms.yml``): stripped from organisation names;
- countries (``places/places.yml``) and common given names (``names/given_names.yml``): they
  count as everyday words (a company or vessel called "OLGA" or "CANADA").

Of the scanner's own (:mod:`sanctions.resources`):

- ``scan/words.yml``: generic name descriptors, vessel context words, legal-form evidence;
- ``words/common_en.txt`` / ``words/common_ru.txt``: everyday words, hand-written lists. A list
  name that is also an everyday word needs more evidence before it is reported.
- ``places/places.txt``: place names besides countries. They count as everyday words and are
  never taken as the short name of a legal name ("MINSK AUTOMOBILE PLANT" has no short name
  "MINSK").

Everything is stored as token keys (see :mod:`sanctions.scan.tokens`) so that lookups are a
set membership test on the same form the finder computes for every token.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from sanctions.resources import load_resource, load_word_list
from sanctions.scan.tokens import key_stems, token_key, tokenize
from sanctions.text.phrases import country_words, given_name_groups, legal_form_table


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(token_key(t) for t in tokenize(text))


def _phrases(values: Iterable[object]) -> frozenset[tuple[str, ...]]:
    return frozenset(p for p in (_phrase(str(v)) for v in values) if p)


def _words(name: str) -> frozenset[str]:
    return frozenset(token_key(t) for line in load_word_list(name) for t in tokenize(line))


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
    """Keys the word may be the plural of ("airlines" -> "airline", "batteries" -> "batteri",
    and "parts" -> "part": the key folds a final "ts" to "c", as in "parc")."""
    if len(key) >= 4 and key.endswith("c") and not key.endswith("cc"):
        return (key[:-1] + "t",)
    if len(key) < 5 or not key.endswith("s") or key.endswith("ss"):
        return ()
    if key.endswith("ies"):
        return (key[:-3] + "i",)  # keys spell a final "y" as "i"
    if key.endswith("es"):
        return (key[:-1], key[:-2])
    return (key[:-1],)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Read the word lists (once per process)."""
    words = load_resource("scan/words") or {}
    legal_forms = _phrases(" ".join(spelling) for spelling in legal_form_table().entries)
    places = _words("places/places") | frozenset(token_key(str(c)) for c in country_words())
    given = frozenset(token_key(str(n)) for n in given_name_groups())
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
        common_words=_words("words/common_en") | _words("words/common_ru") | places | given,
        quotes=frozenset(str(q) for q in words.get("quotes", [])),
        max_form_len=max((len(f) for f in legal_forms), default=1),
    )
