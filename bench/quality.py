"""Matching quality on the shared labelled sets, ours beside nomenklatura's logic-v2.

    .venv/bin/python bench/quality.py [--sample 400] [--write docs/quality.md] [--no-nk]

Sets: watchman cascade pairs (by schema), cross-script pairs (recall at their minimum score
and at our threshold), Wikidata transliterations (true pairs + shuffled negatives, per script),
Senzing truth set (each customer against each watchlist party: its records clustered by the
answer key, the best record pair counts). logic-v2 runs in
bench/.venv-nk (see nk_score.py) on exactly the same pairs.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import re
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sanctions.matching import ALGORITHMS, DEFAULT_ALGORITHM, Query, compare  # noqa: E402

EVAL = ROOT.parent / "shared" / "data" / "eval"
NK_PYTHON = ROOT / "bench" / ".venv-nk" / "bin" / "python"
NK_THRESHOLD = 0.7  # yente's default match threshold for logic-v2


@dataclass
class Pair:
    group: str  # the row of the report this pair counts in
    schema: str | None
    a: dict[str, list[str]]
    b: dict[str, list[str]]
    truth: bool
    min_score: float | None = None
    scores: dict[str, float] = field(default_factory=dict)
    key: str = ""  # what decides the half (pairs sharing a record share a half)
    unit: str = ""  # pairs of one unit count once, at their best score (a watchlist cluster)

    @property
    def half(self) -> str:
        """``dev`` (tuned on) or ``held`` (held out), from a hash of the pair's key."""
        digest = hashlib.sha1((self.key or json.dumps([self.a, self.b])).encode()).digest()
        return "dev" if digest[0] % 2 == 0 else "held"


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def cascade() -> list[Pair]:
    rows = csv.DictReader(_lines(EVAL / "watchman-pairs" / "cascade-name-pairs.csv"))
    return [
        Pair(
            f"cascade {r['schema']}",
            r["schema"],
            {"name": [r["name1"]]},
            {"name": [r["name2"]]},
            r["is_match"] == "true",
        )
        for r in rows
    ]


def cross_script() -> list[Pair]:
    out = []
    for line in _lines(EVAL / "watchman-pairs" / "cross_script_pairs.csv"):
        if not line.strip() or line.startswith("#"):
            continue
        query, expected, minimum, _ = next(csv.reader([line]))
        out.append(
            Pair("cross-script", "Person", {"name": [query]}, {"name": [expected]}, True, float(minimum))
        )
    return out


def wikidata(sample: int) -> list[Pair]:
    out = []
    for path in sorted((EVAL / "translit-wikidata").glob("wd_*.tsv")):
        script = path.stem.split("_")[1]
        cells = [line.split("\t") for line in _lines(path)]
        rows = [(r[0], r[1].replace(" ", "")) for r in cells if len(r) >= 2]
        rng = random.Random(f"wikidata-{script}")
        picked = rng.sample(rows, min(sample, len(rows)))
        for latin, native in picked:
            out.append(
                Pair(f"wikidata {script}", "Person", {"name": [native]}, {"name": [latin]}, True, key=native)
            )
        shuffled = [latin for latin, _ in picked]
        rng.shuffle(shuffled)
        for (latin, native), other in zip(picked, shuffled, strict=True):
            if other != latin:
                negative = Pair(
                    f"wikidata {script}", "Person", {"name": [native]}, {"name": [other]}, False, key=native
                )
                out.append(negative)
    return out


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _senzing_props(row: dict[str, str]) -> dict[str, list[str]]:
    names = []
    full = row.get("PRIMARY_NAME_FULL") or row.get("PRIMARY_NAME_ORG")
    if full:
        names.append(full)
    parts = " ".join(
        row.get(k, "") for k in ("PRIMARY_NAME_FIRST", "PRIMARY_NAME_MIDDLE", "PRIMARY_NAME_LAST")
    )
    if parts.strip():
        names.append(" ".join(parts.split()))
    if row.get("NATIVE_NAME_FULL"):
        names.append(row["NATIVE_NAME_FULL"])
    props: dict[str, list[str]] = {"name": names}
    dob = row.get("DATE_OF_BIRTH", "")
    m = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{2,4})$", dob)
    named = re.match(r"^([A-Z][a-z]{2})[a-z]* (\d{1,2}),? (\d{4})$", dob)
    if named and named.group(1) in _MONTHS:
        month = _MONTHS.index(named.group(1)) + 1
        props["birthDate"] = [f"{named.group(3)}-{month:02d}-{int(named.group(2)):02d}"]
    elif m:
        year = int(m.group(3))
        year = year + 1900 if year < 100 else year
        props["birthDate"] = [f"{year:04d}-{int(m.group(1)):02d}-{int(m.group(2)):02d}"]
    elif re.match(r"^\d{4}-\d{2}-\d{2}$", dob):
        props["birthDate"] = [dob]
    if row.get("GENDER"):
        props["gender"] = [row["GENDER"]]
    for key, prop in (
        ("PASSPORT_NUMBER", "passportNumber"),
        ("NATIONAL_ID_NUMBER", "idNumber"),
        ("SSN_NUMBER", "idNumber"),
    ):
        if row.get(key):
            props.setdefault(prop, []).append(row[key])
    return props


