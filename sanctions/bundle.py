"""The snapshot of official lists shipped inside the package, so the first run works offline."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from sanctions.errors import SanctionsError
from sanctions.ingest import LoadRequest, file_digest, load
from sanctions.model import ListVersion
from sanctions.store import Store


@dataclass(frozen=True, slots=True)
class BundledList:
    dataset: str
    source: str
    path: Path
    published: str | None


def bundle_dir() -> Path:
    """Where the bundled list files live inside the installed package."""
    return Path(__file__).resolve().parent / "bundled"


def bundled_lists() -> list[BundledList]:
    """The lists of the bundled snapshot, as the manifest describes them."""
    root = bundle_dir()
    manifest = yaml.safe_load((root / "manifest.yml").read_text(encoding="utf-8"))
    return [
        BundledList(item["dataset"], item["source"], root / item["path"], item.get("published"))
        for item in manifest["lists"]
    ]


def load_bundled(
    store: Store, *, progress: bool = False, only: set[str] | None = None, force: bool = False
) -> list[ListVersion]:
    """Load every bundled list that is not already current in the store (unchanged files are skipped).

    A list that fails to load is reported in the raised error after the others were loaded;
    lists loaded before stay in place.
    """
    current = {v.dataset: v for v in store.current_versions()}
    loaded: list[ListVersion] = []
    failures: list[str] = []
    todo = [b for b in bundled_lists() if only is None or b.dataset in only]
    for item in todo:
        existing = current.get(item.dataset)
        if not force and existing is not None and existing.sha256 == file_digest(item.path):
            continue
        request = LoadRequest(item.source, item.path, item.dataset, item.published)
        try:
            loaded.append(_load_with_progress(store, request, progress))
        except SanctionsError as exc:
            failures.append(f"{item.dataset}: {exc}")
    if failures:
        raise SanctionsError("some bundled lists failed to load:\n  " + "\n  ".join(failures))
    return loaded


def _load_with_progress(store: Store, request: LoadRequest, progress: bool) -> ListVersion:
    if not progress:
        return load(store, request)
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), transient=True
    ) as bar:
        task = bar.add_task(f"loading {request.dataset}", total=None)

        def step(count: int) -> None:
            bar.update(task, description=f"loading {request.dataset}: {count:,} records")

        return load(store, request, progress=step)
