"""Cases and audit figures (issue 12): decision and alert latency, audit verify over a million
events, and the alert queue with 100,000 open alerts.

    PYTHONPATH=. python bench/cases.py [--events 1000000] [--queue-alerts 100000]
        [--customers 2000] [--decisions 1000] [--database-url URL | --postgres] [--json FILE]
        [--keep DIR]

Three parts, in one store, in this order:

1. ``latency``: the bundled UN list is loaded and a book of namesakes (customers carrying listed
   names, with other birth dates) is imported: each import raises real alerts. Every call of the
   alert stage's ``_raise`` that creates an alert (its row, change-feed event, audit event) is
   timed through a wrapper installed here, and the whole alert stage (``regroup``) per alert.
   Then ``--decisions`` alerts are decided one by one through ``Screener.alert_decide`` (three in
   four ``false_positive``, awaiting a checker; one in four ``needs_info``, in effect at once) and
   the pending ones approved with ``Screener.alert_approve``; each call is one transaction with
   its audit events, commit included.
2. ``audit``: the chain is filled up to ``--events`` events with ``record_many`` (batches of
   screening runs and of reviews, the events' data copied from the real events of part 1 with
   other ids), a checkpoint is signed, and ``Screener.audit_verify`` (what ``sanctions audit
   verify`` runs) walks the whole chain.
3. ``queue``: ``--queue-alerts`` open alerts (plus one in five as many in other states) are
   bulk-inserted into two books, their values copied from the real alerts of part 1 (with a mix
   of lists, scores, ages and assignees); then pages of ``Screener.alert_queue`` are timed: the
   first page, a deep page by the ``before`` cursor, and each filter.

SQLite by default (a fresh temporary data dir); ``--database-url`` for a PostgreSQL database
with the schema, or ``--postgres`` to start a throw-away server (tests/postgres.py). Wall and
CPU time of this process (on PostgreSQL the server's CPU is not in it); the machine may be
shared, so the CPU figures are the steadier ones.
"""

from __future__ import annotations

import argparse
import csv
import gc
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_api import machine  # noqa: E402
from sanctions.audit.chain import SYSTEM, record_many  # noqa: E402
from sanctions.books import alerting, monitor  # noqa: E402
from sanctions.bundle import bundled_lists  # noqa: E402
from sanctions.ingest import LoadRequest, load  # noqa: E402
from sanctions.service import Screener  # noqa: E402
from sanctions.settings import Settings  # noqa: E402
from sanctions.store.tables import books as t  # noqa: E402
from sanctions.store.tables.audit import audit_events  # noqa: E402

UN = "un_sc_sanctions"
DATASET_MIX = [
    [UN],
    [UN],
    ["us_ofac_sdn"],
    ["us_ofac_sdn", UN],
    ["eu_fsf"],
    ["gb_hmt_sanctions", "eu_fsf"],
    ["au_dfat_sanctions"],
]
ANALYSTS = ["ann", "bob", "carol", "dan"]
ACTIONS = ("run.started", "alert.new", "run.completed", "decision.made", "decision.approved", "alert.decided")


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50/p95/p99/max of samples in seconds, as milliseconds."""
    ordered = sorted(samples)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 3)

    return {"n": len(ordered), "p50_ms": at(0.50), "p95_ms": at(0.95), "p99_ms": at(0.99), "max_ms": at(1.0)}


class Timer:
    """Wall and CPU time of each call, kept as samples."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    @contextmanager
    def __call__(self) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        yield
        self.wall.append(time.perf_counter() - wall)
        self.cpu.append(time.process_time() - cpu)

    def summary(self) -> dict[str, Any]:
        return {"wall": percentiles(self.wall), "cpu": percentiles(self.cpu)}


def show(label: str, summary: dict[str, Any]) -> None:
    w, c = summary["wall"], summary["cpu"]
    print(
        f"  {label:<44} n={w['n']:>6,}  wall p50 {w['p50_ms']:7.2f}  p95 {w['p95_ms']:7.2f}  "
        f"p99 {w['p99_ms']:7.2f} ms | CPU p50 {c['p50_ms']:7.2f}  p99 {c['p99_ms']:7.2f} ms",
        flush=True,
    )


# -- part 1: raising alerts and deciding them ------------------------------------------------------
def write_namesakes(path: Path, screener: Screener, count: int, rng: random.Random) -> None:
    """A CSV book of ``count`` customers named after listed UN parties, born on other dates."""
    listed = [(e.names[0].value, e.schema.value) for e in screener.store.iter_entities() if e.names]
    listed.sort()
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["id", "name", "schema", "birth_date", "country"])
        for n in range(count):
            name, schema = listed[n % len(listed)]
            person = schema == "Person"
            born = f"{rng.randrange(1940, 2005)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
            born = born if person and n % 3 == 0 else ""  # most customers on file have no birth date
            out.writerow([f"N{n:07d}", name, "person" if person else "company", born, ""])


