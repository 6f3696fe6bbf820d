"""Book runs left to the background: a large upsert is stored and left pending, the runner
screens it to the same alerts as a synchronous upsert; a run can be cancelled and resumed, runs
out of its budget (failed, resumable), is stopped mid-way (back to pending) or loses its runner
to a kill (taken over), and always ends with the same alerts. SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sanctions.budget import Budget
from sanctions.errors import ConflictError
from sanctions.ingest import LoadRequest, load
from sanctions.service import Screener
from sanctions.settings import Settings
from tests.books.test_un_case import BOOK, UN

RECORDS = [
    {"id": cid, "schema": "Person", "properties": {"name": name, "birthDate": [born] if born else []}}
    | ({"properties": {"name": name, "nationality": [nat]}} if nat and not born else {})
    for cid, name, born, nat in BOOK
]


def _screener(db_url: str, tmp_path: Path, fixtures: Path, **settings: float) -> Screener:
    chosen = Settings(data_dir=tmp_path, database_url=db_url, book_sync_rows=5, **settings)  # type: ignore[arg-type]
    screener = Screener(chosen)
    if not screener.store.current_versions():
        load(screener.store, LoadRequest(UN, fixtures / "un" / "consolidated_excerpt.xml"))
    return screener


def _alerts(screener: Screener, book: str) -> set[tuple[str, str, float, str]]:
    return {(a["customer_id"], a["entity_id"], a["score"], a["state"]) for a in screener.alerts(book=book)}


@pytest.fixture
def expected(db_url: str, tmp_path: Path, fixtures: Path) -> set[tuple[str, str, float, str]]:
    """The alerts a synchronous upsert of the book raises (in the same store)."""
    screener = _screener(db_url, tmp_path, fixtures)
    result = screener.book_upsert("sync", RECORDS)
    assert result.run is not None and result.run.state == "done"
    found = _alerts(screener, "sync")
    screener.close()
    assert len(found) >= 5
    return found


def test_a_large_upsert_is_stored_then_screened_by_the_runner(
    db_url: str, tmp_path: Path, fixtures: Path, expected: set[tuple[str, str, float, str]]
) -> None:
    screener = _screener(db_url, tmp_path, fixtures)
    result = screener.book_upsert("bank", RECORDS, background=True)
    run = result.run
    assert run is not None and (run.state, run.total, run.customers) == ("pending", 35, 0)
    assert result.added == 35 and len(screener.book_customers("bank")) == 35, "stored at once"
    assert screener.alerts(book="bank") == [], "not screened in the request"
    coverage = screener.book_coverage("bank")["lists"][0]
    assert coverage["customers_never_screened"] == 35
    seen: list[int] = []
    (done,) = screener.book_runs_due(progress=lambda r: seen.append(r.customers))
    assert done.id == run.id and seen == [35]
    stored = screener.book_run("bank", run.id)
    assert (stored.state, stored.customers, stored.total, stored.complete) == ("done", 35, 35, True)
    assert _alerts(screener, "bank") == expected
    assert screener.book_coverage("bank")["complete"]
    assert screener.book_runs_due() == [], "nothing left"
    # A small upsert is screened at once, as without background.
    small = screener.book_upsert(
        "bank", [{"id": "C99", "properties": {"name": "Bosco Ntaganda"}}], background=True
    )
    assert small.run is not None and small.run.state == "done"
    assert "C99" in {a["customer_id"] for a in screener.alerts(book="bank")}
    screener.close()


def test_cancel_and_resume(
    db_url: str, tmp_path: Path, fixtures: Path, expected: set[tuple[str, str, float, str]]
) -> None:
    screener = _screener(db_url, tmp_path, fixtures)
    run = screener.book_upsert("bank", RECORDS, background=True).run
    assert run is not None
    cancelled = screener.book_run_cancel("bank", run.id, actor="ann")
    assert (cancelled.state, cancelled.error) == ("cancelled", "cancelled by ann")
    assert screener.book_runs_due() == [], "a cancelled run waits for no runner"
    assert screener.alerts(book="bank") == []
    with pytest.raises(ConflictError):
        screener.book_run_cancel("bank", run.id, actor="ann")
    assert screener.book_run_resume("bank", run.id, actor="bob").state == "pending"
    (done,) = screener.book_runs_due()
    assert done.state == "done" and _alerts(screener, "bank") == expected
    with pytest.raises(ConflictError):
        screener.book_run_resume("bank", run.id, actor="bob")
    actions = {(e["action"], e["actor"]) for e in screener.audit_recent(50) if e["object"] == f"run:{run.id}"}
    assert {("run.cancelled", "ann"), ("run.resumed", "bob"), ("run.completed", "system")} <= actions
    screener.close()


def test_out_of_budget_fails_then_resumes_where_it_stopped(
    db_url: str, tmp_path: Path, fixtures: Path, expected: set[tuple[str, str, float, str]]
) -> None:
    hurried = _screener(db_url, tmp_path, fixtures, max_job_seconds=0.0)
    run = hurried.book_upsert("bank", RECORDS, background=True).run
    assert run is not None
    (failed,) = hurried.book_runs_due()
    assert failed.state == "failed" and "max_job_seconds" in (failed.error or "")
    assert hurried.book_run("bank", run.id).state == "failed" and hurried.book_runs_due() == []
    hurried.close()
    screener = _screener(db_url, tmp_path, fixtures)
    screener.book_run_resume("bank", run.id)
    (done,) = screener.book_runs_due()
    assert done.state == "done" and _alerts(screener, "bank") == expected
    screener.close()


def test_a_runner_stopped_mid_way_leaves_the_run_pending(
    db_url: str, tmp_path: Path, fixtures: Path, expected: set[tuple[str, str, float, str]]
) -> None:
    screener = _screener(db_url, tmp_path, fixtures)
    screener.monitor.import_chunk = 10
    run = screener.book_upsert("bank", RECORDS, background=True).run
    assert run is not None
    budgets: list[Budget] = []
    (stopped,) = screener.book_runs_due(on_budget=budgets.append, progress=lambda r: budgets[-1].cancel())
    assert stopped.state == "pending"
    assert screener.book_run("bank", run.id).customers == 10, "the first chunk is kept"
    first = {cid for cid, *_ in BOOK[:10]}
    assert {a["customer_id"] for a in screener.alerts(book="bank")} <= first, "only the first chunk's"
    (done,) = screener.book_runs_due()
    assert (done.state, done.customers) == ("done", 35)
    assert _alerts(screener, "bank") == expected
    screener.close()


KILLED_RUNNER = """
import os, signal, sys
from sanctions.service import Screener
from sanctions.settings import Settings
screener = Screener(Settings(data_dir=sys.argv[1], database_url=sys.argv[2]))
screener.monitor.import_chunk = 10
screener.book_runs_due(progress=lambda run: os.kill(os.getpid(), signal.SIGKILL))
"""


def test_a_run_whose_runner_was_killed_is_taken_over(
    db_url: str, tmp_path: Path, fixtures: Path, expected: set[tuple[str, str, float, str]]
) -> None:
    screener = _screener(db_url, tmp_path, fixtures)
    run = screener.book_upsert("bank", RECORDS, background=True).run
    assert run is not None
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    code = textwrap.dedent(KILLED_RUNNER)
    killed = subprocess.run([sys.executable, "-c", code, str(tmp_path), db_url], env=env, timeout=300)
    assert killed.returncode == -9
    stored = screener.book_run("bank", run.id)
    assert (stored.state, stored.customers) == ("running", 10), "killed after its first chunk"
    assert screener.book_runs_due() == [], "its heartbeat is fresh: not taken over yet"
    (done,) = screener.book_runs_due(lease_seconds=0.0)
    assert (done.state, done.customers) == ("done", 35)
    assert _alerts(screener, "bank") == expected
    screener.close()


def test_a_large_rescreen_is_left_to_the_runner(db_url: str, tmp_path: Path, fixtures: Path) -> None:
    screener = _screener(db_url, tmp_path, fixtures)
    screener.book_upsert("bank", RECORDS)
    before = _alerts(screener, "bank")
    run = screener.book_screen("bank", background=True)
    assert (run.kind, run.state, run.total) == ("full", "pending", 35)
    (done,) = screener.book_runs_due()
    assert done.id == run.id and done.state == "done" and done.customers == 35
    assert _alerts(screener, "bank") == before
    # A pending full run is the one a foreground re-screen drives (not a second one).
    again = screener.book_screen("bank", threshold=0.95, background=True)
    assert again.state == "pending" and screener.monitor.book("bank").threshold == 0.95
    finished = screener.book_screen("bank")
    assert (finished.id, finished.state) == (again.id, "done")
    assert screener.book_runs_due() == []
    assert _alerts(screener, "bank") == before
    screener.close()


def test_lists_changing_while_a_run_waits(db_url: str, tmp_path: Path, fixtures: Path) -> None:
    from tests.books.test_un_case import _version_b

    screener = _screener(db_url, tmp_path, fixtures)
    screener.monitor.import_chunk = 10
    screener.book_upsert("early", RECORDS)  # screened whole at version A: a delta reaches it
    waiting = screener.book_upsert("bank", RECORDS, background=True).run
    assert waiting is not None
    budgets: list[Budget] = []
    screener.book_runs_due(on_budget=budgets.append, progress=lambda r: budgets[-1].cancel())
    assert screener.book_run("bank", waiting.id).customers == 10, "a third done at version A"
    b = load(screener.store, LoadRequest(UN, _version_b(fixtures, tmp_path / "b.xml")))
    screener.rescreen_books([b])
    (done,) = screener.book_runs_due()
    assert done.state == "done" and done.versions == {UN: b.id}
    screener.book_upsert("fresh", RECORDS)  # the reference: a book screened at version B only
    reference = _alerts(screener, "fresh")
    assert _alerts(screener, "bank") == reference == _alerts(screener, "early")
    assert screener.book_coverage("bank")["complete"]
    screener.close()
