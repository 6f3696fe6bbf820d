"""Hostile inputs: the outcome, peak memory and time of each attack of issue 16.

Run: ``PYTHONPATH=. .venv/bin/python bench/hostile.py [--case NAME] [--markdown]``

Each case runs in its own child process (``python bench/hostile.py --run NAME``); the parent
reads the child's peak resident memory (``ru_maxrss`` from ``os.wait4``, which includes the
extraction worker it waited for) and its CPU time, and prints one row per case. The hostile
files are built in the child, before the clock starts (building a bomb is not the attack).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

Case = Callable[[], Callable[[], str]]  # builds the input, returns the attack (which says what happened)


def _scan_case(data_builder: Callable[[], bytes], name: str) -> Callable[[], str]:
    from sanctions.scan import MentionIndex, scan_document
    from sanctions.scan.extract import ExtractLimits
    from tests.scan.conftest import load_entities

    index = MentionIndex.build(load_entities())
    data = data_builder()

    def attack() -> str:
        result = scan_document(data, index, source=name, limits=ExtractLimits(), isolate=True)
        found = ", ".join(sorted({m.text for m in result.mentions})) or "nothing"
        return f"found {found}" + (f"; {'; '.join(result.warnings)}" if result.warnings else "")

    return attack


def docx_zip_bomb() -> Callable[[], str]:
    from tests.hostile.bombs import zip_bomb_docx

    return _scan_case(lambda: zip_bomb_docx(1_000), "bomb.docx")  # 1 GB inflated


def docx_entity_bomb() -> Callable[[], str]:
    from tests.hostile.bombs import entity_bomb_docx

    return _scan_case(entity_bomb_docx, "laughs.docx")


def pdf_20000_pages() -> Callable[[], str]:
    from tests.hostile.bombs import pdf_pages

    return _scan_case(lambda: pdf_pages(20_000, "Sergei Sobyanin"), "long.pdf")


def pdf_flate_bomb() -> Callable[[], str]:
    from tests.hostile.bombs import pdf_flate_bomb as bomb

    return _scan_case(lambda: bomb(500), "flate.pdf")


def html_3000_levels() -> Callable[[], str]:
    page = "<html><body>" + "<div>" * 3_000 + "x" + "</div>" * 3_000 + "<p>Sergei Sobyanin</p></body></html>"
    return _scan_case(page.encode, "deep.html")


def word_50mb() -> Callable[[], str]:
    return _scan_case(lambda: b"Ab-" * 16_700_000, "word.txt")


def word_18mb() -> Callable[[], str]:
    return _scan_case(lambda: b"Ab-" * 6_000_000 + b" Sergei Sobyanin", "word.txt")


def hidden_characters() -> Callable[[], str]:
    text = "Vladimir \u0420utin met Sergei Sob\u200byanin and \u202enituP\u202c."
    return _scan_case(lambda: text.encode(), "tricks.txt")


def gz_list_bomb() -> Callable[[], str]:
    from sanctions.ingest import LoadRequest, load
    from sanctions.settings import Settings
    from sanctions.store import open_store
    from tests.hostile.bombs import gz_bomb

    folder = Path(tempfile.mkdtemp(prefix="bench-hostile-"))
    path = gz_bomb(folder / "sdn.csv.gz", 1_000)  # 1 GB of zeros
    store = open_store(Settings.from_env(folder / "data"))

    def attack() -> str:
        load(store, LoadRequest("us_ofac_sdn", path))
        return "loaded"

    return attack


def ownership_chain_1000() -> Callable[[], str]:
    from sanctions.api.routes_analysis import GraphInput, _ownership
    from tests.hostile.test_api import _chain_ftm

    body = GraphInput(ftm=_chain_ftm(1_000), jurisdiction="us,eu,gb")

    def attack() -> str:
        import orjson

        rows, total = _ownership(body, 0, 2_000)
        size = len(orjson.dumps(rows))
        cut = sum(1 for r in rows for d in r["jurisdictions"].values() if d.get("paths_truncated"))
        return f"{total} parties, {size / 1e6:.1f} MB answer, paths cut in {cut} decisions"

    return attack


CASES: dict[str, Case] = {
    "docx zip bomb (1 GB inflated)": docx_zip_bomb,
    "docx entity bomb": docx_entity_bomb,
    "pdf of 20,000 pages": pdf_20000_pages,
    "pdf flate bomb (500 MB)": pdf_flate_bomb,
    "html nested 3,000 levels": html_3000_levels,
    "one 50 MB word": word_50mb,
    "one 18 MB word + a name": word_18mb,
    "hidden characters and look-alikes": hidden_characters,
    "gz list bomb (1 GB of zeros)": gz_list_bomb,
    "ownership chain of 1,000 hops": ownership_chain_1000,
}


def run_case(name: str) -> None:
    """Child side: build the input, run the attack, print what happened and the seconds it took."""
    from sanctions.errors import SanctionsError

    attack = CASES[name]()
    started = time.perf_counter()
    try:
        outcome = attack()
    except SanctionsError as exc:
        outcome = f"refused: {type(exc).__name__}: {exc}"
    print(f"{time.perf_counter() - started:.2f}\t{outcome}")


def measure(name: str) -> tuple[str, float, float, float]:
    """Parent side: run one case in a child; (outcome, wall seconds, CPU seconds, peak MB)."""
    command = [sys.executable, __file__, "--run", name]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    out = child.stdout.read() if child.stdout else ""
    err = child.stderr.read() if child.stderr else ""
    if child.returncode != 0 or "\t" not in out:
        return f"CRASHED ({child.returncode}): {err.strip()[-300:]}", 0.0, 0.0, usage.ru_maxrss / 1024
    seconds, outcome = out.strip().split("\t", 1)
    return outcome, float(seconds), usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--case", action="append", help="run only this case (repeatable)")
    parser.add_argument("--run", help=argparse.SUPPRESS)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    if args.run:
        run_case(args.run)
        return
    names = args.case or list(CASES)
    if args.markdown:
        print("| Case | Outcome | Attack wall s | Child CPU s (incl. building the input) | Peak RSS MB |")
        print("|---|---|---|---|---|")
    for name in names:
        outcome, wall, cpu, peak = measure(name)
        visible = "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in outcome)
        short = visible.replace("|", "/")[:220]
        if args.markdown:
            print(f"| {name} | {short} | {wall:.2f} | {cpu:.1f} | {peak:.0f} |", flush=True)
        else:
            print(f"{name:38s} {wall:7.2f} s {cpu:7.1f} cpu-s {peak:7.0f} MB  {short}", flush=True)


if __name__ == "__main__":
    main()
