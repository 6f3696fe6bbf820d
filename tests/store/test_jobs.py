"""The job queue: claims, leases, retries, keys, the outbox; two workers at once on PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from sanctions.store import SqlStore
from sanctions.store.jobs import JobQueue, backoff
from sanctions.store.tables.base import utc_now
from sanctions.store.tables.jobs import jobs_table


@pytest.fixture()
def store(db_url: str) -> Iterator[SqlStore]:
    opened = SqlStore.open(db_url)
    yield opened
    opened.close()


def test_a_job_is_claimed_once_then_completed(store: SqlStore) -> None:
    job_id = store.jobs.enqueue("rescreen", {"book": "clients", "versions": [3, 4]})
    (job,) = store.jobs.claim("w1")
    assert (job.id, job.kind, job.payload, job.attempts) == (
        job_id,
        "rescreen",
        {"book": "clients", "versions": [3, 4]},
        1,
    )
    assert store.jobs.claim("w2") == []
    assert store.jobs.complete(job)
    assert store.jobs.counts() == {"done": 1}


def test_claims_take_only_due_jobs_of_the_asked_kinds_oldest_first(store: SqlStore) -> None:
    later = store.jobs.enqueue("webhook", {}, run_after=utc_now() + timedelta(hours=1))
    first = store.jobs.enqueue("webhook", {"n": 1})
    second = store.jobs.enqueue("webhook", {"n": 2})
    store.jobs.enqueue("rescreen", {})
    claimed = store.jobs.claim("w1", kinds=["webhook"], limit=10)
    assert [j.id for j in claimed] == [first, second]
    assert later not in [j.id for j in claimed]
    assert store.jobs.counts("rescreen") == {"queued": 1}


def test_a_failed_job_is_retried_after_backoff_then_given_up(store: SqlStore) -> None:
    store.jobs.enqueue("webhook", {}, max_attempts=2)
    (job,) = store.jobs.claim("w1")
    assert store.jobs.fail(job, "HTTP 500")
    assert store.jobs.claim("w1") == []  # not due yet: 30 s backoff
    (again,) = store.jobs.claim("w1", now=utc_now() + timedelta(seconds=31))
    assert again.attempts == 2
    assert store.jobs.fail(again, "HTTP 500 again")
    assert store.jobs.claim("w1", now=utc_now() + timedelta(days=1)) == []
    with store.engine.connect() as conn:
        row = conn.execute(select(jobs_table.c.state, jobs_table.c.last_error)).one()
    assert tuple(row) == ("failed", "HTTP 500 again")


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert backoff(30) == timedelta(hours=6)


def test_a_dead_workers_lease_runs_out_and_another_worker_takes_the_job(store: SqlStore) -> None:
    store.jobs.enqueue("rescreen", {}, max_attempts=3)
    (lost,) = store.jobs.claim("dead-worker")
    assert store.jobs.claim("w2") == []
    (taken,) = store.jobs.claim("w2", now=utc_now() + store.jobs.lease + timedelta(seconds=1))
    assert (taken.id, taken.attempts, taken.locked_by) == (lost.id, 2, "w2")
    assert not store.jobs.complete(lost)  # the dead worker's late answer is refused
    assert store.jobs.complete(taken)


def test_heartbeat_keeps_the_lease(store: SqlStore) -> None:
    store.jobs.enqueue("rescreen", {})
    (job,) = store.jobs.claim("w1")
    assert store.jobs.heartbeat(job, now=utc_now() + timedelta(minutes=4))
    assert store.jobs.claim("w2", now=utc_now() + timedelta(minutes=6)) == []


def test_a_key_allows_one_active_job(store: SqlStore) -> None:
    first = store.jobs.enqueue("rescreen", {}, key="book:clients")
    assert first is not None
    assert store.jobs.enqueue("rescreen", {}, key="book:clients") is None
    assert store.jobs.enqueue("rescreen", {}, key="book:suppliers") is not None
    (job, _) = store.jobs.claim("w1", limit=2)
    store.jobs.complete(job)
    assert store.jobs.enqueue("rescreen", {}, key="book:clients") is not None  # the first is done


def test_a_job_enqueued_in_a_rolled_back_transaction_does_not_exist(store: SqlStore) -> None:
    with store.engine.connect() as conn:
        store.jobs.enqueue("webhook", {"alert": 1}, conn=conn)
        conn.rollback()
    with store.engine.begin() as conn:
        store.jobs.enqueue("webhook", {"alert": 2}, conn=conn)
    assert [j.payload for j in store.jobs.claim("w1", limit=5)] == [{"alert": 2}]


def test_finished_jobs_are_purged(store: SqlStore) -> None:
    store.jobs.enqueue("webhook", {})
    store.jobs.enqueue("webhook", {})
    (job,) = store.jobs.claim("w1")
    store.jobs.complete(job)
    assert store.jobs.purge(utc_now() + timedelta(seconds=1)) == 1
    assert store.jobs.counts() == {"queued": 1}


def test_postgres_claims_skip_rows_another_transaction_has_locked(pg_url: str) -> None:
    store = SqlStore.open(pg_url)
    first = store.jobs.enqueue("webhook", {"n": 1})
    second = store.jobs.enqueue("webhook", {"n": 2})
    claimed: list[int] = []
    with store.engine.connect() as holder:
        holder.execute(select(jobs_table.c.id).where(jobs_table.c.id == first).with_for_update())
        # Without SKIP LOCKED the claim would wait for the holder's transaction to end.
        worker = threading.Thread(
            target=lambda: claimed.extend(j.id for j in store.jobs.claim("w1", limit=2))
        )
        worker.start()
        worker.join(timeout=30)
        finished = not worker.is_alive()
        holder.rollback()
    worker.join()
    assert finished, "the claim waited for a locked row"
    assert claimed == [second]
    assert [j.id for j in store.jobs.claim("w1")] == [first]
    store.close()


def test_two_workers_on_postgres_take_every_job_exactly_once(pg_url: str) -> None:
    SqlStore.open(pg_url).close()
    producer = SqlStore.open(pg_url)
    expected = {producer.jobs.enqueue("rescreen", {"n": n}) for n in range(300)}
    done: dict[str, list[int]] = {"a": [], "b": []}
    start = threading.Barrier(2)

    def work(name: str) -> None:
        store = SqlStore.open(pg_url)  # its own engine and connections, like another process
        queue = JobQueue(store.engine)
        start.wait()
        while jobs := queue.claim(name, limit=3):
            for job in jobs:
                done[name].append(job.id)
                assert queue.complete(job)
        store.close()

    threads = [threading.Thread(target=work, args=(name,)) for name in done]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    taken = done["a"] + done["b"]
    assert sorted(taken) == sorted(expected)  # every job, none twice
    assert len(set(taken)) == len(taken)
    assert producer.jobs.counts() == {"done": 300}
    producer.close()


def test_times_come_back_timezone_aware_in_utc_and_naive_times_are_refused(store: SqlStore) -> None:
    paris_noon = datetime(2030, 1, 1, 12, tzinfo=timezone(timedelta(hours=1)))
    store.jobs.enqueue("rescreen", {}, run_after=paris_noon)
    with store.engine.connect() as conn:
        stored = conn.execute(select(jobs_table.c.run_after)).scalar_one()
    assert stored == datetime(2030, 1, 1, 11, tzinfo=UTC)
    assert stored.tzinfo == UTC
    with pytest.raises(StatementError, match="naive datetime"):
        store.jobs.enqueue("rescreen", {}, run_after=datetime(2030, 1, 1, 12))
