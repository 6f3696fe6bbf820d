"""Value helpers shared by the two UK parsers (OFSI Consolidated List, FCDO UK Sanctions List).

Both publishers write dates as ``dd/mm/yyyy`` (unknown parts as ``00`` or ``dd``/``mm``),
countries as English short names, several values in one cell as ``(1) a (2) b``, and name
parts as ``Name 1`` (given name) .. ``Name 6`` (surname, or the whole name of an entity).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from followthemoney.types import registry
from rigour.langs import iso_639_alpha3

from sanctions.model import Entity, Identifier, PartialDate, Relation, RelationKind, Schema
from sanctions.sources.base import ParseContext, make_id

_DMY = re.compile(r"^(\d{1,2}|dd|DD)[/.-](\d{1,2}|mm|MM)[/.-](\d{4})$")
_MY = re.compile(r"^(\d{1,2})/(\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_NUMBERED = re.compile(r"\((\d{1,2}(?:-\d{1,2})?)\)")
_NOW = re.compile(r"\b(?:now|currently)\s+([A-Za-z ]+?)\s*\)?$", re.IGNORECASE)
_PAREN = re.compile(r"\s*\([^)]*\)")
_LABEL_PREFIX = re.compile(r"^(?:[A-Za-z][A-Za-z .()/]*:\s*)+")
_IMO = re.compile(r"(\d{7})")

# UK spellings that followthemoney's country table does not know.
_COUNTRY_OVERRIDES = {
    "congo (democratic republic)": "cd",
    "democratic republic of the congo": "cd",
    "occupied palestinian territories": "ps",
    "bosnia-herzegovina": "ba",
    "repubic of moldova": "md",
}

SCHEMAS = {"individual": Schema.PERSON, "entity": Schema.ORGANIZATION, "ship": Schema.VESSEL}


def clean_text(value: object) -> str:
    """A cell or element text as a trimmed single-spaced string ('' for nothing)."""
    if value is None:
        return ""
    return " ".join(str(value).replace("\xa0", " ").split())


def parse_date(text: str) -> PartialDate | None:
    """``dd/mm/yyyy`` (``00``, ``dd``, ``mm`` for unknown parts), ``mm/yyyy``, ``yyyy`` or ISO."""
    text = clean_text(text)
    if not text:
        return None
    m = _ISO.match(text)
    if m:
        return _checked(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _DMY.match(text)
    if m:
        day = int(m.group(1)) if m.group(1).isdigit() else 0
        month = int(m.group(2)) if m.group(2).isdigit() else 0
        return _checked(int(m.group(3)), month, day)
    m = _MY.match(text)
    if m:
        return _checked(int(m.group(2)), int(m.group(1)), 0)
    m = _YEAR.match(text)
    if m:
        return _checked(int(m.group(1)), 0, 0)
    return None


def _checked(year: int, month: int, day: int) -> PartialDate | None:
    if not 1000 <= year <= 2999:
        return None
    if month == 0:
        return PartialDate(f"{year:04d}")
    if not 1 <= month <= 12:
        return None
    if day == 0:
        return PartialDate(f"{year:04d}-{month:02d}")
    try:
        return PartialDate(date(year, month, day).isoformat())
    except ValueError:
        return None


def iso_date(text: str) -> str | None:
    """A full ``dd/mm/yyyy`` date as ISO ``yyyy-mm-dd`` (partial dates keep their known prefix)."""
    parsed = parse_date(text)
    return parsed.value if parsed else None


def split_numbered(text: str, *, keep_blank: bool = False) -> list[str]:
    """``(1) a (2) b`` -> ``["a", "b"]``; a cell without numbering is one value.

    Only markers counting up from ``(1)`` split, so ``+7 (495) 287-25-25`` stays whole.
    Blank entries (``(2) -``) are dropped, or kept as ``""`` with ``keep_blank`` so that two
    numbered cells can be paired by position.
    """
    text = clean_text(text)
    if not text:
        return []
    cuts: list[tuple[int, int]] = []
    expected = 1
    for m in _NUMBERED.finditer(text):
        first, _, last = m.group(1).partition("-")
        if int(first) == expected:
            cuts.append((m.start(), m.end()))
            expected = int(last or first) + 1
    if not cuts:
        pieces = [text]
    else:
        bounds = [0, *(i for cut in cuts for i in cut), len(text)]
        pieces = [text[bounds[i] : bounds[i + 1]] for i in range(0, len(bounds), 2)]
    parts = ("" if p.strip(" .,;") == "-" else p.strip(" .,;") for p in pieces)
    if keep_blank:
        return list(parts)[1:] if cuts and not pieces[0].strip(" .,;") else list(parts)
    return [p for p in parts if p]


@lru_cache(maxsize=4096)
def country_code(text: str) -> str | None:
    """An English country name (as the UK writes it) -> ISO alpha-2 lower case, or None."""
    text = clean_text(text).strip(" .,;")
    if not text:
        return None
    code = _COUNTRY_OVERRIDES.get(text.lower()) or registry.country.clean(text)
    if code:
        return code
    m = _NOW.search(text)  # "Ukrainian SSR (now Ukraine)", "Former USSR, now Belarus"
    if m:
        code = registry.country.clean(m.group(1))
        if code:
            return code
    stripped = _PAREN.sub("", text).strip(" .,;")
    if stripped and stripped != text:
        return _COUNTRY_OVERRIDES.get(stripped.lower()) or registry.country.clean(stripped)
    return None


def country_codes(text: str) -> tuple[list[str], list[str]]:
    """All countries of a cell (``(1) Russia (2) Cyprus``, ``Germany. Russia``): (codes, unknown)."""
    codes: list[str] = []
    unknown: list[str] = []
    for part in split_numbered(text):
        code = country_code(part)
        pieces = [code] if code else [country_code(p) for p in re.split(r"[.,]\s*", part) if p.strip()]
        found = [c for c in pieces if c]
        if found and len(found) == len(pieces):
            codes.extend(c for c in found if c not in codes)
        else:
            unknown.append(part)
    return codes, unknown


def language_code(text: str) -> str | None:
    """A language name the UK writes (``Russian``, ``Persian/Farsi``) -> ISO 639-3, or None."""
    for part in re.split(r"[/,]", clean_text(text)):
        code = iso_639_alpha3(part.strip()) if part.strip() else None
        if code:
            return code
    return None


def full_name(parts: Iterable[str]) -> str:
    """``Name 1`` .. ``Name 5`` then ``Name 6``: the UK's own given-names-first order."""
    return " ".join(p for p in (clean_text(x) for x in parts) if p)


