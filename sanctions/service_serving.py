"""What one serving worker holds (API and web UI alike): its Screener, whether its indexes
are ready, and which list versions it serves; the rebuild when another process loads a new
version."""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from sanctions.errors import NotReadyError, QueryError, SanctionsError
from sanctions.model import ListVersion
from sanctions.service import Screener
from sanctions.service_lists import ListStatus
from sanctions.settings import Settings

log = logging.getLogger("sanctions.service")


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
