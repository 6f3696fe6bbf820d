"""Payment messages: SWIFT MT103 / MT202 and ISO 20022 pacs.008, screened field by field.

A message is split into its party and free-text fields; each field is scanned for listed
names and every BIC is matched exactly against listed SWIFT/BIC identifiers. Mentions carry
the field they were found in and offsets into :attr:`PaymentMessage.text` (for MT the
message itself; for pacs.008 a ``path: value`` rendering of the fields, one per line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sanctions.scan.bics import bic_mentions
from sanctions.scan.extract import DocumentError
from sanctions.scan.folded import scan_folded
from sanctions.scan.index import MentionIndex, normalize_bic
from sanctions.scan.mentions import DEFAULT_THRESHOLD
from sanctions.scan.model import Mention

# MT fields worth screening, with what they hold.
MT_FIELDS = {
    "50A": "ordering customer", "50F": "ordering customer", "50K": "ordering customer",
    "51A": "sending institution", "52A": "ordering institution", "52D": "ordering institution",
    "53A": "sender's correspondent", "53B": "sender's correspondent", "53D": "sender's correspondent",
    "54A": "receiver's correspondent", "54D": "receiver's correspondent",
    "55A": "third reimbursement institution", "56A": "intermediary", "56D": "intermediary",
    "57A": "account with institution", "57B": "account with institution", "57D": "account with institution",
    "58A": "beneficiary institution", "58D": "beneficiary institution",
    "59": "beneficiary customer", "59A": "beneficiary customer", "59F": "beneficiary customer",
    "70": "remittance information", "72": "sender to receiver information", "77B": "regulatory reporting",
}  # fmt: skip
_MT_TAG = re.compile(r"^:(\d{2}[A-Z]?):", re.M)
_MT_BLOCK = re.compile(r"\{([12]):([^{}]*)\}")
_MT_ACCOUNT = re.compile(r"^/")  # an account line of a party field
_MT_LINE_PREFIX = re.compile(r"^(?:\d/|/[A-Z0-9]{1,8}/)")  # 50F/59F "1/" numbers, 70/72 "/BNF/" codes
_BIC_LINE = re.compile(r"^[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$")

# pacs.008 elements: party names and addresses, agents' BICs, unstructured remittance.
PACS_PARTIES = ("Dbtr", "Cdtr", "UltmtDbtr", "UltmtCdtr", "InitgPty")
PACS_AGENTS = (
    "DbtrAgt",
    "CdtrAgt",
    "IntrmyAgt1",
    "IntrmyAgt2",
    "IntrmyAgt3",
    "InstgAgt",
    "InstdAgt",
    "PrvsInstgAgt1",
)


@dataclass(slots=True)
class PaymentField:
    """One field of a message: its tag, what it holds, and where its value is in the text."""

    tag: str  # MT tag ("59") or pacs.008 path ("Cdtr/Nm")
    label: str
    value: str
    start: int  # offsets of value in PaymentMessage.text
    end: int
    bic: bool = False  # the value is a BIC code


@dataclass(slots=True)
class PaymentMessage:
    """A parsed payment message."""

    format: str  # mt103, mt202, mt, pacs008
    text: str
    fields: list[PaymentField] = field(default_factory=list)


def detect_payment(text: str) -> str | None:
    """``mt`` or ``pacs008`` when the text looks like a payment message, else None."""
    head = text[:4096]
    if "pacs.008" in head or re.search(r"<(?:\w+:)?FIToFICstmrCdtTrf\b", head):
        return "pacs008"
    if head.lstrip().startswith("{1:") or (_MT_TAG.search(head) and re.search(r"^:(?:20|32A):", head, re.M)):
        return "mt"
    return None


def parse_mt(text: str, source: str = "<input>") -> PaymentMessage:
    """Split an MT103/MT202 message into its fields (block 4) and header BICs (blocks 1 and 2)."""
    tags = list(_MT_TAG.finditer(text))
    if not tags:
        raise DocumentError(source, "not a SWIFT MT message: no ':NN:' field tags")
    message = PaymentMessage("mt", text)
    for block in _MT_BLOCK.finditer(text[: tags[0].start()]):
        number, body = block.group(1), block.group(2)
        if number == "2" and len(body) >= 4 and body[1:4] in ("103", "202"):
            message.format = f"mt{body[1:4]}"
        # LT address (BIC8 + terminal code + branch): block 1 "F01<LT>", block 2 input
        # "I103<LT>", block 2 output "O103<time><date><LT>...".
        bic_at = 3 if number == "1" else (14 if body[:1] == "O" else 4)
        code = body[bic_at : bic_at + 12]
        if len(code) == 12 and _BIC_LINE.match(code[:8] + code[9:12]):
            start = block.start(2) + bic_at
            label = "sender" if number == "1" else "receiver"
            bic = code[:8] + code[9:12]
            message.fields.append(
                PaymentField(f"{{{number}}}", f"{label} (header)", bic, start, start + 12, True)
            )
    for i, tag in enumerate(tags):
        name = tag.group(1)
        end = tags[i + 1].start() if i + 1 < len(tags) else len(text)
        value_start, value_end = tag.end(), end
        raw = text[value_start:value_end]
        if i + 1 == len(tags) and "\n-" in raw:
            value_end = value_start + raw.index("\n-")
        if name not in MT_FIELDS:
            continue
        _mt_field_lines(message, name, value_start, value_end)
    return message


def _mt_field_lines(message: PaymentMessage, tag: str, start: int, end: int) -> None:
    """Add a field's name lines (without account lines) and its BIC lines."""
    text = message.text
    pos = start
    name_start: int | None = None
    name_end = start
    for line in text[start:end].split("\n"):
        line_start, line_end = pos, pos + len(line)
        pos = line_end + 1
        stripped = line.strip("\r ")
        if not stripped:
            continue
        if _BIC_LINE.match(stripped) and tag[-1:] == "A":
            offset = line_start + line.index(stripped)
            message.fields.append(
                PaymentField(tag, MT_FIELDS[tag], stripped, offset, offset + len(stripped), bic=True)
            )
            continue
        if _MT_ACCOUNT.match(stripped) and tag not in ("70", "72", "77B"):
            continue  # an account number
        prefix = _MT_LINE_PREFIX.match(stripped)
        content_start = line_start + line.index(stripped) + (prefix.end() if prefix else 0)
        name_start = content_start if name_start is None else name_start
        name_end = line_start + len(line.rstrip("\r "))
    if name_start is not None and name_end > name_start:
        value = text[name_start:name_end]
        message.fields.append(PaymentField(tag, MT_FIELDS[tag], value, name_start, name_end))


