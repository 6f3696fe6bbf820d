"""Keeping the lists current: download from the publishers, load what changed, keep the raw files.

``update_lists`` is what `sanctions update`, ``POST /update`` and the schedule of `serve` run.
For each source with official URLs (closed publications such as OFSI's are skipped) it
downloads every file over HTTPS within the size and time limits, loads them with the
download's ``Last-Modified`` as the date of last resort, and, when a new version was stored,
keeps the raw files with their sha256 in ``<data_dir>/raw/<dataset>/<version>/`` for audit
(the last ``Settings.keep_versions`` versions). A source that fails keeps its current version.

:class:`UpdateSchedule` runs the same check at ``SANCTIONS_UPDATE_INTERVAL`` in a background
thread and calls its hooks with the new versions: re-screening the books is plugged in there.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from sanctions.containers import ContainerLimits
from sanctions.errors import SanctionsError
from sanctions.fetch import Downloaded, DownloadLimits, ProgressHook, fetch_source, make_client
from sanctions.ingest import LoadRequest, load
from sanctions.load_guards import LoadPolicy
from sanctions.model import ListVersion
from sanctions.settings import Settings
from sanctions.sources import SOURCES
from sanctions.store import Store

log = logging.getLogger(__name__)

UpdateHook = Callable[[list[ListVersion]], None]
"""Called with the versions an update stored (never with an empty list)."""


@dataclass(slots=True)
class UpdateOutcome:
    """What happened to one source: a new version, no change, or an error (old version kept)."""

    source: str
    version: ListVersion | None = None
    changed: bool = False
    error: str | None = None
    files: list[Downloaded] = field(default_factory=list)


def download_targets(sources: Iterable[str] | None = None) -> list[str]:
    """The sources `update` downloads: official URLs, publication not closed (or asked by name)."""
    wanted = set(sources) if sources else None
    if wanted is not None:
        unknown = wanted - set(SOURCES)
        if unknown:
            raise SanctionsError(f"unknown source(s): {', '.join(sorted(unknown))}")
        return [s for s in SOURCES if s in wanted and SOURCES[s].urls]
    return [s for s, spec in SOURCES.items() if spec.urls and spec.closed is None]


def update_lists(
    store: Store,
    settings: Settings,
    *,
    sources: Iterable[str] | None = None,
    progress: ProgressHook | None = None,
    client_factory: Callable[[], httpx.Client] | None = None,
) -> list[UpdateOutcome]:
    """Download and load every target source; one outcome per source, failures included."""
    limits = DownloadLimits(settings.download_max_bytes, settings.download_deadline_seconds)
    policy = LoadPolicy(settings.max_drop_share)
    outcomes: list[UpdateOutcome] = []
    factory = client_factory or make_client
    with tempfile.TemporaryDirectory(prefix="sanctions-update-") as tmp, factory() as client:
        for source in download_targets(sources):
            outcome = UpdateOutcome(source)
            outcomes.append(outcome)
            before = {v.dataset: v.id for v in store.current_versions()}
            try:
                located, outcome.files = fetch_source(
                    source, Path(tmp) / source, client=client, progress=progress, limits=limits
                )
                modified = max((f.last_modified for f in outcome.files if f.last_modified), default=None)
                request = LoadRequest(
                    located.source,
                    located.path,
                    last_modified=modified,
                    limits=ContainerLimits.from_settings(settings),
                    max_field_chars=settings.max_field_chars,
                )
                outcome.version = load(store, request, policy=policy)
            except SanctionsError as exc:
                outcome.error = str(exc)
                log.warning("list not updated", extra={"source": source, "error": str(exc)})
                continue
            outcome.changed = before.get(outcome.version.dataset) != outcome.version.id
            if outcome.changed:
                keep_raw(settings.data_dir, outcome.version, outcome.files, settings.keep_versions)
    return outcomes


def keep_raw(data_dir: Path, version: ListVersion, files: list[Downloaded], keep: int) -> Path:
    """Copy a version's downloaded files to ``raw/<dataset>/<version>/`` with a SHA256SUMS file;
    only the newest ``keep`` versions' folders are kept."""
    base = data_dir / "raw" / version.dataset
    folder = base / str(version.id)
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for item in files:
        shutil.copy2(item.path, folder / item.path.name)
        lines.append(f"{item.sha256}  {item.path.name}  {item.size} bytes  {item.url}\n")
    (folder / "SHA256SUMS").write_text("".join(lines), encoding="utf-8")
    kept = sorted((p for p in base.iterdir() if p.is_dir() and p.name.isdigit()), key=lambda p: int(p.name))
    for old in kept[:-keep] if keep > 0 else kept:
        shutil.rmtree(old, ignore_errors=True)
    return folder


class UpdateSchedule:
    """Runs an update check (``Screener.update``, which calls its update hooks) every
    ``interval`` seconds in a daemon thread."""

    def __init__(self, run: Callable[[], list[UpdateOutcome]], interval: float):
        if interval <= 0:
            raise SanctionsError("the update interval must be positive (SANCTIONS_UPDATE_INTERVAL)")
        self.run = run
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.checks = 0

    def check_once(self) -> list[ListVersion]:
        """One check; the versions it stored."""
        self.checks += 1
        return [o.version for o in self.run() if o.changed and o.version is not None]

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check_once()
            except Exception:  # noqa: BLE001 - the schedule outlives one bad check
                log.exception("scheduled update check failed")

    def start(self) -> None:
        """Start checking in the background (the first check after one interval)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="list-updates", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop the schedule (waits for a running check to end)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
