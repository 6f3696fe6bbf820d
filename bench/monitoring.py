"""Monitoring figures: first screening of a synthetic book, delta re-screens after list changes,
memory, and listing open alerts.

    PYTHONPATH=. python bench/monitoring.py --customers 100000 [--changes 100 1000] [--keep DIR]

The lists are the bundled snapshot plus a ``bench_changes`` FtM list (copies of 3,000 listed
people) that is changed between versions: each change adds an alias to a record or adds a new
record. The book mixes names from several cultures and scripts; 1 % of customers carry a
slightly altered listed name. Prints CPU and wall time (the machine may be shared: CPU time is
the steadier measure).
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import orjson

T = TypeVar("T")

GIVEN = {
    "en": ["James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David", "Susan"],
    "es": ["José", "María", "Carlos", "Lucía", "Javier", "Carmen", "Miguel", "Elena", "Pablo", "Sofía"],
    "de": ["Lukas", "Anna", "Jonas", "Lea", "Felix", "Hannah", "Paul", "Mia", "Jan", "Lena"],
    "ru": ["Александр", "Мария", "Дмитрий", "Анна", "Сергей", "Ольга", "Андрей", "Елена", "Иван", "Наталья"],
    "ar": ["محمد", "فاطمة", "أحمد", "عائشة", "علي", "مريم", "عمر", "زينب", "يوسف", "خديجة"],
    "zh": ["伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军"],
    "tr": ["Mehmet", "Ayşe", "Mustafa", "Fatma", "Ahmet", "Emine", "Ali", "Hatice", "Hüseyin", "Zeynep"],
    "vi": ["Anh", "Bảo", "Chi", "Dũng", "Hà", "Hùng", "Lan", "Minh", "Ngọc", "Tuấn"],
}
FAMILY = {
    "en": ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Taylor", "Clark"],
    "es": ["García", "Martínez", "López", "Sánchez", "Pérez", "Gómez", "Díaz", "Torres", "Ruiz", "Romero"],
    "de": [
        "Müller",
        "Schmidt",
        "Schneider",
        "Fischer",
        "Weber",
        "Meyer",
        "Wagner",
        "Becker",
        "Hoffmann",
        "Koch",
    ],
    "ru": [
        "Иванов",
        "Смирнов",
        "Кузнецов",
        "Попов",
        "Васильев",
        "Петров",
        "Соколов",
        "Михайлов",
        "Новиков",
        "Фёдоров",
    ],
    "ar": ["العلي", "الحسن", "الخطيب", "المصري", "الشامي", "النجار", "الحداد", "السيد", "القاسم", "الزين"],
    "zh": ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"],
    "tr": ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın", "Özdemir"],
    "vi": ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"],
}
COMPANY_WORDS = [
    "Global",
    "Trading",
    "Logistics",
    "Green",
    "Blue",
    "Northern",
    "Pacific",
    "United",
    "Alpha",
    "Star",
]
COMPANY_FORMS = ["Ltd", "LLC", "GmbH", "S.A.", "Inc", "OOO", "AG", "BV"]


def timed(label: str, func: Callable[[], T]) -> T:
    """Run ``func`` and print its wall and CPU time."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = func()
    print(
        f"{label}: wall {time.perf_counter() - wall:.1f} s, CPU {time.process_time() - cpu:.1f} s", flush=True
    )
    return result


