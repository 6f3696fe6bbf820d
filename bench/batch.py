"""Batch screening throughput: local, Spark and Dask on synthetic customers, and index-file figures.

    PYTHONPATH=. python bench/batch.py engines --customers 100000 --workers 2
    PYTHONPATH=. python bench/batch.py index
    PYTHONPATH=. python bench/batch.py memory

``engines`` screens the same synthetic customer CSV on each engine (``sanctions match -i ...
--engine E`` does the same through :meth:`Screener.screen_file`), each run in a fresh process,
and prints wall time, CPU time of the whole process tree (driver, JVM, Python and Dask workers)
and customers per second. ``index`` times building the index from the store against loading the
index file. ``memory`` builds indexes over growing shares of the bundled lists and measures each
one's size on disk and the memory a worker holds after loading it and answering one query:
private (resident anonymous memory) and the resident pages of the mapped file, which every
process mapping the same file shares. Every bundled list is loaded
into ``--data-dir`` first (once). On a shared machine the CPU times are the steadier figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

# fmt: off
GIVEN = (
    "Anna", "Lukas", "Marta", "Jonas", "Elena", "Pierre", "Sofia", "Tomasz", "Ingrid", "Rui",
    "Hanna", "Matteo", "Olga", "Sven", "Chiara", "Bram", "Leila", "Nikos", "Aoife", "Kenji",
    "Mohammed", "Fatima", "Ahmed", "Aisha", "Ivan", "Natalia", "Sergei", "Dmitri", "Wei", "Li",
    "Ming", "Hui", "Juan", "Maria", "Jose", "Carmen", "Ali", "Omar", "Yusuf", "Mariam", "Hassan",
    "Chen", "Priya", "Rahul", "Amit", "Sunita", "Kwame", "Ama", "Emeka", "Ngozi", "Giorgos",
    "Eleni", "Mehmet", "Ayse", "Hiroshi", "Yuki", "Sung", "Min", "Ji", "Tran", "Nguyen", "Alexei",
    "Svetlana",
)
# fmt: on
# fmt: off
FAMILY = (
    "Lindqvist", "Moreau", "Kowalczyk", "Brennan", "Ferreira", "Dijk", "Rossi", "Nystrom",
    "Okafor", "Haddad", "Schulz", "Dubois", "Novak", "Jensen", "Castillo", "Khan", "Ahmed",
    "Hussein", "Ivanov", "Petrov", "Smirnov", "Wang", "Zhang", "Liu", "Garcia", "Lopez",
    "Martinez", "Rodriguez", "Kim", "Lee", "Park", "Singh", "Patel", "Sharma", "Mensah", "Boateng",
    "Adeyemi", "Papadopoulos", "Yilmaz", "Kaya", "Tanaka", "Suzuki", "Sato", "Nguyen", "Tran",
    "Pham", "Kuznetsov", "Popescu", "Horvath", "Nagy", "Silva", "Santos", "Costa",
)
# fmt: on
# fmt: off
COMPANY = (
    "Trading", "Logistics", "Holdings", "Shipping", "Energy", "Metals", "Capital", "Industries",
    "Group", "Partners",
)
# fmt: on
FORMS = ("LLC", "Ltd", "GmbH", "SA", "JSC", "BV", "AG", "PLC")
COUNTRIES = ("Sweden", "France", "Poland", "Germany", "Turkey", "India", "China", "Brazil", "Nigeria")


def synthetic_customers(path: Path, count: int, listed: list[str], seed: int = 13) -> None:
    """A customer CSV: people (70 %) and companies, with dates and countries; 1 % listed names."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["id", "name", "schema", "birth_date", "country", "segment"])
        for i in range(count):
            if listed and rng.random() < 0.01:
                out.writerow([f"C{i:08d}", rng.choice(listed), "", "", "", "watch"])
            elif rng.random() < 0.7:
                name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
                dob = f"19{rng.randint(40, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                out.writerow([f"C{i:08d}", name, "Person", dob, rng.choice(COUNTRIES), "retail"])
            else:
                name = f"{rng.choice(FAMILY)} {rng.choice(COMPANY)} {rng.choice(FORMS)}"
                out.writerow([f"C{i:08d}", name, "Company", "", rng.choice(COUNTRIES), "corporate"])


