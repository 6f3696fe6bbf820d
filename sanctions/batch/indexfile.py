"""Index files: the matching index and the mention index of a set of list versions, saved once,
opened by every command, API worker and batch worker in a fraction of a second.

Layout: one line of JSON (the header), padded so that the payload starts on an 8-byte
boundary, then the payload: named sections, each 8-byte aligned (see
:mod:`sanctions.matching.stored` and :mod:`sanctions.scan.stored` for what they hold). The
header names the file format, its version and kind (``matching`` or ``mentions``), the Python
version and byte order that wrote it, the list versions the index was built from, the offset
and size of every section, and the size and SHA-256 of the payload (with the section table).

A reader maps the file into memory (``mmap``, read-only), checks the header, then hashes the
whole payload before using any of it: a file that is foreign, truncated, corrupt, or of another
format version is refused (:class:`IndexFileError`) and rebuilt (:func:`ensure_index_file`,
``Screener.index``), never trusted. Hashing the 81.5 MB of the bundled lists' matching index
costs about 0.06 s of CPU and touches every page once; those pages then sit in the page cache, shared by
every process of the machine that maps the same file (API workers, batch workers), where a
file read into each process's memory would be copied once per worker. Tables are decoded from
the mapped bytes only as queries need them. Files are written aside and renamed into place, so
a reader never sees half a file, and a mapped file is never changed underneath its readers (a
new one replaces its name; the old bytes live until the last reader lets go).

Nothing in the file is code: sections are JSON, ``marshal`` data and integer arrays. The hash
detects damage, not a forger with write access to the data directory (who could also change
the store).
"""

from __future__ import annotations

import hashlib
import marshal
import mmap
import os
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson

from sanctions.errors import SanctionsError
from sanctions.matching import Index
from sanctions.matching.packed import Sections
from sanctions.matching.stored import pack_index, unpack_index
from sanctions.model import ListVersion
from sanctions.scan.index import MentionIndex
from sanctions.scan.stored import pack_mentions, unpack_mentions
from sanctions.text import load_resources
from sanctions.text.derived import adopt_derived_tables, derived_tables

