"""match(): screen one query against an index, one Match per party (records clustered)."""

from __future__ import annotations

from sanctions.matching.algorithms import DEFAULT_ALGORITHM
from sanctions.matching.engine import get_algorithm
from sanctions.matching.features import Config
from sanctions.matching.index import Index
from sanctions.matching.party import Query
from sanctions.matching.types import Match, Score

RETRIEVE = 15  # entities taken from blocking for full scoring
KEEP_RATIO = 0.4  # candidates retrieved with less than this share of the best retrieval score are dropped
ID_FORMS = 3  # name forms compared for a record found by an identifier only


def match(
    query: Query,
    index: Index,
    *,
    algorithm: str = DEFAULT_ALGORITHM,
    limit: int = 10,
    threshold: float | None = None,
    datasets: set[str] | None = None,
) -> list[Match]:
    """The parties of ``index`` most like ``query``, best first, at most ``limit``.

    Only scores at or above ``threshold`` (default: the algorithm's) are returned when
    ``threshold`` is given; without it, the best candidates come back with ``match`` set at
    the algorithm's threshold. ``datasets`` restricts the search to those lists.
    """
    algo = get_algorithm(algorithm)
    query, warnings = query.folded()
    party = query.to_party()
    candidates = index.candidates(party.names, datasets, RETRIEVE)
    floor = KEEP_RATIO * max((c.score for c in candidates), default=0.0)
    found = {c.entity: c.forms for c in candidates if c.score >= floor}
    for pos in index.identified(party.id_values, datasets):
        if pos not in found:
            found[pos] = tuple(index.form_ids(pos)[:ID_FORMS])
    scored: list[tuple[Score, int]] = []
    aligner = index.aligner(party.names)
    for pos, form_ids in found.items():
        config = Config(weigh=index.weight, aligner=aligner)
        score = algo.score(party, index.party(pos, form_ids), config)
        scored.append((score, pos))
    # Ties go to the smaller id, not to load order: a reload must not change the head of a hit.
    scored.sort(key=lambda x: (-x[0].score, index.entities[x[1]].id))
    matches: list[Match] = []
    seen_parties: set[int] = set()
    for score, pos in scored:
        if threshold is not None and score.score < threshold:
            break
        key = index.party_key(pos)
        if key in seen_parties:
            continue
        seen_parties.add(key)
        related = [e for e in index.related(pos) if datasets is None or e.dataset in datasets]
        entity = index.entities[pos]
        matches.append(
            Match(
                entity, score.score, score.match, score.features, score.explanations, related, list(warnings)
            )
        )
        if len(matches) >= limit:
            break
    return matches
