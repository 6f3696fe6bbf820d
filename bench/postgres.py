"""PostgreSQL against SQLite: loading every bundled list, and API throughput with N workers.

Starts its own throw-away PostgreSQL 15 server (tests/postgres.py: initdb in a temporary
folder, durability off as in the tests: fsync, synchronous_commit and full_page_writes off),
and a fresh SQLite file in a temporary data dir (WAL, synchronous=NORMAL, the store's defaults).

    python bench/postgres.py load [--repeat 3]
    python bench/postgres.py api [--workers 4 --connections 16 --duration 20]

`load` parses every bundled list once into memory, then times writing them as new list
versions into each store (batched INSERTs on SQLite, COPY on PostgreSQL), plus one end-to-end
`load` (parse + store) per database. Wall time, the CPU time of this process, and for
PostgreSQL the CPU time of the server's processes. `api` loads the bundled lists into each
store, starts `sanctions serve --workers N` on it, and measures POST /match/default with wrk.
The figures go into docs/scale.md; they are not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_api import machine, run_wrk  # noqa: E402
from sanctions.bundle import bundled_lists  # noqa: E402
from sanctions.ingest import LoadRequest, load  # noqa: E402
from sanctions.model import Entity, ListVersion, Record  # noqa: E402
from sanctions.store import SqlStore  # noqa: E402
from tests.api.server import LiveServer, free_port  # noqa: E402
from tests.postgres import PostgresServer, running_server  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(slots=True)
class Parsed:
    """One bundled list, parsed once."""

    dataset: str
    source: str
    published: str | None
    records: list[Record]


def tree_cpu(pid: int) -> float:
    """CPU seconds used so far by a process and its children, live and exited."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ppid, utime, stime, cutime, cstime = (int(fields[i]) for i in (1, 11, 12, 13, 14))
        if int(entry.name) == pid:
            total += utime + stime + cutime + cstime  # exited children are counted in c*time
        elif ppid == pid:
            total += utime + stime
    return total / TICKS


def server_cpu(server: PostgresServer) -> float:
    """CPU seconds used so far by the PostgreSQL server (the postmaster and its backends)."""
    return tree_cpu(int((server.folder / "data" / "postmaster.pid").read_text().split()[0]))


@contextmanager
def measured(server: PostgresServer | None) -> Iterator[dict[str, float]]:
    """Wall time, this process's CPU time and (PostgreSQL) the server's CPU time of a block."""
    figures: dict[str, float] = {}
    cpu0, wall0 = time.process_time(), time.perf_counter()
    srv0 = server_cpu(server) if server else 0.0
    yield figures
    figures["wall"] = time.perf_counter() - wall0
    figures["cpu"] = time.process_time() - cpu0
    figures["server_cpu"] = server_cpu(server) - srv0 if server else 0.0


class _Collector:
    """A store stand-in that keeps the records of one load in memory (to parse once, time writes)."""

    def __init__(self) -> None:
        self.records: list[Record] = []
        self.published: str | None = None

    def begin_version(self, dataset: str, source: str, sha256: str) -> _Collector:
        return self

    def add(self, record: Record) -> None:
        self.records.append(record)

    def commit(self, *, published: str | None, warnings: list[str]) -> ListVersion:
        self.published = published
        entities = sum(1 for r in self.records if isinstance(r, Entity))
        return ListVersion(0, "", "", published, "", "", entities, names=0, relations=0, current=True)

    def rollback(self) -> None:
        self.records = []


def parse_all() -> list[Parsed]:
    """Every bundled list parsed into memory (through `load`, which also inflates .gz files)."""
    parsed = []
    for item in bundled_lists():
        collector = _Collector()
        load(collector, LoadRequest(item.source, item.path, item.dataset, item.published))  # type: ignore[arg-type]
        parsed.append(Parsed(item.dataset, item.source, collector.published, collector.records))
    return parsed


def write_all(store: SqlStore, lists: list[Parsed]) -> int:
    """Store every parsed list as a new version; returns the number of records written."""
    n = 0
    for item in lists:
        writer = store.begin_version(item.dataset, item.source, "0" * 64)
        for record in item.records:
            writer.add(record)
        writer.commit(published=item.published, warnings=[])
        n += len(item.records)
    return n


def load_all(store: SqlStore) -> None:
    """Parse and store every bundled list, as `sanctions load` does."""
    for item in bundled_lists():
        load(store, LoadRequest(item.source, item.path, item.dataset, item.published))


