"""Load a published file (or folder of files) into the store as a new list version, atomically."""

from __future__ import annotations

import hashlib
import logging
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Connection

from sanctions.audit import SYSTEM
from sanctions.audit import record as audit_record
from sanctions.containers import ContainerError, ContainerLimits, gunzip_to, temp_folder
from sanctions.errors import SanctionsError, SourceFormatError, UnknownSourceError
from sanctions.fieldlimits import bound_record
from sanctions.load_guards import (
    DATED_BY_GIVEN,
    DATED_BY_HTTP,
    DATED_BY_PUBLISHER,
    LoadPolicy,
    check_dataset_name,
    check_new_version,
    checked_published,
)
from sanctions.model import ListVersion
from sanctions.sources import SOURCES, ParseContext, get_parser
from sanctions.store import Store

log = logging.getLogger(__name__)

Progress = Callable[[int], None]  # called with the number of records written so far


@dataclass(slots=True)
class LoadRequest:
    """What to load: a source format, a path, and optionally a dataset name and publication date."""

    source: str
    path: Path
    dataset: str | None = None  # defaults to the source name; required for user formats
    published: str | None = None  # supplies the date when the file states none (ISO)
    last_modified: str | None = None  # the download's HTTP Last-Modified (ISO), the last resort
    force: bool = False  # load even when the safety checks of load_guards refuse the new version
    limits: ContainerLimits = field(default_factory=ContainerLimits)  # for compressed files
    max_field_chars: int = 10_000  # longer names are dropped, other text is cut (with a warning)
    actor: str = SYSTEM  # who loads it, for the audit trail


def input_size(path: Path) -> int:
    """Bytes of a file, or of a folder's files together."""
    if path.is_dir():
        return sum(p.stat().st_size for p in path.iterdir() if p.is_file())
    return path.stat().st_size


def file_digest(path: Path) -> str:
    """sha256 of a file, or of a folder's files (sorted by name) taken together."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    for file in files:
        if path.is_dir():
            digest.update(file.name.encode())
        with file.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def _decompressed(path: Path, limits: ContainerLimits | None = None) -> Iterator[Path]:
    """Yield a path the parsers can read: ``*.gz`` files (alone or in a folder) are inflated first.

    Inflation goes through the bounded reader (size and ratio limits, checked while
    streaming) into a private temporary folder that is always removed.
    """
    gz_files = [path] if path.suffix == ".gz" else sorted(path.glob("*.gz")) if path.is_dir() else []
    if not gz_files:
        yield path
        return
    with temp_folder() as target:
        if path.is_dir():
            for file in path.iterdir():
                if file.is_file() and file.suffix != ".gz":
                    shutil.copy(file, target / file.name)
        for gz in gz_files:
            try:
                gunzip_to(gz, target / gz.stem, limits or ContainerLimits())
            except ContainerError as exc:
                raise SourceFormatError(gz, exc.message) from exc
        yield target / path.stem if not path.is_dir() else target


def load(
    store: Store, request: LoadRequest, progress: Progress | None = None, policy: LoadPolicy | None = None
) -> ListVersion:
    """Parse ``request.path`` with the source's parser and store it as the new current version.

    The whole load is one transaction: if the parser raises (bad file, wrong format), finds
    no entities, or the new version fails a check of :mod:`sanctions.load_guards` (drops too
    many entities, loses its date, is dated ahead or behind), nothing is written and the
    previously loaded version stays current. A file identical to the current version's
    (same sha256) is not a new version: the current one is returned.
    """
    policy = policy or LoadPolicy()
    spec = SOURCES.get(request.source)
    if spec is None:
        raise UnknownSourceError(f"unknown source {request.source!r}; known: {', '.join(sorted(SOURCES))}")
    dataset = request.dataset or request.source
    if spec.user_dataset and not request.dataset:
        raise SanctionsError(f"source {request.source!r} needs a dataset name (--dataset NAME)")
    check_dataset_name(request.source, dataset)
    if not request.path.exists():
        raise SourceFormatError(request.path, "no such file or folder")
    given = checked_published(request.published, "--published", policy.today)
    parser = get_parser(request.source)
    sha = file_digest(request.path)
    previous = next((v for v in store.current_versions() if v.dataset == dataset), None)
    if previous is not None and previous.sha256 == sha and not request.force:
        log.info("list unchanged", extra={"dataset": dataset, "version": previous.id})
        return previous
    writer = store.begin_version(dataset, request.source, sha)
    try:
        with _decompressed(request.path, request.limits) as readable:
            ctx = ParseContext(path=readable, dataset=dataset)
            count = 0
            for record in parser(ctx):
                ctx.warnings.extend(bound_record(record, request.max_field_chars))
                writer.add(record)
                count += 1
                if progress is not None and count % 1000 == 0:
                    progress(count)
            if progress is not None:
                progress(count)
        n_entities = getattr(writer, "n_entities", count)
        if n_entities == 0:
            raise SourceFormatError(request.path, f"no entities found: is this really a {spec.title} file?")
        published, dated_by = _dated(ctx.published, given, request.last_modified, policy)
        check_new_version(
            previous,
            entities=n_entities,
            published=published,
            dated_by=dated_by,
            policy=policy,
            force=request.force,
            path=request.path,
        )
        warnings = [w.replace(str(readable), str(request.path)) for w in ctx.warnings]
        facts = {
            "dataset": dataset,
            "source": request.source,
            "sha256": sha,
            "published": published,
            "dated_by": dated_by,
            "entities": n_entities,
            "previous": previous.id if previous else None,
            "forced": request.force,
            "warnings": len(warnings),
        }

        def audit(conn: Connection, version_id: int) -> None:
            audit_record(conn, request.actor, "list.loaded", f"list:{dataset}@{version_id}", facts)

        version = writer.commit(
            published=published,
            warnings=warnings,
            dated_by=dated_by,
            size=input_size(request.path),
            also=audit,
        )
    except BaseException:
        writer.rollback()
        raise
    log.info("loaded list", extra={"dataset": dataset, "entities": version.entities, "version": version.id})
    return version


def _dated(
    stated: str | None, given: str | None, last_modified: str | None, policy: LoadPolicy
) -> tuple[str | None, str | None]:
    """The version's date and how it is known: the file's own, else the given one, else HTTP's."""
    if stated:
        return checked_published(
            stated, "the publication date the file states", policy.today
        ), DATED_BY_PUBLISHER
    if given:
        return given, DATED_BY_GIVEN
    if last_modified:
        return checked_published(last_modified, "the download's Last-Modified", policy.today), DATED_BY_HTTP
    return None, None
