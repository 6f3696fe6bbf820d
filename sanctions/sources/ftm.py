"""FollowTheMoney (FtM) JSON lines import (``ftm`` source): one entity per line.

Each line is ``{"id", "schema", "properties": {...}}`` (``caption``, ``datasets``,
``referents`` and ``target`` are accepted too). The ``followthemoney`` library checks the
schema and cleans every property value; this module maps the result onto our model:
parties (Person, Organization, Company, LegalEntity, PublicBody, Vessel, Airplane) become
:class:`Entity`, ``Sanction`` records become :class:`Listing` on the party they name,
``Address`` and ``Identification`` records are folded into their parties, and relationship
records (Ownership, Control, Directorship, Family, Associate, UnknownLink, Employment,
Membership, Representation) become :class:`Relation`. ``docs/formats.md`` has the table.

Side records may come before or after the party they refer to, and FtM files can be large,
so the parser streams the file three times with bounded memory:

1. *index*: keep only Sanction → listings, Address → address, Identification → identifier,
   and the ids of the parties (small);
2. *parties*: yield each party with its listings, addresses and identifiers attached;
3. *relations*: yield each relation whose two ends are parties of the file.

Neither parties nor relations are ever held in memory, so the order of the output is
always: all entities, then all relations.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import orjson
from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy

from sanctions.errors import SourceFormatError
from sanctions.ftm import (
    COUNTRY_PROPERTIES,
    DATE_PROPERTIES,
    IDENTIFIER_PROPERTIES,
    NAME_PROPERTIES,
    NATIONALITY_PROPERTIES,
    UNKNOWN_LINK,
    identifier_rows,
    our_schema,
    relation_kind,
)
from sanctions.model import (
    Address,
    Entity,
    Identifier,
    Listing,
    NameKind,
    PartialDate,
    Relation,
    RelationKind,
    Schema,
)
from sanctions.sources import SOURCES
from sanctions.sources.base import ParseContext, make_id
from sanctions.sources.relations_csv import parse_share
from sanctions.sources.user_csv import is_original_script

__all__ = ["parse"]

# Sanction statuses that mean the measure no longer applies.
_ENDED = {"expired", "ended", "inactive", "lifted", "revoked", "delisted", "removed", "terminated"}
_PLAIN = ("birthPlace", *NATIONALITY_PROPERTIES, *COUNTRY_PROPERTIES, "notes", "gender")
_CONSUMED = {*(n for n, _ in NAME_PROPERTIES), *DATE_PROPERTIES, *(r.prop for r in IDENTIFIER_PROPERTIES)}
_CONSUMED |= {*_PLAIN, "address", "addressEntity"}


def _get(proxy: EntityProxy, prop: str) -> list[str]:
    return proxy.get(prop, quiet=True)


def _first(proxy: EntityProxy, prop: str) -> str | None:
    return proxy.first(prop, quiet=True)


@lru_cache(maxsize=256)
def _role(schema_name: str) -> str:
    """What a record of this FtM schema is to us: party, sanction, address, identification,
    relation, other (a schema we skip) or unknown (not an FtM schema). Cached: it is asked
    for every line, and only the party lines' ids are needed in the first pass."""
    schema = model.get(schema_name)
    if schema is None:
        return "unknown"
    if our_schema(schema) is not None:
        return "party"
    if relation_kind(schema_name) is not None:
        return "relation"
    for name in ("Sanction", "Address", "Identification"):
        if schema.is_a(name):
            return name.lower()
    return "other"


def _structure_problem(data: Any) -> str | None:
    if not isinstance(data, dict):
        return "a line is not a JSON object"
    if not isinstance(data.get("id"), str) or not data["id"].strip():
        return "no 'id' string"
    if not isinstance(data.get("schema"), str):
        return "no 'schema' string"
    if not isinstance(data.get("properties", {}), dict):
        return "'properties' is not an object"
    return None


def _records(ctx: ParseContext, report: bool) -> Iterator[tuple[int, dict[str, Any]]]:
    """The JSON objects of the file with their line numbers; bad lines are warned about once.

    A last line cut short (invalid JSON without the final newline) fails the whole file:
    a truncated download must not load as a shorter list."""
    try:
        handle = ctx.path.open("rb")
    except OSError as exc:
        raise SourceFormatError(ctx.path, f"cannot read file: {exc.strerror or exc}") from exc
    seen = False
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                data = orjson.loads(raw.removeprefix(b"\xef\xbb\xbf") if number == 1 else raw)
                problem = _structure_problem(data)
            except orjson.JSONDecodeError as exc:
                if seen and not raw.endswith(b"\n"):  # a last line cut short: the file is truncated
                    raise SourceFormatError(
                        ctx.path, f"the last line is cut short ({exc}): the file is truncated", line=number
                    ) from exc
                problem = f"invalid JSON ({exc})"
            if problem is not None:
                if not seen:
                    raise SourceFormatError(ctx.path, f"not FtM JSON lines: {problem}", line=number)
                if report:
                    ctx.warn(f"{problem}; line skipped", line=number)
                continue
            seen = True
            yield number, data


