"""Books kept screened: imports, removals, full runs and delta runs after a list update.

Forward for customers (a customer added or changed is screened against the lists in scope),
backward for list changes (each added or changed record finds the customers sharing its
blocking keys in the book's key table), and both score the same pairs the same way, so the
cost of a list update grows with the update, not with the book.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from sanctions import budget
from sanctions.audit import SYSTEM
from sanctions.books.alerting import BookRef, drop_hits, regroup
from sanctions.books.chunked import ChunkedRuns, RunProgress, customer_from_row
from sanctions.books.keys import is_pair, name_count, party_keys
from sanctions.books.lists import ListView, is_relevant
from sanctions.books.runs import (
    PENDING,
    RUNNING,
    Run,
    now,
    runs_of,
    save_run,
    start_run,
)
from sanctions.books.screening import Hit, Scorer, aligner_for
from sanctions.errors import NotFoundError, QueryError
from sanctions.matching.algorithms import DEFAULT_ALGORITHM
from sanctions.matching.engine import get_algorithm
from sanctions.matching.names.aligner import NameAligner
from sanctions.matching.party import Party
from sanctions.model import ListVersion
from sanctions.records import Customer, RowProblem
from sanctions.store import SqlStore
from sanctions.store.tables import books as t

WRITE_CHUNK = 2000  # customers written with one statement
_NAME_MAX = 100


@dataclass(slots=True)
class Book:
    """A named set of customers and how it is screened."""

    id: int
    name: str
    algorithm: str
    threshold: float
    datasets: list[str] | None
    created_at: str

    @property
    def ref(self) -> BookRef:
        return BookRef(self.id, self.name, self.algorithm)

    @property
    def scorer(self) -> Scorer:
        return Scorer(self.algorithm, self.threshold)


@dataclass(slots=True)
class ImportResult:
    """What an import did: customers added, updated, unchanged, removed; bad rows; the run."""

    book: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    run: Run | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "book": self.book,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "problems": [{"line": p.line, "field": p.field, "message": p.message} for p in self.problems],
            "run": self.run.to_dict() if self.run else None,
        }


def _book(row: Any) -> Book:
    datasets = orjson.loads(row.datasets) if row.datasets else None
    return Book(row.id, row.name, row.algorithm, row.threshold, datasets, row.created_at)


class Monitor(ChunkedRuns):
    """Books, customers, screening runs and alerts in the store's database."""

    def __init__(self, store: SqlStore):
        self.store = store
        self.engine = store.engine
        self._view: ListView | None = None  # the last view, kept while the lists do not change

    def view(self, book: Book) -> ListView:
        """The current lists in a book's scope; the same view (and its key index, built once)
        while no list changes, so screening one customer after another stays cheap."""
        fresh = ListView.current(self.store, book.datasets)
        if self._view is not None and self._view.versions == fresh.versions:
            return self._view
        self._view = fresh
        return fresh

    # -- books ---------------------------------------------------------------------------------
    def book(self, name: str) -> Book:
        """The book of that name; NotFoundError if there is none."""
        with self.engine.connect() as conn:
            row = conn.execute(select(t.books).where(t.books.c.name == name)).first()
        if row is None:
            raise NotFoundError(f"no book named {name!r}")
        return _book(row)

    def books(self) -> list[Book]:
        """Every book, by name."""
        with self.engine.connect() as conn:
            return [_book(r) for r in conn.execute(select(t.books).order_by(t.books.c.name))]

    def ensure_book(self, name: str, algorithm: str | None = None, threshold: float | None = None) -> Book:
        """The book of that name, created (screened by ``algorithm`` at ``threshold``) if new."""
        if not name.strip() or len(name) > _NAME_MAX or "/" in name:
            raise QueryError(f"a book name is 1 to {_NAME_MAX} characters without '/': {name!r}")
        try:
            return self.book(name)
        except NotFoundError:
            pass
        algo = get_algorithm(algorithm or DEFAULT_ALGORITHM)
        with self.engine.begin() as conn:
            conn.execute(
                insert(t.books).values(
                    name=name,
                    created_at=now(),
                    algorithm=algo.name,
                    threshold=threshold if threshold is not None else algo.threshold,
                )
            )
        return self.book(name)

    def count(self, book: Book) -> int:
        """How many customers a book holds."""
        from sqlalchemy import func

        c = t.customers.c
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).where(c.book_id == book.id)).scalar_one())

    def runs(self, book: Book, limit: int | None = None) -> list[Run]:
        """The book's runs, newest first."""
        with self.engine.connect() as conn:
            return runs_of(conn, book.id, book.name, limit)

    def customers(self, book: Book, ids: Sequence[str] | None = None) -> list[Customer]:
        """The book's customers (all, or those ids), by id."""
        c = t.customers.c
        query = select(t.customers).where(c.book_id == book.id).order_by(c.customer_id)
        if ids is not None:
            query = query.where(c.customer_id.in_(list(ids)))
        with self.engine.connect() as conn:
            return [customer_from_row(r) for r in conn.execute(query)]

    # -- customers -----------------------------------------------------------------------------
    def upsert(
        self,
        name: str,
        customers: Sequence[Customer],
        *,
        remove_missing: bool = False,
        trigger: str = "import",
        actor: str = SYSTEM,
        defer_over: int | None = None,
        progress: RunProgress | None = None,
    ) -> ImportResult:
        """Add or update customers by id (``remove_missing``: the book then mirrors them) and
        screen every one added or changed.

        The customers are written first, in one transaction, marked as waiting for the run; then
        they are screened by chunks (:meth:`screen_import`). With ``defer_over``, an import that
        adds or changes more customers than that is left ``pending`` for a background runner.
        """
        book = self.ensure_book(name)
        result = ImportResult(book.name)
        c = t.customers.c
        with self.engine.connect() as conn:
            known = dict(conn.execute(select(c.customer_id, c.fingerprint).where(c.book_id == book.id)).all())
        changed = [cu for cu in customers if known.get(cu.id) != cu.fingerprint]
        result.added = sum(1 for cu in changed if cu.id not in known)
        result.updated = len(changed) - result.added
        result.unchanged = len(customers) - len(changed)
        missing = sorted(set(known) - {cu.id for cu in customers}) if remove_missing else []
        result.removed = len(missing)
        view = self.view(book)
        run = Run(0, book.name, "import", view.versions, book.algorithm, book.threshold, actor=actor)
        run.total = len(changed)
        run.state = PENDING if defer_over is not None and len(changed) > defer_over else RUNNING
        # A book screened whole by this import is, as a whole, at the current list versions.
        run.whole = not self.book_versions(book) and set(known) <= {cu.id for cu in changed} | set(missing)
        with self.engine.begin() as conn:
            start_run(conn, book.id, run, trigger)
            for start in range(0, len(changed), WRITE_CHUNK):
                budget.check()
                self._write_customers(conn, book, changed[start : start + WRITE_CHUNK], run.id)
            if missing:
                self._forget(conn, book, missing, view, run)
            save_run(conn, run, complete=not changed)
        result.run = run
        if changed and run.state == RUNNING:
            self.screen_import(run, progress, interrupted=PENDING)
        return result

    def remove(self, name: str, ids: Sequence[str], actor: str = SYSTEM) -> Run:
        """Take customers out of a book; their open alerts close (reason ``removed``)."""
        book = self.book(name)
        found = {cu.id for cu in self.customers(book, ids)}
        unknown = [i for i in ids if i not in found]
        if unknown:
            raise NotFoundError(f"book {name!r} has no customer {', '.join(map(repr, unknown[:5]))}")
        view = self.view(book)
        run = Run(0, book.name, "remove", view.versions, book.algorithm, book.threshold, actor=actor)
        with self.engine.begin() as conn:
            start_run(conn, book.id, run, "remove")
            self._forget(conn, book, sorted(found), view, run)
            save_run(conn, run, complete=True)
        return run

    def _write_customers(self, conn: Connection, book: Book, chunk: Sequence[Customer], run_id: int) -> None:
        """Store customers (with their blocking keys), marked as waiting for run ``run_id``."""
        ids = [cu.id for cu in chunk]
        c, k = t.customers.c, t.customer_keys.c
        conn.execute(delete(t.customers).where(c.book_id == book.id, c.customer_id.in_(ids)))
        conn.execute(delete(t.customer_keys).where(k.book_id == book.id, k.customer_id.in_(ids)))
        rows: list[dict[str, Any]] = []
        keys: list[dict[str, Any]] = []
        for cu in chunk:
            found = party_keys(cu.to_query().to_party())
            rows.append(
                {
                    "book_id": book.id,
                    "customer_id": cu.id,
                    "schema": cu.schema or "",
                    "caption": cu.caption,
                    "fingerprint": cu.fingerprint,
                    "data": orjson.dumps({"properties": cu.properties, "extra": cu.extra}).decode(),
                    "n_keys": name_count(found),
                    "run_id": -run_id,  # negative: waiting to be screened by that run
                }
            )
            keys.extend({"book_id": book.id, "key": key, "customer_id": cu.id} for key in sorted(found))
        conn.execute(insert(t.customers), rows)
        if keys:
            conn.execute(insert(t.customer_keys), keys)

    def _forget(self, conn: Connection, book: Book, ids: list[str], view: ListView, run: Run) -> None:
        c, k = t.customers.c, t.customer_keys.c
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            conn.execute(delete(t.customers).where(c.book_id == book.id, c.customer_id.in_(chunk)))
            conn.execute(delete(t.customer_keys).where(k.book_id == book.id, k.customer_id.in_(chunk)))
        drop_hits(conn, book.id, ids)
        regroup(conn, book.ref, ids, view, run.id, run.alerts, removed=frozenset(ids), actor=run.actor)

    def _screen(
        self,
        conn: Connection,
        book: Book,
        chunk: Sequence[Customer],
        view: ListView,
        run: Run,
        *,
        waiting: bool = False,
    ) -> None:
        """Screen customers forward against every record in scope; replace their hits.

        ``waiting``: they are an import's (only those still waiting for this run are marked as
        screened by it: one rewritten meanwhile waits for the newer import)."""
        index = view.key_index()
        scorer = book.scorer
        drop_hits(conn, book.id, [cu.id for cu in chunk])
        found: list[Hit] = []
        for cu in chunk:
            budget.check()  # a run out of time or cancelled stops here; the chunk rolls back
            party = cu.to_query().to_party()
            aligner = aligner_for(party, view.prepared)
            before = len(found)
            for entity_id in index.pairs(party_keys(party)):
                entity = view.entity(entity_id)
                run.pairs += 1
                version = view.versions[entity.dataset]
                hit = scorer.hit(cu.id, party, entity, view.party(entity), version, aligner)
                if hit is not None:
                    found.append(hit)
            run.no_hits += len(found) == before
        run.customers += len(chunk)
        run.hits += len(found)
        self._insert_hits(conn, book, found)
        c = t.customers.c
        ids = [cu.id for cu in chunk]
        where = [c.book_id == book.id, c.customer_id.in_(ids)]
        if waiting:
            where.append(c.run_id == -run.id)
        conn.execute(update(t.customers).where(*where).values(run_id=run.id))

    @staticmethod
    def _insert_hits(conn: Connection, book: Book, found: Sequence[Hit]) -> None:
        if found:
            conn.execute(
                insert(t.hits),
                [
                    {
                        "book_id": book.id,
                        "customer_id": h.customer_id,
                        "entity_id": h.entity.id,
                        "dataset": h.entity.dataset,
                        "version_id": h.version_id,
                        "score": h.score,
                        "explanation": orjson.dumps(h.explanation).decode(),
                    }
                    for h in found
                ],
            )

    def _set_versions(self, conn: Connection, book: Book, view: ListView, run: Run) -> None:
        v = t.book_versions.c
        conn.execute(delete(t.book_versions).where(v.book_id == book.id))
        rows = [
            {"book_id": book.id, "dataset": d, "version_id": i, "run_id": run.id}
            for d, i in view.versions.items()
        ]
        if rows:
            conn.execute(insert(t.book_versions), rows)

    def book_versions(self, book: Book) -> dict[str, int]:
        """The version of each list the whole book was last brought up to."""
        v = t.book_versions.c
        with self.engine.connect() as conn:
            return dict(conn.execute(select(v.dataset, v.version_id).where(v.book_id == book.id)).all())

    # -- list updates --------------------------------------------------------------------------
    def after_load(self, loaded: Sequence[ListVersion], trigger: str = "load") -> list[Run]:
        """Re-screen every book against what changed in the lists just loaded."""
        out: list[Run] = []
        for book in self.books():
            if not self.count(book):
                continue
            behind = self.book_versions(book)
            if not behind:
                out.append(self.screen_full(book.name, trigger=trigger))
                continue
            for version in loaded:
                if book.datasets is not None and version.dataset not in book.datasets:
                    continue
                old = behind.get(version.dataset)
                if old == version.id:
                    continue
                if old is None:  # a list new to the book: everyone is screened against it
                    out.append(self.screen_full(book.name, trigger=trigger))
                    break
                out.append(self.rescreen_delta(book.name, version.dataset, old, version.id, trigger))
        return out

    def rescreen_delta(self, name: str, dataset: str, old_id: int, new_id: int, trigger: str = "load") -> Run:
        """Screen a book against the difference between two versions of one list."""
        book = self.book(name)
        try:
            diff = self.store.diff(dataset, old_id, new_id)
        except NotFoundError:  # the old version was pruned: no diff, so everything again
            return self.screen_full(name, trigger=trigger + " (old version pruned)")
        rescreen = [eid for eid, _ in diff.added] + [ch.id for ch in diff.changed if is_relevant(ch.fields)]
        quiet = [ch.id for ch in diff.changed if not is_relevant(ch.fields)]
        gone = [eid for eid, _ in diff.removed]
        view = self.view(book)
        records = view.entities((new_id, eid) for eid in rescreen)
        run = Run(0, book.name, "delta", view.versions, book.algorithm, book.threshold, {dataset: old_id})
        run.entities = len(rescreen) + len(gone)
        h = t.hits.c
        with self.engine.begin() as conn:
            start_run(conn, book.id, run, trigger)
            affected: set[str] = set()
            for start in range(0, len(rescreen) + len(gone), 500):
                chunk = (rescreen + gone)[start : start + 500]
                where = (h.book_id == book.id, h.entity_id.in_(chunk), h.dataset == dataset)
                affected.update(r[0] for r in conn.execute(select(h.customer_id).where(*where)))
                conn.execute(delete(t.hits).where(*where))
            for start in range(0, len(quiet), 500):
                chunk = quiet[start : start + 500]
                where = (h.book_id == book.id, h.entity_id.in_(chunk), h.dataset == dataset)
                conn.execute(update(t.hits).where(*where).values(version_id=new_id))
            parties: dict[str, Party] = {}
            aligners: dict[str, NameAligner] = {}
            found: list[Hit] = []
            for eid in rescreen:
                entity = records[(new_id, eid)]
                entity_party = view.party(entity)
                candidates = self._reverse(conn, book, party_keys(entity_party))
                missing = [cid for cid in candidates if cid not in parties]
                for cu in self._customers_in(conn, book, missing):
                    parties[cu.id] = cu.to_query().to_party()
                    aligners[cu.id] = aligner_for(parties[cu.id], view.prepared)
                for cid in candidates:
                    run.pairs += 1
                    hit = book.scorer.hit(cid, parties[cid], entity, entity_party, new_id, aligners[cid])
                    if hit is not None:
                        found.append(hit)
                        affected.add(cid)
            run.hits = len(found)
            run.customers = len(affected)
            self._insert_hits(conn, book, found)
            regroup(conn, book.ref, sorted(affected), view, run.id, run.alerts, actor=run.actor)
            v = t.book_versions.c
            conn.execute(delete(t.book_versions).where(v.book_id == book.id, v.dataset == dataset))
            conn.execute(
                insert(t.book_versions).values(
                    book_id=book.id, dataset=dataset, version_id=new_id, run_id=run.id
                )
            )
            save_run(conn, run, complete=True)
        return run

    def _reverse(self, conn: Connection, book: Book, keys: frozenset[str]) -> list[str]:
        """Customers of the book that pair with a party of these keys."""
        k, c = t.customer_keys.c, t.customers.c
        shared: dict[str, list[str]] = defaultdict(list)
        ordered = sorted(keys)
        for start in range(0, len(ordered), 500):
            query = select(k.customer_id, k.key).where(
                k.book_id == book.id, k.key.in_(ordered[start : start + 500])
            )
            for cid, key in conn.execute(query):
                shared[cid].append(key)
        if not shared:
            return []
        own = name_count(keys)
        n_keys: dict[str, int] = {}
        ids = sorted(shared)
        for start in range(0, len(ids), 500):
            query = select(c.customer_id, c.n_keys).where(
                c.book_id == book.id, c.customer_id.in_(ids[start : start + 500])
            )
            n_keys.update(conn.execute(query).all())
        return [cid for cid in ids if is_pair(shared[cid], own, n_keys[cid])]

    @staticmethod
    def _customers_in(conn: Connection, book: Book, ids: list[str]) -> list[Customer]:
        c = t.customers.c
        out: list[Customer] = []
        for start in range(0, len(ids), 500):
            query = select(t.customers).where(
                c.book_id == book.id, c.customer_id.in_(ids[start : start + 500])
            )
            out.extend(customer_from_row(r) for r in conn.execute(query))
        return out
