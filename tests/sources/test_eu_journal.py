"""EU Official Journal transcription (``eu_journal``): the real excerpt in tests/fixtures/eu/journal."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sanctions.errors import SourceFormatError
from sanctions.model import Entity, NameKind, Schema
from sanctions.sources import ParseContext, get_parser
from sanctions.sources.eu_journal import parse
from sanctions.sources.eu_journal_values import countries, identifier, parse_dates
from tests.sources.fuzzing import parse_bytes, parse_file

DATASET = "eu_journal"


def _entities(path: Path) -> dict[str, Entity]:
    entities, relations, _ = parse_file(parse, path, DATASET)
    assert relations == []
    return entities


def test_kamaz_rows_of_two_regulations_are_one_party(fixtures: Path) -> None:
    kamaz = _entities(fixtures / "eu" / "journal")["kamaz"]
    assert kamaz.id == "eu_journal-kamaz"
    assert kamaz.caption == "PJSC KAMAZ"  # "PJSC KAMAZ alias KAMAZ PTC": the printed label splits
    names = {n.value: n.kind for n in kamaz.names}
    assert names["KAMAZ PTC"] is NameKind.ALIAS
    assert "Публичное Акционерное Общество «Камаз» (ПАО «Камаз»)" in names
    acts = {(x.legal_act, x.measure, x.kind, x.listed_on) for x in kamaz.listings}
    assert acts == {
        ("32014R0269 Annex I.ENTITIES", "Asset freeze", "sanction", "2022-06-03"),
        ("32014R0833 Annex IV", "Export control", "export_control", "2023-02-25"),
        ("32014R0833 Annex XIII", "Financial restrictions", "sanction", None),
        ("32014R0833 Annex XIX.A", "Financial restrictions", "sanction", None),
    }
    assert {x.program for x in kamaz.listings} == {"EU-UKR", "EU-RUS"}
    assert ("tax", "1650032058") in {(i.scheme, i.value) for i in kamaz.identifiers}


def test_people_carry_dates_places_nationality_and_original_script(fixtures: Path) -> None:
    entities = _entities(fixtures / "eu" / "journal")
    kogogin = entities["sergey-anatolyevich-kogogin-1957-11-16"]
    assert kogogin.schema is Schema.PERSON
    assert [d.value for d in kogogin.birth_dates] == ["1957-11-16"]
    assert kogogin.nationalities == ["ru"]
    assert kogogin.birth_places == ["Bolshie Klyuchi, Tatarstan, USSR (now Russian Federation)"]
    assert ("Сергей Анатольевич КОГОГИН", NameKind.ALIAS) in {(n.value, n.kind) for n in kogogin.names}
    assert kogogin.listings[0].listed_on == "2025-05-20"
    assert kogogin.listings[0].reason and "KAMAZ" in kogogin.listings[0].reason
    aksyonov = entities["sergey-valeryevich-aksyonov-1972-11-26"]
    original = {n.value for n in aksyonov.names if n.kind is NameKind.ORIGINAL_SCRIPT}
    assert "Сергей Валерьевич АКСЁНОВ" in original
    # Namesakes are told apart by birth date: Kogogina is not Kogogin's record.
    assert "alfia-gumarovna-kogogina-1968-02-22" in entities


def test_amendment_replaces_the_consolidated_row(fixtures: Path) -> None:
    entities = _entities(fixtures / "eu" / "journal")
    vessel = next(e for e in entities.values() if e.schema is Schema.VESSEL)
    assert vessel.caption == "STORMBRINGER (ex KRITI VIGOR)"
    assert any(x.legal_act == "32014R0833 Annex XLII (as amended by 32026R1848)" for x in vessel.listings)
    assert len(vessel.listings) == 1


def test_publication_date_is_the_newest_consolidation_pin(fixtures: Path) -> None:
    _, _, ctx = parse_file(parse, fixtures / "eu" / "journal", DATASET)
    assert ctx.published == "2026-07-17"


def test_ids_are_stable_whatever_the_file_order(fixtures: Path, tmp_path: Path) -> None:
    flat = tmp_path / "flat"
    flat.mkdir()
    for csv_file in (fixtures / "eu" / "journal").rglob("*.csv"):
        shutil.copy(csv_file, flat / csv_file.name)
    assert sorted(_entities(flat)) == sorted(_entities(fixtures / "eu" / "journal"))


def test_cut_row_and_foreign_header_are_refused(fixtures: Path, tmp_path: Path) -> None:
    text = (fixtures / "eu" / "journal" / "consolidated" / "32014R0269.csv").read_text(encoding="utf-8")
    cut = tmp_path / "32014R0269.csv"
    cut.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(SourceFormatError):
        list(parse(ParseContext(cut, DATASET)))
    assert parse_bytes(parse, b"name,schema\nKAMAZ,Company\n", "x.csv", DATASET) is None


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("26.11.1972", ["1972-11-26"]),
        ("4 Apr. 1944", ["1944-04-04"]),
        ("2 December 1985", ["1985-12-02"]),
        ("(a) 22.2.1968, (b) 1.1.1970", ["1968-02-22", "1970-01-01"]),
        ("1959/1960", ["1959", "1960"]),
        ("Approximately 1952", ["1952"]),
    ],
)
def test_printed_dates(printed: str, expected: list[str]) -> None:
    assert [d.value for d in parse_dates(printed)] == expected


def test_printed_countries_and_identifiers() -> None:
    assert countries("(a) German, (b) Moroccan") == (["de", "ma"], [])
    assert countries("Myanmar/Burma") == (["mm"], [])
    ident = identifier("registrationNumber", "1650032058 (Tax ID/INN)")
    assert ident is not None and (ident.scheme, ident.value) == ("tax", "1650032058")


def test_full_transcription(shared_data: Path) -> None:
    entities = _entities(shared_data / "lists" / "eu-journal-transcribed-2026-08")
    assert len(entities) > 8000
    assert "kamaz" in entities
    sobyanin = entities["sergey-semyonovich-sobyanin-1958-06-21"]
    assert sobyanin.listings[0].reason and "SOBYANINE" in sobyanin.listings[0].reason.upper()


def test_registered_as_a_source() -> None:
    assert get_parser("eu_journal") is parse
