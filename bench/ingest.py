"""Benchmark: parse and store every bundled list into a fresh store; report time, peak memory, counts.

    python bench/ingest.py [--out docs/ingest-figures.md]

Peak memory is the maximum resident set size of this process (ru_maxrss), which includes the
interpreter and libraries.
"""

from __future__ import annotations

import argparse
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

from sanctions.bundle import bundled_lists
from sanctions.ingest import LoadRequest, load
from sanctions.settings import Settings
from sanctions.store import open_store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="also write the table as Markdown to this file")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Settings.from_env(tmp))
        start = time.perf_counter()
        for item in bundled_lists():
            t0 = time.perf_counter()
            version = load(store, LoadRequest(item.source, item.path, item.dataset, item.published))
            rows.append((version, time.perf_counter() - t0))
        total = time.perf_counter() - start
        # Read everything back, as every API worker does at start-up.
        t0 = time.perf_counter()
        n = sum(1 for _ in store.iter_entities())
        read_back = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [
        "| list | published | entities | names | relations | warnings | seconds |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for version, secs in rows:
        lines.append(
            f"| {version.dataset} | {version.published or '?'} | {version.entities:,} | {version.names:,} "
            f"| {version.relations:,} | {len(version.warnings):,} | {secs:.2f} |"
        )
    ent = sum(v.entities for v, _ in rows)
    names = sum(v.names for v, _ in rows)
    rels = sum(v.relations for v, _ in rows)
    lines.append(f"| **all** | | **{ent:,}** | **{names:,}** | **{rels:,}** | | **{total:.2f}** |")
    command = " ".join([Path(sys.executable).name, *sys.argv])
    summary = (
        f"\nParse + store all bundled lists: {total:.1f} s; read back {n:,} entities: {read_back:.1f} s; "
        f"peak RSS {peak_mb:.0f} MB.\nMachine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.system()}; command: `{command}`"
    )
    text = "\n".join(lines) + "\n" + summary + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
