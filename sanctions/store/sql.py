"""SQL storage through SQLAlchemy Core: SQLite by default, PostgreSQL (psycopg 3) in production.

The schema lives in ``sanctions.store.tables`` and is brought up to date by the shipped Alembic
migrations whenever a store is opened. Loads write with batched INSERTs on SQLite and ``COPY``
on PostgreSQL; the rest is the same SQL on both.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, Table, create_engine, delete, event, func, insert, select, update
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from sanctions.errors import NotFoundError, StoreError
from sanctions.model import Entity, ListVersion, Record, Relation
from sanctions.store import locks, migrate
from sanctions.store.base import EntityChange, ListDiff
from sanctions.store.jobs import JobQueue
from sanctions.store.tables import metadata
from sanctions.store.tables.lists import entities_table, relations_table, versions_table

__all__ = ["SqlStore", "SqlVersionWriter", "entities_table", "metadata", "relations_table", "versions_table"]

_BATCH = 2000


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _row_to_version(row: Any) -> ListVersion:
    return ListVersion(
        id=row.id,
        dataset=row.dataset,
        source=row.source,
        published=row.published,
        loaded_at=row.loaded_at,
        sha256=row.sha256,
        entities=row.entities,
        names=row.names,
        relations=row.relations,
        current=bool(row.current),
        warnings=orjson.loads(row.warnings or "[]"),
        dated_by=row.dated_by,
        size=row.size,
    )


class SqlVersionWriter:
    """Writes one version inside a single transaction; the version becomes current on commit."""

    def __init__(self, store: SqlStore, dataset: str, source: str, sha256: str):
        self._store = store
        self._conn: Connection = store.engine.connect()
        self._tx = self._conn.begin()
        self.dataset = dataset
        result = self._conn.execute(
            insert(versions_table).values(
                dataset=dataset, source=source, sha256=sha256, loaded_at=_now(), current=False, complete=False
            )
        )
        pk = result.inserted_primary_key
        if pk is None:
            raise StoreError("could not create a list version")
        self.version_id = int(pk[0])
        self._entities: list[dict[str, Any]] = []
        self._relations: list[dict[str, Any]] = []
        self._seen: set[str] = set()
        self._seen_relations: set[str] = set()
        self.n_entities = 0
        self.n_names = 0
        self.n_relations = 0
        self._closed = False

    def add(self, record: Record) -> None:
        """Queue one entity or relation; repeated ids are merged by the parser, not here."""
        data = orjson.dumps(record.to_dict())
        if isinstance(record, Entity):
            if record.id in self._seen:
                raise StoreError(f"duplicate entity id {record.id!r} in one load of {self.dataset}")
            self._seen.add(record.id)
            self._entities.append(
                {
                    "version_id": self.version_id,
                    "id": record.id,
                    "schema": str(record.schema),
                    "caption": record.caption,
                    "digest": hashlib.sha1(data).hexdigest(),
                    "data": data,
                }
            )
            self.n_entities += 1
            self.n_names += len(record.names)
            if len(self._entities) >= _BATCH:
                self._flush()
        else:
            if record.id in self._seen_relations:
                return  # the same relation stated twice by a publisher: keep the first
            self._seen_relations.add(record.id)
            self._relations.append(
                {
                    "version_id": self.version_id,
                    "id": record.id,
                    "subject_id": record.subject_id,
                    "object_id": record.object_id,
                    "data": data,
                }
            )
            self.n_relations += 1
            if len(self._relations) >= _BATCH:
                self._flush()

    def _flush(self) -> None:
        for table, rows in ((entities_table, self._entities), (relations_table, self._relations)):
            if not rows:
                continue
            try:
                if self._store.is_postgres:
                    _copy_rows(self._conn, table, rows)
                else:
                    self._conn.execute(insert(table), rows)
            except Exception as exc:  # SQLAlchemy's errors, or the driver's own from COPY
                first = rows[0]["id"]
                raise StoreError(
                    f"could not write {table.name} of {self.dataset} (batch from {first!r}): {exc}"
                ) from exc
            rows.clear()

    def commit(
        self,
        *,
        published: str | None,
        warnings: list[str],
        dated_by: str | None = None,
        size: int | None = None,
        also: Callable[[Connection, int], None] | None = None,
    ) -> ListVersion:
        """Make this version the current one for its dataset and prune old versions.

        ``also(conn, version_id)`` runs in the same transaction, last (the audit event of the load).
        """
        try:
            self._flush()
            conn = self._conn
            if self._store.is_postgres:  # two loads of one dataset commit one after the other
                key = locks.advisory_key(f"load:{self.dataset}")
                conn.execute(select(func.pg_advisory_xact_lock(key)))
            conn.execute(
                update(versions_table)
                .where(versions_table.c.dataset == self.dataset, versions_table.c.current.is_(True))
                .values(current=False)
            )
            conn.execute(
                update(versions_table)
                .where(versions_table.c.id == self.version_id)
                .values(
                    published=published,
                    entities=self.n_entities,
                    names=self.n_names,
                    relations=self.n_relations,
                    current=True,
                    complete=True,
                    warnings=orjson.dumps(warnings).decode(),
                    dated_by=dated_by,
                    size=size,
                )
            )
            self._store._prune(conn, self.dataset)
            if also is not None:
                also(conn, self.version_id)
            self._tx.commit()
        except SQLAlchemyError as exc:
            self.rollback()
            raise StoreError(f"could not save the new version of {self.dataset}: {exc}") from exc
        finally:
            self._close()
        return self._store.version(self.version_id)

    def rollback(self) -> None:
        """Drop everything written in this load; the previous version stays current."""
        if not self._closed:
            self._tx.rollback()
            self._close()

    def _close(self) -> None:
        if not self._closed:
            self._conn.close()
            self._closed = True


class SqlStore:
    """The store. ``SqlStore.open(url)`` creates or migrates the schema to this code's head."""

    def __init__(self, engine: Engine, keep_versions: int = 3):
        self.engine = engine
        self.keep_versions = keep_versions
        self.is_sqlite = engine.dialect.name == "sqlite"
        self.is_postgres = engine.dialect.name == "postgresql"
        self.jobs = JobQueue(engine)

    @classmethod
    def open(cls, url: str, keep_versions: int = 3) -> SqlStore:
        """Open the store at a SQLAlchemy URL, creating or migrating its schema.

        ``postgresql://`` and ``postgres://`` mean PostgreSQL through psycopg 3.
        """
        url = normalise_url(url)
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        try:
            engine = _engine(url)
            migrate.upgrade(engine)
        except (SQLAlchemyError, ArgumentError, ImportError) as exc:
            raise StoreError(f"cannot open the store at {_safe(url)}: {exc}") from exc
        return cls(engine, keep_versions)

    def try_lock(self, name: str) -> locks.RunLock | None:
        """Take the run-once lock ``name`` if no other process holds it (release it when done)."""
        return locks.acquire(self.engine, name)

    @contextmanager
    def run_once(self, name: str) -> Iterator[bool]:
        """``with store.run_once("monitor") as held:`` — ``held`` is False when another runner acts."""
        lock = locks.acquire(self.engine, name)
        try:
            yield lock is not None
        finally:
            if lock is not None:
                lock.release()

    def begin_version(self, dataset: str, source: str, sha256: str) -> SqlVersionWriter:
        """Start writing a new version of ``dataset``."""
        return SqlVersionWriter(self, dataset, source, sha256)

    def version(self, version_id: int) -> ListVersion:
        with self.engine.connect() as conn:
            row = conn.execute(select(versions_table).where(versions_table.c.id == version_id)).first()
        if row is None:
            raise NotFoundError(f"no list version {version_id}")
        return _row_to_version(row)

    def versions(self, dataset: str | None = None) -> list[ListVersion]:
        """All complete versions, newest first, optionally of one dataset."""
        query = select(versions_table).where(versions_table.c.complete.is_(True))
        if dataset is not None:
            query = query.where(versions_table.c.dataset == dataset)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(versions_table.c.id.desc())).all()
        return [_row_to_version(r) for r in rows]

    def current_versions(self) -> list[ListVersion]:
        """The version in use for each dataset, by dataset name."""
        query = (
            select(versions_table)
            .where(versions_table.c.current.is_(True))
            .order_by(versions_table.c.dataset)
        )
        with self.engine.connect() as conn:
            return [_row_to_version(r) for r in conn.execute(query).all()]

    def _current_ids(self, datasets: Iterable[str] | None) -> list[int]:
        wanted = set(datasets) if datasets is not None else None
        return [v.id for v in self.current_versions() if wanted is None or v.dataset in wanted]

    def iter_entities(self, datasets: Iterable[str] | None = None) -> Iterator[Entity]:
        """Every entity of the current versions (optionally of some datasets only)."""
        ids = self._current_ids(datasets)
        if not ids:
            return
        query = select(entities_table.c.data).where(entities_table.c.version_id.in_(ids))
        with self.engine.connect() as conn:
            for (data,) in conn.execution_options(yield_per=5000).execute(query):
                yield Entity.from_dict(orjson.loads(data))

    def iter_relations(self, datasets: Iterable[str] | None = None) -> Iterator[Relation]:
        """Every relation of the current versions."""
        ids = self._current_ids(datasets)
        if not ids:
            return
        query = select(relations_table.c.data).where(relations_table.c.version_id.in_(ids))
        with self.engine.connect() as conn:
            for (data,) in conn.execution_options(yield_per=5000).execute(query):
                yield Relation.from_dict(orjson.loads(data))

    def get_entity(self, entity_id: str) -> Entity | None:
        """One entity of a current version, or None."""
        ids = self._current_ids(None)
        query = select(entities_table.c.data).where(
            entities_table.c.id == entity_id, entities_table.c.version_id.in_(ids)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return Entity.from_dict(orjson.loads(row[0])) if row else None

    def relations_of(self, entity_id: str) -> list[Relation]:
        """Relations of current versions where the entity is subject or object."""
        ids = self._current_ids(None)
        c = relations_table.c
        query = select(c.data).where(
            c.version_id.in_(ids), (c.subject_id == entity_id) | (c.object_id == entity_id)
        )
        with self.engine.connect() as conn:
            return [Relation.from_dict(orjson.loads(r[0])) for r in conn.execute(query).all()]

    def diff(self, dataset: str, old_id: int | None = None, new_id: int | None = None) -> ListDiff:
        """Added, removed and changed entities between two versions (default: the last two)."""
        versions = self.versions(dataset)
        if not versions:
            raise NotFoundError(f"no versions of {dataset!r} are loaded")
        by_id = {v.id: v for v in versions}
        new = by_id.get(new_id) if new_id is not None else versions[0]
        if new is None:
            raise NotFoundError(f"no version {new_id} of {dataset!r}")
        if old_id is not None:
            old = by_id.get(old_id)
            if old is None:
                raise NotFoundError(f"no version {old_id} of {dataset!r}")
        else:
            older = [v for v in versions if v.id < new.id]
            if not older:
                raise NotFoundError(f"only one version of {dataset!r} is kept: nothing to compare")
            old = older[0]
        old_rows = self._digests(old.id)
        new_rows = self._digests(new.id)
        result = ListDiff(dataset=dataset, old=old, new=new)
        for eid in sorted(new_rows.keys() - old_rows.keys()):
            result.added.append((eid, new_rows[eid][1]))
        for eid in sorted(old_rows.keys() - new_rows.keys()):
            result.removed.append((eid, old_rows[eid][1]))
        for eid in sorted(new_rows.keys() & old_rows.keys()):
            if new_rows[eid][0] != old_rows[eid][0]:
                result.changed.append(self._change(eid, old.id, new.id, new_rows[eid][1]))
        return result

    def changed_since(self, since: str) -> set[str]:
        """Ids of current entities added or changed by a version loaded after ``since``.

        ``since`` is an ISO timestamp in UTC, written like ``loaded_at`` (``+00:00``). Each
        list's current version is compared with the newest version loaded at or before
        ``since``; when there is none (the list was first loaded later, or that version has
        been pruned), every entity of the current version counts as changed.
        """
        out: set[str] = set()
        for current in self.current_versions():
            if current.loaded_at <= since:
                continue
            before = [v for v in self.versions(current.dataset) if v.loaded_at <= since]
            now = self._digests(current.id)
            if not before:
                out.update(now)
                continue
            then = self._digests(before[0].id)
            out.update(eid for eid, (digest, _) in now.items() if then.get(eid, ("",))[0] != digest)
        return out

    def _digests(self, version_id: int) -> dict[str, tuple[str, str]]:
        c = entities_table.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(c.id, c.digest, c.caption).where(c.version_id == version_id)).all()
        return {r.id: (r.digest, r.caption) for r in rows}

    def _change(self, entity_id: str, old_id: int, new_id: int, caption: str) -> EntityChange:
        c = entities_table.c
        with self.engine.connect() as conn:
            rows = dict(
                conn.execute(
                    select(c.version_id, c.data).where(c.id == entity_id, c.version_id.in_([old_id, new_id]))
                ).all()
            )
        before, after = orjson.loads(rows[old_id]), orjson.loads(rows[new_id])
        fields = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        return EntityChange(entity_id, caption, fields)

    def _prune(self, conn: Connection, dataset: str) -> None:
        c = versions_table.c
        rows = conn.execute(select(c.id).where(c.dataset == dataset).order_by(c.id.desc())).all()
        stale = [r.id for r in rows[self.keep_versions + 1 :]]
        # Incomplete versions left by a crashed load are garbage too.
        stale += [r.id for r in conn.execute(select(c.id).where(c.dataset == dataset, c.complete.is_(False)))]
        if stale:
            conn.execute(delete(entities_table).where(entities_table.c.version_id.in_(stale)))
            conn.execute(delete(relations_table).where(relations_table.c.version_id.in_(stale)))
            conn.execute(delete(versions_table).where(c.id.in_(stale)))

    def checkpoint_wal(self) -> None:
        """SQLite: copy the write-ahead log back into the database without blocking writers.

        Commits checkpoint only past ``wal_autocheckpoint`` pages (set high so a decision's commit
        rarely pays for one); the hourly housekeeping keeps the log short. PostgreSQL: nothing.
        """
        if not self.is_postgres:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")

    def close(self) -> None:
        self.engine.dispose()