def parse_pacs008(text: str, source: str = "<input>") -> PaymentMessage:
    """The party, agent and remittance fields of an ISO 20022 pacs.008 message."""
    from lxml import etree

    try:
        root = etree.fromstring(
            text.encode("utf-8"), parser=etree.XMLParser(resolve_entities=False, no_network=True)
        )
    except etree.XMLSyntaxError as exc:
        raise DocumentError(source, f"not well-formed pacs.008 XML ({exc})") from exc
    rows: list[tuple[str, str, str, bool]] = []  # path, label, value, is_bic
    for elem in root.iter():
        if not isinstance(elem.tag, str):
            continue
        local = etree.QName(elem).localname
        if local in PACS_PARTIES:
            for sub in elem.iter():
                if not isinstance(sub.tag, str) or sub is elem:
                    continue
                sub_name = etree.QName(sub).localname
                if sub_name in ("Nm", "AdrLine", "TwnNm", "StrtNm") and (sub.text or "").strip():
                    rows.append((f"{local}/{sub_name}", _pacs_label(local), sub.text.strip(), False))
        elif local in PACS_AGENTS:
            for sub in elem.iter():
                if not isinstance(sub.tag, str):
                    continue
                sub_name = etree.QName(sub).localname
                value = (sub.text or "").strip()
                if sub_name in ("BICFI", "BIC", "AnyBIC") and value:
                    rows.append((f"{local}/{sub_name}", _pacs_label(local), value, True))
                elif sub_name == "Nm" and value:
                    rows.append((f"{local}/Nm", _pacs_label(local), value, False))
        elif local == "Ustrd" and (elem.text or "").strip():
            rows.append(("RmtInf/Ustrd", "remittance information", elem.text.strip(), False))
    if not rows and "FIToFICstmrCdtTrf" not in text:
        raise DocumentError(source, "XML but not a pacs.008 message (no FIToFICstmrCdtTrf)")
    lines: list[str] = []
    fields: list[PaymentField] = []
    pos = 0
    for path, label, value, is_bic in rows:
        flat = " ".join(value.split())
        prefix = f"{path}: "
        start = pos + len(prefix)
        fields.append(PaymentField(path, label, flat, start, start + len(flat), is_bic))
        lines.append(prefix + flat)
        pos += len(prefix) + len(flat) + 1
    return PaymentMessage("pacs008", "\n".join(lines), fields)