def imo_number(text: str) -> str | None:
    """``IMO9562233`` / ``9562233`` -> ``IMO9562233`` (followthemoney's form), or None."""
    m = _IMO.search(text)
    return f"IMO{m.group(1)}" if m else None


def registration_identifiers(text: str) -> list[Identifier]:
    """A business registration cell -> identifiers: INN/TIN/tax numbers ``tax``, others ``registration``."""
    out: list[Identifier] = []
    for part in split_numbered(text):
        label = part.lower()
        scheme = "tax" if any(k in label for k in ("inn", "tin", "tax")) else "registration"
        value = _LABEL_PREFIX.sub("", part).strip() or part
        out.append(Identifier(scheme, value, note=part if value != part else None))
    return out


def contact_identifiers(scheme: str, text: str) -> list[Identifier]:
    """Phone numbers, e-mail addresses or websites of one cell -> identifiers of ``scheme``."""
    values: list[str] = []
    for part in split_numbered(text):
        if scheme == "phone":
            values.append(part)
        else:
            values.extend(v.strip(" .,;") for v in re.split(r"[;,\s]+", part) if v.strip(" .,;"))
    if scheme == "email":
        values = [v for v in values if "@" in v]
    return [Identifier(scheme, v) for v in dict.fromkeys(values)]


def add_property(entity: Entity, prop: str, *values: str) -> None:
    """Append distinct non-empty values to ``entity.properties[prop]``."""
    for value in values:
        value = clean_text(value)
        if not value:
            continue
        bucket = entity.properties.setdefault(prop, [])
        if value not in bucket:
            bucket.append(value)


def add_identifier(entity: Entity, identifier: Identifier) -> None:
    """Add an identifier once (same scheme and value)."""
    if not identifier.value:
        return
    if any(i.scheme == identifier.scheme and i.value == identifier.value for i in entity.identifiers):
        return
    entity.identifiers.append(identifier)


def name_key(name: str) -> str:
    """The exact-name key used to resolve parent/subsidiary names: case and spacing folded."""
    return " ".join(name.casefold().replace("\xa0", " ").split()).strip(" .,;")


# role -> (property keeping the stated name, True when the named party owns the entity, wording)
LINK_ROLES: dict[str, tuple[str, bool, str]] = {
    "parent": ("parentCompany", True, "Parent company"),
    "owner": ("currentOwners", True, "Current owner/operator"),
    "subsidiary": ("subsidiaries", False, "Subsidiary"),
}


@dataclass
class CompanyLinks:
    """Parent / subsidiary / ship-owner names stated in a list, resolved against the list itself.

    The UK publishes these links only as free-text names, without shares. A name that matches
    the names of exactly one other designation (case and spacing folded) becomes a
    ``Relation(kind=OWNER, share=None)`` from owner to owned. Every stated name also stays as
    text in the entity's properties (``parentCompany``, ``subsidiaries``, ``currentOwners``);
    names that do not resolve are reported as warnings.
    """

    dataset: str
    names: dict[str, set[str]] = field(default_factory=dict)  # name key -> entity ids
    source_ids: dict[str, str] = field(default_factory=dict)  # entity id -> publisher id
    pending: list[tuple[str, str, str]] = field(default_factory=list)  # (entity id, role, name)

    def add_entity(self, entity: Entity) -> None:
        """Index the names of an entity so that other designations can point at it."""
        self.source_ids[entity.id] = entity.source_id
        for name in entity.names:
            self.names.setdefault(name_key(name.value), set()).add(entity.id)

    def add_link(self, entity: Entity, role: str, name: str) -> None:
        """Record that ``entity`` names ``name`` in ``role`` (a key of ``LINK_ROLES``)."""
        name = clean_text(name)
        if name:
            add_property(entity, LINK_ROLES[role][0], name)
            self.pending.append((entity.id, role, name))

    def resolve(self, ctx: ParseContext) -> Iterator[Relation]:
        """Yield one ownership relation per resolved (owner, owned) pair; warn on the rest."""
        seen: set[tuple[str, str]] = set()
        for entity_id, role, name in self.pending:
            _, named_owns, wording = LINK_ROLES[role]
            targets = self.names.get(name_key(name), set()) - {entity_id}
            if len(targets) != 1:
                why = "matches no designation" if not targets else f"matches {len(targets)} designations"
                ctx.warn(f"{wording} {name!r} {why}; kept as text", record=self.source_ids.get(entity_id))
                continue
            (target,) = targets
            owner, owned = (target, entity_id) if named_owns else (entity_id, target)
            if (owner, owned) in seen:
                continue
            seen.add((owner, owned))
            yield Relation(
                id=make_id(self.dataset, f"{self.source_ids[owner]}-owns-{self.source_ids[owned]}"),
                dataset=self.dataset,
                kind=RelationKind.OWNER,
                subject_id=owner,
                object_id=owned,
                share=None,
                source=f"{wording}: {name}",
            )
