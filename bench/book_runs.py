"""Book upserts over the API: how fast the request answers, and how long the background run takes.

Starts a real `sanctions serve` (one worker) on loopback over the bundled lists, PUTs a book of
synthetic customers (bench/monitoring.py's generator: names in several scripts, 1 % near listed
names) in one request, and polls ``GET /books/{name}/runs/{id}`` until the run is done. Prints
the request's wall time and status, the total wall time to the last alert, and the server
process's CPU time for each (read from /proc: the request and the runner share the process).

    PYTHONPATH=. python bench/book_runs.py --customers 10000
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from monitoring import write_book  # noqa: E402

from tests.api.server import load_bundled_into, start_server  # noqa: E402

KEY = "bench-book-runs-key-0123456789"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def customers(size: int, folder: Path, data_dir: Path) -> list[dict[str, object]]:
    """``size`` synthetic customers in the API's shape."""
    from sanctions.service import Screener
    from sanctions.settings import Settings

    screener = Screener(Settings.from_env(data_dir))
    people = [e for e in screener.store.iter_entities() if e.schema.value == "Person" and e.names]
    screener.close()
    listed = sorted(e.names[0].value for e in people)
    path = folder / "book.csv"
    write_book(path, size, listed, random.Random(20261207))
    out: list[dict[str, object]] = []
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            props = {"name": [row["name"]]}
            if row["birth_date"]:
                props["birthDate"] = [row["birth_date"]]
            out.append({"id": row["id"], "schema": row["schema"].capitalize(), "properties": props})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--data-dir", type=Path, default=None, help="a data dir with the lists loaded")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sanctions-book-runs-") as tmp:
        folder = Path(tmp)
        data_dir = args.data_dir or folder / "data"
        if args.data_dir is None:
            print("loading the bundled lists ...", flush=True)
            load_bundled_into(data_dir)
        body = {"customers": customers(args.customers, folder, data_dir)}
        env = {"SANCTIONS_API_KEY": KEY, "SANCTIONS_RATE_LIMIT_PER_MINUTE": "0"}
        server = start_server(data_dir, folder / "server.log", env=env)
        pid = server.process.pid
        try:
            with httpx.Client(base_url=server.url, timeout=600.0, headers={"X-API-Key": KEY}) as http:
                cpu0, wall0 = cpu_seconds(pid), time.perf_counter()
                answer = http.put("/books/bench/customers", json=body)
                request_wall, request_cpu = time.perf_counter() - wall0, cpu_seconds(pid) - cpu0
                print(
                    f"PUT /books/bench/customers ({args.customers:,} customers): {answer.status_code} "
                    f"in {request_wall:.2f} s wall, {request_cpu:.2f} s server CPU",
                    flush=True,
                )
                location = answer.headers.get("Location")
                run = answer.json()["run"]
                while location and run["state"] in ("pending", "running"):
                    time.sleep(1.0)
                    run = http.get(location).json()
                total_wall, total_cpu = time.perf_counter() - wall0, cpu_seconds(pid) - cpu0
        finally:
            server.stop()
    print(
        f"run {run['id']}: {run['state']}, {run['customers']:,} of {run['total']:,} customers, "
        f"{run['pairs']:,} pairs, {run['alerts_new']:,} alerts"
    )
    print(f"request to last alert: {total_wall:.0f} s wall, {total_cpu:.0f} s server CPU")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, shared with other work")


if __name__ == "__main__":
    main()