def _proxy(data: dict[str, Any]) -> EntityProxy | None:
    """The cleaned FtM entity; ``None`` for a schema the FtM model does not know."""
    properties: dict[str, list[str]] = {}
    for prop, values in data.get("properties", {}).items():
        items = [values] if isinstance(values, str) else values if isinstance(values, list) else []
        properties[str(prop)] = [v for v in items if isinstance(v, str)]
    try:
        return model.get_proxy({"id": data["id"], "schema": data["schema"], "properties": properties}, False)
    except (InvalidData, ValueError, TypeError):
        return None


@dataclass
class _Index:
    """What the first pass keeps: the side records, keyed by the FtM id of their party."""

    parties: set[str] = field(default_factory=set)
    listings: dict[str, list[Listing]] = field(default_factory=dict)
    addresses: dict[str, Address] = field(default_factory=dict)
    identifiers: dict[str, list[Identifier]] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)


def _listing(proxy: EntityProxy) -> Listing | None:
    if {status.lower() for status in _get(proxy, "status")} & _ENDED:
        return None
    dates = sorted(_get(proxy, "listingDate")) or sorted(_get(proxy, "startDate"))
    return Listing(
        authority=_first(proxy, "country") or _first(proxy, "authority") or "unknown",
        program=_first(proxy, "program") or _first(proxy, "programId"),
        listed_on=dates[0][:10] if dates else None,
        reason="; ".join(_get(proxy, "reason")) or None,
    )


def _address(proxy: EntityProxy) -> Address | None:
    country = _first(proxy, "country")
    full = _first(proxy, "full")
    if full is None:
        parts = [_first(proxy, p) for p in ("street", "postalCode", "city", "region")]
        full = ", ".join(p for p in parts if p) or None
    return Address(full, country) if full else None


def _index(ctx: ParseContext) -> _Index:
    index = _Index()
    for _number, data in _records(ctx, report=True):
        role = _role(data["schema"])
        if role == "party":
            index.parties.add(data["id"])
            continue
        if role in ("unknown", "other"):
            what = f"unknown schema {data['schema']!r}" if role == "unknown" else f"schema {data['schema']}"
            index.skipped[what] += 1
            continue
        proxy = _proxy(data) if role != "relation" else None
        if proxy is None:
            continue
        if role == "sanction":
            listing = _listing(proxy)
            for target in _get(proxy, "entity"):
                known = index.listings.setdefault(target, [])
                if listing is not None and listing not in known:
                    known.append(listing)
        elif role == "address":
            address = _address(proxy)
            referents = data.get("referents")
            # OpenSanctions parties may point at an address by one of its former ids.
            aliases = [r for r in referents if isinstance(r, str)] if isinstance(referents, list) else []
            if address is not None:
                index.addresses.update(dict.fromkeys([str(proxy.id), *aliases], address))
        else:
            scheme = "passport" if proxy.schema.is_a("Passport") else "national_id"
            country = _first(proxy, "country")
            for number in _get(proxy, "number"):
                for holder in _get(proxy, "holder"):
                    index.identifiers.setdefault(holder, []).append(Identifier(scheme, number, country))
    for what, count in sorted(index.skipped.items()):
        ctx.warn(f"{count} record(s) of {what} skipped: not a party, sanction, address or relation")
    if not index.parties:
        raise SourceFormatError(ctx.path, "no party entities (Person, Organization, Company, Vessel, ...)")
    orphans = sum(len(v) for k, v in index.listings.items() if k not in index.parties)
    if orphans:
        ctx.warn(f"{orphans} sanction(s) name entities that are not in the file; ignored")
    return index


def _identifiers(proxy: EntityProxy, schema: Schema) -> list[Identifier]:
    found: list[Identifier] = []
    seen: set[str] = set()
    for row in identifier_rows(schema):
        for value in _get(proxy, row.prop):
            key = "".join(ch for ch in value.upper() if ch.isalnum()) or value
            if key not in seen:
                seen.add(key)
                found.append(Identifier(row.scheme, value, row.country, row.note))
    return found


def _names(entity: Entity, proxy: EntityProxy, caption: Any) -> None:
    names = _get(proxy, "name")
    if isinstance(caption, str) and caption in names:
        names.remove(caption)
        names.insert(0, caption)
    has_latin = any(not is_original_script(name) for name in names)
    for position, name in enumerate(names):
        primary = not is_original_script(name) or (position == 0 and not has_latin)
        entity.add_name(name, NameKind.PRIMARY if primary else NameKind.ORIGINAL_SCRIPT)
    for prop, kind in NAME_PROPERTIES:
        if prop == "name":
            continue
        for name in _get(proxy, prop):
            original = kind is NameKind.ALIAS and is_original_script(name)
            entity.add_name(name, NameKind.ORIGINAL_SCRIPT if original else kind)


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _topic_listings(data: dict[str, Any]) -> list[Listing]:
    datasets = data.get("datasets")
    names = [d for d in datasets if isinstance(d, str)] if isinstance(datasets, list) else []
    authorities = _unique([spec.authority for d in names if (spec := SOURCES.get(d)) and spec.authority])
    return [Listing(authority) for authority in authorities or ["unknown"]]


