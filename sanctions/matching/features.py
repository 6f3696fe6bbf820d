"""Matching features: pure functions ``(query, candidate, config) -> FeatureResult``.

Each docstring is the explanation a user reads. Values are in [0, 1]; the algorithm's weights
say how much each adds to or takes from the score.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from sanctions.matching.names.align import NameScore, Weigher, compare_names, describe
from sanctions.matching.names.aligner import NameAligner
from sanctions.matching.party import UNIQUE_SCHEMES, Party
from sanctions.text import ORG, PERSON, VESSEL
from sanctions.text.phrases import generic_words, legal_forms


@functools.cache
def _generic() -> frozenset[str]:
    return generic_words()


def default_weight(token: str) -> float:
    """Word weight without list statistics: business-kind words weigh little."""
    return 0.35 if token in _generic() else 1.0


@dataclass(slots=True)
class Config:
    """What features need beyond the two parties: word weights, and the name result once made.

    ``aligner`` (optional, for the same ``weigh``) compares the query's names with many
    candidates faster, with the same results.
    """

    weigh: Weigher = default_weight
    name_result: NameScore | None = None
    name_done: bool = False
    aligner: NameAligner | None = None

    def names(self, query: Party, candidate: Party) -> NameScore | None:
        """The best name alignment of the two parties (computed once per comparison)."""
        if not self.name_done:
            if self.aligner is not None and self.aligner.query is query.names:
                self.name_result = self.aligner.compare_names(candidate.names)
            else:
                self.name_result = compare_names(query.names, candidate.names, self.weigh)
            self.name_done = True
        return self.name_result


Feature = Callable[[Party, Party, Config], "FeatureResult"]


@dataclass(frozen=True, slots=True)
class FeatureResult:
    """A feature's value and why."""

    value: float
    detail: str


def name_similarity(query: Party, candidate: Party, config: Config) -> FeatureResult:
    """How alike the closest pair of names is, after romanisation, with legal forms, titles and
    particles set aside; rare words count more than common ones."""
    result = config.names(query, candidate)
    if result is None:
        return _NO_NAMES
    return FeatureResult(result.score, describe(result))


# The results of the common "nothing to compare" cases, made once (a result is immutable).
_NO_NAMES = FeatureResult(0.0, "no names to compare")
_NO_SHARED_ID = FeatureResult(0.0, "no identifier in common")
_NO_ID_CONFLICT = FeatureResult(0.0, "no conflicting identifier")
_NO_DATE = FeatureResult(0.0, "no date in common")
_DATE_MISSING = FeatureResult(0.0, "a date is missing")
_NO_COUNTRY = FeatureResult(0.0, "no country in common")
_NO_COUNTRY_CONFLICT = FeatureResult(0.0, "no country conflict")
_KINDS_COMPATIBLE = FeatureResult(0.0, "kinds compatible")
_NO_LEGAL_FORMS = FeatureResult(0.0, "no legal forms to compare")


def _same(ours: frozenset[str], theirs: frozenset[str], what: str, none: FeatureResult) -> FeatureResult:
    """1.0 naming the first value both sets hold, else ``none``."""
    shared = ours & theirs if ours and theirs else None
    return FeatureResult(1.0, f"same {what} {sorted(shared)[0]}") if shared else none


def identifier_match(query: Party, candidate: Party, config: Config) -> FeatureResult:
    """An identifier (tax, registration, IMO, SWIFT/BIC, passport, ...) is the same on both."""
    if not query.identifiers or not candidate.identifiers:
        return _NO_SHARED_ID
    return _same(query.id_values, candidate.id_values, "identifier", _NO_SHARED_ID)


def identifier_conflict(query: Party, candidate: Party, config: Config) -> FeatureResult:
    """Both have an identifier of a kind a party has only one of (IMO, LEI, SWIFT) and they differ."""
    if not query.identifiers or not candidate.identifiers:
        return _NO_ID_CONFLICT
    if query.id_values & candidate.id_values:
        return FeatureResult(0.0, "identifiers agree")
    for scheme in UNIQUE_SCHEMES:
        qv = {v for s, v in query.identifiers if s == scheme}
        cv = {v for s, v in candidate.identifiers if s == scheme}
        if qv and cv:
            return FeatureResult(1.0, f"different {scheme.upper()}: {sorted(qv)[0]} vs {sorted(cv)[0]}")
    return _NO_ID_CONFLICT


def _years(dates: tuple[str, ...]) -> set[int]:
    return {int(d[:4]) for d in dates if d[:4].isdigit()}


def _swapped(date: str) -> str:
    """A full date with day and month exchanged (2001-03-04 -> 2001-04-03), a common clerical slip."""
    return f"{date[:4]}-{date[8:10]}-{date[5:7]}" if len(date) >= 10 else date


