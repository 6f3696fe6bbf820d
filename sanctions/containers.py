"""One bounded reader for every compressed container: ZIP (DOCX, XLSX) and GZ.

Compressed input is the cheapest way to make a server spend memory, CPU and disk: a 4 MB
DOCX can inflate to gigabytes. Everything that opens a container goes through here, and
every limit is checked twice: before extraction, on the sizes the archive declares, and
during extraction, on the bytes actually produced (declarations can lie). Nothing is
inflated whole into memory: members are streamed, XML is pull-parsed with its depth
counted, and the one place that writes (:func:`gunzip_to`) stops at the size limit.

Temporary files live in folders named ``sanctions-tmp-<pid>-*`` so that a process killed
mid-way leaves folders :func:`sweep_stale_temp` can recognise and remove at the next start.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from sanctions.errors import LimitExceededError, SanctionsError

if TYPE_CHECKING:
    from sanctions.settings import Settings

# Small members compress extremely well when they are nearly empty (a blank sheet, a style
# table): the ratio is only judged once a member has produced this many bytes.
RATIO_FLOOR = 1_000_000
_CHUNK = 1 << 16
TEMP_PREFIX = "sanctions-tmp-"


class ContainerError(SanctionsError):
    """A container (ZIP, DOCX, XLSX, GZ) that is corrupt or not what it claims to be."""

    def __init__(self, source: str, message: str):
        self.source = source
        self.message = message
        super().__init__(f"{source}: {message}")


@dataclass(frozen=True, slots=True)
class ContainerLimits:
    """The limits every container read obeys (Settings fields of the same names)."""

    max_uncompressed_bytes: int = 1_000_000_000
    max_compression_ratio: float = 200.0
    max_archive_members: int = 10_000
    max_xml_depth: int = 256
    max_xml_bytes: int = 200_000_000

    @classmethod
    def from_settings(cls, settings: Settings) -> ContainerLimits:
        """The limits configured in ``settings``."""
        return cls(
            max_uncompressed_bytes=settings.max_uncompressed_bytes,
            max_compression_ratio=settings.max_compression_ratio,
            max_archive_members=settings.max_archive_members,
            max_xml_depth=settings.max_xml_depth,
            max_xml_bytes=settings.max_xml_bytes,
        )


def _ratio_check(source: str, limits: ContainerLimits, produced: int, consumed: int) -> None:
    if produced > RATIO_FLOOR and produced > limits.max_compression_ratio * max(consumed, 1):
        raise LimitExceededError(
            source,
            "max_compression_ratio",
            f"compressed data inflates more than {limits.max_compression_ratio:g} times "
            f"({consumed:,} bytes gave over {produced:,}): refused as a decompression bomb",
        )


def _size_check(source: str, limit_name: str, limit: int, produced: int, what: str) -> None:
    if produced > limit:
        raise LimitExceededError(source, limit_name, f"{what} is over {limit:,} bytes uncompressed")


class _CountingMember:
    """A file-like view of one ZIP member that stops the moment a limit is crossed."""

    def __init__(
        self, raw: IO[bytes], archive: BoundedZip, info: zipfile.ZipInfo, limit: int, limit_name: str
    ):
        self._raw = raw
        self._archive = archive
        self._info = info
        self._limit = limit
        self._limit_name = limit_name
        self.produced = 0

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes (a chunk when ``size`` is negative: never the whole member)."""
        data = self._raw.read(_CHUNK if size is None or size < 0 else min(size, _CHUNK))
        self.produced += len(data)
        self._archive.produced += len(data)
        name = f"{self._archive.source} [{self._info.filename}]"
        _size_check(name, self._limit_name, self._limit, self.produced, "this part")
        _size_check(
            self._archive.source, "max_uncompressed_bytes", self._archive.limits.max_uncompressed_bytes,
            self._archive.produced, "the archive",
        )  # fmt: skip
        _ratio_check(name, self._archive.limits, self.produced, self._info.compress_size)
        return data

    def close(self) -> None:
        """Close the underlying member stream."""
        self._raw.close()