MAGIC = "sanctions-index"
FORMAT_VERSION = 4  # bump whenever a section (or what it holds) changes shape
MAX_HEADER = 1 << 20
ALIGN = 8
MATCHING, MENTIONS = "matching", "mentions"


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
    kind: str = MATCHING
    sections: tuple[tuple[str, int, int], ...] = ()  # (name, offset in the payload, size)

    @property
    def version_ids(self) -> tuple[int, ...]:
        """The list version ids the index was built from."""
        return tuple(v for v, _, _ in self.lists)

    def to_dict(self) -> dict[str, object]:
        return {
            "format": MAGIC,
            "format_version": self.format_version,
            "kind": self.kind,
            "python": self.python,
            "byteorder": sys.byteorder,
            "package": self.package,
            "lists": [list(x) for x in self.lists],
            "payload_sha256": self.payload_sha256,
            "payload_bytes": self.payload_bytes,
            "sections": [list(x) for x in self.sections],
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


def index_file_name(versions: Sequence[ListVersion], kind: str = MATCHING) -> str:
    """``<kind>-<digest of the list versions>.idx``: one file name per set of versions."""
    digest = hashlib.sha256(orjson.dumps(list_key(versions))).hexdigest()[:16]
    return f"{kind}-{digest}.idx"


def _digest(sections: tuple[tuple[str, int, int], ...], payload: bytes | memoryview) -> str:
    """SHA-256 of the section table and the payload (a damaged table is caught like damaged data)."""
    digest = hashlib.sha256(orjson.dumps(sections))
    digest.update(payload)
    return digest.hexdigest()


def _padding(size: int) -> bytes:
    return b"\0" * (-size % ALIGN)


def write_sections(path: Path, kind: str, sections: Sections, versions: Sequence[ListVersion]) -> IndexHeader:
    """Write named sections as an index file of ``kind``, atomically (aside, then renamed)."""
    placed: list[tuple[str, int, int]] = []
    chunks: list[bytes] = []
    offset = 0
    for name, data in sections.items():
        placed.append((name, offset, len(data)))
        chunks += [data, _padding(len(data))]
        offset += len(data) + len(chunks[-1])
    payload = b"".join(chunks)
    header = IndexHeader(
        FORMAT_VERSION,
        _python(),
        _package(),
        list_key(versions),
        _digest(tuple(placed), payload),
        len(payload),
        kind,
        tuple(placed),
    )
    line = orjson.dumps(header.to_dict())
    line += b" " * (-(len(line) + 1) % ALIGN) + b"\n"  # JSON allows trailing blanks
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(line)
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return header


def write_index_file(path: Path, index: Index, versions: Sequence[ListVersion]) -> IndexHeader:
    """Write the matching index (and the text tables it was built with) to ``path``."""
    sections = pack_index(index)
    sections["text"] = marshal.dumps(derived_tables())
    return write_sections(path, MATCHING, sections, versions)


def write_mention_file(path: Path, index: MentionIndex, versions: Sequence[ListVersion]) -> IndexHeader:
    """Write the mention index (scanning) to ``path``."""
    return write_sections(path, MENTIONS, pack_mentions(index), versions)


def _parse_header(path: Path, line: bytes, kind: str | None) -> IndexHeader:
    try:
        data = orjson.loads(line)
    except orjson.JSONDecodeError:
        raise IndexFileError(f"{path}: not an index file (no header)") from None
    if not isinstance(data, dict) or data.get("format") != MAGIC:
        raise IndexFileError(f"{path}: not an index file (foreign header)")
    if (
        data.get("format_version") != FORMAT_VERSION
        or data.get("python") != _python()
        or data.get("byteorder") != sys.byteorder
    ):
        raise IndexFileError(
            f"{path}: index format {data.get('format_version')} for Python {data.get('python')} "
            f"({data.get('byteorder')}-endian); this program reads format {FORMAT_VERSION} for Python "
            f"{_python()} ({sys.byteorder}-endian)"
        )
    if kind is not None and data.get("kind") != kind:
        raise IndexFileError(f"{path}: a {data.get('kind')} index, not a {kind} index")
    try:
        return IndexHeader(
            int(data["format_version"]),
            str(data["python"]),
            str(data["package"]),
            tuple((int(v), str(d), str(s)) for v, d, s in data["lists"]),
            str(data["payload_sha256"]),
            int(data["payload_bytes"]),
            str(data["kind"]),
            tuple((str(n), int(o), int(s)) for n, o, s in data["sections"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise IndexFileError(f"{path}: damaged index header ({exc})") from None


def read_header(path: Path | str, kind: str | None = None) -> IndexHeader:
    """The header of an index file; IndexFileError when it is not one of ours, of this version."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            line = fh.readline(MAX_HEADER)
    except OSError as exc:
        raise IndexFileError(f"{path}: cannot read the index file ({exc.strerror})") from exc
    return _parse_header(path, line, kind)


def open_sections(path: Path | str, kind: str) -> tuple[IndexHeader, dict[str, memoryview]]:
    """Header and sections of an index file of ``kind``, mapped into memory, the payload checked
    against the header's size and hash; IndexFileError if anything is wrong."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if size else None
    except (OSError, ValueError) as exc:
        raise IndexFileError(f"{path}: cannot read the index file ({exc})") from exc
    if mapped is None:
        raise IndexFileError(f"{path}: not an index file (empty)")
    end = mapped.find(b"\n", 0, MAX_HEADER)
    header = _parse_header(path, mapped[: end + 1] if end >= 0 else mapped[:MAX_HEADER], kind)
    start = end + 1
    payload = memoryview(mapped)[start:]
    if len(payload) != header.payload_bytes:
        raise IndexFileError(
            f"{path}: truncated index file ({len(payload):,} of {header.payload_bytes:,} bytes)"
        )
    if _digest(header.sections, payload) != header.payload_sha256:
        raise IndexFileError(f"{path}: index file damaged (SHA-256 differs from its header)")
    views: dict[str, memoryview] = {}
    for name, offset, length in header.sections:
        if offset < 0 or length < 0 or offset + length > len(payload):
            raise IndexFileError(f"{path}: damaged index header (section {name!r} out of bounds)")
        views[name] = payload[offset : offset + length]
    return header, views


def verify_index_file(path: Path | str, kind: str = MATCHING) -> IndexHeader:
    """The header of a file whose payload checks out (size and hash); IndexFileError if not."""
    return open_sections(path, kind)[0]


def _unpacked(
    path: Path | str, kind: str, unpack: Callable[[dict[str, memoryview]], object]
) -> tuple[IndexHeader, object]:
    header, views = open_sections(path, kind)
    try:
        return header, unpack(views)
    except (KeyError, ValueError, TypeError, EOFError, IndexError) as exc:
        raise IndexFileError(f"{path}: the payload does not load ({type(exc).__name__}: {exc})") from None


def read_index_file(path: Path | str) -> tuple[IndexHeader, Index]:
    """Header and matching index of a file, the payload checked against the header's size and hash."""

    def unpack(views: dict[str, memoryview]) -> Index:
        index = unpack_index(views)
        adopt_derived_tables(marshal.loads(views["text"]))
        return index

    header, index = _unpacked(path, MATCHING, unpack)
    assert isinstance(index, Index)
    load_resources()  # as Index.build does: the first query is then as fast as the others
    return header, index


def read_mention_file(path: Path | str) -> tuple[IndexHeader, MentionIndex]:
    """Header and mention index of a file, the payload checked against the header's size and hash."""
    header, index = _unpacked(path, MENTIONS, unpack_mentions)
    assert isinstance(index, MentionIndex)
    return header, index


_CACHE: dict[str, tuple[str, Index]] = {}  # path -> (payload sha256, index): one per process
_CACHE_LOCK = threading.Lock()


def cached_index(path: Path | str) -> Index:
    """The index of a file, loaded once per process (a new file at the same path is reloaded).

    Batch workers call this for every batch: the first call reads and checks the file, the
    others read its header only.
    """
    key = str(Path(path).resolve())
    header = read_header(key, MATCHING)
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
    remove_other_files(path)
    return path, True


def remove_other_files(path: Path) -> None:
    """Remove the index files of the same kind as ``path`` (other list versions) beside it."""
    kind = path.name.split("-", 1)[0]
    for old in path.parent.glob(f"{kind}-*.idx"):
        if old != path:
            old.unlink(missing_ok=True)