def birth_date_match(query: Party, candidate: Party, config: Config) -> FeatureResult:
    """Birth (or incorporation) dates agree: the full date (1.0), the date with day and month
    exchanged or the year only (0.5)."""
    if not query.dates or not candidate.dates:
        return _NO_DATE
    for q in query.dates:
        for c in candidate.dates:
            if len(q) >= 10 and q[:10] == c[:10]:
                return FeatureResult(1.0, f"same date {q[:10]}")
    for q in query.dates:
        for c in candidate.dates:
            if len(q) >= 10 and len(c) >= 10 and _swapped(q) == c[:10]:
                return FeatureResult(0.5, f"same date with day and month exchanged: {q[:10]} / {c[:10]}")
    for q in query.dates:
        for c in candidate.dates:
            if q[:4] == c[:4] and (q.startswith(c) or c.startswith(q)):
                return FeatureResult(0.5, f"same year {q[:4]}")
    return _NO_DATE


def birth_date_conflict(query: Party, candidate: Party, config: Config) -> FeatureResult:
    """Both have dates and none is within a year of the other (same year, other day: 0.3)."""
    if not query.dates or not candidate.dates:
        return _DATE_MISSING
    qy, cy = _years(query.dates), _years(candidate.dates)
    if not qy or not cy:
        return _DATE_MISSING
    if qy & cy:
        full_q = {d[:10] for d in query.dates if len(d) >= 10}
        full_c = {d[:10] for d in candidate.dates if len(d) >= 10}
        swapped_q = {_swapped(d) for d in full_q}
        if full_q and full_c and not (full_q | swapped_q) & full_c:
            return FeatureResult(0.3, f"same year, other day: {min(full_q)} vs {min(full_c)}")
        return FeatureResult(0.0, "dates compatible")
    if any(abs(a - b) <= 1 for a in qy for b in cy):
        return FeatureResult(0.3, f"dates a year apart: {min(qy)} vs {min(cy)}")
    return FeatureResult(1.0, f"different years: {min(qy)} vs {min(cy)}")


def country_match(query: Party, candidate: Party, config: Config) -> FeatureResult:
    """A nationality or country is shared."""
    return _same(query.countries, candidate.countries, "country", _NO_COUNTRY)


def country_conflict(query: Party, candidate: Party, config: Config) -> FeatureResult:
    """Both name countries and none is shared."""
    if query.countries and candidate.countries and not query.countries & candidate.countries:
        return FeatureResult(
            1.0, f"different countries: {sorted(query.countries)} vs {sorted(candidate.countries)}"
        )
    return _NO_COUNTRY_CONFLICT


def schema_conflict(query: Party, candidate: Party, config: Config) -> FeatureResult:
    """One is a person and the other an organisation, vessel or aircraft (or an organisation
    against a vessel, such as a ship and the company named after it): a name alone cannot make
    them the same party."""
    kinds = {query.kind, candidate.kind}
    if PERSON in kinds and (ORG in kinds or VESSEL in kinds):
        return FeatureResult(1.0, f"{query.kind} vs {candidate.kind}")
    if ORG in kinds and VESSEL in kinds:
        return FeatureResult(0.8, f"{query.kind} vs {candidate.kind}")
    return _KINDS_COMPATIBLE


def legal_form_conflict(query: Party, candidate: Party, config: Config) -> FeatureResult:
    """The compared names carry legal forms of different jurisdictions or kinds: two local forms
    that differ (an Italian S.r.l. against a Singapore Pte. Ltd.) count fully; an English word
    a translator uses ("Ltd", "Inc") against a local form of another kind counts half."""
    result = config.names(query, candidate)
    if result is None or not result.query.legal_forms or not result.candidate.legal_forms:
        return _NO_LEGAL_FORMS
    forms = legal_forms()
    # (sorted: which pair the explanation names must not depend on the hash seed)
    qf = [forms[f] for f in sorted(result.query.legal_forms) if f in forms]
    cf = [forms[f] for f in sorted(result.candidate.legal_forms) if f in forms]
    if not qf or not cf:
        return _NO_LEGAL_FORMS
    value = 1.0
    for a in qf:
        for b in cf:
            if a.id == b.id or "any" in (a.kind, b.kind):
                return FeatureResult(0.0, f"legal forms agree ({a.id})")
            if a.kind == b.kind and (a.generic or b.generic):
                return FeatureResult(0.0, f"legal forms compatible ({a.id} ~ {b.id})")
            if a.generic or b.generic:
                value = 0.5
    return FeatureResult(value, f"legal forms differ: {qf[0].id} vs {cf[0].id}")


_NO_GENDER_CONFLICT = FeatureResult(0.0, "no gender conflict")
_NO_GENERATION_CONFLICT = FeatureResult(0.0, "no generational suffixes to compare")


def gender_conflict(query: Party, candidate: Party, config: Config) -> FeatureResult:
    """Both say whether the person is a man or a woman, and they differ."""
    if query.gender and candidate.gender and query.gender != candidate.gender:
        return FeatureResult(1.0, f"different genders: {query.gender} vs {candidate.gender}")
    return _NO_GENDER_CONFLICT


def generation_conflict(query: Party, candidate: Party, config: Config) -> FeatureResult:
    """The compared names carry different generational suffixes (Jr against Sr, II against
    III): father and son, not one person."""
    result = config.names(query, candidate)
    if result is None or not result.query.generation or not result.candidate.generation:
        return _NO_GENERATION_CONFLICT
    if result.query.generation == result.candidate.generation:
        return FeatureResult(0.0, f"same generation ({result.query.generation})")
    return FeatureResult(
        1.0, f"different generations: {result.query.generation} vs {result.candidate.generation}"
    )