def tree_cpu() -> float:
    """CPU seconds (user + system) of this process, its reaped children and its live descendants."""
    import psutil

    me = psutil.Process()
    times = me.cpu_times()
    total = times.user + times.system + times.children_user + times.children_system
    for child in me.children(recursive=True):
        try:
            t = child.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def run_engine(args: argparse.Namespace) -> None:
    """One engine over the customer file, in this (fresh) process; prints one JSON line."""
    from sanctions.matching import MatchOptions
    from sanctions.service import FileScreening, Screener

    screener = Screener.open(args.data_dir)
    index_path = screener.index_file()
    out = Path(args.out)
    request = FileScreening(
        Path(args.input), out, options=MatchOptions(limit=5), engine=args.engine, workers=args.workers,
        chunk_rows=args.chunk_rows,
    )  # fmt: skip
    warm = {}
    if args.engine == "spark":
        from sanctions.batch.spark import local_session

        started = time.perf_counter()
        local_session(args.workers)
        warm["session_seconds"] = round(time.perf_counter() - started, 2)
    cpu0, wall0 = tree_cpu(), time.perf_counter()
    summary = screener.screen_file(request)
    wall, cpu = time.perf_counter() - wall0, tree_cpu() - cpu0
    print(
        json.dumps(
            {
                "engine": args.engine,
                "workers": args.workers,
                "customers": summary.customers,
                "with_hits": summary.with_hits,
                "hits": summary.hits,
                "wall_s": round(wall, 2),
                "cpu_s": round(cpu, 2),
                "customers_per_s": round(summary.customers / wall, 1),
                "customers_per_cpu_s": round(summary.customers / cpu, 1),
                "index_file_mb": round(index_path.stat().st_size / 1e6, 1),
                **warm,
            }
        ),
        flush=True,
    )


