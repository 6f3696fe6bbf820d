"""What a decision remembers of both sides, and whether it still holds.

A decision keeps a snapshot of the customer (schema and properties, as screened) and of the
listed party (names, birth dates, countries, identifiers, programmes). The decision holds while
both are unchanged:

- the party's names, dates, countries and identifiers are compared as sets over all its records,
  so the same person newly found on another list (same identity, one more record) stays decided;
- programmes are compared record by record, for the records known at decision time, so a
  re-designation under another programme is a change, but a new list's own programme is not.

:func:`compare` returns the field-level difference (empty: the decision still holds).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import orjson

from sanctions.model import Entity

IDENTITY_FIELDS = ("names", "birth_dates", "countries", "identifiers", "schema")


def party_snapshot(entities: Sequence[Entity]) -> dict[str, Any]:
    """The screening-relevant fields of a listed party's records (JSON-ready, sorted)."""
    names: set[str] = set()
    dates: set[str] = set()
    countries: set[str] = set()
    identifiers: set[str] = set()
    schemas: set[str] = set()
    programmes: dict[str, list[str]] = {}
    for e in entities:
        names.update(n.value for n in e.names)
        dates.update(d.value for d in e.birth_dates)
        countries.update(e.nationalities)
        countries.update(e.countries)
        identifiers.update(f"{i.scheme}:{i.value}" for i in e.identifiers)
        schemas.add(e.schema.value)
        programmes[e.id] = sorted({lst.program or lst.authority for lst in e.listings})
    return {
        "names": sorted(names),
        "birth_dates": sorted(dates),
        "countries": sorted(countries),
        "identifiers": sorted(identifiers),
        "schema": sorted(schemas),
        "programmes": dict(sorted(programmes.items())),
    }


def customer_snapshot(schema: str | None, properties: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """What screening read of a customer: schema and properties, values sorted."""
    return {"schema": schema, "properties": {k: sorted(v) for k, v in sorted(properties.items()) if v}}


def fingerprint(snapshot: Mapping[str, Any]) -> str:
    """SHA-256 of a snapshot's canonical JSON."""
    return hashlib.sha256(orjson.dumps(snapshot, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _set_diff(old: Iterable[str], new: Iterable[str]) -> dict[str, list[str]] | None:
    before, after = set(old), set(new)
    if before == after:
        return None
    return {"added": sorted(after - before), "removed": sorted(before - after)}


def compare_party(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """The field-level change of a listed party since ``old`` (empty: unchanged)."""
    out: dict[str, Any] = {}
    for name in IDENTITY_FIELDS:
        change = _set_diff(old.get(name, []), new.get(name, []))
        if change:
            out[name] = change
    before: Mapping[str, list[str]] = old.get("programmes", {})
    after: Mapping[str, list[str]] = new.get("programmes", {})
    programmes = {
        record: change
        for record in sorted(set(before) & set(after))
        if (change := _set_diff(before[record], after[record]))
    }
    if programmes:
        out["programmes"] = programmes
    return out


def compare_customer(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """The field-level change of a customer since ``old`` (empty: unchanged)."""
    out: dict[str, Any] = {}
    if old.get("schema") != new.get("schema"):
        out["schema"] = {"before": old.get("schema"), "after": new.get("schema")}
    before: Mapping[str, list[str]] = old.get("properties", {})
    after: Mapping[str, list[str]] = new.get("properties", {})
    for prop in sorted(set(before) | set(after)):
        change = _set_diff(before.get(prop, []), after.get(prop, []))
        if change:
            out[prop] = change
    return out


def compare(old: Mapping[str, Any], party: Mapping[str, Any], customer: Mapping[str, Any]) -> dict[str, Any]:
    """What changed since a decision's snapshot ``old``: ``{"party": ..., "customer": ...}``."""
    out: dict[str, Any] = {}
    if change := compare_party(old.get("party", {}), party):
        out["party"] = change
    if change := compare_customer(old.get("customer", {}), customer):
        out["customer"] = change
    return out
