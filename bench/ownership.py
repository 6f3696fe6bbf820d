"""Ownership resolution at scale: synthetic graphs of 250k, 500k and 1M parties, 3 edges each.

Run: ``.venv/bin/python bench/ownership.py [--sizes 250000,500000,1000000] [--seed 7]``

The graph is random but deterministic (seeded): owners and assets drawn uniformly, each
asset's holdings scaled so they add up to 60-100 %, 10 % of the holdings without a
percentage, 1 % of the parties listed by each of us / eu / gb (overlapping), 0.2 % by the UN.
It runs the same :func:`sanctions.graph.ownership.resolve` the CLI runs, on the same
:class:`~sanctions.graph.model.Graph`, and prints seconds per step and the peak RSS.
"""

from __future__ import annotations

import argparse
import platform
import random
import resource
import time
from array import array

from sanctions.graph.model import NAN, Graph
from sanctions.graph.ownership import decide, resolve
from sanctions.graph.rules import RULES


def generate(size: int, seed: int, edges_per_node: int = 3) -> Graph:
    """A seeded random ownership graph with ``size`` parties and ``edges_per_node * size`` edges."""
    rng = random.Random(seed)
    count = size * edges_per_node
    src = array("i", (rng.randrange(size) for _ in range(count)))
    dst = array("i", (rng.randrange(size) for _ in range(count)))
    raw = array("d", (rng.random() for _ in range(count)))
    totals = [0.0] * size
    for v, w in zip(dst, raw, strict=True):
        totals[v] += w
    scale = [rng.uniform(60.0, 100.0) for _ in range(size)]
    share = array("d", bytes(8 * count))
    for e in range(count):
        v = dst[e]
        share[e] = NAN if rng.random() < 0.10 else raw[e] / totals[v] * scale[v]
    listed = {code: rng.sample(range(size), size // 100) for code in ("us", "eu", "gb")}
    listed["un"] = rng.sample(range(size), size // 500)
    return Graph.from_arrays(size, src, dst, share, listed)


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(size: int, seed: int) -> None:
    t0 = time.perf_counter()
    graph = generate(size, seed)
    t1 = time.perf_counter()
    print(f"n={size:,} edges={graph.edge_count:,} generate={t1 - t0:.1f}s")
    total = 0.0
    for rule in RULES.values():
        start = time.perf_counter()
        res = resolve(graph, rule)
        # explain every blocked party the way the CLI does (paths), to time the whole answer
        explained = sum(1 for i in res.reasons if decide(graph, res, i, max_paths=3).paths)
        took = time.perf_counter() - start
        total += took
        counts = res.counts()
        print(
            f"  {rule.code}: {took:.1f}s listed={counts['listed']:,} "
            f"blocked_by_ownership={counts['blocked_by_ownership']:,} "
            f"possibly_blocked={counts['possibly_blocked']:,} explained={explained:,}"
        )
    print(f"  resolve us+eu+gb: {total:.1f}s; peak RSS so far {peak_rss_mb():,.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="250000,500000,1000000")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()} {platform.processor() or ''}".strip())
    for size in (int(s) for s in args.sizes.split(",")):
        run(size, args.seed)


if __name__ == "__main__":
    main()
