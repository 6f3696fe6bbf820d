"""Screening speed against all loaded lists: build time, RSS, per-query latency, batch rate.

    .venv/bin/python bench/match_speed.py [--queries 10000] [--write docs/matching-speed.md]
    .venv/bin/python bench/match_speed.py --record results.json   # top-5 of mixed queries
    .venv/bin/python bench/match_speed.py --check results.json    # the same results?

Queries mix listed names, variants of them (typos, word order, Cyrillic transliteration) and
ordinary unlisted names, generated deterministically. Batch throughput uses one worker per core,
the index forked into each (GC-frozen first, so workers do not copy its pages), queries sent
in chunks and compact results (dicts of id, score, match) sent back: once for the latency
queries again with the caches their run left (warm), once for ``--batch`` fresh queries (another
seed) with those caches emptied (cold: what a new batch meets). ``--record``/``--check``
keep the top-5 ids and scores of 4,000 queries to prove a speed change changed no result
(results do not depend on the hash seed: see tests/matching/test_determinism.py).
"""

from __future__ import annotations

import argparse
import gc
import json
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

from sanctions.matching import Query, match  # noqa: E402
from sanctions.matching.index import Index  # noqa: E402
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


def make_queries(entities: list[Entity], n: int, seed: int = 42) -> list[Query]:
    rng = random.Random(seed)
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


Compact = list[dict[str, object]]


def _compact(q: Query, index: Index, limit: int = 10) -> Compact:
    """The results of one query as plain dicts (cheap to send between processes)."""
    return [{"id": m.entity.id, "score": m.score, "match": m.match} for m in match(q, index, limit=limit)]


def _run(chunk: tuple[int, list[Query]]) -> tuple[int, list[Compact], float]:
    """Screen one chunk of queries in a worker: (chunk start, results, CPU seconds)."""
    assert _INDEX is not None
    start, queries = chunk
    cpu = time.process_time()
    results = [_compact(q, _INDEX) for q in queries]
    return start, results, time.process_time() - cpu


def _golden(index: Index, entities: list[Entity]) -> list[list[tuple[str, float]]]:
    """Top-5 ids and scores (3 decimals) of 4,000 mixed queries."""
    queries = make_queries(entities, 4000)
    return [[(m.entity.id, round(m.score, 3)) for m in match(q, index, limit=5)] for q in queries]


def _check(index: Index, entities: list[Entity], record: Path | None, check: Path | None) -> None:
    results = _golden(index, entities)
    if record:
        record.write_text(json.dumps(results), encoding="utf-8")
        print(f"recorded {len(results)} queries in {record}")
    if check:
        expected = [[tuple(r) for r in rows] for rows in json.loads(check.read_text(encoding="utf-8"))]
        differ = [i for i, (a, b) in enumerate(zip(expected, results, strict=True)) if a != b]
        print(f"{len(results) - len(differ)} of {len(results)} queries give the recorded results")
        for i in differ[:10]:
            print(f"  query {i}: recorded {expected[i]}, now {results[i]}")
        if differ:
            sys.exit(1)


def _batch(index: Index, queries: list[Query], workers: int, cold: bool = True) -> tuple[float, float]:
    """Screen ``queries`` on ``workers`` forked processes: (queries/s, share of the workers'
    wall time they got on a CPU)."""
    chunk = 250
    chunks = [(i, queries[i : i + chunk]) for i in range(0, len(queries), chunk)]
    ctx = mp.get_context("fork")
    name_forms.cache_clear()
    latin_forms.cache_clear()
    if cold:
        # The latency run screened these very queries: start the workers without what it
        # remembered (prepared candidate forms, query-word lookups, candidate parties).
        index.forget()
    gc.collect()
    gc.freeze()  # forked workers must not write GC headers all over the shared index
    results: list[Compact] = [[] for _ in queries]
    cpu = 0.0
    start = time.perf_counter()
    with ctx.Pool(workers, initializer=_init, initargs=(index,)) as pool:
        for first, rows, used in pool.imap_unordered(_run, chunks):
            results[first : first + len(rows)] = rows
            cpu += used
    wall = time.perf_counter() - start
    gc.unfreeze()
    return len(results) / wall, cpu / (wall * workers)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--queries", type=int, default=10000)
    parser.add_argument("--batch", type=int, default=30000, help="fresh queries for the cold batch")
    parser.add_argument("--write", type=Path)
    parser.add_argument("--record", type=Path, help="write the top-5 results of 4,000 queries")
    parser.add_argument("--check", type=Path, help="compare with results written by --record")
    args = parser.parse_args()
    entities = load_entities()
    if args.record or args.check:
        _check(Index.build(entities), entities, args.record, args.check)
        return
    machine = platform.processor() or platform.machine()
    lines = [f"Machine: {machine}, {os.cpu_count()} cores, Python {platform.python_version()}"]
    lines.append(f"Load average before the run: {os.getloadavg()[0]:.2f}")
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
    load = os.getloadavg()[0]
    fresh = make_queries(entities, args.batch, seed=7)  # not screened before
    for cold, batch in ((False, queries), (True, fresh)):
        rate, busy = _batch(index, batch, workers, cold)
        label = "the same queries again, warm caches" if cold is False else "fresh queries, cold caches"
        lines.append(
            f"Batch ({label}): {len(batch)} queries on {workers} worker processes (fork-shared "
            f"index): {rate:.0f} queries/s; the workers were on a CPU {busy:.0%} of the time "
            f"(load average {load:.2f} before the batch)"
        )
        load = os.getloadavg()[0]
    text = "\n".join(lines)
    print(text)
    if args.write:
        args.write.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
