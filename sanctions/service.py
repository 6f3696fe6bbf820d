"""The one place that wires store + index + matching + scanning + graph.

API workers, the CLI and the web UI all go through :class:`Screener`. Each Screener builds its
index from the store (workers stay stateless) and matching stays a pure function of
(query, index).
"""

from __future__ import annotations

import dataclasses
import gc
import logging
import re
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO, ClassVar

from sanctions.bundle import bundle_dir, load_bundled
from sanctions.errors import NotReadyError, QueryError, SanctionsError
from sanctions.export import write_ftm
from sanctions.fetch import Located, locate
from sanctions.graph import (
    RULES,
    ExposureResult,
    JurisdictionRule,
    collect,
    configure_rules,
    find_exposure,
    with_file_ids,
)
from sanctions.graph.linking import screening_matcher
from sanctions.graph.report import OwnershipReport, ownership_report
from sanctions.graph.svg import render_exposure
from sanctions.ingest import LoadRequest
from sanctions.matching import (
    ALGORITHMS,
    DEFAULT_ALGORITHM,
    Algorithm,
    Index,
    Match,
    MatchOptions,
    Query,
    Score,
    compare,
    match,
)
from sanctions.matching.batch import LineResult, screen_lines
from sanctions.matching.engine import get_algorithm
from sanctions.model import Entity, ListVersion, Relation
from sanctions.records import parse_mapping
from sanctions.scan import DEFAULT_THRESHOLD, FORMATS, DocumentError, Mention, MentionIndex, ScanResult
from sanctions.scan.extract import DEFAULT_MAX_BYTES, read_document
from sanctions.scan.report import render_html
from sanctions.service_batch import BatchMethods
from sanctions.service_batch import FileScreening as FileScreening  # for the faces
from sanctions.service_books import BookMethods
from sanctions.service_cases import CaseMethods
from sanctions.service_users import UserMethods
from sanctions.settings import Settings
from sanctions.sources import SOURCES
from sanctions.sources.records import UserRecords, read_records, records_from_payload
from sanctions.store import SqlStore, open_store
from sanctions.store.base import ListDiff
from sanctions.text.scripts import scripts_of

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from collections.abc import Callable

    import httpx

    from sanctions.fetch import ProgressHook
    from sanctions.ingest import Progress
    from sanctions.model import Record
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
    def title(self) -> str:
        """The publisher's title of the list's source (its dataset name when unknown)."""
        spec = SOURCES.get(self.version.source)
        return spec.title if spec is not None else self.version.dataset

    @property
    def url(self) -> str | None:
        """Where the publisher serves the list, when known."""
        spec = SOURCES.get(self.version.source)
        return spec.urls[0] if spec is not None and spec.urls else None

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


@dataclass(slots=True)
class ListRefresh:
    """What one refresh of the lists did: versions stored, lists unchanged, and failures (each
    failing list keeps its previous version)."""

    loaded: list[ListVersion] = field(default_factory=list)
    unchanged: list[ListVersion] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


