"""Text extraction from plain text, HTML, PDF and DOCX, and clear errors for bad input."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from sanctions.scan import DocumentError, MentionIndex, scan_document
from sanctions.scan.extract import decode_text, extract_text, read_document


def make_pdf(text: str) -> bytes:
    """A minimal one-page PDF showing ``text`` in Helvetica (built by hand, xref computed)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def make_docx(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_plain_text_encodings() -> None:
    assert decode_text("КамАЗ".encode()) == "КамАЗ"
    assert decode_text("КамАЗ".encode("cp1251")) == "КамАЗ"
    assert decode_text("KamAZ".encode("utf-16")) == "KamAZ"


def test_html(scan_index: MentionIndex) -> None:
    page = (
        b"<html><head><script>var Aurus = 1;</script></head><body><p>The <b>Aurus</b> car.</p></body></html>"
    )
    extracted = extract_text(page, "page.html")
    assert extracted.format == "html"
    assert "var Aurus" not in extracted.text
    result = scan_document(page, scan_index, source="page.html")
    assert [m.text for m in result.mentions] == ["Aurus"]


def test_pdf(scan_index: MentionIndex) -> None:
    result = scan_document(make_pdf("Payment to LIMITED LIABILITY COMPANY AURUS"), scan_index, source="x.pdf")
    assert result.format == "pdf"
    assert [m.entity.id for m in result.mentions] == ["us_ofac_sdn-47956"]


def test_docx(scan_index: MentionIndex) -> None:
    data = make_docx(["Meeting notes", "Sergei Sobyanin met the press."])
    result = scan_document(data, scan_index, source="notes.docx")
    assert result.format == "docx"
    assert any(m.text == "Sergei Sobyanin" for m in result.mentions)


@pytest.mark.parametrize(
    ("data", "fmt", "message"),
    [
        (b"\x00\x01\x02\x03binary\x00junk" * 10, None, "binary"),
        (b"%PDF-1.4\n this is not really a pdf", None, "PDF"),
        (b"PK\x03\x04 broken zip", None, "DOCX"),
        (b"not a pdf at all", "pdf", "PDF"),
    ],
)
def test_bad_documents(data: bytes, fmt: str | None, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        extract_text(data, "bad", fmt)


def test_zip_that_is_not_docx() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(DocumentError, match="not a DOCX"):
        extract_text(buffer.getvalue(), "archive.zip")


def test_size_bound_and_missing_file(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2048)
    with pytest.raises(DocumentError, match="limit"):
        read_document(big, max_bytes=1024)
    with pytest.raises(DocumentError, match="cannot read"):
        read_document(tmp_path / "missing.txt")
