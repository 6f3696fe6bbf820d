"""Which of the records a customer hit are one listed party (one person on three lists).

A pure function of those records, so a delta and a full re-screen group alike: records share
a normalised identifier, or (people) a full birth date and a name, or (others) the same name.
"""

from __future__ import annotations

from collections.abc import Sequence

from sanctions.matching.party import normalise_identifier
from sanctions.model import Entity
from sanctions.text import kind_of, name_forms

_GROUP_SCHEMES = frozenset({"tax", "registration", "imo", "swift", "lei", "mmsi", "passport", "national_id"})


def _identity(entity: Entity) -> set[str]:
    kind = kind_of(entity.schema.value)
    keys = {
        "i:" + v
        for i in entity.identifiers
        if i.scheme in _GROUP_SCHEMES and (v := normalise_identifier(i.value))
    }
    names = {" ".join(sorted(f.phonetic)) for n in entity.names for f in name_forms(n.value, kind)}
    if kind == "person":
        days = {d.value for d in entity.birth_dates if len(d.value) >= 10}
        keys |= {f"p:{day}:{name}" for day in days for name in names}
    else:
        keys |= {f"o:{kind}:{name}" for name in names if name}
    return keys


def party_groups(entities: Sequence[Entity]) -> list[list[Entity]]:
    """The records grouped into parties; each group sorted by id, groups by their first id."""
    ordered = sorted(entities, key=lambda e: e.id)
    parent = list(range(len(ordered)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    owner: dict[str, int] = {}
    for pos, entity in enumerate(ordered):
        for key in _identity(entity):
            other = owner.setdefault(key, pos)
            if other != pos:
                a, b = find(other), find(pos)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[int, list[Entity]] = {}
    for pos, entity in enumerate(ordered):
        groups.setdefault(find(pos), []).append(entity)
    return [groups[root] for root in sorted(groups)]
