"""Hostile files built at test time, so the repository holds none: bombs, deep nesting, tricks."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)


def docx_bytes(document_xml: bytes | str, extra: dict[str, bytes] | None = None) -> bytes:
    """A DOCX (ZIP) whose word/document.xml is ``document_xml``."""
    body = document_xml.encode() if isinstance(document_xml, str) else document_xml
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("word/document.xml", body)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_paragraphs(*paragraphs: str) -> bytes:
    """A minimal DOCX with these paragraphs."""
    runs = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    return docx_bytes(f'<?xml version="1.0"?><w:document xmlns:w="{_W}"><w:body>{runs}</w:body></w:document>')


def zip_bomb_docx(megabytes: int, run: int = 44) -> bytes:
    """A DOCX whose document.xml inflates to ``megabytes`` MB of one repeated paragraph of ``run`` letters."""
    buffer = io.BytesIO()
    unit = b"<w:p><w:r><w:t>" + b"a" * run + b"</w:t></w:r></w:p>"
    paragraph = unit * ((1 << 20) // len(unit))  # about 1 MB of whole paragraphs
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(f'<?xml version="1.0"?><w:document xmlns:w="{_W}"><w:body>'.encode())
            for _ in range(megabytes):
                member.write(paragraph)
    return buffer.getvalue()


def entity_bomb_docx() -> bytes:
    """A DOCX whose document.xml is a 'billion laughs' entity bomb."""
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    return docx_bytes(
        f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]>'
        f'<w:document xmlns:w="{_W}"><w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p></w:body></w:document>'
    )


def gz_bomb(path: Path, megabytes: int) -> Path:
    """A gzip file of ``megabytes`` MB of zeros (about 1,000 times smaller)."""
    chunk = b"\0" * (1 << 20)
    with gzip.open(path, "wb") as out:
        for _ in range(megabytes):
            out.write(chunk)
    return path


def pdf_pages(count: int, text: str = "") -> bytes:
    """A PDF of ``count`` pages that share one content stream showing ``text``."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    kids = " ".join(f"{5 + i} 0 R" for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
        b"/Resources << /Font << /F1 4 0 R >> >> >>"
    )
    objects += [page] * count
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


def pdf_flate_bomb(megabytes: int) -> bytes:
    """A one-page PDF whose content stream is a Flate bomb of ``megabytes`` MB of spaces."""
    import zlib

    compressor = zlib.compressobj(9)
    packed = b"".join(compressor.compress(b" " * (1 << 20)) for _ in range(megabytes)) + compressor.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
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
