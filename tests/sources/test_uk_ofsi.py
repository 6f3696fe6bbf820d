"""OFSI Consolidated List parser (``uk_ofsi``) and the UK value helpers it shares with ``uk_fcdo``.

Fixtures: ``tests/fixtures/uk/ofsi_conlist.{xlsx,csv}`` hold the same 39 real rows (11 groups)
of the 14/04/2025 ConList, in the file's own (non-contiguous) order.
"""

from __future__ import annotations

import csv
import io
import random
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctions.errors import SourceFormatError
from sanctions.model import Entity, NameKind, Relation, RelationKind, Schema
from sanctions.sources import get_parser
from sanctions.sources.base import ParseContext
from sanctions.sources.uk_common import country_code, parse_date, split_numbered
from sanctions.sources.uk_ofsi import parse
from tests.sources.fuzzing import parse_bytes, parse_file

DATASET = "gb_hmt_sanctions"


def _run(path: Path) -> tuple[dict[str, Entity], list[Relation], ParseContext]:
    return parse_file(parse, path, DATASET)


def _csv_rows(fixtures: Path) -> list[list[str]]:
    with (fixtures / "uk" / "ofsi_conlist.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _canonical(entity: Entity) -> dict[str, object]:
    """An entity with its lists sorted: row order may change list order, never content."""
    data = entity.to_dict()
    for key, value in data.items():
        if isinstance(value, list):
            data[key] = sorted(map(repr, value))
    data["properties"] = {k: sorted(v) for k, v in entity.properties.items()}
    return data


def test_registered_as_the_gb_hmt_parser() -> None:
    assert get_parser(DATASET) is parse


def test_xlsx_fixture_folds_groups_into_entities(fixtures: Path) -> None:
    entities, relations, ctx = _run(fixtures / "uk" / "ofsi_conlist.xlsx")
    with (fixtures / "uk" / "ofsi_conlist.csv").open(encoding="utf-8") as fh:
        group_ids = {row[-1] for row in list(csv.reader(fh))[2:]}
    assert set(entities) == group_ids
    assert ctx.published == "2025-04-14"
    assert {e.id for e in entities.values()} == {f"{DATASET}-{g}" for g in group_ids}
    assert all(sum(n.kind is NameKind.PRIMARY for n in e.names) == 1 for e in entities.values())
    assert all(e.listings and e.listings[0].authority == "gb" for e in entities.values())
    assert len(relations) == 2


def test_csv_and_xlsx_give_the_same_records(fixtures: Path) -> None:
    from_xlsx = list(parse(ParseContext(fixtures / "uk" / "ofsi_conlist.xlsx", DATASET)))
    ctx = ParseContext(fixtures / "uk" / "ofsi_conlist.csv", DATASET)
    from_csv = list(parse(ctx))
    assert from_csv == from_xlsx
    assert ctx.published == "2025-04-14"


def test_kogogin_person_with_cyrillic_name(fixtures: Path) -> None:
    kogogin = _run(fixtures / "uk" / "ofsi_conlist.xlsx")[0]["15070"]
    assert kogogin.schema is Schema.PERSON
    assert kogogin.caption == "Sergey Anatolyevich KOGOGIN"
    original = [n for n in kogogin.names if n.kind is NameKind.ORIGINAL_SCRIPT]
    assert [n.value for n in original] == ["Сергей Анатольевич Когогин"]
    assert [d.value for d in kogogin.birth_dates] == ["1957-11-16"]
    assert kogogin.nationalities == ["ru"]
    assert kogogin.gender == "male"
    assert kogogin.properties["ukSanctionsListRef"] == ["RUS1124"]
    assert kogogin.properties["position"] == ["Director General of PJSC “KAMAZ”"]
    (listing,) = kogogin.listings
    assert (listing.program, listing.listed_on) == ("Russia", "2022-04-06")
    assert listing.reason is not None and listing.reason.startswith("Sergey Kogogin is the Director General")


def test_kamaz_names_languages_and_unresolved_parent(fixtures: Path) -> None:
    entities, relations, ctx = _run(fixtures / "uk" / "ofsi_conlist.xlsx")
    kamaz = entities["15332"]
    assert kamaz.schema is Schema.ORGANIZATION
    kinds = {n.value: (n.kind, n.lang) for n in kamaz.names}
    assert kinds["KAMAZ"] == (NameKind.PRIMARY, None)
    assert kinds["KAMA AUTOMOBILE PLANT"] == (NameKind.ALIAS, None)  # "Primary name variation"
    assert kinds["камаз"] == (NameKind.ORIGINAL_SCRIPT, "rus")
    assert kamaz.addresses[0].country == "ru" and "423827" in kamaz.addresses[0].full
    # Rostec is not in the excerpt: the name stays as text and is reported.
    assert kamaz.properties["parentCompany"] == ["Rostec"]
    assert any("record 15332" in w and "Rostec" in w for w in ctx.warnings)
    assert not any(r.object_id == kamaz.id for r in relations)


def test_ship_owner_relation_and_imo(fixtures: Path) -> None:
    entities, relations, _ = _run(fixtures / "uk" / "ofsi_conlist.xlsx")
    ship, owner = entities["13651"], entities["13635"]
    assert ship.schema is Schema.VESSEL
    assert ship.caption == "SAM JONG 2"
    assert [(i.scheme, i.value) for i in ship.identifiers] == [("imo", "IMO7408873")]
    assert ship.properties["flag"] == ["kp"]
    owned = [r for r in relations if r.object_id == ship.id]
    assert [(r.subject_id, r.kind, r.share) for r in owned] == [(owner.id, RelationKind.OWNER, None)]
    parent_of = [r for r in relations if r.object_id == entities["16102"].id]
    assert [r.subject_id for r in parent_of] == [entities["16109"].id]  # 7TH OF TIR <- DIO


def test_low_quality_aliases_are_weak_and_arabic_is_tagged(fixtures: Path) -> None:
    hamzi = _run(fixtures / "uk" / "ofsi_conlist.xlsx")[0]["15595"]
    weak = {n.value for n in hamzi.names if n.kind is NameKind.WEAK_ALIAS}
    assert "Muti AL-HAMZI" in weak
    assert [(n.value, n.lang) for n in hamzi.names if n.kind is NameKind.ORIGINAL_SCRIPT] == [
        ("أحمد الحمزي", "ara")
    ]
    assert [d.value for d in hamzi.birth_dates] == ["1985"]
    assert hamzi.properties["unscId"] == ["YEi.012"]


def test_group_without_primary_name_is_promoted_and_reported(fixtures: Path) -> None:
    entities, _, ctx = _run(fixtures / "uk" / "ofsi_conlist.xlsx")
    premera = entities["16789"]
    assert premera.caption == "PREMERA (H.K.) INTERNATIONAL CO, LIMITED"
    assert any(n.kind is NameKind.ORIGINAL_SCRIPT and n.lang == "zho" for n in premera.names)
    assert any("record 16789" in w and "no primary name" in w for w in ctx.warnings)


def test_group_under_two_regimes_has_two_listings(fixtures: Path) -> None:
    balaba = _run(fixtures / "uk" / "ofsi_conlist.xlsx")[0]["13922"]
    assert {listing.program for listing in balaba.listings} == {"Belarus", "Global Human Rights"}


@settings(max_examples=15, deadline=None)
@given(st.randoms(use_true_random=False))
def test_row_order_does_not_change_entities(fixtures: Path, rnd: random.Random) -> None:
    rows = _csv_rows(fixtures)
    data = rows[2:]
    rnd.shuffle(data)
    with tempfile.TemporaryDirectory() as tmp:
        shuffled = _run(_write_csv(Path(tmp) / "ConList.csv", rows[:2] + data))[0]
    original = _run(fixtures / "uk" / "ofsi_conlist.csv")[0]
    assert {k: _canonical(e) for k, e in shuffled.items()} == {k: _canonical(e) for k, e in original.items()}


def test_windows_1252_csv_is_read(fixtures: Path, tmp_path: Path) -> None:
    rows = _csv_rows(fixtures)
    kogogin = [r[:7] + [""] * 3 + r[10:] for r in rows[2:] if r[-1] == "15070"]  # Cyrillic is not cp1252
    entities = _run(_write_csv(tmp_path / "ConList.csv", rows[:2] + kogogin, "cp1252"))[0]
    assert entities["15070"].properties["position"] == ["Director General of PJSC “KAMAZ”"]


def test_rows_disagreeing_on_group_type_are_reported(fixtures: Path, tmp_path: Path) -> None:
    rows = _csv_rows(fixtures)
    type_col = rows[1].index("Group Type")
    ship_rows = [i for i, r in enumerate(rows) if i >= 2 and r[-1] == "13651"]
    rows[ship_rows[0]][type_col] = "Entity"
    entities, _, ctx = _run(_write_csv(tmp_path / "ConList.csv", rows))
    assert entities["13651"].schema is Schema.VESSEL  # the majority wins
    assert any("record 13651" in w and "Group Type" in w for w in ctx.warnings)


@pytest.mark.parametrize("column", ["Group ID", "Alias Type"])
def test_missing_required_column_is_named(fixtures: Path, tmp_path: Path, column: str) -> None:
    rows = _csv_rows(fixtures)
    index = rows[1].index(column)
    rows = [r[:index] + r[index + 1 :] for r in rows]
    with pytest.raises(SourceFormatError, match=column):
        list(parse(ParseContext(_write_csv(tmp_path / "ConList.csv", rows), DATASET)))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- \r\n', "no header row"),
        (b'<?xml version="1.0"?><CONSOLIDATED_LIST dateGenerated="2026-02-27"/>', "no header row"),
        (b"Name 6,Name 1\x00,Group ID\r\n", "malformed CSV|no header row|missing"),
    ],
)
def test_wrong_or_empty_files_raise_format_errors(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "ConList.csv"
    path.write_bytes(content)
    with pytest.raises(SourceFormatError, match=message) as info:
        list(parse(ParseContext(path, DATASET)))
    assert str(path) in str(info.value)


def test_truncated_xlsx_raises_format_error(fixtures: Path, tmp_path: Path) -> None:
    data = (fixtures / "uk" / "ofsi_conlist.xlsx").read_bytes()
    path = tmp_path / "ConList.xlsx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceFormatError):
        list(parse(ParseContext(path, DATASET)))


def test_zip_that_is_not_a_workbook_raises_format_error(tmp_path: Path) -> None:
    path = tmp_path / "ConList.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(SourceFormatError, match="XLSX"):
        list(parse(ParseContext(path, DATASET)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=400),
        st.binary(max_size=200).map(
            lambda b: b"Last Updated,14/04/2025\r\nName 6,Group Type,Alias Type,Regime,Group ID\r\n" + b
        ),
        st.binary(max_size=300).map(lambda b: b"PK\x03\x04" + b),
    )
)
def test_arbitrary_bytes_raise_only_sanctions_errors(content: bytes) -> None:
    records = parse_bytes(parse, content, "ConList.csv", DATASET)
    assert records is None or all(isinstance(r, Entity | Relation) for r in records)


