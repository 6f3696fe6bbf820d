"""Text out of documents: plain text, HTML, PDF and DOCX, with clear errors for anything else.

The scanner reports character offsets into the text extracted here, so extraction is the
single definition of "the document's text" for reports and highlighting.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sanctions.containers import BoundedZip, ContainerError, ContainerLimits
from sanctions.errors import LimitExceededError, SanctionsError
from sanctions.scan.html import html_text

if TYPE_CHECKING:
    from sanctions.settings import Settings

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
_TEXT_ENCODINGS = ("utf-8-sig", "cp1251", "latin-1")


class DocumentError(SanctionsError):
    """A document the scanner cannot read: says which one and why."""

    def __init__(self, source: str, message: str):
        self.source = source
        self.message = message
        super().__init__(f"{source}: {message}")


@dataclass(slots=True, frozen=True)
class Extracted:
    """The text of a document and the format it was read as."""

    text: str
    format: str  # text, html, pdf, docx
    source: str


def sniff_format(data: bytes, name: str = "") -> str:
    """The document format from its first bytes (and its file name as a hint)."""
    head = data[:2048].lstrip()
    lower_name = name.lower()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    low = head[:512].lower()
    if (
        low.startswith((b"<!doctype html", b"<html"))
        or b"<html" in low
        or lower_name.endswith((".html", ".htm"))
    ):
        return "html"
    return "text"


def read_document(path: Path | str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a file, refusing missing files and files beyond the size bound."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise DocumentError(str(p), f"cannot read the file ({exc.strerror or exc})") from exc
    if size > max_bytes:
        raise DocumentError(
            str(p), f"the file is {size:,} bytes, over the {max_bytes:,}-byte limit for scanning"
        )
    return p.read_bytes()


@dataclass(slots=True, frozen=True)
class ExtractLimits:
    """The limits one document's extraction obeys (Settings fields of the same names)."""

    container: ContainerLimits = ContainerLimits()
    max_pdf_pages: int = 2_000
    max_scan_chars: int = 20_000_000
    max_word_chars: int = 200
    max_extract_seconds: float = 60.0
    max_extract_memory_bytes: int = 1_000_000_000

    @classmethod
    def from_settings(cls, settings: Settings) -> ExtractLimits:
        """The limits configured in ``settings``."""
        return cls(
            container=ContainerLimits.from_settings(settings),
            max_pdf_pages=settings.max_pdf_pages,
            max_scan_chars=settings.max_scan_chars,
            max_word_chars=settings.max_word_chars,
            max_extract_seconds=settings.max_extract_seconds,
            max_extract_memory_bytes=settings.max_extract_memory_bytes,
        )


def extract_text(
    data: bytes, source: str = "<input>", fmt: str | None = None, limits: ExtractLimits | None = None
) -> Extracted:
    """Extract the text of a document given as bytes; ``fmt`` forces text/html/pdf/docx.

    Containers go through the bounded reader, PDFs are bounded in pages and time, and the
    text is bounded in characters: a limit crossed is a :class:`LimitExceededError`.
    """
    limits = limits or ExtractLimits()
    fmt = fmt or sniff_format(data, source)
    try:
        if fmt == "pdf":
            text = _pdf_text(data, source, limits)
        elif fmt == "docx":
            text = _docx_text(data, source, limits)
        else:
            text = decode_text(data, source)
            if fmt == "html":
                text = html_text(text)
            else:
                fmt = "text"
    except ContainerError as exc:
        raise DocumentError(source, f"not a readable {fmt.upper()} document: {exc.message}") from exc
    except MemoryError as exc:
        raise LimitExceededError(
            source, "max_extract_memory_bytes", "extracting the text needs more memory than allowed"
        ) from exc
    if len(text) > limits.max_scan_chars:
        raise LimitExceededError(
            source,
            "max_scan_chars",
            f"the document has {len(text):,} characters of text, over {limits.max_scan_chars:,}",
        )
    return Extracted(text, fmt, source)