def bench_latency(screener: Screener, folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Raise alerts by importing a book of namesakes, then decide and approve them one by one."""
    (un,) = [b for b in bundled_lists() if b.dataset == UN]
    load(screener.store, LoadRequest(un.source, un.path, un.dataset, un.published))
    book = folder / "namesakes.csv"
    write_namesakes(book, screener, args.customers, random.Random(12))

    raise_new, stage = Timer(), Timer()
    original_raise, original_regroup = alerting._raise, monitor.regroup  # type: ignore[attr-defined]

    def timed_raise(conn: Any, ctx: Any, cid: str, caption: str, want: Any, row: Any) -> None:
        if row is not None:  # an existing alert refreshed: not a raise
            return original_raise(conn, ctx, cid, caption, want, row)
        with raise_new():
            return original_raise(conn, ctx, cid, caption, want, row)

    def timed_regroup(*a: Any, **k: Any) -> None:
        with stage():
            return original_regroup(*a, **k)

    # The bench's own instruments: the monitor calls ``regroup`` by the name it imported.
    alerting._raise = timed_raise
    monitor.regroup = timed_regroup  # type: ignore[attr-defined]
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        result = screener.book_import("retail", book)
        import_wall, import_cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        alerting._raise = original_raise
        monitor.regroup = original_regroup  # type: ignore[attr-defined]
    run = result.run
    assert run is not None
    raised = run.alerts.new
    print(
        f"import of {args.customers:,} namesakes: {raised:,} alerts raised; wall {import_wall:.1f} s, "
        f"CPU {import_cpu:.1f} s (screening included)",
        flush=True,
    )
    out: dict[str, Any] = {"customers": args.customers, "alerts_raised": raised}
    out["raise"] = raise_new.summary()
    show("raise an alert (_raise: row + feed + audit)", out["raise"])
    stage_wall, stage_cpu = sum(stage.wall), sum(stage.cpu)
    out["alert_stage_per_alert_ms"] = {
        "wall": round(stage_wall / max(raised, 1) * 1000, 3),
        "cpu": round(stage_cpu / max(raised, 1) * 1000, 3),
    }
    print(
        f"  alert stage (regroup) per alert raised: wall {out['alert_stage_per_alert_ms']['wall']:.2f} ms, "
        f"CPU {out['alert_stage_per_alert_ms']['cpu']:.2f} ms",
        flush=True,
    )

    ids = sorted(int(a["id"]) for a in screener.alerts(book="retail", state="open"))[: args.decisions]
    if args.freeze:
        # As a serving process does once its indexes are built (ServingState.build): the
        # long-lived index objects leave the collector's generations, so a collection during
        # a decision does not walk a million of them.
        gc.collect()
        gc.freeze()
    decide, decide_fp, approve = Timer(), Timer(), Timer()
    pending = []
    for n, alert_id in enumerate(ids):
        analyst = ANALYSTS[n % 2]
        if n % 4 == 3:
            with decide():
                screener.alert_decide(alert_id, "needs_info", analyst, note="ask the branch for an ID copy")
        else:
            with decide(), decide_fp():
                screener.alert_decide(
                    alert_id,
                    "false_positive",
                    analyst,
                    reason_code="different_person",
                    note="born on another date, other nationality",
                )
            pending.append((alert_id, ANALYSTS[2 + n % 2]))
    for alert_id, checker in pending:
        with approve():
            screener.alert_approve(alert_id, checker, note="checked the ID copy")
    out["decide"], out["decide_false_positive"] = decide.summary(), decide_fp.summary()
    out["approve"] = approve.summary()
    show("decide (every verdict)", out["decide"])
    show("decide false_positive (pending a checker)", out["decide_false_positive"])
    show("approve (takes effect, memory written)", out["approve"])
    return out


# -- part 2: audit verify over a million events ----------------------------------------------------
def _templates(screener: Screener) -> dict[str, list[dict[str, Any]]]:
    """The real events of part 1 by action: the data shapes the generated events copy."""
    found: dict[str, list[dict[str, Any]]] = {}
    c = audit_events.c
    with screener.store.engine.connect() as conn:
        for row in conn.execute(audit_events.select().order_by(c.seq).limit(20_000)):
            found.setdefault(row.action, []).append(orjson.loads(row.data))
    return found


def _events(
    templates: dict[str, list[dict[str, Any]]], rng: random.Random, n: int
) -> Iterator[tuple[str, list[tuple[str, str, dict[str, Any]]]]]:
    """``n`` events in batches (actor, events): seven in ten batches are a screening run raising
    alerts (by the system), the others an analyst's decisions and a checker's approvals."""
    alert_id, run_id = 1_000_000, 10_000
    pick = {action: templates.get(action) or [{}] for action in ACTIONS}
    while n > 0:
        batches: list[tuple[str, list[tuple[str, str, dict[str, Any]]]]] = []
        if rng.random() < 0.7:
            run_id += 1
            events = [("run.started", f"run:{run_id}", {**rng.choice(pick["run.started"]), "id": run_id})]
            for _ in range(rng.randrange(200, 2_000)):
                alert_id += 1
                customer = f"C{rng.randrange(10**7):07d}"
                data = {**rng.choice(pick["alert.new"]), "run_id": run_id, "customer_id": customer}
                events.append(("alert.new", f"alert:{alert_id}", data))
            events.append(
                ("run.completed", f"run:{run_id}", {**rng.choice(pick["run.completed"]), "id": run_id})
            )
            batches.append((SYSTEM, events))
        else:
            analyst, checker = rng.sample(ANALYSTS, 2)
            targets = [rng.randrange(1_000_001, alert_id + 2) for _ in range(rng.randrange(20, 200))]
            made = [
                ("decision.made", f"alert:{a}", {**rng.choice(pick["decision.made"]), "alert_id": a})
                for a in targets
            ]
            checked = [
                (action, f"alert:{a}", rng.choice(pick[action]))
                for a in targets
                for action in ("decision.approved", "alert.decided")
            ]
            batches += [(analyst, made), (checker, checked)]
        for actor, events in batches:
            if n > 0:
                yield actor, events[:n]
                n -= len(events[:n])


def bench_audit(screener: Screener, args: argparse.Namespace) -> dict[str, Any]:
    """Fill the chain up to ``--events`` events, sign a checkpoint, and verify it all."""
    templates = _templates(screener)
    engine = screener.store.engine
    with engine.connect() as conn:
        have = conn.execute(select(func.count()).select_from(audit_events)).scalar_one()
    todo = max(args.events - have, 0)
    wall, cpu = time.perf_counter(), time.process_time()
    written = 0
    pending: list[tuple[str, list[tuple[str, str, dict[str, Any]]]]] = []
    for actor, batch in _events(templates, random.Random(7), todo):
        pending.append((actor, batch))
        if sum(len(b) for _, b in pending) >= 20_000:
            with engine.begin() as conn:
                for who, events in pending:
                    record_many(conn, who, events)  # type: ignore[arg-type]
            written += sum(len(b) for _, b in pending)
            pending = []
            if written % 200_000 < 20_000:
                print(f"  … {have + written:,} events", flush=True)
    with engine.begin() as conn:
        for who, events in pending:
            record_many(conn, who, events)  # type: ignore[arg-type]
    gen_wall, gen_cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"chain filled to {args.events:,} events: wall {gen_wall:.1f} s, CPU {gen_cpu:.1f} s", flush=True)
    checkpoint, _ = screener.audit_checkpoint()
    wall, cpu = time.perf_counter(), time.process_time()
    result = screener.audit_verify()
    verify_wall, verify_cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert result.ok, result.problems[:5]
    assert result.events >= args.events and checkpoint.seq == result.head_seq
    print(
        f"  audit verify of {result.events:,} events, {result.checkpoints} checkpoint(s): "
        f"wall {verify_wall:.1f} s, "
        f"CPU {verify_cpu:.1f} s ({verify_cpu / result.events * 1e6:.1f} µs CPU per event)",
        flush=True,
    )
    return {
        "events": result.events,
        "fill_wall_s": round(gen_wall, 1),
        "verify_wall_s": round(verify_wall, 2),
        "verify_cpu_s": round(verify_cpu, 2),
    }


# -- part 3: the queue with 100,000 open alerts ----------------------------------------------------
def _alert_rows(screener: Screener, args: argparse.Namespace) -> Iterator[dict[str, Any]]:
    """Alert rows copied from the real ones of part 1, with other customers, lists, scores and ages."""
    rng = random.Random(3)
    engine = screener.store.engine
    with engine.connect() as conn:
        real = [dict(r._mapping) for r in conn.execute(t.alerts.select().limit(2_000))]
        books = dict(conn.execute(t.books.select().with_only_columns(t.books.c.name, t.books.c.id)).all())
    others = ["review_required", "needs_info", "cleared", "confirmed", "pending", "closed", "delisted"]
    total = args.queue_alerts + args.queue_alerts // 5
    now = time.time()
    for n in range(total):
        row = dict(rng.choice(real))
        del row["id"]
        state = "open" if n < args.queue_alerts else rng.choice(others)
        created = now - rng.random() * 365 * 86400
        row |= {
            "book_id": books["corporate" if n % 5 == 0 else "retail"],
            "customer_id": f"Q{n:08d}",
            "customer_caption": f"{row['customer_caption']} {n}",
            "datasets": orjson.dumps(rng.choice(DATASET_MIX)).decode(),
            "score": round(0.7 + rng.random() * 0.3, 3),
            "state": state,
            "reason": "new",
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(created)),
            "updated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(created)),
            "assignee": rng.choice([None, None, *ANALYSTS]),
            "decision_id": None,
            "review": None,
        }
        yield row


def bench_queue(screener: Screener, folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Bulk-insert the alerts, then time pages of the queue with each filter."""
    small = folder / "corporate.csv"
    small.write_text("id,name,schema\nK1,Northern Star Trading Ltd,company\n", encoding="utf-8")
    screener.book_import("corporate", small)
    engine = screener.store.engine
    batch: list[dict[str, Any]] = []
    wall = time.perf_counter()
    with engine.begin() as conn:
        for row in _alert_rows(screener, args):
            batch.append(row)
            if len(batch) == 5_000:
                conn.execute(t.alerts.insert(), batch)
                batch = []
        if batch:
            conn.execute(t.alerts.insert(), batch)
    if engine.dialect.name == "postgresql":
        # What autovacuum does after a bulk insert: statistics, and the visibility map that lets
        # counts read the queue index alone.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE alerts")
    else:
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    first = screener.alert_queue()
    open_now = screener.alert_queue(state="open")["total"]
    print(
        f"queue: {first['total']:,} alerts in the queue ({open_now:,} open) after a bulk insert of "
        f"{time.perf_counter() - wall:.1f} s",
        flush=True,
    )
    deep = first["alerts"][-1]["id"] - args.queue_alerts * 9 // 10
    cases: list[tuple[str, dict[str, Any]]] = [
        ("first page (queue: open, review_required, needs_info)", {}),
        ("deep page (before = 90 % down)", {"before": deep}),
        ("book corporate", {"book": "corporate"}),
        ("state review_required", {"state": "review_required"}),
        ("list eu_fsf", {"dataset": "eu_fsf"}),
        ("min score 0.95", {"min_score": 0.95}),
        ("assignee ann", {"assignee": "ann"}),
        ("unassigned", {"assignee": ""}),
        ("assignee eve (a new analyst: no alerts)", {"assignee": "eve"}),
        ("older than 300 days", {"older_than_days": 300}),
        (
            "book + list + score + assignee",
            {"book": "retail", "dataset": UN, "min_score": 0.9, "assignee": "bob"},
        ),
    ]
    out: dict[str, Any] = {"open_alerts": open_now, "in_queue": first["total"], "pages": {}}
    for label, filters in cases:
        timer = Timer()
        screener.alert_queue(**filters)  # warm
        for _ in range(args.repeat):
            with timer():
                page = screener.alert_queue(**filters)
        assert page["alerts"] or not page["total"], label
        out["pages"][label] = {**timer.summary(), "total": page["total"]}
        show(f"{label} ({page['total']:,})", out["pages"][label])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="audit events to verify")
    parser.add_argument("--queue-alerts", type=int, default=100_000, help="open alerts in the queue")
    parser.add_argument("--customers", type=int, default=2_000, help="namesakes imported (alerts raised)")
    parser.add_argument("--decisions", type=int, default=1_000, help="alerts decided one by one")
    parser.add_argument("--repeat", type=int, default=20, help="timed calls per queue page")
    parser.add_argument("--database-url", help="a PostgreSQL database (default: SQLite in a temp dir)")
    parser.add_argument("--postgres", action="store_true", help="start a throw-away PostgreSQL 15")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--no-freeze",
        dest="freeze",
        action="store_false",
        help="leave the collector walking the screening objects during decisions (a CLI process)",
    )
    parser.add_argument(
        "--keep", type=Path, help="keep the data dir here (default: a temporary one, deleted)"
    )
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="sanctions-bench-cases-"))
    folder.mkdir(parents=True, exist_ok=True)
    server: Any = nullcontext()
    if args.postgres:
        from tests.postgres import running_server

        server = running_server()
    with server as pg:
        url = args.database_url or (pg.url(pg.create_database()) if pg is not None else None)
        screener = Screener(Settings(data_dir=folder, database_url=url))
        dialect = screener.store.engine.dialect.name
        print(f"{machine()}; store: {dialect}; data dir {folder}", flush=True)
        figures: dict[str, Any] = {"machine": machine(), "store": dialect, "args": sys.argv[1:]}
        figures["latency"] = bench_latency(screener, folder, args)
        figures["audit"] = bench_audit(screener, args)
        figures["queue"] = bench_queue(screener, folder, args)
        screener.close()
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        args.json.write_text(orjson.dumps(figures, option=orjson.OPT_INDENT_2).decode() + "\n")


if __name__ == "__main__":
    main()
