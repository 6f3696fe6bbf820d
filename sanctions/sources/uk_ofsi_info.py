"""The ``Other Information`` cell of the OFSI Consolidated List, read into entity fields.

OFSI packs many fields into this one cell as ``(Label):value`` segments, e.g.
``(UK Sanctions List Ref):RUS1422. ... (UK Statement of Reasons):... (Website):www.kamaz.ru
(Parent company):Rostec``. Known labels become fields; free text goes to ``remarks``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sanctions.model import Entity, Identifier, Schema
from sanctions.sources.uk_common import (
    add_identifier,
    add_property,
    clean_text,
    contact_identifiers,
    country_codes,
    imo_number,
    registration_identifiers,
    split_numbered,
)

_LABELS = (
    "UK Sanctions List Ref",
    "UK Statement of Reasons",
    "Gender",
    "UN Ref",
    "Phone number",
    "Tel",
    "Fax",
    "Website",
    "Email address",
    "Type of entity",
    "Business Reg No",
    "Parent company",
    "Subsidiaries",
    "IMO number",
    "Flag of ship",
    "Previous flags",
    "Type of ship",
    "Tonnage of ship",
    "Length of ship",
    "Year built",
    "Current owners",
)
_SEGMENT = re.compile(r"\((" + "|".join(map(re.escape, _LABELS)) + r")\)\s*:", re.IGNORECASE)
_UK_REF = re.compile(r"^([A-Z]{2,4}\d{3,5})\b\.?\s*")
_UN_REF = re.compile(r"^([A-Z]{2}[ei]\.\d{3})\b\.?\s*")
_IMO_IN_TEXT = re.compile(r"\bIMO(?:\s*(?:number|no\.?))?[:\s]*(\d{7})\b", re.IGNORECASE)


@dataclass
class OtherInformation:
    """What the cell said beyond plain entity fields: reasons and the names of related parties."""

    reason: str | None = None
    parents: list[str] = field(default_factory=list)
    subsidiaries: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)


def _leading_ref(pattern: re.Pattern[str], prop: str) -> Callable[[Entity, OtherInformation, str], None]:
    def apply(entity: Entity, info: OtherInformation, value: str) -> None:
        m = pattern.match(value)
        if m:
            add_property(entity, prop, m.group(1))
            value = value[m.end() :]
        if value.strip(" .;"):
            info.remarks.append(value)

    return apply


def _contacts(scheme: str, note: str | None = None) -> Callable[[Entity, OtherInformation, str], None]:
    def apply(entity: Entity, info: OtherInformation, value: str) -> None:
        for identifier in contact_identifiers(scheme, value):
            add_identifier(entity, Identifier(identifier.scheme, identifier.value, note=note))

    return apply


def _prop(prop: str) -> Callable[[Entity, OtherInformation, str], None]:
    def apply(entity: Entity, info: OtherInformation, value: str) -> None:
        add_property(entity, prop, value)

    return apply


def _flags(prop: str) -> Callable[[Entity, OtherInformation, str], None]:
    def apply(entity: Entity, info: OtherInformation, value: str) -> None:
        codes, unknown = country_codes(value)
        add_property(entity, prop, *codes, *unknown)

    return apply


def _reason(entity: Entity, info: OtherInformation, value: str) -> None:
    info.reason = value


def _gender(entity: Entity, info: OtherInformation, value: str) -> None:
    gender = value.strip(" .").casefold()
    if gender in ("male", "female"):
        entity.gender = gender
    else:
        info.remarks.append(f"Gender: {value}")


def _registration(entity: Entity, info: OtherInformation, value: str) -> None:
    for identifier in registration_identifiers(value):
        add_identifier(entity, identifier)


def _imo(entity: Entity, info: OtherInformation, value: str) -> None:
    imo = imo_number(value)
    if imo:
        add_identifier(entity, Identifier("imo", imo))
        add_property(entity, "imoNumber", imo)


def _related(attr: str) -> Callable[[Entity, OtherInformation, str], None]:
    def apply(entity: Entity, info: OtherInformation, value: str) -> None:
        getattr(info, attr).extend(split_numbered(value))

    return apply


_HANDLERS: dict[str, Callable[[Entity, OtherInformation, str], None]] = {
    "uk sanctions list ref": _leading_ref(_UK_REF, "ukSanctionsListRef"),
    "uk statement of reasons": _reason,
    "gender": _gender,
    "un ref": _leading_ref(_UN_REF, "unscId"),
    "phone number": _contacts("phone"),
    "tel": _contacts("phone"),
    "fax": _contacts("phone", "fax"),
    "website": _contacts("website"),
    "email address": _contacts("email"),
    "type of entity": _prop("legalForm"),
    "business reg no": _registration,
    "parent company": _related("parents"),
    "subsidiaries": _related("subsidiaries"),
    "current owners": _related("owners"),
    "imo number": _imo,
    "flag of ship": _flags("flag"),
    "previous flags": _flags("pastFlags"),
    "type of ship": _prop("type"),
    "tonnage of ship": _prop("tonnage"),
    "length of ship": _prop("length"),
    "year built": _prop("buildDate"),
}


def read_other_information(entity: Entity, text: str) -> OtherInformation:
    """Apply the labelled segments of an ``Other Information`` cell to ``entity``.

    Returns the statement of reasons and the related parties' names for the caller to
    place; free text is appended to ``entity.remarks``.
    """
    info = OtherInformation()
    parts = _SEGMENT.split(text)
    if clean_text(parts[0]).strip(" .;"):
        info.remarks.append(parts[0])
    for label, raw in zip(parts[1::2], parts[2::2], strict=True):
        value = clean_text(raw)
        if value:
            _HANDLERS[label.casefold()](entity, info, value)
    if entity.schema is Schema.VESSEL and not any(i.scheme == "imo" for i in entity.identifiers):
        m = _IMO_IN_TEXT.search(text)
        if m:
            _imo(entity, info, m.group(1))
    remarks = " ".join(clean_text(r) for r in info.remarks if clean_text(r))
    if remarks and (entity.remarks is None or remarks not in entity.remarks):
        entity.remarks = f"{entity.remarks} {remarks}" if entity.remarks else remarks
    return info
