"""Load a published file (or folder of files) into the store as a new list version, atomically."""

from __future__ import annotations

import hashlib
import logging
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sanctions.containers import ContainerError, ContainerLimits, gunzip_to, temp_folder
from sanctions.errors import SanctionsError, SourceFormatError, UnknownSourceError
from sanctions.fieldlimits import bound_record
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
    published: str | None = None  # overrides / supplies the publisher's date (ISO)
    limits: ContainerLimits = field(default_factory=ContainerLimits)  # for compressed files
    max_field_chars: int = 10_000  # longer names are dropped, other text is cut (with a warning)


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


def load(store: Store, request: LoadRequest, progress: Progress | None = None) -> ListVersion:
    """Parse ``request.path`` with the source's parser and store it as the new current version.

    The whole load is one transaction: if the parser raises (bad file, wrong format) or finds
    no entities, nothing is written and the previously loaded version stays current.
    """
    spec = SOURCES.get(request.source)
    if spec is None:
        raise UnknownSourceError(f"unknown source {request.source!r}; known: {', '.join(sorted(SOURCES))}")
    dataset = request.dataset or request.source
    if spec.user_dataset and not request.dataset:
        raise SanctionsError(f"source {request.source!r} needs a dataset name (--dataset NAME)")
    if not request.path.exists():
        raise SourceFormatError(request.path, "no such file or folder")
    parser = get_parser(request.source)
    sha = file_digest(request.path)
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
        warnings = [w.replace(str(readable), str(request.path)) for w in ctx.warnings]
        version = writer.commit(published=request.published or ctx.published, warnings=warnings)
    except BaseException:
        writer.rollback()
        raise
    log.info("loaded list", extra={"dataset": dataset, "entities": version.entities, "version": version.id})
    return version