def senzing() -> list[Pair]:
    base = EVAL / "senzing-truthset"
    customers = list(csv.DictReader(_lines(base / "customers.csv")))
    watchlist = list(csv.DictReader(_lines(base / "watchlist.csv")))
    cluster = {
        (r["DATA_SOURCE"], r["RECORD_ID"]): r["CLUSTER_ID"]
        for r in csv.DictReader(_lines(base / "actual_truthset_key.csv"))
    }
    out = []
    for c in customers:
        cp = _senzing_props(c)
        if not cp["name"]:
            continue
        for w in watchlist:
            wp = _senzing_props(w)
            if not wp["name"]:
                continue
            same = (
                cluster.get(("CUSTOMERS", c["RECORD_ID"]))
                == cluster.get(("WATCHLIST", w["RECORD_ID"]))
                is not None
            )
            schema = "Person" if c.get("RECORD_TYPE") == "PERSON" else "Organization"
            wc = cluster.get(("WATCHLIST", w["RECORD_ID"]), w["RECORD_ID"])
            unit = f"{c['RECORD_ID']}>{wc}"
            out.append(Pair("senzing", schema, cp, wp, same, key=f"senzing-{c['RECORD_ID']}", unit=unit))
    return out


def score_ours(pairs: list[Pair]) -> float:
    start = time.perf_counter()
    for p in pairs:
        p.scores["ours"] = compare(Query(p.schema, p.a), Query(p.schema, p.b)).score
    return time.perf_counter() - start


def score_nk(pairs: list[Pair]) -> float | None:
    """Score with logic-v2 in its own virtualenv; results are cached in bench/out (deterministic)."""
    if not NK_PYTHON.exists():
        return None
    cache_path = ROOT / "bench" / "out" / "nk_cache.json"
    cache: dict[str, list[float]] = json.loads(cache_path.read_text()) if cache_path.exists() else {}
    keys = [json.dumps({"schema": p.schema or "LegalEntity", "a": p.a, "b": p.b}) for p in pairs]
    todo = [k for k in dict.fromkeys(keys) if k not in cache]
    if todo:
        proc = subprocess.run(
            [str(NK_PYTHON), str(ROOT / "bench" / "nk_score.py"), "logic-v2"],
            input="".join(k + "\n" for k in todo),
            capture_output=True,
            text=True,
            check=True,
        )
        results = [json.loads(line) for line in proc.stdout.splitlines()]
        for k, r in zip(todo, results, strict=True):
            cache[k] = [r["score"], r["seconds"]]
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        cache_path.write_text(json.dumps(cache))
    for p, k in zip(pairs, keys, strict=True):
        p.scores["logic-v2"] = cache[k][0]
    return float(sum(cache[k][1] for k in keys[1:]))


