"""The shipped Alembic migrations build exactly the schema in ``sanctions.store.tables``."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from sanctions.store import SqlStore, migrate
from sanctions.store.tables import metadata
from tests.postgres import PostgresServer

COMPARE = {"compare_type": True, "compare_server_default": True}


def _differences(url: str) -> list[object]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts=COMPARE)
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def test_migrations_produce_exactly_the_metadata(db_url: str) -> None:
    SqlStore.open(db_url).close()
    assert _differences(db_url) == []
    engine = create_engine(db_url)
    with engine.connect() as conn:
        assert migrate.current(conn) == migrate.head()
        assert set(inspect(conn).get_table_names()) == set(metadata.tables) | {"alembic_version"}
    engine.dispose()


def test_revisions_form_one_line_named_after_their_files() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert script.get_heads() == [migrate.head()]
    chain = list(reversed(list(script.walk_revisions())))
    assert [r.revision for r in chain] == migrate.revisions()
    for previous, revision in zip([None, *chain], chain, strict=False):
        assert revision.down_revision == (previous.revision if previous else None)
        assert Path(revision.path).name.startswith(f"{revision.revision}_")


def test_downgrade_to_nothing_and_back(db_url: str) -> None:
    SqlStore.open(db_url).close()
    engine = create_engine(db_url)
    with engine.connect() as conn:
        command.downgrade(migrate.alembic_config(conn), "base")
        conn.commit()
        assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    SqlStore.open(db_url).close()
    assert _differences(db_url) == []


def test_a_store_made_before_migrations_is_stamped_and_upgraded(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    with engine.connect() as conn:  # the tables of the baseline, as create_all made them, no version table
        command.upgrade(migrate.alembic_config(conn), migrate.BASELINE)
        conn.execute(text("DROP TABLE alembic_version"))
        conn.execute(
            text(
                "INSERT INTO list_versions (dataset, source, loaded_at, sha256, entities, names,"
                " relations, current, complete, warnings)"
                " VALUES ('un', 'un_xml', '2026-01-01', :sha, 0, 0, 0, 1, 1, '[]')"
            ),
            {"sha": "0" * 64},
        )
        conn.commit()
    engine.dispose()
    store = SqlStore.open(url)
    assert [v.dataset for v in store.current_versions()] == ["un"]
    with store.engine.connect() as conn:
        assert migrate.current(conn) == migrate.head()
    store.close()
    assert _differences(url) == []


def test_workers_opening_a_new_postgres_database_at_once_migrate_it_once(postgres: PostgresServer) -> None:
    name = postgres.create_database()
    url = postgres.url(name)
    errors: list[BaseException] = []

    def open_store() -> None:
        try:
            SqlStore.open(url).close()
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    engine.dispose()
    assert _differences(url) == []
    postgres.drop_database(name)


def test_an_unreachable_database_is_a_clear_store_error() -> None:
    from sanctions.errors import StoreError

    with pytest.raises(StoreError, match="cannot open the store at postgresql") as caught:
        SqlStore.open("postgresql://nobody:secret@127.0.0.1:1/none")
    assert "secret" not in str(caught.value)


@pytest.mark.parametrize("dialect", ["postgresql", "sqlite"])
def test_the_ddl_can_be_rendered_for_a_dba_without_a_database(dialect: str) -> None:
    sql = migrate.offline_sql(dialect)
    for table in metadata.tables:
        assert f"CREATE TABLE {table} " in sql
    assert f"UPDATE alembic_version SET version_num='{migrate.head()}'" in sql
