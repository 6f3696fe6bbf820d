"""Foreign names written in Chinese characters or Hangul, read back into Latin spellings.

Chinese and Korean write a Western name syllable by syllable, with conventions (the Xinhua
tables, the Korean loanword orthography) that a romanisation keeps: "Totti" is 托蒂, tuo di;
"Trump" is 트럼프, teu reom peu. The curated tables in ``resources/scripts/han_loan_syllables.yml`` and
``hangul_loan_syllables.yml`` give, per syllable, the Latin letters it usually stands for (often
a bare consonant: "si" is s, "teu" is t). :func:`loan_similarity` rebuilds the likeliest Latin
spellings of a romanised word and says how close the nearest is to a Latin word.
"""

from __future__ import annotations

import functools
import itertools

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from sanctions.text.resources import load_resource

MAX_SYLLABLE = 6  # letters in the longest romanised syllable ("zhuang", "chweong")
MAX_READINGS = 400  # spellings tried per word (the most usual readings of each syllable first)

Table = dict[str, tuple[str, ...]]
_VOWELS = frozenset("aeiouy")


@functools.cache
def loan_table(script: str) -> Table:
    """Syllable -> Latin readings, for ``script`` "han" or "hangul"."""
    data = load_resource(f"scripts/{script}_loan_syllables")["syllables"]
    return {str(k): tuple(str(v) for v in values) for k, values in data.items()}


def syllables(word: str, table: Table) -> tuple[str, ...] | None:
    """``word`` split into syllables of ``table``; None if it cannot be. Of the possible splits,
    the one with the fewest syllables starting with a vowel (the romanisation of a word written
    syllable by syllable has them only where the script writes a vowel-initial syllable), then
    the fewest syllables, then the longest first syllables ("keuliseu": keu li seu, not keul is
    eu)."""

    @functools.cache
    def split(start: int) -> tuple[tuple[int, int], tuple[str, ...]] | None:
        if start == len(word):
            return (0, 0), ()
        best: tuple[tuple[int, int], tuple[str, ...]] | None = None
        for size in range(min(MAX_SYLLABLE, len(word) - start), 0, -1):
            part = word[start : start + size]
            if part not in table:
                continue
            rest = split(start + size)
            if rest is None:
                continue
            (vowels, count), parts = rest
            cost = (vowels + (start > 0 and part[0] in _VOWELS), count + 1)
            if best is None or cost < best[0]:
                best = (cost, (part, *parts))
        return best

    found = split(0)
    return None if found is None else found[1]


@functools.lru_cache(maxsize=50_000)
def loan_spellings(word: str, script: str) -> tuple[str, ...]:
    """Likely Latin spellings of a romanised Chinese or Korean rendering of a foreign word."""
    table = loan_table(script)
    parts = syllables(word, table)
    if not parts:
        return ()
    # The most usual readings of each syllable, fewer per syllable for longer words.
    width = 1
    while width < 6 and (width + 1) ** len(parts) <= MAX_READINGS:
        width += 1
    choices = [table[p][:width] for p in parts]
    return tuple(dict.fromkeys("".join(combo) for combo in itertools.product(*choices)))


@functools.lru_cache(maxsize=200_000)
def loan_similarity(native: str, latin: str, script: str) -> float:
    """How close ``latin`` is to the nearest Latin spelling of ``native`` (a romanised Chinese
    or Korean rendering of a foreign word), in [0, 1]."""
    spellings = loan_spellings(native, script)
    if not spellings:
        return 0.0
    best = process.extractOne(latin, spellings, scorer=Levenshtein.normalized_similarity)
    return float(best[1]) if best else 0.0