def _units(pairs: list[Pair]) -> list[Pair]:
    """One pair per unit (customer x watchlist party), scored by its best record pair."""
    best: dict[str, Pair] = {}
    for p in pairs:
        key = p.unit or str(id(p))
        held = best.get(key)
        if held is None:
            best[key] = Pair(p.group, p.schema, p.a, p.b, p.truth, p.min_score, dict(p.scores), p.key)
        else:
            held.truth = held.truth or p.truth
            for who, value in p.scores.items():
                held.scores[who] = max(held.scores[who], value)
    return list(best.values())


def prf(pairs: list[Pair], who: str, threshold: float) -> tuple[float, float, float]:
    tp = sum(1 for p in pairs if p.truth and p.scores[who] >= threshold)
    fp = sum(1 for p in pairs if not p.truth and p.scores[who] >= threshold)
    fn = sum(1 for p in pairs if p.truth and p.scores[who] < threshold)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def report(pairs: list[Pair], who: list[str]) -> str:
    ours_t = ALGORITHMS[DEFAULT_ALGORITHM].threshold
    thresholds = {"ours": ours_t, "logic-v2": NK_THRESHOLD}
    groups: dict[str, list[Pair]] = defaultdict(list)
    for p in pairs:
        groups[p.group].append(p)
    head = "| set | pairs (true) | " + " | ".join(f"{w} P | {w} R | {w} F1" for w in who) + " |"
    lines = [head, "|" + "---|" * (2 + 3 * len(who))]
    for group in sorted(groups):
        items = _units(groups[group])
        cells: list[str] = []
        for w in who:
            cells.extend(f"{v:.3f}" for v in prf(items, w, thresholds[w]))
        lines.append(
            f"| {group} | {len(items)} ({sum(p.truth for p in items)}) | " + " | ".join(cells) + " |"
        )
    xs = groups.get("cross-script", [])
    if xs:
        lines.append("")
        lines.append("Cross-script recall at each pair's own minimum score / at the default threshold:")
        lines.append("")
        for w in who:
            at_min = sum(p.scores[w] >= (p.min_score or 0) for p in xs) / len(xs)
            at_t = sum(p.scores[w] >= thresholds[w] for p in xs) / len(xs)
            lines.append(f"- {w}: {at_min:.3f} / {at_t:.3f}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sample", type=int, default=400, help="true pairs per Wikidata script")
    parser.add_argument("--no-nk", action="store_true", help="skip nomenklatura logic-v2")
    parser.add_argument("--write", type=Path, help="also write the report (markdown) here")
    parser.add_argument("--errors", action="store_true", help="print our misclassified pairs (dev half only)")
    parser.add_argument(
        "--half", choices=("dev", "held", "both"), default="dev", help="which half of each set to score"
    )
    args = parser.parse_args()
    pairs = cascade() + cross_script() + wikidata(args.sample) + senzing()
    if args.half != "both":
        pairs = [p for p in pairs if p.half == args.half]
    ours_s = score_ours(pairs)
    who = ["ours"]
    nk_s = None if args.no_nk else score_nk(pairs)
    if nk_s is not None:
        who.append("logic-v2")
    halves = ["dev", "held"] if args.half == "both" else [args.half]
    parts = []
    for half in halves:
        title = {"dev": "Development half (tuned on)", "held": "Held-out half (not looked at while tuning)"}
        parts.append(f"### {title[half]}\n\n" + report([p for p in pairs if p.half == half], who))
    if args.half == "both":
        parts.append("### All pairs together\n\n" + report(pairs, who))
    text = "\n\n".join(parts)
    text += f"\n\nScoring time for {len(pairs)} pairs: ours {ours_s:.2f} s"
    if nk_s is not None:
        text += f", logic-v2 {nk_s:.2f} s (compare calls only)"
    text += f". Thresholds: ours {ALGORITHMS[DEFAULT_ALGORITHM].threshold}, logic-v2 {NK_THRESHOLD}.\n"
    print(text)
    if args.errors:
        t = ALGORITHMS[DEFAULT_ALGORITHM].threshold
        for p in pairs:
            if (p.scores["ours"] >= t) != p.truth and p.half == "dev":
                print(f"{'FN' if p.truth else 'FP'} {p.scores['ours']:.2f} {p.group}: {p.a} | {p.b}")
    if args.write:
        args.write.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