# -- value helpers shared by the UK parsers -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("16/11/1957", "1957-11-16"),
        ("00/00/1961", "1961"),
        ("00/05/1960", "1960-05"),
        ("dd/mm/1945", "1945"),
        ("05/1973", "1973-05"),
        ("1951", "1951"),
        ("2025-04-14", "2025-04-14"),
        ("31/02/1970", None),
        ("circa 1960", None),
        ("", None),
    ],
)
def test_parse_date_table(text: str, expected: str | None) -> None:
    parsed = parse_date(text)
    assert (parsed.value if parsed else None) == expected


@given(st.text(max_size=30))
def test_parse_date_never_raises_and_gives_an_iso_prefix(text: str) -> None:
    parsed = parse_date(text)
    if parsed is not None:
        assert len(parsed.value) in (4, 7, 10) and parsed.year is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(1) Russia. (2) Syria", ["Russia", "Syria"]),
        ("+375 (17) 213-41-63", ["+375 (17) 213-41-63"]),
        ("(1) +7 (495) 698-94-14 (2) +7 (495) 980-15-86", ["+7 (495) 698-94-14", "+7 (495) 980-15-86"]),
        ("(1) 20645897 (2) -", ["20645897"]),
        ("Pakistan", ["Pakistan"]),
    ],
)
def test_split_numbered_table(text: str, expected: list[str]) -> None:
    assert split_numbered(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia", "ru"),
        ("Congo (Democratic Republic)", "cd"),
        ("North Korea", "kp"),
        ("Ukrainian SSR (now Ukraine)", "ua"),
        ("Iraq (previous address)", "iq"),
        ("Atlantis", None),
    ],
)
def test_country_code_table(text: str, expected: str | None) -> None:
    assert country_code(text) == expected


@pytest.mark.shared
@pytest.mark.slow
def test_full_shared_conlist(shared_data: Path) -> None:
    entities, relations, ctx = _run(shared_data / "lists" / "gb-ofsi-conlist-2025-04" / "ConList.xlsx")
    assert ctx.published == "2025-04-14"
    assert len(entities) == 4688
    assert sum(len(e.names) for e in entities.values()) == 15966
    schemas = Counter(e.schema for e in entities.values())
    assert schemas == {Schema.PERSON: 3663, Schema.ORGANIZATION: 1010, Schema.VESSEL: 15}
    assert len(relations) == 45
    kamaz = next(e for e in entities.values() if e.caption == "KAMAZ")
    rostec = next(e for e in entities.values() if any(n.value == "ROSTEC" for n in e.names))
    assert any(r.subject_id == rostec.id and r.object_id == kamaz.id for r in relations)
    kogogin = entities["15070"]
    assert "Сергей Анатольевич Когогин" in {n.value for n in kogogin.names}
    assert all(sum(n.kind is NameKind.PRIMARY for n in e.names) == 1 for e in entities.values())
