"""Text out of documents: plain text, HTML, PDF and DOCX, with clear errors for anything else.

The scanner reports character offsets into the text extracted here, so extraction is the
single definition of "the document's text" for reports and highlighting.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sanctions.errors import SanctionsError

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


def extract_text(data: bytes, source: str = "<input>", fmt: str | None = None) -> Extracted:
    """Extract the text of a document given as bytes; ``fmt`` forces text/html/pdf/docx."""
    fmt = fmt or sniff_format(data, source)
    if fmt == "pdf":
        return Extracted(_pdf_text(data, source), "pdf", source)
    if fmt == "docx":
        return Extracted(_docx_text(data, source), "docx", source)
    text = decode_text(data, source)
    if fmt == "html":
        return Extracted(_html_text(text, source), "html", source)
    return Extracted(text, "text", source)


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


def _html_text(text: str, source: str) -> str:
    import lxml.html
    from lxml import etree

    if not text.strip():
        return ""
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise DocumentError(source, f"unreadable HTML ({exc})") from exc
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    for block in root.xpath("//p|//div|//br|//li|//tr|//h1|//h2|//h3|//h4|//h5|//h6|//td|//th|//title"):
        block.tail = "\n" + (block.tail or "")
    return "\n".join(line.strip() for line in root.text_content().splitlines() if line.strip())


def _pdf_text(data: bytes, source: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise DocumentError(source, "the PDF is encrypted")
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise DocumentError(source, f"unreadable PDF ({exc})") from exc
    return "\n\n".join(p.strip() for p in pages)


def _docx_text(data: bytes, source: str) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise DocumentError(source, "a ZIP archive but not a DOCX document (no word/document.xml)")
        document = docx.Document(io.BytesIO(data))
    except DocumentError:
        raise
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise DocumentError(source, f"not a readable DOCX document ({exc})") from exc
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts)
