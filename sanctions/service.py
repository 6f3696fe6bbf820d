"""The one place that wires store + index + matching + scanning + graph.

API workers, the CLI and the web UI all go through :class:`Screener`. Each Screener builds its
index from the store (workers stay stateless) and matching stays a pure function of
(query, index).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sanctions.model import Entity, ListVersion, Relation
from sanctions.settings import Settings
from sanctions.store import SqlStore, open_store

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from sanctions.graph import ExposureResult, JurisdictionRule
    from sanctions.matching import Index, Match, Query, Score
    from sanctions.model import Record
    from sanctions.scan import Mention, MentionIndex, ScanResult


@dataclass(slots=True)
class ListStatus:
    """A loaded list with its age: screening against a stale list is a compliance failure."""

    version: ListVersion
    age_days: int | None  # days since the publisher's date (or the load, when no date is known)
    stale: bool
    dated_by: str  # "published" or "loaded_at"

    def to_dict(self) -> dict[str, Any]:
        v = self.version
        return {
            "source": v.dataset,
            "format": v.source,
            "version": v.id,
            "published": v.published,
            "loaded_at": v.loaded_at,
            "entities": v.entities,
            "names": v.names,
            "relations": v.relations,
            "sha256": v.sha256,
            "age_days": self.age_days,
            "stale": self.stale,
            "dated_by": self.dated_by,
            "warnings": len(v.warnings),
        }


def list_status(version: ListVersion, stale_days: int, today: date | None = None) -> ListStatus:
    """How old a list version is, by the publisher's date when known, else by its load time."""
    today = today or datetime.now(UTC).date()
    stamp, dated_by = (
        (version.published, "published") if version.published else (version.loaded_at, "loaded_at")
    )
    stamp = stamp[:10]
    if len(stamp) == 7:  # a month only ("2025-12"): count from its first day
        stamp += "-01"
    try:
        day = date.fromisoformat(stamp)
    except (TypeError, ValueError):
        return ListStatus(version, None, True, dated_by)
    age = (today - day).days
    return ListStatus(version, age, age > stale_days, dated_by)


class Screener:
    """Screen names, documents and relationships against the loaded lists."""

    def __init__(self, settings: Settings, store: SqlStore | None = None):
        self.settings = settings
        self.store = store or open_store(settings)
        self._index: Index | None = None
        self._mention_index: MentionIndex | None = None
        self._lock = threading.Lock()

    @classmethod
    def open(cls, data_dir: Path | str | None = None) -> Screener:
        """A Screener on a data directory (default: SANCTIONS_DATA_DIR or the user data dir)."""
        return cls(Settings.from_env(data_dir))

    # -- lists -------------------------------------------------------------------------------
    def lists(self, today: date | None = None) -> list[ListStatus]:
        """Every loaded list with its age and staleness."""
        return [list_status(v, self.settings.stale_days, today) for v in self.store.current_versions()]

    # -- index and matching --------------------------------------------------------------------
    @property
    def index(self) -> Index:
        """The matching index over every current list, built on first use."""
        if self._index is None:
            with self._lock:
                if self._index is None:
                    from sanctions.matching import Index

                    self._index = Index.build(self.store.iter_entities())
        return self._index

    @property
    def mention_index(self) -> MentionIndex:
        """The index of list names used to find mentions in documents, built on first use."""
        if self._mention_index is None:
            with self._lock:
                if self._mention_index is None:
                    from sanctions.scan import MentionIndex

                    self._mention_index = MentionIndex.build(self.store.iter_entities())
        return self._mention_index

    def refresh(self) -> None:
        """Drop the indexes so the next query rebuilds them from the store (after a list update)."""
        with self._lock:
            self._index = None
            self._mention_index = None

    def rebuild(self) -> None:
        """Build fresh indexes from the store, then swap them in.

        Queries keep using the old indexes while the new ones are built, so a list update
        never makes a running service wait.
        """
        from sanctions.matching import Index
        from sanctions.scan import MentionIndex

        entities = list(self.store.iter_entities())
        index = Index.build(entities)
        mention_index = MentionIndex.build(entities)
        with self._lock:
            self._index = index
            self._mention_index = mention_index

    # -- documents -----------------------------------------------------------------------------
    def scan(self, text: str, *, threshold: float | None = None) -> list[Mention]:
        """Every mention of a listed party in a text, with offsets, score and explanation."""
        from sanctions.scan import DEFAULT_THRESHOLD, scan_folded

        limit = DEFAULT_THRESHOLD if threshold is None else threshold
        return scan_folded(text, self.mention_index, limit)[0]

    def scan_document(
        self, data: bytes, *, source: str = "<input>", fmt: str = "auto", threshold: float | None = None
    ) -> ScanResult:
        """Extract the text of a document (text, HTML, PDF, DOCX, payment message) and scan it."""
        from sanctions.scan import DEFAULT_THRESHOLD, scan_document
        from sanctions.scan.extract import ExtractLimits

        limit = DEFAULT_THRESHOLD if threshold is None else threshold
        limits = ExtractLimits.from_settings(self.settings)
        return scan_document(
            data, self.mention_index, source=source, fmt=fmt, threshold=limit, limits=limits, isolate=True
        )

    def match(
        self,
        query: Query,
        *,
        limit: int = 10,
        threshold: float | None = None,
        algorithm: str | None = None,
        datasets: set[str] | None = None,
    ) -> list[Match]:
        """Ranked candidates for a query, each with score, decision and explanation."""
        from sanctions.matching import DEFAULT_ALGORITHM, match

        return match(
            query,
            self.index,
            algorithm=algorithm or DEFAULT_ALGORITHM,
            limit=limit,
            threshold=threshold,
            datasets=datasets,
        )

    def compare(self, a: Query | Entity, b: Query | Entity, algorithm: str | None = None) -> Score:
        """Score two records against each other."""
        from sanctions.matching import DEFAULT_ALGORITHM, compare

        return compare(a, b, algorithm=algorithm or DEFAULT_ALGORITHM)

    # -- entities and relations ----------------------------------------------------------------
    def entity(self, entity_id: str) -> Entity | None:
        """One listed entity by id."""
        return self.store.get_entity(entity_id)

    def relations(self, entity_id: str) -> list[Relation]:
        """Relations the store holds for an entity (publisher-stated links, ownership, ...)."""
        return self.store.relations_of(entity_id)

    # -- relationships -------------------------------------------------------------------------
    def exposure(
        self,
        party: str,
        records: Iterable[Record] = (),
        *,
        rules: Sequence[JurisdictionRule] | None = None,
        depth: int = 2,
        screen: bool = True,
        as_of: str | None = None,
    ) -> ExposureResult:
        """Every path from ``party`` to listed parties within ``depth`` hops, classified.

        ``records`` are the user's own entities and relations (a parsed relations CSV or FtM
        file); the lists' own relations come from the store. With ``screen``, the user's
        parties are linked to listed records by the matching engine (scores kept on the path).
        """
        from sanctions.graph import RULES, collect, find_exposure
        from sanctions.graph.linking import screening_matcher

        matcher = screening_matcher(self) if screen else None
        found = collect(party, records=records, source=self, matcher=matcher, depth=depth, as_of=as_of)
        result = find_exposure(
            found.builder.build(), found.start_ids, rules or list(RULES.values()), depth=depth
        )
        result.warnings.extend(found.warnings)
        if found.builder.skipped:
            result.warnings.append(
                f"{found.builder.skipped} relation(s) not in force on {found.builder.as_of} left out"
            )
        result.screened = found.screened
        return result

    def close(self) -> None:
        self.store.close()