def decode_text(data: bytes, source: str = "<input>") -> str:
    """Decode bytes of plain text (UTF-8, UTF-16 with BOM, Windows-1251, Latin-1); refuse binaries."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DocumentError(source, "not valid UTF-16 text") from exc
    sample = data[:65536]
    if b"\x00" in sample or _control_ratio(sample) > 0.05:
        raise DocumentError(source, "binary data, not a text document (expected text, HTML, PDF or DOCX)")
    for encoding in _TEXT_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError(source, "cannot decode the text")  # unreachable: latin-1 decodes anything


def _control_ratio(sample: bytes) -> float:
    if not sample:
        return 0.0
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(sample)


def _pdf_text(data: bytes, source: str, limits: ExtractLimits) -> str:
    from pypdf import apply_configuration

    deadline = time.monotonic() + limits.max_extract_seconds
    cap = min(75_000_000, limits.container.max_uncompressed_bytes)  # pypdf's own default is 75 MB
    caps: dict[str, Any] = {
        f"{k}_maximum_output_length": cap for k in ("zlib", "lzw", "run_length", "brotli", "jbig2")
    }
    with apply_configuration(None, **caps):
        return _pdf_pages_text(data, source, limits, deadline)


def _pdf_pages_text(data: bytes, source: str, limits: ExtractLimits, deadline: float) -> str:
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError

    pages: list[str] = []
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise DocumentError(source, "the PDF is encrypted")
        declared = _declared_pages(reader)
        count = declared if declared > limits.max_pdf_pages else len(reader.pages)
        if count > limits.max_pdf_pages:
            raise LimitExceededError(
                source, "max_pdf_pages", f"the PDF has {count:,} pages, over {limits.max_pdf_pages:,}"
            )
        for number, page in enumerate(reader.pages, 1):
            if time.monotonic() > deadline:
                raise LimitExceededError(
                    source, "max_extract_seconds",
                    f"reading the PDF took over {limits.max_extract_seconds:g} s (stopped at page {number})",
                )  # fmt: skip
            page.get_contents()  # text extraction swallows pypdf's limit errors: decode once here
            pages.append((page.extract_text() or "").strip())
    except SanctionsError:
        raise
    except LimitReachedError as exc:
        raise LimitExceededError(source, "max_uncompressed_bytes", f"pypdf refused the PDF ({exc})") from exc
    except MemoryError:
        raise
    # pypdf reports a damaged PDF as nearly any exception type; all mean "unreadable".
    except Exception as exc:
        raise DocumentError(source, f"unreadable PDF ({type(exc).__name__}: {exc})") from exc
    return "\n\n".join(pages)


def _declared_pages(reader: Any) -> int:
    """The page count the PDF's page tree declares (cheap: no walk of the tree), 0 if unknown."""
    try:
        count = reader.trailer["/Root"]["/Pages"]["/Count"]
        return int(count) if isinstance(count, int) else 0
    except (KeyError, TypeError, ValueError, AttributeError):
        return 0


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOCX_BREAKS = {f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n"}


def _docx_text(data: bytes, source: str, limits: ExtractLimits) -> str:
    """The body text of a DOCX, pull-parsed from word/document.xml through the bounded reader.

    Paragraphs end with a new line; table cells are separated by tabs, rows by new lines.
    """
    parts: list[str] = []
    size = 0
    cells = 0  # depth of table cells we are in
    with BoundedZip(data, source, limits.container) as archive:
        if "word/document.xml" not in archive.names():
            raise DocumentError(source, "a ZIP archive but not a DOCX document (no word/document.xml)")
        for event, element in archive.iter_xml("word/document.xml"):
            tag = element.tag
            if event == "start":
                if tag == f"{_W}tc":
                    cells += 1
                continue
            if tag == f"{_W}t":
                piece = element.text or ""
            elif tag in _DOCX_BREAKS:
                piece = _DOCX_BREAKS[tag]
            elif tag == f"{_W}p":
                piece = " " if cells else "\n"
            elif tag == f"{_W}tc":
                cells -= 1
                piece = "\t"
            elif tag == f"{_W}tr":
                piece = "\n"
            else:
                continue
            parts.append(piece)
            size += len(piece)
            if size > limits.max_scan_chars:
                raise LimitExceededError(
                    source,
                    "max_scan_chars",
                    f"the document has over {limits.max_scan_chars:,} characters of text",
                )
            if tag in (f"{_W}p", f"{_W}tbl"):  # keep memory flat: drop what has been read
                element.clear()
                while element.getprevious() is not None:
                    del element.getparent()[0]
    return "".join(parts).strip("\n")
