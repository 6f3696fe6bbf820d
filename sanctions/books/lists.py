"""The lists a book is screened against: current versions in scope, records by id, keys."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import orjson
from sqlalchemy import select, tuple_

from sanctions.books.keys import KeyIndex, party_keys
from sanctions.matching.names.aligner import PreparedCache
from sanctions.matching.party import Party, entity_party
from sanctions.model import Entity
from sanctions.store import SqlStore
from sanctions.store.tables.lists import entities_table

# The screening-relevant fields of a listed entity, in a fixed order (alert digests read them).
RELEVANT_FIELDS = (
    "names",
    "birth_dates",
    "nationalities",
    "countries",
    "identifiers",
    "addresses",
    "listings",
    "schema",
    "gender",
)


def is_relevant(fields: Iterable[str]) -> bool:
    """Whether a change of these entity fields can change a screening result or its alert."""
    return any(f in RELEVANT_FIELDS for f in fields)


@dataclass(slots=True)
class ListView:
    """The current version of each list in a book's scope, and lookups over it."""

    store: SqlStore
    versions: dict[str, int]  # dataset -> current version id
    _keys: KeyIndex | None = None
    _entities: dict[str, Entity] = field(default_factory=dict)
    _parties: dict[str, Party] = field(default_factory=dict)
    prepared: PreparedCache = field(default_factory=dict)  # records' names made ready to align

    @classmethod
    def current(cls, store: SqlStore, datasets: list[str] | None) -> ListView:
        """The view of the current versions (of ``datasets`` only, when given)."""
        wanted = set(datasets) if datasets is not None else None
        versions = {
            v.dataset: v.id for v in store.current_versions() if wanted is None or v.dataset in wanted
        }
        return cls(store, versions)

    def entities(self, refs: Iterable[tuple[int, str]]) -> dict[tuple[int, str], Entity]:
        """Records by (version id, entity id), read in batches."""
        wanted = list(dict.fromkeys(refs))
        out: dict[tuple[int, str], Entity] = {}
        c = entities_table.c
        with self.store.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                query = select(c.version_id, c.id, c.data).where(tuple_(c.version_id, c.id).in_(chunk))
                for row in conn.execute(query):
                    out[(row.version_id, row.id)] = Entity.from_dict(orjson.loads(row.data))
        return out

    def party(self, entity: Entity) -> Party:
        """The comparable form of a record, made once per view."""
        party = self._parties.get(entity.id)
        if party is None:
            party = self._parties[entity.id] = entity_party(entity)
        return party

    def key_index(self) -> KeyIndex:
        """Blocking keys of every record in scope (built on first use: a full screening)."""
        if self._keys is None:
            index = KeyIndex()
            for entity in self.store.iter_entities(self.versions):
                self._entities[entity.id] = entity
                index.add(entity.id, party_keys(self.party(entity)))
            self._keys = index
        return self._keys

    def entity(self, entity_id: str) -> Entity:
        """A record in scope, after :meth:`key_index` has read them all."""
        return self._entities[entity_id]