def normalise_url(url: str) -> str:
    """Spell PostgreSQL URLs with the psycopg 3 driver, the one we ship."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _safe(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unreadable URL>"


def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # Idle connections dropped by PostgreSQL or a proxy are replaced, not handed out broken.
    return create_engine(url, pool_pre_ping=True)


def _copy_rows(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Append rows to ``table`` with PostgreSQL's binary COPY, inside the connection's transaction."""
    columns = list(rows[0])
    quote = conn.dialect.identifier_preparer.quote
    sql = f"COPY {quote(table.name)} ({', '.join(quote(c) for c in columns)}) FROM STDIN (FORMAT BINARY)"
    types = [_COPY_TYPES[type(table.c[c].type).__name__] for c in columns]
    raw: Any = conn.connection.driver_connection  # the psycopg.Connection under SQLAlchemy's
    with raw.cursor() as cursor, cursor.copy(sql) as copy:
        copy.set_types(types)
        for row in rows:
            copy.write_row([row[c] for c in columns])


_COPY_TYPES = {"Integer": "int4", "String": "text", "Text": "text", "LargeBinary": "bytea"}


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # A commit that crosses the limit runs the checkpoint itself: at SQLite's default (1,000
    # pages) one decision in a hundred paid 15-20 ms for it (bench/cases.py, docs/cases.md).
    cursor.execute("PRAGMA wal_autocheckpoint=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
