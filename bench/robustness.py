"""Screening on data no rule was tuned on: unlisted people and perturbed listed names.

    .venv/bin/python bench/robustness.py [--people 20000] [--perturbed 4000] [--write FILE]

Both sets are generated with fixed seeds and screened with ``match()`` against every shared list
(the same index the API builds), at the default threshold:

- *unlisted people*: full names made by pairing a random given name with a random surname from
  the Latin side of the Wikidata transliteration tables (``../shared/data/eval/translit-wikidata``,
  about 30,000 name parts of every origin), and the same pairs written in their original script.
  Random pairs are almost never a listed person, so every match is counted as a false alarm; the
  alarms are printed so that a real listed person can be spotted by eye.
- *perturbed listed names*: a listed name (person, organisation, vessel) changed the way data
  entry changes names: one typo (a letter dropped, doubled, swapped with its neighbour or
  replaced by a keyboard neighbour) in a word of five letters or more, words in another order,
  a word dropped from a name of three or more words (persons only: a middle name), or the name
  in upper case without punctuation. Recall counts a query as found when the listed party
  (its record or a record of the same cluster) comes back as a match.
"""

from __future__ import annotations

import argparse
import random
import string
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from lists import SHARED, load_entities  # noqa: E402

from sanctions.matching import Query, match  # noqa: E402
from sanctions.matching.index import Index  # noqa: E402
from sanctions.model import Entity  # noqa: E402

WIKIDATA = SHARED / "eval" / "translit-wikidata"
KEYBOARD = {
    c: n
    for row in ("qwertyuiop", "asdfghjkl", "zxcvbnm")
    for i, c in enumerate(row)
    for n in [row[max(i - 1, 0)], row[min(i + 1, len(row) - 1)]]
}


def _name_parts() -> dict[str, list[tuple[str, str]]]:
    """(latin, native) name parts per script, frequent ones (count >= 2) only."""
    out: dict[str, list[tuple[str, str]]] = {}
    for path in sorted(WIKIDATA.glob("wd_*.tsv")):
        rows = []
        for line in path.read_text(encoding="utf-8").splitlines():
            cells = line.split("\t")
            if len(cells) >= 3 and cells[2].strip().isdigit() and int(cells[2]) >= 2 and len(cells[0]) > 2:
                rows.append((cells[0], cells[1].replace(" ", "")))
        out[path.stem.split("_")[1]] = rows
    return out


def unlisted_people(n: int) -> list[tuple[str, Query]]:
    """(script, query) pairs: random given + family names, Latin and native."""
    parts = _name_parts()
    rng = random.Random("unlisted-people")
    scripts = sorted(parts)
    out: list[tuple[str, Query]] = []
    for i in range(n):
        script = scripts[(i // 2) % len(scripts)]
        (l1, n1), (l2, n2) = rng.sample(parts[script], 2)
        if i % 2:
            out.append(("latin", Query("Person", {"name": [f"{l1.title()} {l2.title()}"]})))
        else:
            sep = "" if script in ("chinese", "korean") else " "
            out.append((script, Query("Person", {"name": [f"{n1}{sep}{n2}"]})))
    return out


def _typo(word: str, rng: random.Random) -> str:
    k = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:k] + word[k + 1 :]
    if kind == 1:
        return word[:k] + word[k] + word[k:]
    if kind == 2:
        return word[:k] + word[k + 1] + word[k] + word[k + 2 :]
    c = word[k].lower()
    repl = KEYBOARD.get(c, c)
    return word[:k] + (repl.upper() if word[k].isupper() else repl) + word[k + 1 :]


def perturbed(entities: list[Entity], n: int) -> list[tuple[str, Entity, Query]]:
    """(perturbation, listed entity, query) triples."""
    rng = random.Random("perturbed-names")
    latin = [e for e in entities if e.names and e.names[0].value.isascii() and len(e.names[0].value) > 5]
    out: list[tuple[str, Entity, Query]] = []
    while len(out) < n:
        e = rng.choice(latin)
        name = e.names[0].value
        words = name.replace(",", " ").split()
        kind = ("typo", "order", "dropped word", "upper case")[len(out) % 4]
        if kind == "typo":
            long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
            if not long:
                continue
            i = rng.choice(long)
            words[i] = _typo(words[i], rng)
            text = " ".join(words)
        elif kind == "order":
            if len(words) < 2:
                continue
            rng.shuffle(words)
            text = " ".join(words)
        elif kind == "dropped word":
            if e.schema.value != "Person" or len(words) < 3:
                continue
            del words[rng.randrange(1, len(words))]
            text = " ".join(words)
        else:
            text = name.upper().translate(str.maketrans("", "", string.punctuation))
        if text.strip() == name.strip():
            continue
        out.append((kind, e, Query(e.schema.value, {"name": [text]})))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--perturbed", type=int, default=4000)
    parser.add_argument("--write", type=Path)
    parser.add_argument("--show", type=int, default=15, help="false alarms and misses to print")
    args = parser.parse_args()
    entities = load_entities()
    start = time.perf_counter()
    index = Index.build(entities)
    lines = [f"Index: {len(entities)} entities, built in {time.perf_counter() - start:.1f} s", ""]

    people = unlisted_people(args.people)
    alarms: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    shown: list[str] = []
    for script, query in people:
        totals[script] += 1
        hits = [m for m in match(query, index, limit=3) if m.match]
        if hits:
            alarms[script] += 1
            if len(shown) < args.show:
                shown.append(
                    f"  {query.properties['name'][0]} -> {hits[0].entity.caption} ({hits[0].score:.2f})"
                )
    lines.append("| unlisted people | queries | with a match | per 1,000 |")
    lines.append("|---|---|---|---|")
    for script in sorted(totals):
        lines.append(
            f"| {script} | {totals[script]} | {alarms[script]} "
            f"| {1000 * alarms[script] / totals[script]:.1f} |"
        )
    total_alarms = sum(alarms.values())
    lines.append(f"| all | {len(people)} | {total_alarms} | {1000 * total_alarms / len(people):.1f} |")
    lines.append("")
    lines.append("Examples of false alarms:" if shown else "No false alarms.")
    lines.extend(shown)
    lines.append("")

    found: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    misses: list[str] = []
    for kind, entity, query in perturbed(entities, args.perturbed):
        counts[kind] += 1
        wanted = {e.id for e in index.cluster(entity.id)}
        hits = [m for m in match(query, index, limit=5) if m.match]
        if any(m.entity.id in wanted or any(r.id in wanted for r in m.related) for m in hits):
            found[kind] += 1
        elif len(misses) < args.show:
            misses.append(f"  [{kind}] {query.properties['name'][0]!r} for {entity.names[0].value!r}")
    lines.append("| perturbed listed names | queries | found as a match | recall |")
    lines.append("|---|---|---|---|")
    for kind in counts:
        lines.append(f"| {kind} | {counts[kind]} | {found[kind]} | {found[kind] / counts[kind]:.3f} |")
    total = sum(counts.values())
    lines.append(f"| all | {total} | {sum(found.values())} | {sum(found.values()) / total:.3f} |")
    lines.append("")
    lines.append("Examples of misses:" if misses else "No misses.")
    lines.extend(misses)
    text = "\n".join(lines)
    print(text)
    if args.write:
        args.write.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
