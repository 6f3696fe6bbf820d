"""changed_since: the entities a list version loaded after a time added or changed (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from sanctions.errors import QueryError
from sanctions.model import Entity, Identifier, Listing, Name, Schema
from sanctions.service import parse_since
from sanctions.store import SqlStore
from sanctions.store.tables.lists import versions_table


def _entity(number: str, name: str, tax: str = "1650032058") -> Entity:
    return Entity(
        id=f"test-{number}",
        dataset="test",
        source_id=number,
        schema=Schema.ORGANIZATION,
        names=[Name(name)],
        identifiers=[Identifier("tax", tax, "ru")],
        listings=[Listing("us", "RUSSIA-EO14024")],
    )


def _load(store: SqlStore, entities: list[Entity], loaded_at: str, dataset: str = "test") -> None:
    """Load a version and date it (loads within one second would share a time otherwise)."""
    writer = store.begin_version(dataset, "csv", "0" * 64)
    for entity in entities:
        writer.add(entity)
    version = writer.commit(published=None, warnings=[])
    with store.engine.begin() as conn:
        conn.execute(
            update(versions_table).where(versions_table.c.id == version.id).values(loaded_at=loaded_at)
        )


def test_changed_since_compares_with_the_version_current_at_that_time(db_url: str) -> None:
    store = SqlStore.open(db_url)
    kamaz, moskvich = _entity("1", "KAMAZ"), _entity("2", "MOSKVICH")
    _load(store, [kamaz, moskvich], "2026-01-10T08:00:00+00:00")
    _load(
        store,
        [_entity("1", "KAMAZ", tax="0000000000"), moskvich, _entity("3", "GAZ")],
        "2026-02-10T08:00:00+00:00",
    )
    # Between the loads: what the second one changed (KAMAZ) or added (GAZ); MOSKVICH is as it was.
    assert store.changed_since(parse_since("2026-01-20")) == {"test-1", "test-3"}
    # After the last load: nothing. Before the first: everything current.
    assert store.changed_since(parse_since("2026-03-01")) == set()
    assert store.changed_since(parse_since("2025-12-31")) == {"test-1", "test-2", "test-3"}
    store.close()


def test_changed_since_is_per_list(db_url: str) -> None:
    store = SqlStore.open(db_url)
    _load(store, [_entity("1", "KAMAZ")], "2026-01-10T08:00:00+00:00")
    other = Entity(id="other-9", dataset="other", source_id="9", schema=Schema.PERSON, names=[Name("IVANOV")])
    _load(store, [other], "2026-02-10T08:00:00+00:00", dataset="other")
    assert store.changed_since(parse_since("2026-02-01T00:00:00Z")) == {"other-9"}
    store.close()


@pytest.mark.parametrize(
    ("text", "stamp"),
    [
        ("2026-01-31", "2026-01-31T00:00:00+00:00"),
        ("2026-01-31T12", "2026-01-31T12:00:00+00:00"),
        ("2026-01-31T12:30:05Z", "2026-01-31T12:30:05+00:00"),
        ("2026-01-31T12:30+02:00", "2026-01-31T10:30:00+00:00"),
    ],
)
def test_since_is_read_as_utc(text: str, stamp: str) -> None:
    assert parse_since(text) == stamp


@pytest.mark.parametrize("text", ["garbage", "2026-13-45", "31.01.2026", ""])
def test_unreadable_since_is_a_query_error(text: str) -> None:
    with pytest.raises(QueryError, match="date"):
        parse_since(text)
