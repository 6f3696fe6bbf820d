"""False positives of the document scanner on clean prose (no listed party in it).

Scans the clean-text corpora of tests/fixtures/scan/corpus against every bundled list and
prints the hits per 1,000 words, per file and in total, with each hit for inspection.

    .venv/bin/python bench/scan_false_positives.py [--data-dir DIR] [--threshold T ...]

By default at the scanner's threshold (0.7) and at 0.5.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _lists import bundled_entities  # noqa: E402

from sanctions.scan import DEFAULT_THRESHOLD, MentionIndex, scan_text  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "scan" / "corpus"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "sanctions-bench-lists"
    )
    parser.add_argument("--threshold", type=float, nargs="+", default=[DEFAULT_THRESHOLD, 0.5])
    args = parser.parse_args()
    index = MentionIndex.build(bundled_entities(args.data_dir))
    print(f"index: {index.stats}")
    for threshold in args.threshold:
        print(f"\n== threshold {threshold} ==")
        report(index, threshold)


def report(index: MentionIndex, threshold: float) -> None:
    """Hits per file and per language at one threshold, each hit listed for inspection."""
    totals: dict[str, list[int]] = {}
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        words = len(text.split())
        mentions = scan_text(text, index, threshold)
        lang = path.name.split("-")[0]
        t = totals.setdefault(lang, [0, 0])
        t[0] += words
        t[1] += len(mentions)
        rate = 1000 * len(mentions) / words
        print(f"{path.name:28} {words:6} words {len(mentions):3} hits {rate:6.2f} per 1,000")
        for m in mentions:
            print(f"    {m.score:.2f} {m.text!r} -> {m.entity.caption} ({m.entity.dataset}, {m.kind})")
    for lang, (words, hits) in sorted(totals.items()):
        print(f"{lang}: {words} words, {hits} hits, {1000 * hits / words:.2f} hits per 1,000 words")
    words = sum(w for w, _ in totals.values())
    hits = sum(h for _, h in totals.values())
    print(f"all: {words} words, {hits} hits, {1000 * hits / max(1, words):.2f} hits per 1,000 words")


if __name__ == "__main__":
    main()