def _entity(ctx: ParseContext, proxy: EntityProxy, data: dict[str, Any], index: _Index) -> Entity:
    schema = our_schema(proxy.schema) or Schema.LEGAL_ENTITY
    source_id = str(proxy.id)
    entity = Entity(make_id(ctx.dataset, source_id), ctx.dataset, source_id, schema)
    _names(entity, proxy, data.get("caption"))
    for prop in DATE_PROPERTIES:
        for value in _get(proxy, prop):
            date = PartialDate(value[:10])
            if date not in entity.birth_dates:
                entity.birth_dates.append(date)
    entity.birth_places = _unique(_get(proxy, "birthPlace"))
    entity.nationalities = _unique([v for p in NATIONALITY_PROPERTIES for v in _get(proxy, p)])
    entity.countries = _unique([v for p in COUNTRY_PROPERTIES for v in _get(proxy, p)])
    entity.identifiers = _identifiers(proxy, schema)
    for extra in index.identifiers.get(source_id, []):
        if all(extra.value != known.value for known in entity.identifiers):
            entity.identifiers.append(extra)
    addresses = [index.addresses[ref] for ref in _get(proxy, "addressEntity") if ref in index.addresses]
    addresses += [Address(text) for text in _get(proxy, "address")]
    seen: set[str] = set()
    for address in addresses:
        key = " ".join(address.full.casefold().split())
        if key not in seen:
            seen.add(key)
            entity.addresses.append(address)
    entity.remarks = "\n".join(_get(proxy, "notes")) or None
    entity.gender = _first(proxy, "gender")
    entity.listings = list(index.listings.get(source_id, []))
    if not entity.listings and "sanction" in _get(proxy, "topics"):
        entity.listings = _topic_listings(data)
    entity.properties = {k: list(v) for k, v in proxy.properties.items() if k not in _CONSUMED}
    return entity


def _ends(proxy: EntityProxy) -> tuple[str, str] | None:
    subject = _first(proxy, proxy.schema.edge_source or "")
    object_ = _first(proxy, proxy.schema.edge_target or "")
    return (subject, object_) if subject and object_ else None


def _relation(ctx: ParseContext, proxy: EntityProxy, ends: tuple[str, str]) -> Relation:
    schema = proxy.schema
    kind = relation_kind(schema.name) or RelationKind.LINKED_TO
    consumed = {schema.edge_source, schema.edge_target, "startDate", "endDate", "role", "relationship"}
    wording = _first(proxy, "role") or _first(proxy, "relationship")
    summary = _first(proxy, "summary")
    if schema.name == UNKNOWN_LINK and wording in {k.value for k in RelationKind}:
        kind, wording = RelationKind(wording), None  # our own export names the kind in `role`
    source = wording or summary
    if wording is None and summary is not None:
        consumed.add("summary")
    if source is None and schema.name in ("Employment", "Membership", "Representation"):
        source = schema.label  # read as associates: keep what the link was
    percentage = _first(proxy, "percentage")
    start, end = _first(proxy, "startDate"), _first(proxy, "endDate")
    return Relation(
        id=make_id(ctx.dataset, str(proxy.id)),
        dataset=ctx.dataset,
        kind=kind,
        subject_id=make_id(ctx.dataset, ends[0]),
        object_id=make_id(ctx.dataset, ends[1]),
        share=parse_share(percentage) if percentage else None,
        start_date=start[:10] if start else None,
        end_date=end[:10] if end else None,
        source=source,
        properties={k: list(v) for k, v in proxy.properties.items() if k not in consumed},
    )


def parse(ctx: ParseContext) -> Iterator[Entity | Relation]:
    """Read an FtM JSON lines file: all parties first, then the relations between them.

    Raises :class:`SourceFormatError` when the file is unreadable, its first record is not an
    FtM JSON object, or it holds no party. Later bad lines, unknown schemas, relations with a
    missing end or an end outside the file are warned about and skipped.
    """
    index = _index(ctx)
    for _number, data in _records(ctx, report=False):
        if _role(data["schema"]) == "party" and (proxy := _proxy(data)) is not None:
            yield _entity(ctx, proxy, data, index)
    dangling = 0
    for number, data in _records(ctx, report=False):
        if _role(data["schema"]) != "relation" or (proxy := _proxy(data)) is None:
            continue
        ends = _ends(proxy)
        if ends is None:
            ctx.warn(f"{proxy.schema.name} without both ends; skipped", line=number, record=str(proxy.id))
        elif any(end not in index.parties for end in ends):
            dangling += 1
        else:
            yield _relation(ctx, proxy, ends)
    if dangling:
        ctx.warn(f"{dangling} relation(s) refer to entities that are not in the file; skipped")