def bench_load(repeat: int) -> None:
    print("parsing the bundled lists ...", flush=True)
    lists = parse_all()
    n_records = sum(len(p.records) for p in lists)
    rows: list[tuple[str, str, dict[str, float]]] = []
    with running_server() as server, tempfile.TemporaryDirectory(prefix="sanctions-bench-") as tmp:
        backends: list[tuple[str, Callable[[], str], PostgresServer | None]] = [
            ("SQLite", lambda: f"sqlite:///{Path(tmp) / f'{time.monotonic_ns()}.db'}", None),
            ("PostgreSQL", lambda: server.url(server.create_database()), server),
        ]
        for name, new_url, srv in backends:
            runs = []
            for _ in range(repeat):
                store = SqlStore.open(new_url())
                with measured(srv) as figures:
                    write_all(store, lists)
                store.close()
                runs.append(figures)
            median = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            rows.append((name, f"store {n_records:,} parsed records (median of {repeat})", median))
            store = SqlStore.open(new_url())
            with measured(srv) as figures:
                load_all(store)
            store.close()
            rows.append((name, "parse + store (`load` of every bundled list)", figures))
    print(f"machine: {machine()} (shared with other jobs while measured)")
    print(f"lists: {len(lists)}, records: {n_records:,}")
    print("| database | what | wall s | client CPU s | server CPU s |")
    print("|---|---|---:|---:|---:|")
    for name, what, f in rows:
        server_cell = f"{f['server_cpu']:.2f}" if name == "PostgreSQL" else "(in client)"
        print(f"| {name} | {what} | {f['wall']:.2f} | {f['cpu']:.2f} | {server_cell} |")


UVICORN = """import sys, uvicorn
uvicorn.run("sanctions.api:create_app", factory=True, host="127.0.0.1", port=int(sys.argv[1]),
            workers=int(sys.argv[2]), log_level="warning", access_log=False, timeout_worker_healthcheck=900)
"""


def start_api(data_dir: Path, log_path: Path, env: dict[str, str], workers: int) -> LiveServer:
    """The app `sanctions serve` runs, under uvicorn with N workers, once every worker is ready.

    uvicorn itself, not `serve`: on a machine this loaded, a worker building its index misses
    uvicorn's 5 s health check and is killed and restarted over and over (see docs/scale.md).
    """
    port = free_port()
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("SANCTIONS_")}
    full_env.update({"SANCTIONS_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT), **env})
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-c", UVICORN, str(port), str(workers)], env=full_env, stdout=log, stderr=log
        )
    live = LiveServer(f"http://127.0.0.1:{port}", process, log_path)
    streak, deadline = 0, time.monotonic() + 3600
    with httpx.Client(timeout=10) as client:
        while streak < 8 * workers:  # answers come from any worker: many 200s in a row means all
            if process.poll() is not None or time.monotonic() > deadline:
                live.stop()
                raise RuntimeError(f"the API did not start:\n{live.log_text()[-3000:]}")
            try:
                ok = client.get(f"{live.url}/readyz").status_code == 200
            except httpx.TransportError:
                ok = False
            streak = streak + 1 if ok else 0
            time.sleep(0.02 if ok else 0.5)
    return live


def bench_api(workers: int, connections: int, duration: int, warmup: int) -> None:
    results = []
    with running_server() as server, tempfile.TemporaryDirectory(prefix="sanctions-bench-") as tmp:
        for name, url in [
            ("SQLite", f"sqlite:///{Path(tmp) / 'api.db'}"),
            ("PostgreSQL", server.url(server.create_database())),
        ]:
            print(f"{name}: loading the bundled lists ...", flush=True)
            store = SqlStore.open(url)
            load_all(store)
            store.close()
            env = {"SANCTIONS_RATE_LIMIT_PER_MINUTE": "0", "SANCTIONS_DATABASE_URL": url}
            started = time.perf_counter()
            live = start_api(Path(tmp) / name, Path(tmp) / f"{name}.log", env, workers)
            ready = time.perf_counter() - started
            try:
                if warmup:
                    run_wrk(live.url, 1, connections, warmup)
                cpu0 = tree_cpu(live.process.pid)
                db0 = server_cpu(server) if name == "PostgreSQL" else 0.0
                figures = run_wrk(live.url, 1, connections, duration)
                figures["api_cpu_ms"] = 1000 * (tree_cpu(live.process.pid) - cpu0) / figures["requests"]
                db_cpu = server_cpu(server) - db0 if name == "PostgreSQL" else 0.0
                figures["db_cpu_ms"] = 1000 * db_cpu / figures["requests"]
            finally:
                live.stop()
            results.append((name, ready, figures))
    print(f"machine: {machine()} (shared with other jobs while measured)")
    print(f"POST /match/default, one name a query, {workers} workers, wrk -t1 -c{connections} -d{duration}s")
    print("| database | ready s | requests/s | p50 ms | p99 ms | API CPU ms/req | DB CPU ms/req | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, ready, f in results:
        print(
            f"| {name} | {ready:.1f} | {f['rps']:.0f} | {f['p50_ms']:.1f} | {f['p99_ms']:.1f} "
            f"| {f['api_cpu_ms']:.2f} | {f['db_cpu_ms']:.3f} | {f['errors']:.0f} of {f['requests']:.0f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    load_parser = sub.add_parser("load", help="load every bundled list into each database")
    load_parser.add_argument("--repeat", type=int, default=3)
    api = sub.add_parser("api", help="API throughput on each database")
    api.add_argument("--workers", type=int, default=4)
    api.add_argument("--connections", type=int, default=16)
    api.add_argument("--duration", type=int, default=20)
    api.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    if args.what == "load":
        bench_load(args.repeat)
    else:
        bench_api(args.workers, args.connections, args.duration, args.warmup)


if __name__ == "__main__":
    main()