def engines(args: argparse.Namespace) -> None:
    """Each engine in a fresh process over the same file; the outputs must be identical."""
    from _lists import bundled_entities

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    customers = work / f"customers-{args.customers}.csv"
    if not customers.is_file():
        entities = bundled_entities(Path(args.data_dir))
        listed = [e.caption for e in entities[:: max(1, len(entities) // 2000)]]
        synthetic_customers(customers, args.customers, listed)
    from sanctions.service import Screener

    screener = Screener.open(args.data_dir)
    started = time.process_time()
    screener.index_file()  # built once, before any timed run
    print(f"index file ready ({time.process_time() - started:.1f} s CPU)", flush=True)
    screener.close()
    results: list[dict[str, Any]] = []
    outputs = {}
    for engine in args.engines.split(","):
        out = work / f"out-{engine}-{args.customers}.csv"
        cmd = [
            sys.executable, __file__, "_one", "--engine", engine, "--input", str(customers),
            "--out", str(out), "--data-dir", args.data_dir, "--workers", str(args.workers),
            "--chunk-rows", str(args.chunk_rows),
        ]  # fmt: skip
        done = subprocess.run(
            cmd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}
        )
        line = next((x for x in done.stdout.splitlines() if x.startswith("{")), None)
        if line is None:
            print(done.stdout[-2000:], done.stderr[-4000:], file=sys.stderr)
            raise SystemExit(f"{engine} failed")
        results.append(json.loads(line))
        outputs[engine] = out.read_bytes()
        print(line, flush=True)
    local = next((r for r in results if r["engine"] == "local"), None)
    print("\n| engine | workers | customers | wall s | CPU s | customers/s | customers/CPU s | overhead |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for r in results:
        over = (
            f"wall {r['wall_s'] / local['wall_s']:.2f}×, CPU {r['cpu_s'] / local['cpu_s']:.2f}×"
            if local and r is not local
            else "—"
        )
        print(
            f"| {r['engine']} | {r['workers']} | {r['customers']:,} | {r['wall_s']} | {r['cpu_s']} | "
            f"{r['customers_per_s']:,} | {r['customers_per_cpu_s']:,} | {over} |"
        )
    same = len(set(outputs.values())) == 1
    print(f"\nidentical output files on every engine: {same}")


def index_figures(args: argparse.Namespace) -> None:
    """Build the index from the store against load it from the file (each in a fresh process)."""
    code = (
        "import json,resource,sys,time\n"
        "from sanctions.service import Screener\n"
        "from sanctions.batch import read_index_file\n"
        "s=Screener.open(sys.argv[1]); p=s.index_file()\n"
        "r0=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "t=time.process_time(); w=time.perf_counter()\n"
        "if sys.argv[2]=='build':\n"
        "    from sanctions.matching import Index\n    idx=Index.build(s.store.iter_entities())\n"
        "else:\n    _,idx=read_index_file(p)\n"
        "print(json.dumps({'how':sys.argv[2],'cpu_s':round(time.process_time()-t,2),"
        "'wall_s':round(time.perf_counter()-w,2),'entities':len(idx),'file_mb':round(p.stat().st_size/1e6,1),"
        "'max_rss_mb':round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024,1),"
        "'rss_before_mb':round(r0/1024,1)}))\n"
    )
    for how in ("build", "file"):
        done = subprocess.run(
            [sys.executable, "-c", code, args.data_dir, how], capture_output=True, text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        print(done.stdout.strip() or done.stderr[-2000:], flush=True)


def memory(args: argparse.Namespace) -> None:
    """Index size on disk and in a worker's memory for growing shares of the bundled lists."""
    code = (
        "import json,pickle,resource,sys,tempfile,time\nfrom pathlib import Path\n"
        "sys.path.insert(0, sys.argv[3])\nfrom _lists import bundled_entities\n"
        "from sanctions.matching import Index\n"
        "from sanctions.batch import write_index_file\n"
        "ents=bundled_entities(Path(sys.argv[1])); share=float(sys.argv[2])\n"
        "ents=ents[:int(len(ents)*share)]\n"
        "idx=Index.build(ents); p=Path(tempfile.mkdtemp())/'i.idx'; write_index_file(p, idx, [])\n"
        "print(json.dumps({'entities':len(ents),'forms':len(idx.forms),'file_mb':round(p.stat().st_size/1e6,1)}))\n"
    )
    load = (  # resident private memory (RssAnon) and pages of the mapped file (RssFile, shared)
        "import json,sys\nfrom sanctions.batch import read_index_file\n"
        "from sanctions.matching import Query, match\n"
        "def rss():\n"
        "    f=dict(l.split(':',1) for l in open('/proc/self/status') if l.startswith('Rss'))\n"
        "    return {k:int(v.split()[0])/1024 for k,v in f.items()}\n"
        "r0=rss()\n_,i=read_index_file(sys.argv[1])\nmatch(Query.from_fields('Vladimir Putin'),i)\nr1=rss()\n"
        "print(json.dumps({'rss_after_import_mb':round(r0['RssAnon'],1),"
        "'index_private_mb':round(r1['RssAnon']-r0['RssAnon'],1),"
        "'index_file_pages_mb':round(r1['RssFile']-r0['RssFile'],1)}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for share in (0.25, 0.5, 1.0):
        code_share = code.replace("tempfile.mkdtemp()", f"'{args.work}'").replace(
            "'i.idx'", f"'share-{share}.idx'"
        )
        Path(args.work).mkdir(parents=True, exist_ok=True)
        built = subprocess.run(
            [sys.executable, "-c", code_share, args.data_dir, str(share), str(ROOT / "bench")],
            capture_output=True, text=True, env=env,
        )  # fmt: skip
        if built.returncode:
            raise SystemExit(built.stderr[-3000:])
        info = json.loads(built.stdout.strip().splitlines()[-1])
        loaded = subprocess.run(
            [sys.executable, "-c", load, str(Path(args.work) / f"share-{share}.idx")],
            capture_output=True, text=True, env=env,
        )  # fmt: skip
        if loaded.returncode:
            raise SystemExit(loaded.stderr[-3000:])
        info.update(json.loads(loaded.stdout.strip()))
        print(json.dumps({"share": share, **info}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("what", choices=["engines", "index", "memory", "_one"])
    parser.add_argument("--data-dir", default="/tmp/sanctions-bench-batch/data")
    parser.add_argument("--work", default="/tmp/sanctions-bench-batch")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk-rows", type=int, default=5000)
    parser.add_argument("--engines", default="local,spark,dask")
    parser.add_argument("--engine", default="local")
    parser.add_argument("--input")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.what != "_one":
        from _lists import bundled_entities

        bundled_entities(Path(args.data_dir))  # load the bundled lists once
    {"engines": engines, "index": index_figures, "memory": memory, "_one": run_engine}[args.what](args)


if __name__ == "__main__":
    main()
