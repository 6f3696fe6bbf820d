"""The alert queue pages the same way whichever path chooses a page: walking the table by id (many
matches) or taking the ids of a few matches off the queue index first (sanctions.cases.views)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from sanctions.cases import views
from sanctions.ingest import LoadRequest, load
from sanctions.service import Screener
from sanctions.settings import Settings

UN = "un_sc_sanctions"


def _walk(screener: Screener, filters: dict[str, Any]) -> tuple[int, list[int]]:
    """Every page of the queue under ``filters``, four alerts a page, by the ``next`` cursor."""
    seen: list[int] = []
    before = None
    while True:
        page = screener.alert_queue(**filters, before=before, limit=4)
        seen += [int(a["id"]) for a in page["alerts"]]
        if page["next"] is None:
            return int(page["total"]), seen
        before = page["next"]


@pytest.fixture
def screener(db_url: str, tmp_path: Path, fixtures: Path) -> Screener:
    """A book of namesakes: three customers for each listed name of the UN excerpt."""
    excerpt = fixtures / "un" / "consolidated_excerpt.xml"
    screener = Screener(Settings(data_dir=tmp_path, database_url=db_url))
    load(screener.store, LoadRequest(UN, excerpt))
    tree = etree.parse(str(excerpt))
    names = [
        " ".join(filter(None, (node.findtext(f) for f in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME"))))
        for node in [*tree.iter("INDIVIDUAL"), *tree.iter("ENTITY")]
    ]
    book = tmp_path / "book.csv"
    with book.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "name"])
        writer.writerows((f"C{n:03d}", name) for n, name in enumerate(names * 3))
    screener.book_import("bank", book)
    for n, alert in enumerate(screener.alerts(book="bank")):
        if n % 3 == 0:
            screener.alert_assign(int(alert["id"]), "ann", "lead")
    return screener


def test_both_paths_page_alike(screener: Screener, monkeypatch: pytest.MonkeyPatch) -> None:
    everything = screener.alert_queue(state="all", limit=500)["alerts"]
    assert len(everything) >= 30
    expected = {
        "queue": [int(a["id"]) for a in everything],
        "ann": [int(a["id"]) for a in everything if a["assignee"] == "ann"],
        "unassigned": [int(a["id"]) for a in everything if a["assignee"] is None],
        "high": [int(a["id"]) for a in everything if a["score"] >= 0.95],
    }
    cases = {
        "queue": {},
        "ann": {"assignee": "ann"},
        "unassigned": {"assignee": ""},
        "high": {"min_score": 0.95},
    }
    for few in (0, 1_000_000):  # 0: always walk the table; a million: always take ids first
        monkeypatch.setattr(views, "FEW", few)
        for name, filters in cases.items():
            total, ids = _walk(screener, filters)
            assert ids == expected[name], (few, name)
            assert total == len(ids)
        for filters in ({"book": "bank", "dataset": UN}, {"assignee": "nobody"}):
            total, ids = _walk(screener, filters)
            assert total == len(ids) == (len(everything) if "book" in filters else 0)
