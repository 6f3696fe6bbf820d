"""The lists section of :class:`~sanctions.service.Screener`: what is loaded and how old it is,
loading a file or the bundled snapshot, refreshing from the publishers, versions and diffs.

Kept in its own module (Screener inherits it); the faces call these methods on a Screener.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from sanctions.bundle import load_bundled
from sanctions.errors import QueryError, SanctionsError
from sanctions.export import write_ftm
from sanctions.fetch import Located, locate
from sanctions.ingest import LoadRequest
from sanctions.model import ListVersion
from sanctions.settings import Settings
from sanctions.sources import SOURCES
from sanctions.store import SqlStore
from sanctions.store.base import ListDiff

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from collections.abc import Callable

    import httpx

    from sanctions.books import Run
    from sanctions.fetch import ProgressHook
    from sanctions.ingest import Progress
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


class ListMethods:
    """The loaded lists: status, loads, refreshes, versions (docs/ingest.md)."""

    store: SqlStore
    settings: Settings
    actor: str
    update_hooks: list[UpdateHook]
    if TYPE_CHECKING:

        def refresh(self) -> None: ...  # the Screener's: drop the indexes
        def checkpoint_after_load(self) -> None: ...  # the cases section's
        def rescreen_books(self, loaded: Sequence[ListVersion], trigger: str = "load") -> list[Run]: ...

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
