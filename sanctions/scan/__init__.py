"""Document and payment-message screening: find every listed party named in a text.

>>> index = MentionIndex.build(entities)          # once, from the store
>>> for m in scan_text(article, index):           # then per document
...     print(m.start, m.end, m.text, m.entity.caption, m.score)
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from sanctions.scan.extract import DocumentError, Extracted, ExtractLimits, extract_text, sniff_format
from sanctions.scan.folded import scan_folded
from sanctions.scan.index import EntityRef, MentionIndex
from sanctions.scan.mentions import DEFAULT_THRESHOLD, scan_text
from sanctions.scan.model import Mention
from sanctions.scan.payments import (
    PaymentMessage,
    detect_payment,
    parse_payment,
    scan_payment,
    scan_payment_folded,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "DocumentError",
    "FORMATS",
    "EntityRef",
    "Mention",
    "MentionIndex",
    "PaymentMessage",
    "ScanResult",
    "scan_document",
    "scan_folded",
    "scan_payment",
    "scan_text",
]

FORMATS = ("auto", "text", "html", "pdf", "docx", "mt", "pacs008")


@dataclass(slots=True)
class ScanResult:
    """The text that was scanned, what was found in it, and figures about the run."""

    text: str
    format: str
    mentions: list[Mention]
    stats: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # the document hid characters, mixed scripts...

    @property
    def suspicious(self) -> bool:
        """True when the text used tricks that hide names (see :mod:`sanctions.text.fold`)."""
        return bool(self.warnings)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``sanctions scan --json``."""
        return {
            "mentions": [m.to_dict() for m in self.mentions],
            "stats": self.stats,
            "warnings": list(self.warnings),
            "suspicious": self.suspicious,
        }


def scan_document(
    data: bytes,
    index: MentionIndex,
    *,
    source: str = "<input>",
    fmt: str = "auto",
    threshold: float = DEFAULT_THRESHOLD,
    limits: ExtractLimits | None = None,
    isolate: bool = False,
) -> ScanResult:
    """Extract the text of a document or payment message and scan it.

    ``limits`` bound the extraction (sizes, pages, time); with ``isolate`` the extraction of
    HTML, PDF and DOCX runs in a resource-limited worker process (see :mod:`.isolate`).
    """
    if fmt not in FORMATS:
        raise DocumentError(source, f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    started = time.perf_counter()
    payment_fmt: str | None = fmt if fmt in ("mt", "pacs008") else None
    warnings: list[str] = []
    extracted: Extracted | None = None
    if payment_fmt is None:
        extracted = _extract(data, source, None if fmt == "auto" else fmt, limits or ExtractLimits(), isolate)
        if fmt == "auto" and extracted.format == "text":
            payment_fmt = detect_payment(extracted.text)
    if payment_fmt is not None:
        text = extracted.text if extracted is not None else extract_text(data, source, "text").text
        message = parse_payment(text, payment_fmt, source)
        mentions, warnings = scan_payment_folded(message, index, threshold)
        text, out_fmt = message.text, message.format
        extra: dict[str, Any] = {"fields": len(message.fields)}
    else:
        assert extracted is not None
        text, out_fmt = extracted.text, extracted.format
        word_limit = (limits or ExtractLimits()).max_word_chars
        mentions, warnings = scan_folded(text, index, threshold, word_limit)
        extra = {}
    elapsed = time.perf_counter() - started
    stats = {
        "source": source,
        "format": out_fmt,
        "characters": len(text),
        "words": len(text.split()),
        "mentions": len(mentions),
        "entities": len({m.entity.id for m in mentions}),
        "threshold": threshold,
        "seconds": round(elapsed, 4),
        **extra,
    }
    if warnings:
        stats["warnings"] = warnings
    return ScanResult(text, out_fmt, mentions, stats, warnings)


def _extract(data: bytes, source: str, fmt: str | None, limits: ExtractLimits, isolate: bool) -> Extracted:
    if isolate and (fmt or sniff_format(data, source)) != "text":
        from sanctions.scan.isolate import extract_isolated

        return extract_isolated(data, source, fmt, limits)
    return extract_text(data, source, fmt, limits)