_PACS_LABELS = {
    "Dbtr": "debtor", "Cdtr": "creditor", "UltmtDbtr": "ultimate debtor", "UltmtCdtr": "ultimate creditor",
    "InitgPty": "initiating party", "DbtrAgt": "debtor agent", "CdtrAgt": "creditor agent",
    "IntrmyAgt1": "intermediary agent 1", "IntrmyAgt2": "intermediary agent 2",
    "IntrmyAgt3": "intermediary agent 3", "InstgAgt": "instructing agent", "InstdAgt": "instructed agent",
    "PrvsInstgAgt1": "previous instructing agent",
}  # fmt: skip


def _pacs_label(local: str) -> str:
    return _PACS_LABELS.get(local, local)


def parse_payment(text: str, fmt: str | None = None, source: str = "<input>") -> PaymentMessage:
    """Parse an MT or pacs.008 message (``fmt``: ``mt``, ``pacs008`` or None to detect)."""
    fmt = fmt or detect_payment(text)
    if fmt == "mt":
        return parse_mt(text, source)
    if fmt == "pacs008":
        return parse_pacs008(text, source)
    raise DocumentError(source, "not a payment message (expected SWIFT MT103/MT202 or ISO 20022 pacs.008)")


def scan_payment(
    message: PaymentMessage, index: MentionIndex, threshold: float = DEFAULT_THRESHOLD
) -> list[Mention]:
    """Screen every field of a parsed message; offsets point into ``message.text``."""
    return scan_payment_folded(message, index, threshold)[0]


def scan_payment_folded(
    message: PaymentMessage, index: MentionIndex, threshold: float = DEFAULT_THRESHOLD
) -> tuple[list[Mention], list[str]]:
    """Screen every field of a parsed message after folding the tricks that hide names
    (zero-width characters, look-alike letters); the mentions, and the message's warnings
    (each naming the field that hid something)."""
    out: list[Mention] = []
    warnings: list[str] = []
    for f in message.fields:
        if f.bic:
            if normalize_bic(f.value) is None:
                continue
            found = bic_mentions(index, f.value, f.start, f.end)
        else:
            found, hidden = scan_folded(f.value, index, threshold)
            warnings.extend(f"{f.tag} ({f.label}): {w}" for w in hidden)
            for m in found:
                m.start += f.start
                m.end += f.start
        for m in found:
            m.field = f"{f.tag} ({f.label})"
            m.text = message.text[m.start : m.end]
        out.extend(found)
    return sorted(out, key=lambda m: (m.start, m.end)), list(dict.fromkeys(warnings))
