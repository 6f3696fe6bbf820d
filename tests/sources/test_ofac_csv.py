"""OFAC legacy CSV sets: real excerpts of sdn.csv (2024) with alt/add.csv (2026), and the
consolidated list (2025-12) with its comments file."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctions.errors import SanctionsError, SourceFormatError
from sanctions.model import Entity, NameKind, Relation, RelationKind, Schema
from sanctions.sources import get_parser
from sanctions.sources.base import ParseContext

SDN_IDS = {"306", "35096", "35217", "37444", "37445", "37756", "37758", "37759", "37764", "37765", "37767",
           "27307", "7782", "12057", "15962", "2679", "6944", "15431", "4243"}  # fmt: skip


def _parse(
    path: Path, dataset: str = "us_ofac_sdn"
) -> tuple[dict[str, Entity], list[Relation], ParseContext]:
    ctx = ParseContext(path=path, dataset=dataset)
    records = list(get_parser(dataset)(ctx))
    entities = {r.source_id: r for r in records if isinstance(r, Entity)}
    relations = [r for r in records if isinstance(r, Relation)]
    assert len(entities) + len(relations) == len(records)
    return entities, relations, ctx


@pytest.fixture(scope="module")
def sdn(fixtures: Path) -> tuple[dict[str, Entity], list[Relation], ParseContext]:
    return _parse(fixtures / "ofac" / "sdn")


def test_sdn_entities_and_types(sdn: tuple[dict[str, Entity], list[Relation], ParseContext]) -> None:
    entities, _, _ = sdn
    assert set(entities) == SDN_IDS
    assert entities["37767"].schema is Schema.PERSON
    assert entities["37756"].schema is Schema.ORGANIZATION
    assert entities["37444"].schema is Schema.VESSEL
    assert entities["15431"].schema is Schema.AIRCRAFT
    assert all(e.id == f"us_ofac_sdn-{e.source_id}" for e in entities.values())


def test_kogogin(sdn: tuple[dict[str, Entity], list[Relation], ParseContext]) -> None:
    kogogin = sdn[0]["37767"]
    assert kogogin.caption == "KOGOGIN, Sergei Anatolyevich"
    assert ("KOGOGIN, Sergey", NameKind.ALIAS) in [(n.value, n.kind) for n in kogogin.names]
    assert [d.value for d in kogogin.birth_dates] == ["1957-11-16"]
    assert kogogin.nationalities == ["ru"]
    assert kogogin.gender == "male"
    assert [(i.scheme, i.value, i.country) for i in kogogin.identifiers] == [("tax", "164804995925", "ru")]
    assert [(s.authority, s.program) for s in kogogin.listings] == [("us", "RUSSIA-EO14024")]
    assert kogogin.remarks is not None and kogogin.remarks.startswith("DOB 16 Nov 1957")


def test_vessel_columns(sdn: tuple[dict[str, Entity], list[Relation], ParseContext]) -> None:
    olympia = sdn[0]["37445"]
    assert olympia.properties["callSign"] == ["ZCGR"]
    assert olympia.properties["flag"] == ["Cayman Islands"]
    assert "ky" in olympia.countries
    assert {(i.scheme, i.value) for i in olympia.identifiers} == {("imo", "1006960"), ("mmsi", "319766000")}
    putin = sdn[0]["35096"]
    assert putin.properties["position"] == ["President of the Russian Federation"]
    assert "Kremlin, Moscow, Russia" in [a.full for a in putin.addresses]


def test_several_programs_and_weak_and_former_names(
    sdn: tuple[dict[str, Entity], list[Relation], ParseContext],
) -> None:
    entities = sdn[0]
    assert [s.program for s in entities["12057"].listings][:3] == ["SDGT", "NPWMD", "IRGC"]
    assert ("BNC", NameKind.WEAK_ALIAS) in [(n.value, n.kind) for n in entities["306"].names]
    assert ("ANA I", NameKind.FORMER) in [(n.value, n.kind) for n in entities["4243"].names]


def test_linked_to_relations(sdn: tuple[dict[str, Entity], list[Relation], ParseContext]) -> None:
    entities, relations, _ = sdn
    pairs = {(r.subject_id, r.object_id) for r in relations}
    kamaz, putin = entities["37756"].id, entities["35096"].id
    for subsidiary in ("37758", "37759", "37764", "37765", "37767"):
        assert (entities[subsidiary].id, kamaz) in pairs
    assert (entities["37444"].id, putin) in pairs and (entities["37445"].id, putin) in pairs
    assert all(r.kind is RelationKind.LINKED_TO for r in relations)
    assert len({r.id for r in relations}) == len(relations)


def test_orphans_and_unresolved_links_are_reported(
    sdn: tuple[dict[str, Entity], list[Relation], ParseContext],
) -> None:
    warnings = sdn[2].warnings
    assert any("alt.csv" in w and "4 rows refer to" in w for w in warnings)
    assert any("add.csv" in w and "absent from the primary file" in w for w in warnings)
    # the aircraft EP-GOM is linked to POUYA AIR, which this excerpt does not hold
    assert any("record 15431" in w and "POUYA AIR" in w for w in warnings)
    assert any("record 27307" in w and "cut-off" in w for w in warnings)


def test_consolidated_comments_continue_remarks(fixtures: Path) -> None:
    entities, relations, ctx = _parse(fixtures / "ofac" / "cons", "us_ofac_cons")
    bank = entities["17014"]
    assert bank.remarks is not None and "Registration Number 1027700342890 (Russia)" in bank.remarks
    assert ("registration", "1027700342890") in [(i.scheme, i.value) for i in bank.identifiers]
    assert ("RUSAG", NameKind.WEAK_ALIAS) in [(n.value, n.kind) for n in bank.names]
    assert ("swift", "RUAGRUMM") in [(i.scheme, i.value) for i in bank.identifiers]
    assert bank.listings[0].listed_on == "2022-02-24"
    assert [s.program for s in bank.listings] == ["UKRAINE-EO13662", "RUSSIA-EO14024"]
    assert all(e.dataset == "us_ofac_cons" for e in entities.values())
    assert any("HAMAS" in w for w in ctx.warnings)  # Linked To an SDN-only entry


def test_single_primary_file(fixtures: Path) -> None:
    entities, relations, _ = _parse(fixtures / "ofac" / "sdn" / "sdn.csv")
    assert set(entities) == SDN_IDS
    assert [n.kind for n in entities["37767"].names] == [NameKind.PRIMARY]  # no alt.csv read
    assert relations


def _write(data: bytes, name: str = "sdn.csv") -> Path:
    folder = Path(tempfile.mkdtemp())
    (folder / name).write_bytes(data)
    return folder / name


def test_cp1252_file_is_read(fixtures: Path) -> None:
    data = (
        (fixtures / "ofac" / "sdn" / "sdn.csv")
        .read_bytes()
        .replace(b"SAHINPASIC", "ŠAHINPAŠIĆ".encode("cp1250"))
    )
    data = data.replace(b"Foca", "Fo\u00e7a".encode("cp1252"))
    entities, _, _ = _parse(_write(data))
    assert "Fo\u00e7a, Bosnia-Herzegovina" in entities["7782"].birth_places


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \r\n\x1a", "empty"),
        (b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA"\r\n', "expected 12"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP/XLSX"),
        (b'36,"A",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n37,"B"\r\n', "expected 12 columns"),
        (b'X1,"A",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n', "ent_num must be a number"),
        (b'36,"A\x00",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n', "NUL"),
    ],
)
def test_bad_csv_raises_source_format_error(data: bytes, message: str) -> None:
    path = _write(data)
    with pytest.raises(SourceFormatError, match=message) as info:
        list(get_parser("us_ofac_sdn")(ParseContext(path=path, dataset="us_ofac_sdn")))
    assert str(path) in str(info.value)


def test_bad_row_in_folder_names_file_and_line(fixtures: Path) -> None:
    folder = Path(tempfile.mkdtemp())
    shutil.copytree(fixtures / "ofac" / "sdn", folder, dirs_exist_ok=True)
    with (folder / "add.csv").open("ab") as handle:
        handle.write(b'37756,99,"too few"\r\n')
    with pytest.raises(SourceFormatError) as info:
        list(get_parser("us_ofac_sdn")(ParseContext(path=folder, dataset="us_ofac_sdn")))
    assert info.value.path.endswith("add.csv") and info.value.line is not None


def test_folder_without_ofac_files() -> None:
    with pytest.raises(SourceFormatError, match="no OFAC file"):
        list(get_parser("us_ofac_sdn")(ParseContext(path=Path(tempfile.mkdtemp()), dataset="us_ofac_sdn")))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_arbitrary_bytes_as_sdn_csv_raise_only_our_errors(data: bytes) -> None:
    path = _write(data)
    with contextlib.suppress(SanctionsError):
        list(get_parser("us_ofac_sdn")(ParseContext(path=path, dataset="us_ofac_sdn")))
