"""The one place that wires store + index + matching + scanning + graph.

API workers, the CLI and the web UI all go through :class:`Screener`. Each Screener builds its
index from the store (workers stay stateless) and matching stays a pure function of
(query, index).
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sanctions.errors import QueryError
from sanctions.model import Entity, ListVersion, Relation
from sanctions.service_books import BookMethods
from sanctions.settings import Settings
from sanctions.store import SqlStore, open_store

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    import httpx

    from sanctions.fetch import ProgressHook
    from sanctions.graph import ExposureResult, JurisdictionRule
    from sanctions.ingest import LoadRequest, Progress
    from sanctions.matching import Algorithm, Index, Match, Query, Score
    from sanctions.model import Record
    from sanctions.scan import Mention, MentionIndex, ScanResult
    from sanctions.updates import UpdateHook, UpdateOutcome, UpdateSchedule


@dataclass(slots=True)
class ListStatus:
    """A loaded list with its age: screening against a stale list is a compliance failure."""

    version: ListVersion
    age_days: int | None  # days since the list's date; None when the date is unknown
    stale: bool  # older than Settings.stale_days, or of unknown date, or from a closed publication
    dated_by: str  # publisher, given (--published, bundle manifest), http (Last-Modified), unknown
    closed: str | None = None  # the day the publisher stopped publishing this list (ISO)
    kind: str = "sanction"  # "sanction" or "export_control": what a hit on this list means

    @property
    def note(self) -> str:
        """What a reader must know beside the age: a closed publication, an unknown date."""
        notes = []
        if self.closed:
            last = self.version.published or "undated"
            notes.append(f"publication closed on {self.closed} (this list: {last}); not updated any more")
        if self.dated_by == "unknown":
            notes.append("publication date unknown (load with --published DATE)")
        if self.kind == "export_control":
            notes.append("export-control list")
        return "; ".join(notes)

    def to_dict(self) -> dict[str, Any]:
        v = self.version
        return {
            "source": v.dataset,
            "format": v.source,
            "version": v.id,
            "published": v.published,
            "loaded": v.loaded_at,
            "loaded_at": v.loaded_at,
            "entities": v.entities,
            "names": v.names,
            "relations": v.relations,
            "sha256": v.sha256,
            "size": v.size,
            "age_days": self.age_days,
            "stale": self.stale,
            "dated_by": self.dated_by,
            "closed": self.closed,
            "kind": self.kind,
            "note": self.note,
            "warnings": len(v.warnings),
        }


def list_status(version: ListVersion, stale_days: int, today: date | None = None) -> ListStatus:
    """How old a list version is, by its publication date.

    The load time says nothing about a list's age (a years-old file loaded today is not
    fresh): a list without a known date has no age and counts as stale. A list whose
    publisher closed the publication is stale whatever its date.
    """
    from sanctions.load_guards import first_day
    from sanctions.sources import SOURCES

    today = today or datetime.now(UTC).date()
    spec = SOURCES.get(version.source)
    closed = spec.closed if spec is not None else None
    kind = spec.kind if spec is not None else "sanction"
    dated_by = (version.dated_by or "publisher") if version.published else "unknown"
    try:
        day = first_day(version.published) if version.published else None
    except ValueError:
        day = None
    if day is None:
        return ListStatus(version, None, True, "unknown", closed, kind)
    age = (today - day).days
    return ListStatus(version, age, age > stale_days or closed is not None, dated_by, closed, kind)


_SINCE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2}))?)?)?(Z|[+-]\d{2}:?\d{2})?$")


def parse_since(text: str) -> str:
    """An ISO date or date-time (``2026-01-31``, ``2026-01-31T12``, ``...T12:30:00Z``) as the
    UTC timestamp the store writes (``2026-01-31T12:30:00+00:00``); QueryError when unreadable."""
    found = _SINCE.match(text.strip())
    if found is None:
        raise QueryError(
            f"not a date or date-time: {text!r} (expected e.g. 2026-01-31 or 2026-01-31T12:00:00)"
        )
    day, hour, minute, second, zone = found.groups()
    iso = f"{day}T{hour or '00'}:{minute or '00'}:{second or '00'}"
    if zone:
        iso += "+00:00" if zone == "Z" else (zone if ":" in zone else f"{zone[:3]}:{zone[3:]}")
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError as exc:
        raise QueryError(f"not a valid date or date-time: {text!r} ({exc})") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


class Screener(BookMethods):
    """Screen names, documents and relationships against the loaded lists."""

    def __init__(self, settings: Settings, store: SqlStore | None = None):
        self.settings = settings
        self.store = store or open_store(settings)
        self._index: Index | None = None
        self._mention_index: MentionIndex | None = None
        self._lock = threading.Lock()
        self._changed: dict[tuple[str, tuple[int, ...]], frozenset[str]] = {}
        # Called with the versions each update stored: the monitoring work re-screens here.
        self.update_hooks: list[UpdateHook] = []

    @classmethod
    def open(cls, data_dir: Path | str | None = None) -> Screener:
        """A Screener on a data directory (default: SANCTIONS_DATA_DIR or the user data dir)."""
        return cls(Settings.from_env(data_dir))

    # -- lists -------------------------------------------------------------------------------
    def lists(self, today: date | None = None) -> list[ListStatus]:
        """Every loaded list with its age and staleness."""
        return [list_status(v, self.settings.stale_days, today) for v in self.store.current_versions()]

    def update(
        self,
        sources: Iterable[str] | None = None,
        *,
        progress: ProgressHook | None = None,
        client_factory: Callable[[], httpx.Client] | None = None,
    ) -> list[UpdateOutcome]:
        """Download the official lists and load each one that changed (see :mod:`sanctions.updates`).

        The indexes are rebuilt when a version was stored, and every hook of
        :attr:`update_hooks` is called with the new versions.
        """
        from sanctions.updates import update_lists

        outcomes = update_lists(
            self.store, self.settings, sources=sources, progress=progress, client_factory=client_factory
        )
        changed = [o.version for o in outcomes if o.changed and o.version is not None]
        if changed:
            self.refresh()
            for hook in self.update_hooks:
                try:
                    hook(changed)
                except Exception:  # noqa: BLE001 - a failing hook must not undo or stop an update
                    log.exception("update hook failed")
        return outcomes

    def update_schedule(self) -> UpdateSchedule | None:
        """The periodic update check of `serve` (SANCTIONS_UPDATE_INTERVAL), or None when off.

        Hooks are called by :meth:`update`; add re-screening to :attr:`update_hooks`.
        """
        from sanctions.updates import UpdateSchedule

        interval = self.settings.update_interval_seconds
        return UpdateSchedule(self.update, interval) if interval > 0 else None

    def load(self, request: LoadRequest, progress: Progress | None = None) -> ListVersion:
        """Load a list file as a new version, held to the settings' safety checks."""
        from sanctions.ingest import load
        from sanctions.load_guards import LoadPolicy

        return load(self.store, request, progress, LoadPolicy(self.settings.max_drop_share))

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

    def changed_since(self, since: str) -> frozenset[str]:
        """Ids of the listed entities added or changed by a list version loaded after ``since``
        (an ISO date or date-time, UTC when it has no offset); QueryError when unreadable."""
        stamp = parse_since(since)
        key = (stamp, tuple(v.id for v in self.store.current_versions()))
        cached = self._changed.get(key)
        if cached is None:
            cached = frozenset(self.store.changed_since(stamp))
            self._changed = {key: cached}  # one entry: clients repeat the same date
        return cached

    # -- algorithms ----------------------------------------------------------------------------
    def algorithm(self, name: str | None = None) -> Algorithm:
        """The matching algorithm of that name (ours or a yente/nomenklatura name such as
        ``best``, ``logic-v2``, ``name-based``); QueryError listing the known names."""
        from sanctions.matching import DEFAULT_ALGORITHM, get_algorithm

        return get_algorithm(name or DEFAULT_ALGORITHM)

    def algorithms(self) -> list[Algorithm]:
        """Every matching algorithm, the default first."""
        from sanctions.matching import ALGORITHMS

        return list(ALGORITHMS.values())

    @staticmethod
    def algorithm_aliases() -> dict[str, str]:
        """yente/nomenklatura algorithm names and the algorithm of ours each one means."""
        from sanctions.matching import ALIASES

        return dict(ALIASES)

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
