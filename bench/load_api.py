"""Load test of POST /match/default (single-name queries) on loopback with wrk.

Starts `sanctions serve` with N workers over the bundled lists (a temporary data dir unless
--data-dir is given), waits for /readyz, runs wrk, prints requests/s and latency percentiles.

    python bench/load_api.py --workers 2 --connections 16 --duration 20

Needs Debian's `wrk` (apt-get install wrk). Figures go into docs/api.md with the machine they
ran on; they are not a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.api.server import load_bundled_into, start_server  # noqa: E402

SCRIPT = Path(__file__).resolve().parent / "match.lua"


def machine() -> str:
    """One line describing the CPU and core count."""
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        model = found.group(1).strip() if found else model
    system = f"{platform.system()} {platform.release()}"
    return f"{model}, {os.cpu_count()} cores, {system}, Python {platform.python_version()}"


def run_wrk(url: str, threads: int, connections: int, duration: int) -> dict[str, float]:
    """Run wrk against ``url`` and parse the RESULT line the Lua script prints."""
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "5s",
        "-s",
        str(SCRIPT),
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=duration + 60).stdout
    line = next(x for x in output.splitlines() if x.startswith("RESULT "))
    figures = {k: float(v) for k, v in (part.split("=") for part in line.split()[1:])}
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=int, default=20, help="seconds of load")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of load before measuring")
    parser.add_argument("--data-dir", type=Path, default=None, help="a data dir with lists loaded")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    with tempfile.TemporaryDirectory(prefix="sanctions-load-") as tmp:
        data_dir = args.data_dir
        if data_dir is None:
            data_dir = Path(tmp) / "data"
            print("loading the bundled lists ...", flush=True)
            load_bundled_into(data_dir)
        env = {"SANCTIONS_RATE_LIMIT_PER_MINUTE": "0"}
        server = start_server(data_dir, Path(tmp) / "server.log", env=env, workers=args.workers)
        try:
            if args.warmup:
                run_wrk(server.url, args.threads, args.connections, args.warmup)
            result = run_wrk(server.url, args.threads, args.connections, args.duration)
        finally:
            server.stop()
    print(f"machine: {machine()}")
    print(
        f"POST /match/default, single-name queries, {args.workers} workers, wrk -t{args.threads} "
        f"-c{args.connections} -d{args.duration}s (loopback, wrk on the same machine)"
    )
    print(
        f"requests/s: {result['rps']:.0f}   p50: {result['p50_ms']:.1f} ms   "
        f"p90: {result['p90_ms']:.1f} ms   "
        f"p99: {result['p99_ms']:.1f} ms   max: {result['max_ms']:.1f} ms   "
        f"errors: {result['errors']:.0f} of {result['requests']:.0f}"
    )


if __name__ == "__main__":
    main()
