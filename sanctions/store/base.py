"""The one interface every storage backend implements (SQLite by default, PostgreSQL later)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy.engine import Connection

from sanctions.model import Entity, ListVersion, Record, Relation


@dataclass(slots=True)
class EntityChange:
    """One entity that differs between two versions of a list."""

    id: str
    caption: str
    fields: list[str]  # top-level model fields that changed (names, identifiers, listings, ...)


@dataclass(slots=True)
class ListDiff:
    """What changed in a list between two versions."""

    dataset: str
    old: ListVersion
    new: ListVersion
    added: list[tuple[str, str]] = field(default_factory=list)  # (id, caption)
    removed: list[tuple[str, str]] = field(default_factory=list)
    changed: list[EntityChange] = field(default_factory=list)


class VersionWriter(Protocol):
    """Collects the records of one load; nothing is visible until :meth:`commit`."""

    def add(self, record: Record) -> None: ...

    def commit(
        self,
        *,
        published: str | None,
        warnings: list[str],
        dated_by: str | None = None,
        size: int | None = None,
        also: Callable[[Connection, int], None] | None = None,
    ) -> ListVersion: ...

    def rollback(self) -> None: ...


class Store(Protocol):
    """Versioned storage of lists. Each load is a ListVersion; only the current one is read."""

    def begin_version(self, dataset: str, source: str, sha256: str) -> VersionWriter: ...

    def versions(self, dataset: str | None = None) -> list[ListVersion]: ...

    def current_versions(self) -> list[ListVersion]: ...

    def iter_entities(self, datasets: Iterable[str] | None = None) -> Iterator[Entity]: ...

    def iter_relations(self, datasets: Iterable[str] | None = None) -> Iterator[Relation]: ...

    def get_entity(self, entity_id: str) -> Entity | None: ...

    def relations_of(self, entity_id: str) -> list[Relation]: ...

    def diff(self, dataset: str, old_id: int | None = None, new_id: int | None = None) -> ListDiff: ...

    def changed_since(self, since: str) -> set[str]: ...

    def close(self) -> None: ...
