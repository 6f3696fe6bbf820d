"""What the three OFAC formats share: entity types, facts -> entity, ``Linked To`` resolution."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from sanctions.model import Entity, Listing, NameKind, Relation, RelationKind, Schema
from sanctions.sources.base import ParseContext
from sanctions.sources.ofac_remarks import RemarkFacts, country_code

T = TypeVar("T")

AUTHORITY = "us"
_SCHEMAS = {
    "individual": Schema.PERSON,
    "vessel": Schema.VESSEL,
    "aircraft": Schema.AIRCRAFT,
}
MAX_LINK_WARNINGS = 20


def schema_for(sdn_type: str | None) -> Schema:
    """``individual`` / ``vessel`` / ``aircraft``; anything else (``-0-``, ``Entity``) is an organisation."""
    return _SCHEMAS.get((sdn_type or "").strip().lower(), Schema.ORGANIZATION)


def split_programs(text: str | None) -> list[str]:
    """``SDGT] [IFSR`` -> ``["SDGT", "IFSR"]`` (the legacy CSV's way of listing several)."""
    if not text:
        return []
    parts = (p.strip(" []") for p in text.split("] ["))
    return [p for p in dict.fromkeys(parts) if p]


def add_property(entity: Entity, prop: str, value: str | None) -> None:
    """Append ``value`` to ``entity.properties[prop]`` once; blanks are ignored."""
    if value is None:
        return
    value = " ".join(value.split())
    if not value:
        return
    values = entity.properties.setdefault(prop, [])
    if value not in values:
        values.append(value)


def add_country(entity: Entity, text: str | None) -> str | None:
    """Add the ISO code of ``text`` to ``entity.countries``; returns the code."""
    code = country_code(text)
    if code is not None and code not in entity.countries:
        entity.countries.append(code)
    return code


def set_listings(entity: Entity, programs: list[str], listed_on: list[str]) -> None:
    """One US listing per program; the earliest known listing date goes on each."""
    date = min(listed_on) if listed_on else None
    entity.listings = [Listing(authority=AUTHORITY, program=p, listed_on=date) for p in programs]
    if not entity.listings:
        entity.listings = [Listing(authority=AUTHORITY, listed_on=date)]


def _extend_new(target: list[T], values: Iterable[T]) -> None:
    """Append the values not yet in ``target``, keeping their order."""
    for value in values:
        if value not in target:
            target.append(value)


def apply_facts(entity: Entity, facts: RemarkFacts) -> None:
    """Merge what a remark (or an XML id / feature) said into ``entity``."""
    for name, kind in facts.names:
        entity.add_name(name, kind)
    _extend_new(entity.birth_dates, facts.birth_dates)
    _extend_new(entity.birth_places, facts.birth_places)
    _extend_new(entity.nationalities, facts.nationalities)
    _extend_new(entity.countries, facts.countries)
    _extend_new(entity.identifiers, facts.identifiers)
    if facts.gender and entity.gender is None:
        entity.gender = facts.gender
    for prop, values in facts.properties.items():
        for value in values:
            add_property(entity, prop, value)


@dataclass
class LinkResolver:
    """Collects ``Linked To: <name>`` clauses and resolves them once the whole list is read.

    A name resolves to every entity whose primary name is exactly that name (OFAC ends a
    remark with one full stop even when the name ends in one, so ``NAME.`` is tried too).
    Names that match nothing are reported; a subject never links to itself.
    """

    dataset: str
    by_name: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    pending: list[tuple[str, str, str]] = field(default_factory=list)  # subject id, name, where

    def add_entity(self, entity: Entity) -> None:
        for name in entity.names:
            if name.kind is NameKind.PRIMARY:
                self.by_name[name.value].append(entity.id)

    def add_links(self, subject_id: str, names: list[str], where: str) -> None:
        for name in names:
            self.pending.append((subject_id, " ".join(name.split()), where))

    def resolve(self, ctx: ParseContext) -> Iterator[Relation]:
        """Yield one LINKED_TO relation per resolved (subject, object) pair; warn on the rest."""
        seen: set[str] = set()
        unresolved: list[tuple[str, str]] = []
        ambiguous = 0
        for subject_id, name, where in self.pending:
            targets = self.by_name.get(name) or self.by_name.get(f"{name}.") or []
            if not targets:
                unresolved.append((where, name))
                continue
            ambiguous += len(targets) > 1
            for object_id in targets:
                rel_id = f"{subject_id}-linked-{object_id}"
                if object_id == subject_id or rel_id in seen:
                    continue
                seen.add(rel_id)
                yield Relation(
                    id=rel_id,
                    dataset=self.dataset,
                    kind=RelationKind.LINKED_TO,
                    subject_id=subject_id,
                    object_id=object_id,
                    source=f"Linked To: {name}",
                )
        for where, name in unresolved[:MAX_LINK_WARNINGS]:
            ctx.warn(f"'Linked To: {name}' names no entry of this list", record=where)
        if len(unresolved) > MAX_LINK_WARNINGS:
            ctx.warn(f"{len(unresolved)} 'Linked To' names in all matched no entry of this list")
        if ambiguous:
            ctx.warn(f"{ambiguous} 'Linked To' names matched several entries; linked to each of them")
