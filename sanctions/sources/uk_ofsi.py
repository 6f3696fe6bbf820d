"""HM Treasury OFSI Consolidated List (``gb_hmt_sanctions``): ConList.xlsx or ConList.csv.

One row per name variation; the rows of a party share a ``Group ID`` and repeat its other
columns, multiplied out (one row per name x date of birth x address ...). The rows of a
group are *not* contiguous (the file is sorted by name), so the parser folds the whole file
by Group ID before it yields: one Entity per group, then the parent/subsidiary relations.

Names are written given-names-first, as OFSI itself writes them in its statements:
``Name 1 .. Name 5`` then ``Name 6`` ("Sergey Anatolyevich KOGOGIN"). Alias Type maps to
name kinds: ``Primary name`` -> primary, ``Primary name variation`` and ``AKA`` -> alias
(``Low quality`` -> weak alias), ``FKA`` -> former; ``Name Non-Latin Script`` -> original
script, with the ISO 639-3 code of ``Non-Latin Script Language``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from sanctions.model import Address, Entity, Identifier, Listing, Name, NameKind, Record, Schema
from sanctions.sources.base import ParseContext, make_id
from sanctions.sources.uk_common import (
    SCHEMAS,
    CompanyLinks,
    add_identifier,
    add_property,
    clean_text,
    country_code,
    country_codes,
    full_name,
    iso_date,
    language_code,
    parse_date,
    split_numbered,
)
from sanctions.sources.uk_ofsi_info import read_other_information
from sanctions.sources.uk_tables import read_table

REQUIRED = ("Name 6", "Group Type", "Alias Type", "Regime", "Group ID")
NAME_PARTS = ("Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Name 6")
ADDRESS_PARTS = (*(f"Address {i}" for i in range(1, 7)), "Post/Zip Code")

# Columns folded per group, as distinct tuples of cell values in order of first appearance.
ASPECTS: dict[str, tuple[str, ...]] = {
    "dob": ("DOB",),
    "birth": ("Town of Birth", "Country of Birth"),
    "nationality": ("Nationality",),
    "passport": ("Passport Number", "Passport Details"),
    "national_id": ("National Identification Number", "National Identification Details"),
    "position": ("Position",),
    "title": ("Title",),
    "address": (*ADDRESS_PARTS, "Country"),
    "other": ("Other Information",),
    "listing": ("Regime", "UK Sanctions List Date Designated", "Listed On"),
    "updated": ("Last Updated",),
}

_KIND_ORDER = (
    NameKind.PRIMARY,
    NameKind.ALIAS,
    NameKind.FORMER,
    NameKind.WEAK_ALIAS,
    NameKind.ORIGINAL_SCRIPT,
)


@dataclass
class _Group:
    group_id: str
    line: int  # first row of the group, for messages
    types: Counter[str] = field(default_factory=Counter)
    names: dict[Name, None] = field(default_factory=dict)
    primary_parts: dict[tuple[str, str], None] = field(default_factory=dict)  # (Name 1, Name 6)
    values: dict[str, dict[tuple[str, ...], None]] = field(default_factory=dict)


def _name_kind(ctx: ParseContext, alias_type: str, quality: str, line: int) -> NameKind:
    kind = alias_type.casefold()
    if kind == "primary name":
        return NameKind.PRIMARY
    if kind == "fka":
        return NameKind.FORMER
    if kind not in ("aka", "primary name variation", "prime alias"):
        ctx.warn(f"unknown Alias Type {alias_type!r}; read as an alias", line=line)
    return NameKind.WEAK_ALIAS if quality.casefold().startswith("low") else NameKind.ALIAS


def _fold_row(ctx: ParseContext, group: _Group, line: int, row: dict[str, str]) -> None:
    group.types[row["Group Type"]] += 1
    name = full_name(row.get(p, "") for p in NAME_PARTS)
    if name:
        kind = _name_kind(ctx, row["Alias Type"], row.get("Alias Quality", ""), line)
        group.names.setdefault(Name(name, kind), None)
        if kind is NameKind.PRIMARY:
            group.primary_parts.setdefault((row.get("Name 1", ""), row["Name 6"]), None)
    original = row.get("Name Non-Latin Script", "")
    if original:
        lang = language_code(row.get("Non-Latin Script Language", ""))
        group.names.setdefault(Name(original, NameKind.ORIGINAL_SCRIPT, lang), None)
    for aspect, columns in ASPECTS.items():
        values = tuple(row.get(c, "") for c in columns)
        if any(values):
            group.values.setdefault(aspect, {}).setdefault(values, None)


def _schema(ctx: ParseContext, group: _Group) -> Schema:
    ranked = group.types.most_common()
    if len(ranked) > 1:
        counts = dict(group.types)
        ctx.warn(f"rows disagree on Group Type ({counts}); using {ranked[0][0]!r}", record=group.group_id)
    schema = SCHEMAS.get(ranked[0][0].casefold())
    if schema is None:
        ctx.warn(f"unknown Group Type {ranked[0][0]!r}; read as a legal entity", record=group.group_id)
        return Schema.LEGAL_ENTITY
    return schema


def _add_names(ctx: ParseContext, entity: Entity, group: _Group) -> None:
    names = sorted(group.names, key=lambda n: _KIND_ORDER.index(n.kind))
    if names and names[0].kind is not NameKind.PRIMARY:
        first = next((n for n in names if n.kind is not NameKind.ORIGINAL_SCRIPT), names[0])
        ctx.warn(f"no primary name; using {first.value!r}", record=group.group_id)
        names.remove(first)
        names.insert(0, Name(first.value, NameKind.PRIMARY, first.lang))
    for index, name in enumerate(names):
        # OFSI marks several rows "Primary name" when they differ in case or spelling: one stays primary.
        kind = NameKind.ALIAS if index and name.kind is NameKind.PRIMARY else name.kind
        entity.add_name(name.value, kind, name.lang)
    if entity.schema is Schema.PERSON:
        for first_name, last_name in group.primary_parts:
            add_property(entity, "firstName", first_name)
            add_property(entity, "lastName", last_name)


def _add_person_details(ctx: ParseContext, entity: Entity, group: _Group) -> None:
    rec = group.group_id
    for (dob,) in group.values.get("dob", {}):
        for text in split_numbered(dob):
            parsed = parse_date(text)
            if parsed is None:
                ctx.warn(f"unreadable DOB {text!r}", record=rec)
            elif parsed not in entity.birth_dates:
                entity.birth_dates.append(parsed)
    for town, country in group.values.get("birth", {}):
        add_property(entity, "birthCountry", *country_codes(country)[0])
        towns = split_numbered(town, keep_blank=True)
        names = split_numbered(country, keep_blank=True)
        if len(towns) == len(names):
            places = [", ".join(p for p in pair if p) for pair in zip(towns, names, strict=True)]
        else:
            places = towns + names
        for place in places:
            if place and place not in entity.birth_places:
                entity.birth_places.append(place)
    for (nationality,) in group.values.get("nationality", {}):
        codes, unknown = country_codes(nationality)
        entity.nationalities.extend(c for c in codes if c not in entity.nationalities)
        for text in unknown:
            ctx.warn(f"unknown nationality {text!r}", record=rec)
    for aspect, scheme in (("passport", "passport"), ("national_id", "national_id")):
        for number, details in group.values.get(aspect, {}):
            for identifier in _documents(scheme, number, details):
                add_identifier(entity, identifier)
    for (title,) in group.values.get("title", {}):
        add_property(entity, "title", *split_numbered(title))
    for (position,) in group.values.get("position", {}):
        add_property(entity, "position", position)


def _documents(scheme: str, number: str, details: str) -> list[Identifier]:
    """Passport / ID numbers paired with their details by the ``(n)`` numbering when it matches."""
    numbers = split_numbered(number, keep_blank=True)
    notes = split_numbered(details, keep_blank=True)
    if len(notes) != len(numbers):
        notes = [clean_text(details)] * len(numbers)
    pairs = zip(numbers, notes, strict=True)
    return [Identifier(scheme, n, note=note or None) for n, note in pairs if n]


def _add_addresses(ctx: ParseContext, entity: Entity, group: _Group) -> None:
    for values in group.values.get("address", {}):
        *parts, country = values
        code = country_code(country) if country else None
        if country and code is None:
            ctx.warn(f"unknown address country {country!r}", record=group.group_id)
        full = ", ".join(p for p in (*parts, country) if p)
        address = Address(full, code)
        if full and address not in entity.addresses:
            entity.addresses.append(address)
        if code and code not in entity.countries:
            entity.countries.append(code)


def _add_listings(entity: Entity, group: _Group, reason: str | None) -> None:
    for regime, designated, listed in group.values.get("listing", {}):
        listing = Listing("gb", regime or None, iso_date(designated) or iso_date(listed), reason)
        if listing not in entity.listings:
            entity.listings.append(listing)
        if listed:
            add_property(entity, "listingDate", iso_date(listed) or listed)
    updated = sorted(filter(None, (iso_date(u) for (u,) in group.values.get("updated", {}))))
    if updated:
        add_property(entity, "modifiedAt", updated[-1])


def build_entity(ctx: ParseContext, group: _Group, links: CompanyLinks) -> Entity:
    """Fold the rows of one Group ID into one Entity; its parent/subsidiary names go to ``links``."""
    entity = Entity(
        id=make_id(ctx.dataset, group.group_id),
        dataset=ctx.dataset,
        source_id=group.group_id,
        schema=_schema(ctx, group),
    )
    _add_names(ctx, entity, group)
    _add_person_details(ctx, entity, group)
    _add_addresses(ctx, entity, group)
    reason = None
    for (other,) in group.values.get("other", {}):
        info = read_other_information(entity, other)
        reason = info.reason or reason
        related = {"parent": info.parents, "subsidiary": info.subsidiaries, "owner": info.owners}
        for role, names in related.items():
            for name in names:
                links.add_link(entity, role, name)
    _add_listings(entity, group, reason)
    return entity


def parse(ctx: ParseContext) -> Iterator[Record]:
    """Parse ConList.xlsx / ConList.csv: one Entity per Group ID, then ownership relations."""
    table = read_table(ctx.path, REQUIRED, what="OFSI Consolidated List (ConList.xlsx / ConList.csv)")
    if table.preamble_date:
        ctx.published = iso_date(table.preamble_date)
    groups: dict[str, _Group] = {}
    for line, row in table.rows:
        group_id = row["Group ID"]
        if not group_id:
            ctx.warn("row without a Group ID; skipped", line=line)
            continue
        group = groups.get(group_id)
        if group is None:
            group = groups[group_id] = _Group(group_id, line)
        _fold_row(ctx, group, line, row)
    links = CompanyLinks(ctx.dataset)
    for group_id in list(groups):
        entity = build_entity(ctx, groups.pop(group_id), links)
        links.add_entity(entity)
        yield entity
    yield from links.resolve(ctx)
