"""Speed of the document scanner against every bundled list, and how it scales.

Builds English and Russian news-like documents of growing size from the clean corpora and the
showcase article (with invented capitalised words mixed in, so the vocabulary grows with the
document as real news does), scans them, and prints MB/s per core: the median of several runs
(the machine may be shared; the load average is printed with each figure). Then grows the
number of list names (copies of every entity with altered names) and prints build time, index
memory and scan speed for each size.

    .venv/bin/python bench/scan_speed.py [--data-dir DIR] [--mb 5] [--runs 5] [--no-scaling]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _lists import bundled_entities  # noqa: E402

from sanctions.model import Entity, Name  # noqa: E402
from sanctions.scan import MentionIndex, scan_text  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "scan" / "corpus"
ARTICLE = ROOT.parent / "shared" / "data" / "examples" / "moskvich-revival-article.txt"
RU_NAMES = "Сергей Собянин и глава КамАЗа Сергей Когогин обсудили завод «Москвич». "
LATIN = "bcdfghklmnprstvz"
VOWELS = "aeiou"
CYR = "бвгдзклмнпрстфх"
CYR_V = "аеиоуя"


def invented_word(rng: random.Random, cyrillic: bool) -> str:
    cons, vow = (CYR, CYR_V) if cyrillic else (LATIN, VOWELS)
    word = "".join(rng.choice(cons) + rng.choice(vow) for _ in range(rng.randint(2, 4)))
    return word.capitalize()


def make_document(lang: str, size: int, *, names_every: int = 50_000, seed: int = 7) -> str:
    """About ``size`` characters of news-like prose in ``lang`` (en or ru).

    Clean corpus text with 3 % invented capitalised words; every ``names_every`` characters a
    passage naming listed parties (the showcase article in English, a Russian paragraph).
    """
    rng = random.Random(seed)
    clean = " ".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob(f"{lang}-*.txt"))).split(" ")
    if lang == "en":
        names = ARTICLE.read_text(encoding="utf-8") if ARTICLE.exists() else RU_NAMES
    else:
        names = RU_NAMES * 3
    out: list[str] = []
    length = next_names = 0
    while length < size:
        for w in clean:
            if length >= next_names:
                out.append(names)
                length += len(names) + 1
                next_names += names_every
            if rng.random() < 0.03:
                w = invented_word(rng, lang == "ru")
            out.append(w)
            length += len(w) + 1
            if length >= size:
                break
    return " ".join(out)


def grow(entities: list[Entity], factor: int) -> list[Entity]:
    """The entities plus ``factor - 1`` copies with every name token altered (new names)."""
    out = list(entities)
    rng = random.Random(factor)
    for n in range(1, factor):
        for e in entities:
            names = [
                Name(" ".join(t + rng.choice(VOWELS) + str(n) for t in x.value.split()), x.kind)
                for x in e.names
            ]
            out.append(dataclasses.replace(e, id=f"{e.id}-copy{n}", names=names, identifiers=[]))
    return out


def scan_rate(text: str, index: MentionIndex, repeats: int = 5) -> tuple[float, int]:
    """Median MB/s (UTF-8 bytes) per CPU second over ``repeats`` scans, after one warm-up scan,
    and the mentions. CPU time of this process (the scan is single-threaded): on a shared
    machine wall time measures the neighbours too."""
    size = len(text.encode("utf-8"))
    found = len(scan_text(text, index))  # warm-up: fills the token cache as a long-running service has
    rates = []
    for _ in range(repeats):
        started = time.process_time()
        scan_text(text, index)
        rates.append(size / (time.process_time() - started) / 1e6)
    return statistics.median(rates), found


def load() -> str:
    """The 1-minute load average, to read a figure against."""
    return f"load {os.getloadavg()[0]:.2f}"


def build(entities: list[Entity]) -> tuple[MentionIndex, float, float]:
    tracemalloc.start()
    started = time.perf_counter()
    index = MentionIndex.build(entities)
    seconds = time.perf_counter() - started
    memory = tracemalloc.get_traced_memory()[0] / 1e6
    tracemalloc.stop()
    return index, seconds, memory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "sanctions-bench-lists"
    )
    parser.add_argument("--mb", type=float, default=5.0, help="size of the main documents in MB")
    parser.add_argument("--runs", type=int, default=5, help="scans per figure (the median is printed)")
    parser.add_argument("--no-scaling", action="store_true", help="only the speed by document")
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()} {platform.processor() or ''} python {platform.python_version()}, "
        f"{os.cpu_count()} cores, {load()}"
    )
    entities = bundled_entities(args.data_dir)
    names = sum(len(e.names) for e in entities)
    started = time.perf_counter()
    index = MentionIndex.build(entities)
    seconds = time.perf_counter() - started
    print(f"bundled lists: {len(entities)} entities, {names} names; index build {seconds:.1f} s")
    print(f"index: {index.stats} {index.variant_kind_counts()}")
    size = int(args.mb * 1e6)
    print("\n== speed by document (all bundled lists) ==")
    for lang in ("en", "ru"):
        for label, every in (
            ("news: listed names every 50 kB", 50_000),
            ("dense: listed names every 4 kB", 4_000),
        ):
            text = make_document(lang, size, names_every=every)
            rate, found = scan_rate(text, index, args.runs)
            print(
                f"{lang} {label}: {len(text.encode()) / 1e6:.1f} MB, {rate:.1f} MB/s, "
                f"{found} mentions ({load()})"
            )
    if args.no_scaling:
        return
    print("\n== scaling with document size (en) ==")
    for mb in (0.01, 0.1, 1.0, 5.0, 20.0):
        rate, found = scan_rate(make_document("en", int(mb * 1e6)), index, args.runs if mb < 20 else 1)
        print(f"{mb:6.2f} MB: {rate:.1f} MB/s ({found} mentions, {load()})")
    print("\n== scaling with the number of list names (en and ru, 2 MB) ==")
    docs = {lang: make_document(lang, 2_000_000) for lang in ("en", "ru")}
    for factor in (1, 2, 4, 8):
        grown = grow(entities, factor)
        idx, seconds, memory = build(grown)
        del grown
        rates = {lang: scan_rate(doc, idx, args.runs)[0] for lang, doc in docs.items()}
        print(
            f"x{factor}: {names * factor:7} names, {len(idx.variants):8} variants, "
            f"build (traced) {seconds:5.1f} s, "
            f"index memory {memory:6.0f} MB, en {rates['en']:.1f} MB/s, ru {rates['ru']:.1f} MB/s"
        )


if __name__ == "__main__":
    main()
