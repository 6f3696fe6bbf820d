"""The index file: the matching index of a set of list versions, saved once, loaded by every worker.

Layout: one line of JSON (the header), then the payload, a pickle of
:class:`~sanctions.matching.Index`. The header names the file format and its version, the
Python and package versions that wrote it, the list versions the index was built from, and the
size and SHA-256 of the payload. A reader checks all of it before unpickling: a file that is
foreign, truncated, corrupt, or from another format version is refused (:class:`IndexFileError`)
and :func:`ensure_index_file` rebuilds it. Files are written aside and renamed into place, so a
reader never sees half a file.

A pickle runs code when loaded: the file is as trusted as the data directory that holds it
(the hash detects damage, not a forger with write access to that directory).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson

from sanctions.errors import SanctionsError
from sanctions.matching import Index
from sanctions.model import ListVersion
from sanctions.text import load_resources

MAGIC = "sanctions-index"
FORMAT_VERSION = 2  # bump whenever Index (or what it holds) changes shape
MAX_HEADER = 1 << 20


class IndexFileError(SanctionsError):
    """An index file that cannot be trusted: foreign, damaged, or written by another version."""


@dataclass(frozen=True, slots=True)
class IndexHeader:
    """What an index file says about itself (its first line)."""

    format_version: int
    python: str
    package: str
    lists: tuple[tuple[int, str, str], ...]  # (version id, dataset, list file sha256)
    payload_sha256: str
    payload_bytes: int

    @property
    def version_ids(self) -> tuple[int, ...]:
        """The list version ids the index was built from."""
        return tuple(v for v, _, _ in self.lists)

    def to_dict(self) -> dict[str, object]:
        return {
            "format": MAGIC,
            "format_version": self.format_version,
            "python": self.python,
            "package": self.package,
            "lists": [list(x) for x in self.lists],
            "payload_sha256": self.payload_sha256,
            "payload_bytes": self.payload_bytes,
        }


def _python() -> str:
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def _package() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sanctions")
    except PackageNotFoundError:
        return "unknown"


def list_key(versions: Sequence[ListVersion]) -> tuple[tuple[int, str, str], ...]:
    """The identity of a set of list versions, in a fixed order."""
    return tuple(sorted((v.id, v.dataset, v.sha256 or "") for v in versions))


def index_file_name(versions: Sequence[ListVersion]) -> str:
    """``matching-<digest of the list versions>.idx``: one file name per set of versions."""
    digest = hashlib.sha256(orjson.dumps(list_key(versions))).hexdigest()[:16]
    return f"matching-{digest}.idx"


def write_index_file(path: Path, index: Index, versions: Sequence[ListVersion]) -> IndexHeader:
    """Write ``index`` to ``path`` atomically (a temporary file beside it, then a rename)."""
    index.forget()  # query caches are not part of the index
    payload = pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL)
    header = IndexHeader(
        FORMAT_VERSION,
        _python(),
        _package(),
        list_key(versions),
        hashlib.sha256(payload).hexdigest(),
        len(payload),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(orjson.dumps(header.to_dict()) + b"\n")
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return header


def read_header(path: Path | str) -> IndexHeader:
    """The header of an index file; IndexFileError when it is not one of ours, of this version."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            line = fh.readline(MAX_HEADER)
    except OSError as exc:
        raise IndexFileError(f"{path}: cannot read the index file ({exc.strerror})") from exc
    try:
        data = orjson.loads(line)
    except orjson.JSONDecodeError:
        raise IndexFileError(f"{path}: not an index file (no header)") from None
    if not isinstance(data, dict) or data.get("format") != MAGIC:
        raise IndexFileError(f"{path}: not an index file (foreign header)")
    if data.get("format_version") != FORMAT_VERSION or data.get("python") != _python():
        raise IndexFileError(
            f"{path}: index format {data.get('format_version')} for Python {data.get('python')}; "
            f"this program reads format {FORMAT_VERSION} for Python {_python()}"
        )
    try:
        return IndexHeader(
            int(data["format_version"]),
            str(data["python"]),
            str(data["package"]),
            tuple((int(v), str(d), str(s)) for v, d, s in data["lists"]),
            str(data["payload_sha256"]),
            int(data["payload_bytes"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise IndexFileError(f"{path}: damaged index header ({exc})") from None


def _checked_payload(path: Path) -> tuple[IndexHeader, bytes]:
    header = read_header(path)
    with path.open("rb") as fh:
        fh.readline(MAX_HEADER)
        payload = fh.read()
    if len(payload) != header.payload_bytes:
        raise IndexFileError(
            f"{path}: truncated index file ({len(payload):,} of {header.payload_bytes:,} bytes)"
        )
    if hashlib.sha256(payload).hexdigest() != header.payload_sha256:
        raise IndexFileError(f"{path}: index file damaged (SHA-256 differs from its header)")
    return header, payload


def verify_index_file(path: Path | str) -> IndexHeader:
    """The header of a file whose payload checks out (size and hash); IndexFileError if not."""
    return _checked_payload(Path(path))[0]


def read_index_file(path: Path | str) -> tuple[IndexHeader, Index]:
    """Header and index of a file, the payload checked against the header's size and hash."""
    header, payload = _checked_payload(Path(path))
    try:
        index = pickle.loads(payload)
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError) as exc:
        raise IndexFileError(f"{path}: the payload does not load ({type(exc).__name__})") from None
    if not isinstance(index, Index):
        raise IndexFileError(f"{path}: the payload is not a matching index")
    load_resources()  # as Index.build does: the first query is then as fast as the others
    return header, index


_CACHE: dict[str, tuple[str, Index]] = {}  # path -> (payload sha256, index): one per process
_CACHE_LOCK = threading.Lock()


def cached_index(path: Path | str) -> Index:
    """The index of a file, loaded once per process (a new file at the same path is reloaded).

    Batch workers call this for every batch: the first call reads and checks the file, the
    others read its header only.
    """
    key = str(Path(path).resolve())
    header = read_header(key)
    with _CACHE_LOCK:
        found = _CACHE.get(key)
        if found is not None and found[0] == header.payload_sha256:
            return found[1]
        loaded_header, index = read_index_file(key)
        _CACHE[key] = (loaded_header.payload_sha256, index)
        return index


def ensure_index_file(
    directory: Path, versions: Sequence[ListVersion], build: Callable[[], Index]
) -> tuple[Path, bool]:
    """The index file of these list versions in ``directory``, and whether it was (re)built.

    A file that exists and checks out is used as it is. A missing, foreign or damaged one is
    rebuilt with ``build`` and replaces it atomically; files of other list versions are removed.
    """
    path = directory / index_file_name(versions)
    if path.is_file():
        try:
            if verify_index_file(path).lists == list_key(versions):
                return path, False
        except IndexFileError:
            pass  # not trusted: rebuilt below
    write_index_file(path, build(), versions)
    for old in directory.glob("matching-*.idx"):
        if old != path:
            old.unlink(missing_ok=True)
    return path, True
