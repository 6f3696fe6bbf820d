"""Screening speed against all loaded lists: build time, RSS, per-query latency, batch rate.

    .venv/bin/python bench/match_speed.py [--queries 10000] [--write docs/matching-speed.md]

Queries mix listed names, variants of them (typos, word order, Cyrillic transliteration) and
ordinary unlisted names, generated deterministically. Batch throughput uses one worker per core,
the index forked into each.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from lists import load_entities  # noqa: E402

from sanctions.index import Index  # noqa: E402
from sanctions.matching import Query, match  # noqa: E402
from sanctions.model import Entity  # noqa: E402
from sanctions.text import latin_forms, name_forms  # noqa: E402

GIVEN = [
    "james",
    "mary",
    "robert",
    "patricia",
    "john",
    "jennifer",
    "michael",
    "linda",
    "david",
    "elizabeth",
    "maria",
    "ahmed",
    "fatima",
    "wei",
    "li",
    "anna",
    "olga",
    "ivan",
    "pierre",
    "sofia",
]
FAMILY = [
    "smith",
    "johnson",
    "garcia",
    "muller",
    "rossi",
    "dubois",
    "kowalski",
    "nguyen",
    "tanaka",
    "kim",
    "patel",
    "okafor",
    "silva",
    "jensen",
    "novak",
    "horvath",
    "petrov",
]
_CYR = str.maketrans("abvgdezijklmnoprstufhc", "абвгдезийклмнопрстуфхц")
_INDEX: Index | None = None


def make_queries(entities: list[Entity], n: int) -> list[Query]:
    rng = random.Random(42)
    named = [e for e in entities if e.names]
    out: list[Query] = []
    for i in range(n):
        e = rng.choice(named)
        name = rng.choice(e.names).value
        kind = i % 4
        if kind == 1 and len(name) > 4:  # typo
            k = rng.randrange(len(name) - 1)
            name = name[:k] + name[k + 1] + name[k] + name[k + 2 :]
        elif kind == 2:  # reorder / transliterate
            words = name.split()
            rng.shuffle(words)
            name = " ".join(words)
            if rng.random() < 0.3:
                name = name.lower().translate(_CYR)
        elif kind == 3:  # unlisted person
            name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}".title()
        schema = e.schema.value if kind != 3 else "Person"
        out.append(Query(schema, {"name": [name]}))
    return out


def _init(index: Index) -> None:
    global _INDEX
    _INDEX = index


def _run(queries: list[Query]) -> int:
    assert _INDEX is not None
    for q in queries:
        match(q, _INDEX)
    return len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--queries", type=int, default=10000)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    entities = load_entities()
    machine = platform.processor() or platform.machine()
    lines = [f"Machine: {machine}, {os.cpu_count()} cores, Python {platform.python_version()}"]
    lines.append(f"Entities: {len(entities)}, names: {sum(len(e.names) for e in entities)}")
    lines.append("")
    lines.append("| data | build s | forms | median ms | p99 ms | mean ms |")
    lines.append("|---|---|---|---|---|---|")
    index: Index | None = None
    queries: list[Query] = []
    for share in (0.25, 0.5, 1.0):
        subset = entities[: int(len(entities) * share)]
        start = time.perf_counter()
        index = Index.build(subset)
        build = time.perf_counter() - start
        queries = make_queries(subset, args.queries if share == 1.0 else args.queries // 4)
        # Queries must not reuse the forms the build cached for the listed names.
        name_forms.cache_clear()
        latin_forms.cache_clear()
        times = []
        for q in queries:
            t = time.perf_counter()
            match(q, index)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        p99 = times[int(len(times) * 0.99) - 1]
        lines.append(
            f"| {int(share * 100)} % | {build:.2f} | {len(index.forms)} | {statistics.median(times):.2f} "
            f"| {p99:.2f} | {statistics.fmean(times):.2f} |"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines.append("")
    lines.append(f"Peak RSS (all data, index built 3 times): {rss:.0f} MB")
    assert index is not None
    workers = os.cpu_count() or 1
    chunks = [queries[i::workers] for i in range(workers)]
    ctx = mp.get_context("fork")
    name_forms.cache_clear()
    latin_forms.cache_clear()
    start = time.perf_counter()
    with ctx.Pool(workers, initializer=_init, initargs=(index,)) as pool:
        done = sum(pool.map(_run, chunks))
    rate = done / (time.perf_counter() - start)
    lines.append(
        f"Batch: {done} queries on {workers} worker processes (fork-shared index): {rate:.0f} queries/s"
    )
    text = "\n".join(lines)
    print(text)
    if args.write:
        args.write.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
