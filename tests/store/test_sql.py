"""The SQL store: versions, atomic loads, diff, pruning, staleness."""

from __future__ import annotations

from datetime import date

import pytest

from sanctions.errors import NotFoundError, StoreError
from sanctions.model import Entity, Identifier, Listing, Name, NameKind, Relation, RelationKind, Schema
from sanctions.service import list_status
from sanctions.store import SqlStore
from sanctions.store.sql import SqlVersionWriter


def _kamaz(tax: str = "1650032058") -> Entity:
    return Entity(
        id="test-37756",
        dataset="test",
        source_id="37756",
        schema=Schema.ORGANIZATION,
        names=[Name("KAMAZ PUBLICLY TRADED COMPANY"), Name("ПАО КАМАЗ", NameKind.ORIGINAL_SCRIPT)],
        identifiers=[Identifier("tax", tax, "ru")],
        listings=[Listing("us", "RUSSIA-EO14024")],
    )


def _kogogin() -> Entity:
    return Entity(
        id="test-37767",
        dataset="test",
        source_id="37767",
        schema=Schema.PERSON,
        names=[Name("KOGOGIN, Sergei Anatolyevich")],
    )


def _store(db_url: str, keep: int = 3) -> SqlStore:
    return SqlStore.open(db_url, keep_versions=keep)  # the db_url fixture drops the database after the test


def _load(store: SqlStore, records: list[Entity | Relation], published: str | None = "2024-05-03") -> int:
    writer = store.begin_version("test", "csv", "0" * 64)
    for record in records:
        writer.add(record)
    return writer.commit(published=published, warnings=["w1"]).id


def test_round_trip_entities_and_relations(db_url: str) -> None:
    store = _store(db_url)
    link = Relation("r1", "test", RelationKind.LINKED_TO, "test-37767", "test-37756")
    _load(store, [_kamaz(), _kogogin(), link])
    got = {e.id: e for e in store.iter_entities()}
    assert got["test-37756"] == _kamaz()
    assert store.get_entity("test-37767") == _kogogin()
    assert store.relations_of("test-37756") == [link]
    (version,) = store.current_versions()
    assert (version.entities, version.names, version.relations, version.warnings) == (2, 3, 1, ["w1"])


def test_failed_load_keeps_previous_version(db_url: str) -> None:
    store = _store(db_url)
    first = _load(store, [_kamaz()])
    writer = store.begin_version("test", "csv", "1" * 64)
    writer.add(_kogogin())
    writer.rollback()
    assert [v.id for v in store.current_versions()] == [first]
    assert [e.id for e in store.iter_entities()] == ["test-37756"]


def test_duplicate_ids_in_one_load_are_refused(db_url: str) -> None:
    store = _store(db_url)
    writer = store.begin_version("test", "csv", "1" * 64)
    writer.add(_kamaz())
    with pytest.raises(StoreError, match="duplicate entity id"):
        writer.add(_kamaz())
    writer.rollback()
    assert store.current_versions() == []


def test_diff_reports_added_removed_changed(db_url: str) -> None:
    store = _store(db_url)
    _load(store, [_kamaz()])
    _load(store, [_kamaz(tax="0000000000"), _kogogin()])
    diff = store.diff("test")
    assert diff.added == [("test-37767", "KOGOGIN, Sergei Anatolyevich")]
    assert diff.removed == []
    assert [(c.id, c.fields) for c in diff.changed] == [("test-37756", ["identifiers"])]


def test_diff_needs_two_versions(db_url: str) -> None:
    store = _store(db_url)
    _load(store, [_kamaz()])
    with pytest.raises(NotFoundError, match="only one version"):
        store.diff("test")
    with pytest.raises(NotFoundError):
        store.diff("nothing")


def test_old_versions_are_pruned(db_url: str) -> None:
    store = _store(db_url, keep=1)
    ids = [_load(store, [_kamaz()]) for _ in range(4)]
    assert [v.id for v in store.versions("test")] == ids[:-3:-1]


@pytest.mark.parametrize(
    ("published", "age", "stale"),
    [("2026-11-20", 5, False), ("2026-11-10", 15, True), ("2025-12", 359, True)],
)
def test_list_status_by_publication_date(db_url: str, published: str, age: int, stale: bool) -> None:
    store = _store(db_url)
    _load(store, [_kamaz()], published=published)
    status = list_status(store.current_versions()[0], 7, today=date(2026, 11, 25))
    assert (status.age_days, status.stale, status.dated_by) == (age, stale, "publisher")


def test_list_status_without_date_is_unknown_and_stale(db_url: str) -> None:
    store = _store(db_url)
    _load(store, [_kamaz()], published=None)
    status = list_status(store.current_versions()[0], 7)  # loaded a moment ago: still not "0 days"
    assert (status.age_days, status.stale, status.dated_by) == (None, True, "unknown")


def test_a_relation_stated_twice_is_kept_once_even_across_batches(db_url: str) -> None:
    store = _store(db_url)
    first = Relation("r-dup", "test", RelationKind.LINKED_TO, "test-37767", "test-37756")
    filler = [Relation(f"r{n}", "test", RelationKind.LINKED_TO, "test-37767", f"x{n}") for n in range(2500)]
    again = Relation("r-dup", "test", RelationKind.OWNER, "test-37767", "test-37756")
    _load(store, [_kamaz(), _kogogin(), first, *filler, again])
    assert store.relations_of("test-37756") == [first]
    assert store.current_versions()[0].relations == 2501


def test_text_postgres_cannot_hold_is_a_clear_error_and_changes_nothing(pg_url: str) -> None:
    store = _store(pg_url)
    _load(store, [_kamaz()])
    bad = Entity(id="test-nul", dataset="test", source_id="1", schema=Schema.PERSON, names=[Name("A\x00B")])
    writer = store.begin_version("test", "csv", "2" * 64)
    writer.add(bad)
    with pytest.raises(StoreError, match="could not write entities of test"):
        writer.commit(published=None, warnings=[])
    assert [e.id for e in store.iter_entities()] == ["test-37756"]


def test_two_loads_of_one_list_committing_at_once_leave_one_current_version(db_url: str) -> None:
    import threading

    stores = [_store(db_url), _store(db_url)]
    _load(stores[0], [_kamaz()])
    writers = []
    for n, store in enumerate(stores):
        writer = store.begin_version("test", "csv", str(n) * 64)
        writer.add(_kogogin())
        writers.append(writer)
        if store.is_sqlite:  # SQLite has one writer at a time: the second load waits for the first
            writer.commit(published=None, warnings=[])
    if stores[0].is_postgres:
        start = threading.Barrier(2)

        def commit(writer: SqlVersionWriter) -> None:
            start.wait()
            writer.commit(published=None, warnings=[])

        threads = [threading.Thread(target=commit, args=(w,)) for w in writers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    current = stores[0].current_versions()
    assert len(current) == 1
    assert [e.id for e in stores[1].iter_entities()] == ["test-37767"]
