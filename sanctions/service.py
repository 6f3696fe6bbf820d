"""The one place that wires store + index + matching + scanning + graph.

API workers, the CLI and the web UI all go through :class:`Screener`. Each Screener reads its
index from the index file of the current list versions (built from the store when missing), so
workers stay stateless, and matching stays a pure function of (query, index). The sections
live beside it: lists, books, cases and audit, users, batch (``service_*.py``).
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, ClassVar, TypeVar

from sanctions.batch.indexfile import (
    MATCHING,
    MENTIONS,
    IndexFileError,
    IndexHeader,
    index_file_name,
    list_key,
    read_index_file,
    read_mention_file,
    remove_other_files,
    write_index_file,
    write_mention_file,
)
from sanctions.bundle import bundle_dir
from sanctions.errors import QueryError
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
from sanctions.matching import (
    ALGORITHMS,
    ALIASES,
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
from sanctions.scan import (
    DEFAULT_THRESHOLD,
    FORMATS,
    DocumentError,
    Mention,
    MentionIndex,
    ScanResult,
    scan_document,
    scan_folded,
)
from sanctions.scan.extract import DEFAULT_MAX_BYTES, ExtractLimits, read_document
from sanctions.scan.report import render_html
from sanctions.service_batch import BatchMethods
from sanctions.service_batch import FileScreening as FileScreening  # for the faces
from sanctions.service_books import BookMethods
from sanctions.service_cases import CaseMethods
from sanctions.service_lists import ListMethods
from sanctions.service_lists import ListRefresh as ListRefresh
from sanctions.service_lists import ListStatus as ListStatus
from sanctions.service_lists import list_status as list_status
from sanctions.service_lists import parse_since as parse_since
from sanctions.service_users import UserMethods
from sanctions.settings import Settings
from sanctions.sources.records import UserRecords, read_records, records_from_payload
from sanctions.store import SqlStore, open_store
from sanctions.text.scripts import scripts_of

log = logging.getLogger(__name__)
IndexT = TypeVar("IndexT", Index, MentionIndex)

if TYPE_CHECKING:
    from sanctions.model import Record
    from sanctions.updates import UpdateHook


class Screener(ListMethods, BookMethods, CaseMethods, UserMethods, BatchMethods):
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

    def _stored_index(self, entities: Sequence[Entity] | None = None) -> Index:
        """The matching index of the current versions from its file, or built and saved."""
        return self._from_file(MATCHING, read_index_file, write_index_file, Index.build, entities)

    def _stored_mentions(self, entities: Sequence[Entity] | None = None) -> MentionIndex:
        """The mention index of the current versions from its file, or built and saved."""
        return self._from_file(MENTIONS, read_mention_file, write_mention_file, MentionIndex.build, entities)

    def _from_file(
        self,
        kind: str,
        read: Callable[[Path], tuple[IndexHeader, IndexT]],
        write: Callable[[Path, IndexT, Sequence[ListVersion]], object],
        build: Callable[[Iterable[Entity]], IndexT],
        entities: Sequence[Entity] | None,
    ) -> IndexT:
        """An index of the current versions from its file (``DATA_DIR/index/<kind>-*.idx``), or
        built from the store (or ``entities``) and saved for the next process.

        A missing, stale, foreign or damaged file is never trusted (:mod:`sanctions.batch`);
        a data dir that cannot be written only means the next process builds again.
        """
        records = entities if entities is not None else self.store.iter_entities()
        versions = self.store.current_versions()
        if not versions:
            return build(records)
        path = self.settings.data_dir / "index" / index_file_name(versions, kind)
        if path.is_file():
            try:
                header, index = read(path)
                if header.lists == list_key(versions):
                    return index
            except IndexFileError as exc:
                log.warning("index file not used, rebuilding: %s", exc)
        index = build(records)
        try:
            write(path, index, versions)
            remove_other_files(path)
        except OSError as exc:
            log.warning("index file not written (%s): the next process builds the index again", exc)
        return index

    @property
    def mention_index(self) -> MentionIndex:
        """The index of list names used to find mentions in documents: read from the mention
        index file of the current versions when it checks out, else built (and the file written)."""
        if self._mention_index is None:
            with self._lock:
                if self._mention_index is None:
                    self._mention_index = self._stored_mentions()
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
        index = self._stored_index(entities)  # read once, for both indexes
        mention_index = self._stored_mentions(entities)
        with self._lock:
            self._index = index
            self._mention_index = mention_index

    # -- documents -----------------------------------------------------------------------------
    def scan(self, text: str, *, threshold: float | None = None) -> list[Mention]:
        """Every mention of a listed party in a text, with offsets, score and explanation."""
        limit = DEFAULT_THRESHOLD if threshold is None else threshold
        return scan_folded(text, self.mention_index, limit)[0]

    def scan_document(
        self, data: bytes, *, source: str = "<input>", fmt: str = "auto", threshold: float | None = None
    ) -> ScanResult:
        """Extract the text of a document (text, HTML, PDF, DOCX, payment message) and scan it."""
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
        """``["Client No=id", "DOB=birth_date"]`` -> the column mapping of a customer file
        (QueryError naming the item that is not COLUMN=FIELD or names an unknown field)."""
        try:
            return parse_mapping(items)
        except ValueError as exc:
            raise QueryError(str(exc)) from None

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
