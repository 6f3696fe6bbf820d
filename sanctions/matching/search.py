"""match(): screen one query against an index, one Match per party (records clustered)."""

from __future__ import annotations

from sanctions.index import Index
from sanctions.matching.algorithms import DEFAULT_ALGORITHM
from sanctions.matching.engine import get_algorithm
from sanctions.matching.features import Config
from sanctions.matching.party import Party, Query, entity_party_with
from sanctions.matching.types import Match, Score
from sanctions.text.aligner import NameAligner

RETRIEVE = 15  # entities taken from blocking for full scoring
KEEP_RATIO = 0.4  # candidates retrieved with less than this share of the best retrieval score are dropped


def _candidate_party(index: Index, pos: int, form_ids: tuple[int, ...]) -> Party:
    """The entity at ``pos`` as a Party with the given forms (its other fields made once)."""
    forms = tuple(index.forms[f] for f in form_ids)
    base = index.cache.get(pos)
    if not isinstance(base, Party):
        base = index.cache[pos] = entity_party_with(index.entities[pos], ())
    return Party(
        base.kind,
        forms,
        base.dates,
        base.countries,
        base.identifiers,
        base.schema,
        base.id,
        gender=base.gender,
    )


def match(
    query: Query,
    index: Index,
    *,
    algorithm: str = DEFAULT_ALGORITHM,
    limit: int = 10,
    threshold: float | None = None,
    cutoff: float | None = None,
    datasets: set[str] | None = None,
) -> list[Match]:
    """The parties of ``index`` most like ``query``, best first, at most ``limit``.

    As in yente, ``threshold`` decides ``match`` (default: the algorithm's) and ``cutoff``
    drops results scoring below it (default: none dropped). ``datasets`` restricts the search
    to those lists.
    """
    algo = get_algorithm(algorithm)
    party = query.to_party()
    candidates = index.candidates(party.names, datasets, RETRIEVE)
    floor = KEEP_RATIO * max((c.score for c in candidates), default=0.0)
    found = {c.entity: c.forms for c in candidates if c.score >= floor}
    for value in party.id_values:
        for pos in index.by_identifier.get(value, ()):
            entity = index.entities[pos]
            if pos not in found and (datasets is None or entity.dataset in datasets):
                first = index.positions[entity.id]
                found[pos] = tuple(f for f in _forms_of(index, first))[:3]
    scored: list[tuple[Score, int]] = []
    aligner = NameAligner(party.names, index.weight, index.prepared)
    for pos, form_ids in found.items():
        config = Config(weigh=index.weight, aligner=aligner)
        score = algo.score(party, _candidate_party(index, pos, form_ids), config, threshold)
        scored.append((score, pos))
    scored.sort(key=lambda x: -x[0].score)
    matches: list[Match] = []
    seen_roots: set[int] = set()
    for score, pos in scored:
        if cutoff is not None and score.score < cutoff:
            break
        root = index.cluster_root[pos]
        if root in seen_roots:
            continue
        seen_roots.add(root)
        best = index.entities[pos]
        related = [e for e in index.cluster(best.id)[1:] if datasets is None or e.dataset in datasets]
        matches.append(Match(best, score.score, score.match, score.features, score.explanations, related))
        if len(matches) >= limit:
            break
    return matches


def _forms_of(index: Index, pos: int) -> list[int]:
    """Form ids of one entity (a linear scan from its first form; entities are contiguous)."""
    out: list[int] = []
    start = _first_form(index, pos)
    fid = start
    while fid < len(index.forms) and index.form_entity[fid] == pos:
        out.append(fid)
        fid += 1
    return out


def _first_form(index: Index, pos: int) -> int:
    lo, hi = 0, len(index.form_entity)
    while lo < hi:
        mid = (lo + hi) // 2
        if index.form_entity[mid] < pos:
            lo = mid + 1
        else:
            hi = mid
    return lo