class Screener(BookMethods, CaseMethods, UserMethods, BatchMethods):
    """Screen names, documents and relationships against the loaded lists."""

    scan_threshold: ClassVar[float] = DEFAULT_THRESHOLD  # lowest mention score a scan keeps
    scan_formats: ClassVar[tuple[str, ...]] = FORMATS

    def __init__(self, settings: Settings, store: SqlStore | None = None):
        self.settings = settings
        self.store = store or open_store(settings)
        # Who the audit trail names when a method is not told: the faces set it per request.
        self.actor = settings.user or "system"
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

    def refresh_lists(
        self,
        *,
        bundled: bool = False,
        folder: Path | None = None,
        sources: Iterable[str] | None = None,
        force: bool = False,
        progress: ProgressHook | None = None,
    ) -> ListRefresh:
        """Bring the lists up to date from one place: the bundled snapshot, a local folder of
        publisher files (as ``update --from``), or the publishers themselves (the default).
        Every face calls this; re-screening the books is then :meth:`rescreen_books`."""
        wanted = set(sources) if sources else None
        done = ListRefresh()
        if bundled:
            try:
                done.loaded = self.load_bundled(only=wanted, force=force)
            except SanctionsError as exc:
                done.failures.append(str(exc))
            return done
        if folder is not None:
            located = [x for x in self.locate(folder) if wanted is None or x.source in wanted]
            if not located:
                raise SanctionsError(f"no known list files in {folder} (see `sanctions update --help`)")
            for item in located:
                before = {v.id for v in self.store.current_versions()}
                try:
                    version = self.load(item.source, item.path, force=force)
                except SanctionsError as exc:
                    done.failures.append(f"{item.source}: {exc}")
                    continue
                (done.unchanged if version.id in before else done.loaded).append(version)
            return done
        for outcome in self.update(wanted, progress=progress):
            if outcome.error is not None:
                done.failures.append(f"{outcome.source}: {outcome.error}")
            elif outcome.version is not None:
                (done.loaded if outcome.changed else done.unchanged).append(outcome.version)
        return done

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
            self.checkpoint_after_load()
            self.refresh()
            for hook in self.update_hooks:
                try:
                    hook(changed)
                except Exception:  # noqa: BLE001 - a failing hook must not undo or stop an update
                    log.exception("update hook failed")
        return outcomes

    def update_schedule(self) -> UpdateSchedule | None:
        """The periodic update check of `serve` and `monitor` (SANCTIONS_UPDATE_INTERVAL), or
        None when off. Each check runs under a lock in the store (one runner across processes),
        and the books are re-screened against what it stored."""
        from sanctions.updates import UpdateSchedule

        interval = self.settings.update_interval_seconds
        return UpdateSchedule(self.scheduled_update, interval) if interval > 0 else None

    def scheduled_update(self) -> list[UpdateOutcome]:
        """One scheduled check: update the lists, then re-screen the books (nothing when another
        runner holds the lock)."""
        with self.store.run_once("list-updates") as mine:
            if not mine:
                return []
            outcomes = self.update()
            changed = [o.version for o in outcomes if o.changed and o.version is not None]
            if changed:
                self.rescreen_books(changed, "scheduled update")
            return outcomes

    def load(
        self,
        source: str,
        path: Path,
        *,
        dataset: str | None = None,
        published: str | None = None,
        force: bool = False,
        progress: Progress | None = None,
        actor: str | None = None,
    ) -> ListVersion:
        """Load a list file as a new version (atomic: a bad file changes nothing), held to the
        settings' safety checks unless ``force``."""
        from sanctions.containers import ContainerLimits
        from sanctions.ingest import load
        from sanctions.load_guards import LoadPolicy

        request = LoadRequest(
            source,
            path,
            dataset,
            published,
            force=force,
            limits=ContainerLimits.from_settings(self.settings),
            max_field_chars=self.settings.max_field_chars,
            actor=actor or self.actor,
        )
        before = {v.id for v in self.store.current_versions()}
        version = load(self.store, request, progress, LoadPolicy(self.settings.max_drop_share))
        if version.id not in before:
            self.checkpoint_after_load()
        return version

    @staticmethod
    def locate(folder: Path) -> list[Located]:
        """The list files of known sources in a folder (as ``update --from`` reads them)."""
        return locate(folder)

    def load_bundled(
        self, *, only: set[str] | None = None, force: bool = False, progress: bool = False
    ) -> list[ListVersion]:
        """Load the snapshot shipped with the package (unchanged lists are skipped unless ``force``)."""
        before = {v.id for v in self.store.current_versions()}
        loaded = load_bundled(self.store, progress=progress, only=only, force=force)
        if any(v.id not in before for v in loaded):
            self.checkpoint_after_load()
        return loaded

    @staticmethod
    def source_formats() -> list[str]:
        """The list formats :meth:`load` reads (one per publisher format, plus ftm and csv)."""
        return list(SOURCES)

    def status(self, version: ListVersion, today: date | None = None) -> ListStatus:
        """The age and staleness of one list version."""
        return list_status(version, self.settings.stale_days, today)

    def versions(self, dataset: str | None = None) -> list[ListVersion]:
        """Every stored version (of one dataset), newest last."""
        return self.store.versions(dataset)

    def datasets(self) -> list[str]:
        """The names of the loaded lists."""
        return sorted(v.dataset for v in self.store.current_versions())

    def diff(self, dataset: str, old: int | None = None, new: int | None = None) -> ListDiff:
        """Added, removed and changed entities between two versions of a list (default: the
        newest and the one before)."""
        return self.store.diff(dataset, old, new)

    def export(self, out: IO[str], datasets: Sequence[str] | None = None) -> int:
        """Write the loaded lists (or some) as FollowTheMoney JSON lines; the count written."""
        selected = list(datasets) if datasets else None
        return write_ftm(self.store.iter_entities(selected), self.store.iter_relations(selected), out)

    # -- index and matching --------------------------------------------------------------------
    @property
    def index(self) -> Index:
        """The matching index over every current list: read from the index file of the current
        versions when it checks out, else built from the store (and the file written)."""
        if self._index is None:
            with self._lock:
                if self._index is None:
                    self._index = self._stored_index()
        return self._index

    def _stored_index(self) -> Index:
        """The index of the current versions from its file, or built and saved for next time.

        A missing, stale, foreign or damaged file is never trusted (:mod:`sanctions.batch`);
        a data dir that cannot be written only means the next process builds again.
        """
        from sanctions.batch.indexfile import (
            IndexFileError,
            index_file_name,
            list_key,
            read_index_file,
            write_index_file,
        )

        versions = self.store.current_versions()
        if not versions:
            return Index.build(self.store.iter_entities())
        path = self.settings.data_dir / "index" / index_file_name(versions)
        if path.is_file():
            try:
                header, index = read_index_file(path)
                if header.lists == list_key(versions):
                    return index
            except IndexFileError as exc:
                log.warning("index file not used, rebuilding: %s", exc)
        index = Index.build(self.store.iter_entities())
        try:
            write_index_file(path, index, versions)
            for old in path.parent.glob("matching-*.idx"):
                if old != path:
                    old.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("index file not written (%s): the next process builds the index again", exc)
        return index

    @property
    def mention_index(self) -> MentionIndex:
        """The index of list names used to find mentions in documents, built on first use."""
        if self._mention_index is None:
            with self._lock:
                if self._mention_index is None:
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
        entities = list(self.store.iter_entities())
        index = self._stored_index()
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

    def check_datasets(self, datasets: Iterable[str] | None) -> frozenset[str] | None:
        """The datasets as a set, or QueryError naming the unknown ones and the loaded lists."""
        if datasets is None:
            return None
        wanted = frozenset(datasets)
        known = set(self.datasets())
        unknown = sorted(wanted - known)
        if unknown:
            raise QueryError(
                f"unknown list {', '.join(map(repr, unknown))}; loaded: {', '.join(sorted(known)) or 'none'}"
            )
        return wanted

    def match(
        self,
        query: Query,
        options: MatchOptions | None = None,
        *,
        limit: int | None = None,
        threshold: float | None = None,
        cutoff: float | None = None,
        algorithm: str | None = None,
        datasets: Iterable[str] | None = None,
    ) -> list[Match]:
        """Ranked candidates for a query, each with score, decision and explanation.

        ``threshold`` decides ``match``; ``cutoff`` drops weaker results. Give the options as a
        :class:`MatchOptions`, or as keywords, which override the fields of ``options``.
        """
        opts = options or MatchOptions()
        changes: dict[str, Any] = {
            key: value
            for key, value in (
                ("limit", limit),
                ("threshold", threshold),
                ("cutoff", cutoff),
                ("algorithm", algorithm),
                ("datasets", frozenset(datasets) if datasets is not None else None),
            )
            if value is not None
        }
        if changes:
            opts = dataclasses.replace(opts, **changes)
        chosen = self.algorithm(opts.algorithm)
        return match(
            query,
            self.index,
            algorithm=chosen.name,
            limit=opts.limit,
            threshold=opts.threshold,
            cutoff=opts.cutoff,
            datasets=set(opts.datasets) if opts.datasets is not None else None,
        )

    def match_many(self, queries: Sequence[Query], options: MatchOptions | None = None) -> list[list[Match]]:
        """:meth:`match` for each query of a batch, in order."""
        return [self.match(query, options) for query in queries]

    def screen_lines(
        self,
        lines: Iterable[str],
        options: MatchOptions | None = None,
        *,
        workers: int = 1,
        date_format: str | None = None,
    ) -> Iterator[LineResult]:
        """Screen JSON-lines queries (yente's shape): one result line per query line, in order.
        A line that is not a valid query gives an error line; the others are screened."""
        opts = options or MatchOptions()
        self.algorithm(opts.algorithm)
        _ = self.index  # build before forking: workers share it copy-on-write
        return screen_lines(lines, self.index, opts, workers=workers, date_format=date_format)

    @staticmethod
    def compare(a: Query | Entity, b: Query | Entity, algorithm: str | None = None) -> Score:
        """Score two records against each other (no index needed)."""
        return compare(a, b, algorithm=Screener.algorithm(algorithm).name)

    @staticmethod
    def check_scan_format(fmt: str, source: str = "<input>") -> None:
        """DocumentError unless ``fmt`` is a format the scanner reads."""
        if fmt not in FORMATS:
            raise DocumentError(source, f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")

    @staticmethod
    def read_document(file: Path | str | BinaryIO, source: str | None = None) -> bytes:
        """The bytes of a document to scan (a path, or a binary stream such as stdin), refused
        beyond the size bound."""
        if isinstance(file, (str, Path)):
            return read_document(file)
        data = file.read(DEFAULT_MAX_BYTES + 1)
        if len(data) > DEFAULT_MAX_BYTES:
            label = source or "<stream>"
            raise DocumentError(label, f"input over the {DEFAULT_MAX_BYTES:,}-byte limit for scanning")
        return data

    @staticmethod
    def scan_report(result: ScanResult, *, title: str) -> str:
        """The HTML report of a scan: the text with every mention highlighted and explained."""
        limit = float(result.stats.get("threshold", DEFAULT_THRESHOLD))
        return render_html(result.text, result.mentions, title=title, threshold=limit, stats=result.stats)

    # -- entities and relations ----------------------------------------------------------------
    def entity(self, entity_id: str) -> Entity | None:
        """One listed entity by id."""
        return self.store.get_entity(entity_id)

    def relations(self, entity_id: str) -> list[Relation]:
        """Relations the store holds for an entity (publisher-stated links, ownership, ...)."""
        return self.store.relations_of(entity_id)

    @staticmethod
    def scripts_of(text: str) -> set[str]:
        """The writing systems a name is written in (``Latin``, ``Cyrillic``, ``Han``, ...)."""
        return set(scripts_of(text))

    def same_party(self, entity_id: str) -> list[Entity]:
        """The records of the same party on other lists (the entity's cluster, itself first)."""
        return self.index.cluster(entity_id)

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
    @staticmethod
    def algorithm(name: str | None = None) -> Algorithm:
        """The matching algorithm of that name (ours or a yente/nomenklatura name such as
        ``best``, ``logic-v2``, ``name-based``); QueryError listing the known names."""
        return get_algorithm(name or DEFAULT_ALGORITHM)

    @staticmethod
    def algorithms() -> list[Algorithm]:
        """Every matching algorithm, the default first."""
        return list(ALGORITHMS.values())

    @staticmethod
    def algorithm_aliases() -> dict[str, str]:
        """yente/nomenklatura algorithm names and the algorithm of ours each one means."""
        from sanctions.matching import ALIASES

        return dict(ALIASES)

    # -- relationships -------------------------------------------------------------------------
    @staticmethod
    def read_records(path: Path, dataset: str | None = None) -> tuple[UserRecords, list[str]]:
        """The user's entities and relations from a relations CSV or an FtM file, with warnings."""
        return read_records(path, dataset)

    @staticmethod
    def records_from_payload(ftm: Sequence[dict[str, Any]], relations_csv: str | None) -> UserRecords:
        """The user's entities and relations sent as FtM objects and/or relations CSV text."""
        return records_from_payload(ftm, relations_csv)

    @staticmethod
    def parse_mapping(items: list[str]) -> dict[str, str]:
        """``["Client No=id", "DOB=birth_date"]`` -> the column mapping of a customer file."""
        return parse_mapping(items)

    @staticmethod
    def bundled_example(name: str) -> Path:
        """A file of the bundled examples (the showcase relations, ...)."""
        return bundle_dir() / "examples" / name

    @staticmethod
    def rules(jurisdiction: str = "us,eu,gb", changes: Iterable[str] | None = None) -> list[JurisdictionRule]:
        """The ownership rules of those jurisdictions, with changes such as ``gb.aggregate=yes``."""
        return configure_rules(jurisdiction, list(changes) if changes else None)

    @staticmethod
    def ownership(
        records: Iterable[Entity | Relation],
        *,
        rules: Sequence[JurisdictionRule] | None = None,
        as_of: str | None = None,
        page: tuple[int, int] | None = None,
        path_hops: int | None = None,
    ) -> OwnershipReport:
        """Who among ``records`` is blocked under each jurisdiction's ownership rule, and why;
        ``page`` (offset, size) decides only those parties, ``path_hops`` bounds the paths shown."""
        # Answer in the file's own ids, not the <file name>-prefixed ids parsing makes.
        return ownership_report(
            with_file_ids(records), rules or list(RULES.values()), as_of, page=page, path_hops=path_hops
        )

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

    @staticmethod
    def exposure_svg(result: ExposureResult) -> str:
        """The exposure graph drawn as SVG."""
        return render_exposure(result)

    def close(self) -> None:
        self.store.close()


@dataclass
class ServingState:
    """What one serving worker holds: its Screener, whether its indexes are ready, and which list
    versions it serves. Every worker builds its own indexes from the store at start-up (workers
    share nothing but the store) and rebuilds them when another process loads a new version."""

    settings: Settings
    screener: Screener
    ready: threading.Event = field(default_factory=threading.Event)
    problem: str | None = "the index is being built"
    versions: tuple[int, ...] = ()  # the list versions the index was built from
    datasets: frozenset[str] = frozenset()  # their dataset names
    loaded_at: dict[str, str] = field(default_factory=dict)  # dataset -> load time of the served version
    built_at: float | None = None
    _building: threading.Lock = field(default_factory=threading.Lock)

    def current_versions(self) -> tuple[int, ...]:
        """Ids of the list versions the store holds as current."""
        return tuple(sorted(v.id for v in self.screener.store.current_versions()))

    def _record(self, versions: list[ListVersion]) -> None:
        self.versions = tuple(sorted(v.id for v in versions))
        self.datasets = frozenset(v.dataset for v in versions)
        self.loaded_at = {v.dataset: v.loaded_at for v in versions}

    def build(self) -> bool:
        """(Re)build the indexes from the store's current versions; ready when it succeeds.

        A rebuild after an update keeps serving the old indexes until the new ones replace them.
        """
        with self._building:
            try:
                current = self.screener.store.current_versions()
                versions = tuple(sorted(v.id for v in current))
                if not versions:
                    self.problem = (
                        "no lists are loaded: load one (POST /lists/{source}) or run `sanctions update`"
                    )
                    self.ready.clear()
                    return False
                started = time.perf_counter()
                gc.unfreeze()  # the previous index may be garbage now
                if versions != self.versions and self.versions:
                    self.screener.rebuild()  # the old indexes keep serving until the swap
                else:
                    _ = self.screener.index  # builds the matching index
                    _ = self.screener.mention_index  # and the document-scanning one
                # The indexes are a million long-lived objects: a full collection over them takes
                # most of a second. Frozen, the collector skips them and latency stays flat.
                gc.collect()
                gc.freeze()
                self._record(current)
                self.built_at = time.time()
                self.problem = None
                self.ready.set()
                log.info(
                    "index ready",
                    extra={"versions": list(versions), "seconds": round(time.perf_counter() - started, 2)},
                )
                return True
            except SanctionsError as exc:
                self.problem = f"the index could not be built: {exc}"
                self.ready.clear()
                log.error("index build failed", extra={"error": type(exc).__name__})
                return False
            except Exception as exc:  # a bug: say so on /readyz instead of hanging "not ready"
                self.problem = f"the index could not be built ({type(exc).__name__})"
                self.ready.clear()
                log.exception("index build failed")
                return False

    def refresh_if_changed(self) -> bool:
        """Rebuild when the store's current versions differ from the served ones; True if rebuilt."""
        try:
            versions = self.current_versions()
        except SanctionsError:
            return False
        if versions == self.versions and self.ready.is_set():
            return False
        return self.build()

    def require_ready(self) -> Screener:
        """The Screener, or NotReadyError while the index is not built."""
        if not self.ready.is_set():
            raise NotReadyError(f"not ready: {self.problem}")
        return self.screener

    def lists(self) -> list[ListStatus]:
        """The loaded lists with their age (see :meth:`Screener.lists`)."""
        return self.screener.lists()

    def datasets_in(self, names: Iterable[str] | None) -> frozenset[str] | None:
        """The served datasets named (None: all); QueryError naming unknown ones."""
        if names is None:
            return None
        wanted = frozenset(names)
        unknown = sorted(wanted - self.datasets)
        if unknown:
            raise QueryError(
                f"unknown list {', '.join(map(repr, unknown))}; loaded: {', '.join(sorted(self.datasets))}"
            )
        return wanted
