"""The monitoring invariant: after any sequence of list versions, the open alerts a book got by
delta re-screens equal those of a full screening against the newest versions."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sanctions.books import Monitor
from sanctions.records import Customer
from sanctions.store import SqlStore
from tests.books.conftest import load_ftm, open_alerts, write_ftm
from tests.postgres import PostgresServer

# Spelling variants on purpose, so that blocking and scoring both have work to do.
GIVEN = ["Ivan", "Iwan", "Maria", "Mariya", "Muhammad", "Mohammed", "Ali", "Kim", "Anna", "Olga"]
FAMILY = ["Petrov", "Petroff", "Ivanova", "Hassan", "Hasan", "Jong Un", "Smirnov", "Al-Rashid", "Rashid"]
YEARS = [None, "1970", "1971", "1970-05-01", "1985"]

names = st.tuples(st.sampled_from(GIVEN), st.sampled_from(FAMILY)).map(" ".join)
record = st.fixed_dictionaries(
    {
        "name": names,
        "alias": st.none() | names,
        "year": st.sampled_from(YEARS),
        "country": st.sampled_from(["ru", "ir", None]),
    }
)
version = st.dictionaries(st.integers(0, 9), record, max_size=8)  # entity number -> record
customer = st.fixed_dictionaries({"name": names, "year": st.sampled_from(YEARS)})


def _entity(number: int, data: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, list[str]] = {"name": [data["name"]]}
    if data["alias"]:
        props["alias"] = [data["alias"]]
    if data["year"]:
        props["birthDate"] = [data["year"]]
    if data["country"]:
        props["nationality"] = [data["country"]]
    return {"id": f"e{number}", "schema": "Person", "properties": props}


def _customers(rows: list[dict[str, Any]]) -> list[Customer]:
    out = []
    for i, row in enumerate(rows):
        props = {"name": [row["name"]]} | ({"birthDate": [row["year"]]} if row["year"] else {})
        out.append(Customer(f"c{i}", "Person", props))
    return out


BOOKS = st.lists(customer, min_size=1, max_size=8)
VERSIONS = st.lists(st.tuples(version, version), min_size=1, max_size=4)


def _check(store: SqlStore, folder: Path, book: list[dict[str, Any]], versions: list[Any]) -> None:
    """Load the versions one after the other, re-screening by deltas, then compare the book's open
    alerts with a fresh book's (a full screening) and with a full re-screen of the book."""
    monitor = Monitor(store)
    first = True
    for step, lists in enumerate(versions):
        loaded = []
        for dataset, entities in zip(("alpha", "beta"), lists, strict=True):
            if not entities and first:
                entities = {0: {"name": "Olga Smirnov", "alias": None, "year": None, "country": None}}
            if not entities:
                continue  # a load needs at least one entity; this list keeps its version
            path = write_ftm(folder / f"{dataset}-{step}.ftm", [_entity(n, d) for n, d in entities.items()])
            loaded.append(load_ftm(store, path, dataset))
        if first:
            monitor.upsert("book", _customers(book))
            first = False
        else:
            monitor.after_load(loaded)
    monitor.upsert("check", _customers(book))  # a fresh book: a full screening of the newest versions
    expected = open_alerts(monitor, "check")
    event(f"open alerts: {min(len(expected), 3)}")
    assert open_alerts(monitor, "book") == expected
    monitor.screen_full("book")
    assert open_alerts(monitor, "book") == open_alerts(monitor, "check")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(book=BOOKS, versions=VERSIONS)
def test_delta_rescreens_equal_a_full_screening(
    book: list[dict[str, Any]], versions: list[tuple[dict[int, Any], dict[int, Any]]]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = SqlStore.open(f"sqlite:///{folder / 'store.db'}", keep_versions=10)
        try:
            _check(store, folder, book, versions)
        finally:
            store.close()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(book=BOOKS, versions=VERSIONS)
def test_delta_rescreens_equal_a_full_screening_on_postgresql(
    postgres: PostgresServer,
    pg_template: str,
    book: list[dict[str, Any]],
    versions: list[tuple[dict[int, Any], dict[int, Any]]],
) -> None:
    """The same invariant on PostgreSQL (a fresh database for every example)."""
    name = postgres.create_database(template=pg_template)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            store = SqlStore.open(postgres.url(name), keep_versions=10)
            try:
                _check(store, Path(tmp), book, versions)
            finally:
                store.close()
    finally:
        postgres.drop_database(name)