def rss_mb() -> float:
    """Peak resident memory of this process, MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _perturb(name: str, rng: random.Random) -> str:
    words = name.split()
    if len(words) > 1 and rng.random() < 0.5:
        words[0], words[-1] = words[-1], words[0]
    word = rng.randrange(len(words))
    if len(words[word]) > 4:
        i = rng.randrange(1, len(words[word]) - 1)
        words[word] = words[word][:i] + words[word][i + 1 :]
    return " ".join(words)


def write_book(path: Path, size: int, listed: list[str], rng: random.Random) -> int:
    """A CSV book of ``size`` customers; returns how many carry an altered listed name."""
    near = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["id", "name", "schema", "birth_date", "country"])
        for n in range(size):
            if rng.random() < 0.01:
                near += 1
                out.writerow([f"K{n:08d}", _perturb(rng.choice(listed), rng), "person", "", ""])
            elif rng.random() < 0.15:
                name = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_FORMS)}"
                out.writerow([f"K{n:08d}", name, "company", "", ""])
            else:
                culture = rng.choice(list(GIVEN))
                given, family = rng.choice(GIVEN[culture]), rng.choice(FAMILY[culture])
                name = f"{family}{given}" if culture == "zh" else f"{given} {family}"
                year = f"{rng.randrange(1940, 2005)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
                out.writerow([f"K{n:08d}", name, "person", year, ""])
    return near


def _ftm(records: list[dict[str, Any]], path: Path) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--changes", type=int, nargs="*", default=[100, 1000])
    parser.add_argument("--keep", type=Path, help="Keep the data dir here (default: a temporary one).")
    args = parser.parse_args()

    from sanctions.bundle import load_bundled
    from sanctions.ingest import LoadRequest, load
    from sanctions.service import Screener
    from sanctions.settings import Settings

    folder = args.keep or Path(tempfile.mkdtemp(prefix="sanctions-bench-monitoring-"))
    screener = Screener(Settings.from_env(folder))
    rng = random.Random(20261206)
    if not screener.store.current_versions():
        timed("load the bundled lists", lambda: load_bundled(screener.store))
    people = [e for e in screener.store.iter_entities() if e.schema.value == "Person" and e.names]
    people.sort(key=lambda e: e.id)
    listed = [e.names[0].value for e in people]
    base = rng.sample(people, 3000)
    records = {
        f"p{i}": {"id": f"p{i}", "schema": "Person", "properties": {"name": [n.value for n in e.names[:5]]}}
        for i, e in enumerate(base)
    }
    version = load(
        screener.store, LoadRequest("ftm", _ftm(list(records.values()), folder / "v1.ftm"), "bench_changes")
    )
    lists = screener.store.current_versions()
    print(f"lists: {len(lists)} versions, {sum(v.entities for v in lists):,} entities")

    book = folder / "book.csv"
    near = write_book(book, args.customers, listed, rng)
    print(f"book: {args.customers:,} customers, {near:,} near listed names")
    result = timed(
        f"first screening of {args.customers:,} customers (read, store, screen, alerts)",
        lambda: screener.book_import("bench", book),
    )
    run = result.run
    assert run is not None
    print(
        f"  pairs scored {run.pairs:,}, hits {run.hits:,}, alerts {run.alerts.new:,}; "
        f"peak RSS {rss_mb():,.0f} MB"
    )

    step = 1
    for count in args.changes:
        step += 1
        keys = sorted(records)
        for key in rng.sample(keys, count // 2):  # half: a new alias (a listed name, altered)
            records[key]["properties"]["name"] = records[key]["properties"]["name"] + [
                _perturb(rng.choice(listed), rng)
            ]
        for n in range(count - count // 2):  # half: new records
            key = f"s{step}-{n}"
            records[key] = {"id": key, "schema": "Person", "properties": {"name": [rng.choice(listed)]}}
        path = _ftm(list(records.values()), folder / f"v{step}.ftm")
        version = load(screener.store, LoadRequest("ftm", path, "bench_changes"))
        (delta,) = timed(
            f"re-screen after {count:,} list changes", lambda v=version: screener.rescreen_books([v])
        )
        print(
            f"  entities {delta.entities:,}, customers touched {delta.customers:,}, pairs {delta.pairs:,}, "
            f"alerts new {delta.alerts.new:,} changed {delta.alerts.changed:,}; peak RSS {rss_mb():,.0f} MB"
        )
    open_alerts = len(screener.alerts(book="bench", state="open"))
    wall = time.perf_counter()
    for _ in range(20):
        screener.alerts(book="bench", state="open", limit=100)
    print(
        f"open alerts {open_alerts:,}; first page of 100: {(time.perf_counter() - wall) / 20 * 1000:.1f} ms"
    )
    screener.close()


if __name__ == "__main__":
    main()
