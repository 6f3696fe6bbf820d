"""Matching quality on the labelled pairs of bench/data/pairs/, ours beside nomenklatura's logic-v2.

    .venv/bin/python bench/quality.py --split dev [--people 2000] [--no-nk] [--errors] [--write FILE]

Scores every pair of one split (``train``, ``dev`` or ``test``; bench/data/README.md: tune on
train and dev, score test once per algorithm version) with each of our algorithms at its default
threshold and with logic-v2 (bench/.venv-nk, see nk_score.py; threshold 0.7, yente's default),
and prints precision, recall and F1 per category and per script. Then screens generated unlisted
people (bench/robustness.py's generator, with birth date and nationality) against every shared
list and prints false alarms per 1,000 per script: ours with ``match()``, logic-v2 on the 5 best
candidates our index retrieves for each query (nomenklatura has no index of its own here).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sanctions.matching import ALGORITHMS, Query, compare  # noqa: E402

PAIRS = ROOT / "bench" / "data" / "pairs"
NK_PYTHON = ROOT / "bench" / ".venv-nk" / "bin" / "python"
NK = "logic-v2"
NK_THRESHOLD = 0.7  # yente's default match threshold for logic-v2
Pair = dict[str, Any]


def load(split: str) -> list[Pair]:
    with open(PAIRS / f"{split}.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def score_ours(pairs: list[Pair], algorithm: str) -> float:
    """Score every pair (``scores[algorithm]``); returns the seconds spent in ``compare``."""
    start = time.perf_counter()
    for p in pairs:
        a, b = Query(p["schema"], p["a"]), Query(p["schema"], p["b"])
        p.setdefault("scores", {})[algorithm] = compare(a, b, algorithm=algorithm).score
    return time.perf_counter() - start


def nk_scores(items: list[tuple[str, dict[str, list[str]], dict[str, list[str]]]]) -> list[float] | None:
    """logic-v2 scores of (schema, a, b), through a cache in bench/out (deterministic)."""
    if not NK_PYTHON.exists():
        return None
    cache_path = ROOT / "bench" / "out" / "nk_cache.json"
    cache: dict[str, list[float]] = json.loads(cache_path.read_text()) if cache_path.exists() else {}
    keys = [json.dumps({"schema": s, "a": a, "b": b}, sort_keys=True) for s, a, b in items]
    todo = [k for k in dict.fromkeys(keys) if k not in cache]
    if todo:
        proc = subprocess.run(
            [str(NK_PYTHON), str(ROOT / "bench" / "nk_score.py"), NK],
            input="".join(k + "\n" for k in todo),
            capture_output=True,
            text=True,
            check=True,
        )
        for k, line in zip(todo, proc.stdout.splitlines(), strict=True):
            r = json.loads(line)
            cache[k] = [r["score"], r["seconds"]]
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        cache_path.write_text(json.dumps(cache))
    return [cache[k][0] for k in keys]


def prf(pairs: list[Pair], who: str, threshold: float) -> tuple[float, float, float]:
    tp = sum(1 for p in pairs if p["truth"] and p["scores"][who] >= threshold)
    fp = sum(1 for p in pairs if not p["truth"] and p["scores"][who] >= threshold)
    fn = sum(1 for p in pairs if p["truth"] and p["scores"][who] < threshold)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def table(pairs: list[Pair], key: str, thresholds: dict[str, float]) -> str:
    groups: dict[str, list[Pair]] = defaultdict(list)
    for p in pairs:
        groups[p[key]].append(p)
    groups["all"] = pairs
    who = list(thresholds)
    lines = [
        f"| {key} | pairs (true) | " + " | ".join(f"{w} P / R / F1" for w in who) + " |",
        "|" + "---|" * (2 + len(who)),
    ]
    for name in sorted(groups, key=lambda g: (g == "all", g)):
        items = groups[name]
        cells = []
        for w in who:
            pr, rc, f1 = prf(items, w, thresholds[w])
            best = max(prf(items, o, thresholds[o])[2] for o in who)
            f1s = f"**{f1:.3f}**" if f1 == best and len(who) > 1 else f"{f1:.3f}"
            cells.append(f"{pr:.3f} / {rc:.3f} / {f1s}")
        name_s = f"**{name}**" if name == "all" else name
        lines.append(
            f"| {name_s} | {len(items)} ({sum(p['truth'] for p in items)}) | " + " | ".join(cells) + " |"
        )
    return "\n".join(lines)


def unlisted(people: int, algorithms: list[str], with_nk: bool) -> str:
    """False alarms per 1,000 unlisted people (with birth date and nationality), per script."""
    from lists import load_entities
    from robustness import unlisted_people

    from sanctions.matching import match
    from sanctions.matching.index import Index

    index = Index.build(load_entities())
    queries = unlisted_people(people, details=True)
    counts: dict[str, int] = defaultdict(int)
    alarms: dict[str, dict[str, int]] = {w: defaultdict(int) for w in [*algorithms, NK]}
    nk_items: list[tuple[str, dict[str, list[str]], dict[str, list[str]]]] = []
    nk_owner: list[str] = []
    for n, (script, query) in enumerate(queries):
        counts[script] += 1
        for w in algorithms:
            if any(m.match for m in match(query, index, limit=3, algorithm=w)):
                alarms[w][script] += 1
        if with_nk:
            for m in match(query, index, limit=5, algorithm="sanctions-v1"):
                other = Query.from_entity(m.entity)
                nk_items.append((m.entity.schema.value, query.properties, other.properties))
                nk_owner.append(f"{n}:{script}")
    who = list(algorithms)
    if with_nk and (scores := nk_scores(nk_items)) is not None:
        hit = {owner for owner, s in zip(nk_owner, scores, strict=True) if s >= NK_THRESHOLD}
        for owner in hit:
            alarms[NK][owner.split(":")[1]] += 1
        who.append(f"{NK}")
    lines = ["| script | people | " + " | ".join(who) + " |", "|" + "---|" * (2 + len(who))]
    for script in sorted(counts):
        cells = [f"{1000 * alarms[w][script] / counts[script]:.1f}" for w in who]
        lines.append(f"| {script} | {counts[script]} | " + " | ".join(cells) + " |")
    total = sum(counts.values())
    cells = [f"{1000 * sum(alarms[w].values()) / total:.1f}" for w in who]
    lines.append(f"| **all** | {total} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--split", choices=("train", "dev", "test"), default="dev")
    parser.add_argument("--algorithms", default="sanctions-v1,sanctions-v2", help="ours, comma-separated")
    parser.add_argument("--people", type=int, default=2000, help="unlisted people (0: skip)")
    parser.add_argument("--no-nk", action="store_true", help="skip nomenklatura logic-v2")
    parser.add_argument("--errors", action="store_true", help="print misclassified pairs (never on test)")
    parser.add_argument("--write", type=Path, help="also write the report (markdown) here")
    args = parser.parse_args()
    algorithms = args.algorithms.split(",")
    pairs = load(args.split)
    thresholds = {w: ALGORITHMS[w].threshold for w in algorithms}
    timing = {w: score_ours(pairs, w) for w in algorithms}
    nk = None if args.no_nk else nk_scores([(p["schema"], p["a"], p["b"]) for p in pairs])
    if nk is not None:
        for p, s in zip(pairs, nk, strict=True):
            p["scores"][NK] = s
        thresholds[NK] = NK_THRESHOLD
    parts = [
        f"Split `{args.split}`: {len(pairs)} pairs. Thresholds: "
        + ", ".join(f"{w} {t}" for w, t in thresholds.items())
        + ". Compare time: "
        + ", ".join(f"{w} {s:.1f} s" for w, s in timing.items()),
        "### By category\n\n" + table(pairs, "category", thresholds),
        "### By script of the query\n\n" + table(pairs, "script", thresholds),
    ]
    if args.people:
        parts.append(
            f"### Unlisted people with birth date and nationality, false alarms per 1,000 "
            f"({args.people} people)\n\n" + unlisted(args.people, algorithms, not args.no_nk)
        )
    text = "\n\n".join(parts) + "\n"
    print(text)
    if args.errors and args.split != "test":
        for p in pairs:
            for w in algorithms:
                if (p["scores"][w] >= thresholds[w]) != p["truth"]:
                    kind = "FN" if p["truth"] else "FP"
                    print(f"{w} {kind} {p['scores'][w]:.2f} {p['category']}: {p['a']} | {p['b']}")
    if args.write:
        args.write.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