class BoundedZip:
    """A ZIP archive (DOCX, XLSX, ...) opened under :class:`ContainerLimits`.

    Opening checks the member count and the declared sizes and ratios; reading a member
    streams it and checks the bytes actually produced. Use as a context manager.
    """

    def __init__(self, file: Path | bytes | IO[bytes], source: str, limits: ContainerLimits):
        self.source = source
        self.limits = limits
        self.produced = 0
        handle: Any = _as_file(file)
        try:
            self._zip = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise ContainerError(source, f"not a readable ZIP archive ({exc})") from exc
        try:
            check_declared(self._zip.infolist(), source, limits)
        except BaseException:
            self._zip.close()
            raise

    def __enter__(self) -> BoundedZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the archive."""
        self._zip.close()

    def names(self) -> list[str]:
        """The member names."""
        return self._zip.namelist()

    @contextlib.contextmanager
    def open(self, name: str, *, xml: bool = False) -> Iterator[_CountingMember]:
        """Stream one member; ``xml`` applies the per-part XML size limit as well."""
        try:
            info = self._zip.getinfo(name)
            raw = self._zip.open(info)
        except KeyError as exc:
            raise ContainerError(self.source, f"no {name} in the archive") from exc
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, ValueError) as exc:
            raise ContainerError(self.source, f"cannot read {name} ({exc})") from exc
        limit, limit_name = (
            (self.limits.max_xml_bytes, "max_xml_bytes")
            if xml
            else (self.limits.max_uncompressed_bytes, "max_uncompressed_bytes")
        )
        member = _CountingMember(raw, self, info, limit, limit_name)
        try:
            yield member
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise ContainerError(self.source, f"corrupt data in {name} ({exc})") from exc
        finally:
            member.close()

    def iter_xml(self, name: str) -> Iterator[tuple[str, Any]]:
        """Pull-parse one XML member: yields ``("start"|"end", element)`` with depth and size bounded.

        Entities are never resolved and no DTD or network access happens. The caller
        should ``clear()`` elements it has finished with, so memory stays flat.
        """
        from lxml import etree

        parser = etree.XMLPullParser(
            events=("start", "end"), resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True
        )
        depth = 0
        with self.open(name, xml=True) as member:
            while True:
                try:
                    chunk = member.read(_CHUNK)
                    if chunk:
                        parser.feed(chunk)
                    else:
                        parser.close()
                except etree.XMLSyntaxError as exc:
                    raise ContainerError(self.source, f"malformed XML in {name} ({exc})") from exc
                for event, element in parser.read_events():
                    if event == "start":
                        depth += 1
                        if depth > self.limits.max_xml_depth:
                            raise LimitExceededError(
                                self.source,
                                "max_xml_depth",
                                f"XML in {name} is nested deeper than {self.limits.max_xml_depth} levels",
                            )
                    else:
                        depth -= 1
                    yield event, element
                if not chunk:
                    return


def _as_file(file: Path | bytes | IO[bytes]) -> Any:
    import io

    if isinstance(file, bytes):
        return io.BytesIO(file)
    return file


def check_declared(members: list[zipfile.ZipInfo], source: str, limits: ContainerLimits) -> None:
    """Refuse an archive whose declared member count, total size or ratio is over the limits."""
    if len(members) > limits.max_archive_members:
        raise LimitExceededError(
            source,
            "max_archive_members",
            f"the archive holds {len(members):,} files, over {limits.max_archive_members:,}",
        )
    total = 0
    for info in members:
        total += info.file_size
        _size_check(source, "max_uncompressed_bytes", limits.max_uncompressed_bytes, total, "the archive")
        _ratio_check(f"{source} [{info.filename}]", limits, info.file_size, info.compress_size)


def check_zip(file: Path | bytes, source: str, limits: ContainerLimits, *, stream: bool = True) -> None:
    """Check a ZIP-based file (XLSX, DOCX) before a third-party reader opens it.

    Declared sizes are checked, then (with ``stream``) every member is inflated once into
    nothing, so that lying declarations are caught too, at constant memory.
    """
    with BoundedZip(file, source, limits) as archive:
        if not stream:
            return
        for name in archive.names():
            with archive.open(name) as member:
                while member.read(_CHUNK):
                    pass


class _CountingFile:
    """Counts the compressed bytes gzip reads, for the ratio check."""

    def __init__(self, raw: IO[bytes]):
        self._raw = raw
        self.consumed = 0

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self.consumed += len(data)
        return data

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


def gunzip_to(source: Path, target: Path, limits: ContainerLimits) -> int:
    """Inflate ``source`` (gzip) into ``target``, stopping at the size and ratio limits.

    Returns the bytes written. On any failure ``target`` is removed, never left half-written.
    """
    produced = 0
    try:
        with source.open("rb") as raw_file:
            counting = _CountingFile(raw_file)
            with gzip.GzipFile(fileobj=counting, mode="rb") as src, target.open("wb") as dst:
                while chunk := src.read(_CHUNK):
                    produced += len(chunk)
                    _size_check(
                        str(source),
                        "max_uncompressed_bytes",
                        limits.max_uncompressed_bytes,
                        produced,
                        "the file",
                    )
                    _ratio_check(str(source), limits, produced, counting.consumed)
                    dst.write(chunk)
    except (OSError, EOFError, zlib.error) as exc:
        target.unlink(missing_ok=True)
        raise ContainerError(str(source), f"cannot decompress ({exc})") from exc
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return produced


@contextlib.contextmanager
def temp_folder() -> Iterator[Path]:
    """A private temporary folder, removed on exit; named so a later sweep can find it if we die."""
    sweep_stale_temp()
    folder = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def sweep_stale_temp(root: Path | None = None) -> int:
    """Remove temporary folders left by processes that no longer run; returns how many."""
    base = root or Path(tempfile.gettempdir())
    removed = 0
    try:
        candidates = list(base.glob(f"{TEMP_PREFIX}*"))
    except OSError:
        return 0
    for folder in candidates:
        pid_text = folder.name[len(TEMP_PREFIX) :].split("-", 1)[0]
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
