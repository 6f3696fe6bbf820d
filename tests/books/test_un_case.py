"""The done-when case: the UN excerpt as version A; version B with one individual removed, two
added and one given a new alias; a 35-customer book. Each kind of change raises the right alert,
and a full re-screen gives the same open alerts. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import csv
from pathlib import Path

from lxml import etree

from sanctions.service import Screener
from sanctions.settings import Settings

UN = "un_sc_sanctions"
REMOVED = "6907993"  # ERIC BADEGE
ALIASED = "6908503"  # JANG BOM SU: version B gives him an alias a customer has
NEW_ALIAS = "Zorbek Quillfeather"  # made up for the test, so only the new alias can match

# (id, name, birth date, nationality): matches of version A, of B only, and 25 clear customers.
BOOK = [
    ("C01", "Eric Badege", "1971", "DRC"),
    ("C02", "Bosco Ntaganda", "", ""),
    ("C03", "Jang Bom Su", "", ""),
    ("C04", "Mohammad Hamdi Mohammad Sadiq Al-Ahdal", "", "Yemen"),
    ("C05", "Maulana Fazlullah", "", ""),
    ("C06", "Paek Chang-Ho", "", ""),
    ("C07", "Korea Mining Development Trading Corporation", "", ""),
    ("C08", "Salim Kony", "", ""),
    ("C09", "Seyyed Hussein Hosseini", "", ""),
    ("C10", NEW_ALIAS, "", ""),
    ("C11", "Anna Schmidt", "1980-04-02", "Germany"),
    ("C12", "Jean Dupont", "", "France"),
    ("C13", "Олег Смирнов", "1975-01-01", "RUS"),
    ("C14", "李明", "", "China"),
    ("C15", "Maria Garcia Lopez", "", "ES"),
    ("C16", "Ahmed Karimi", "", "Iran"),
    ("C17", "Northwind Logistics GmbH", "", "de"),
    ("C18", "Yuki Tanaka", "", "Japan"),
    ("C19", "Fatima Zahra Benali", "", "Morocco"),
    ("C20", "Piotr Nowak", "", "Poland"),
    ("C21", "Lars Eriksson", "", "Sweden"),
    ("C22", "Chinedu Okafor", "", "Nigeria"),
    ("C23", "Sofia Rossi", "", "Italy"),
    ("C24", "Ирина Кузнецова", "", "ru"),
    ("C25", "Kwame Mensah", "", "Ghana"),
    ("C26", "Blue Harbour Shipping Ltd", "", "Cyprus"),
    ("C27", "Nguyen Van An", "", "Vietnam"),
    ("C28", "Elena Popescu", "", "Romania"),
    ("C29", "Mehmet Yilmaz", "", "Turkey"),
    ("C30", "Sarah O'Connor", "", "Ireland"),
    ("C31", "Rajesh Kumar Sharma", "", "India"),
    ("C32", "Hans Müller", "", "Switzerland"),
    ("C33", "Ana Souza", "", "Brazil"),
    ("C34", "Green Valley Farms Inc", "", "US"),
    ("C35", "Dmitri Volkov", "1962-07-15", "Russia"),
]
A_MATCHES = {"C01", "C02", "C03", "C04", "C05", "C06", "C07"}


def _version_b(fixtures: Path, target: Path) -> Path:
    tree = etree.parse(str(fixtures / "un" / "consolidated_excerpt.xml"))
    individuals = tree.find("INDIVIDUALS")
    assert individuals is not None
    for node in individuals.findall("INDIVIDUAL"):
        if node.findtext("DATAID") == REMOVED:
            individuals.remove(node)
        if node.findtext("DATAID") == ALIASED:
            alias = etree.SubElement(node, "INDIVIDUAL_ALIAS")
            etree.SubElement(alias, "QUALITY").text = "Good"
            etree.SubElement(alias, "ALIAS_NAME").text = NEW_ALIAS
    for node in etree.parse(str(fixtures / "un" / "added_individuals.xml")).iter("INDIVIDUAL"):
        individuals.append(node)
    tree.write(str(target), xml_declaration=True, encoding="utf-8")
    return target


def _open(screener: Screener, book: str) -> dict[str, tuple[str, float]]:
    return {a["customer_id"]: (a["entity_id"], a["score"]) for a in screener.alerts(book=book)}


def test_un_versions_a_and_b(db_url: str, tmp_path: Path, fixtures: Path) -> None:
    screener = Screener(Settings(data_dir=tmp_path, database_url=db_url))
    from sanctions.ingest import LoadRequest, load

    a = load(screener.store, LoadRequest(UN, fixtures / "un" / "consolidated_excerpt.xml"))
    customers = tmp_path / "book.csv"
    with customers.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "name", "birth_date", "nationality"])
        writer.writerows(BOOK)
    result = screener.book_import("bank", customers)
    assert (result.added, result.problems) == (35, [])
    after_a = _open(screener, "bank")
    assert set(after_a) == A_MATCHES
    assert after_a["C01"][0] == f"{UN}-{REMOVED}"
    _, cursor = screener.alert_changes()

    b = load(screener.store, LoadRequest(UN, _version_b(fixtures, tmp_path / "b.xml")))
    (run,) = screener.rescreen_books([b])
    assert (run.kind, run.from_versions, run.versions) == ("delta", {UN: a.id}, {UN: b.id})
    assert run.entities == 4  # one removed, two added, one with a new name; nothing else re-screened
    events, _ = screener.alert_changes(cursor)
    changes = {(e["alert"]["customer_id"], e["reason"]) for e in events}
    assert changes == {
        ("C01", "delisted"),
        ("C08", "new"),
        ("C09", "new"),
        ("C10", "new"),
        ("C03", "changed"),
    }
    after_b = _open(screener, "bank")
    assert set(after_b) == A_MATCHES - {"C01"} | {"C08", "C09", "C10"}
    assert after_b["C10"][0] == after_b["C03"][0] == f"{UN}-{ALIASED}"
    delisted = screener.alerts(book="bank", state="delisted")
    assert [(x["customer_id"], x["reason"], x["entity_id"]) for x in delisted] == [
        ("C01", "delisted", f"{UN}-{REMOVED}")
    ]
    coverage = screener.book_coverage("bank")
    assert coverage["complete"] and coverage["lists"][0]["customers_at_current"] == 35

    _, cursor = screener.alert_changes(cursor)
    full = screener.book_screen("bank")
    assert full.customers == 35 and full.complete
    assert _open(screener, "bank") == after_b
    assert screener.alert_changes(cursor)[0] == []  # a full re-screen that finds nothing new says nothing
    screener.close()
