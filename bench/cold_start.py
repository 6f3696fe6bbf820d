"""Cold start: what one command, or one API worker, costs from a fresh process.

    PYTHONPATH=. python bench/cold_start.py --data-dir /tmp/sanctions-bench-batch/data
    PYTHONPATH=. python bench/cold_start.py --code /path/to/other/checkout --data-dir DIR

Every figure is a fresh Python process on a store holding every bundled list, the index files
already written (one untimed run writes them first): ``sanctions --help``; ``sanctions match
NAME`` for a person and a company; ``sanctions scan`` of the showcase article; an API worker
(``sanctions serve``) from spawn to its first ``200`` on ``/readyz``. CPU is user + system time
of the child (``getrusage(RUSAGE_CHILDREN)``), the steadier figure on a shared machine; each is
the median of ``--runs``. Then the index files' sizes, and the memory a process holds for the
matching index: peak RSS after opening it and answering one query, minus after the imports.
Last, the CPU seconds of each step of a worker's start-up, in one process.
``--code`` runs another checkout's code (e.g. the state before a change) on the same data (each
child runs in that checkout, whose ``sanctions`` comes first on ``sys.path``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
ARTICLE = Path("/work/shared/data/examples/moskvich-revival-article.txt")
CLI = "from sanctions.cli import main; main()"


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall and CPU seconds of one child process, and its exit code."""
    cpu, wall = _cpu(), time.perf_counter()
    done = subprocess.run(
        cmd, env=env, cwd=env["PYTHONPATH"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return time.perf_counter() - wall, _cpu() - cpu, done.returncode


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def worker_ready(env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds from spawning ``sanctions serve`` to the first 200 on /readyz."""
    port = _free_port()
    cmd = [sys.executable, "-c", CLI, "serve", "--port", str(port), "--no-access-log"]
    cpu, wall = _cpu(), time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, cwd=env["PYTHONPATH"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    ready = None
    try:
        while time.perf_counter() - wall < 120:
            if proc.poll() is not None:
                raise SystemExit(
                    f"serve exited: {proc.stderr.read().decode()[-3000:] if proc.stderr else ''}"
                )
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as resp:
                    if resp.status == 200:
                        ready = time.perf_counter() - wall
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.02)
    finally:
        proc.terminate()
        proc.wait(30)
    if ready is None:
        raise SystemExit("the worker was not ready within 120 s")
    return ready, _cpu() - cpu  # CPU until terminated: a few ms past ready


MEMORY = """
import json, sys
from sanctions.service import Screener
from sanctions.matching import Query
def rss():
    fields = dict(line.split(":", 1) for line in open("/proc/self/status") if line.startswith("Rss"))
    return {k: int(v.split()[0]) / 1024 for k, v in fields.items()}
s = Screener.open(sys.argv[1])
s.store.current_versions()
before = rss()
s.match(Query.from_fields("Vladimir Putin"))
matching = rss()
s.scan("Moskvich and KAMAZ")
both = rss()
out = {"after_imports_mb": round(before["RssAnon"], 1)}
for label, now in (("matching", matching), ("matching_and_mentions", both)):
    out[label + "_private_mb"] = round(now["RssAnon"] - before["RssAnon"], 1)
    out[label + "_file_pages_mb"] = round(now["RssFile"] - before["RssFile"], 1)
print(json.dumps(out))
"""


STEPS = """
import json, time
steps, t = {}, time.process_time()
def step(label):
    global t
    steps[label] = round(time.process_time() - t, 2)
    t = time.process_time()
import sanctions; step("import sanctions")
import uvicorn; step("import uvicorn")
from sanctions.server import create_app; step("import sanctions.server")
app = create_app(); step("create_app")
from sanctions.service import Screener
s = Screener.open(); s.store.current_versions(); step("open the store")
s.index; step("open the matching index")
s.mention_index; step("open the mention index")
print(json.dumps(steps))
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", default="/tmp/sanctions-bench-batch/data")
    parser.add_argument("--code", default=str(ROOT), help="checkout whose code runs (default: this one)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-serve", action="store_true", help="skip the API worker figure")
    args = parser.parse_args()
    data = Path(args.data_dir)
    if not (data / "sanctions.db").exists():
        from _lists import bundled_entities

        bundled_entities(data)
    env = {**os.environ, "PYTHONPATH": args.code, "SANCTIONS_DATA_DIR": str(data), "NO_COLOR": "1"}
    env.pop("SANCTIONS_UPDATE_INTERVAL", None)
    py = [sys.executable, "-c", CLI]
    with tempfile.TemporaryDirectory() as tmp:
        article = Path(tmp) / ARTICLE.name
        shutil.copy(ARTICLE, article)
        commands = {
            "sanctions --help": [*py, "--help"],
            'sanctions match "Vladimir Putin"': [*py, "match", "Vladimir Putin"],
            'sanctions match "Gazprom Neft"': [*py, "match", "Gazprom Neft"],
            f"sanctions scan {ARTICLE.name}": [*py, "scan", str(article)],
        }
        for cmd in list(commands.values())[1:]:
            timed(cmd, env)  # writes the index files when missing (not timed)
        rows: dict[str, tuple[float, float]] = {}
        for label, cmd in commands.items():
            runs = [timed(cmd, env)[:2] for _ in range(args.runs)]
            rows[label] = (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
            print(
                json.dumps(
                    {"command": label, "wall_s": round(rows[label][0], 2), "cpu_s": round(rows[label][1], 2)}
                )
            )
        if not args.no_serve:
            runs = [worker_ready(env) for _ in range(args.runs)]
            rows["API worker ready (serve, /readyz 200)"] = (
                statistics.median(w for w, _ in runs),
                statistics.median(c for _, c in runs),
            )
    help_wall, help_cpu = rows["sanctions --help"]
    print("\n| cold process | wall s | CPU s | CPU s more than `--help` |\n|---|---:|---:|---:|")
    for label, (wall, cpu) in rows.items():
        more = "—" if label == "sanctions --help" else f"{cpu - help_cpu:+.2f}"
        print(f"| `{label}` | {wall:.2f} | {cpu:.2f} | {more} |")
    files = sorted((data / "index").glob("*.idx"))
    for path in files:
        print(f"index file {path.name}: {path.stat().st_size / 1e6:.1f} MB")
    for script, arg in ((MEMORY, str(data)), (STEPS, "")):
        done = subprocess.run(
            [sys.executable, "-c", script, arg], env=env, cwd=args.code, capture_output=True, text=True
        )
        print(done.stdout.strip() or done.stderr[-3000:])


if __name__ == "__main__":
    main()
