"""SDN.XML and SDN_ADVANCED.XML: hand-written fixtures that follow Treasury's schemas and
carry the real names and facts of sdn.csv (KAMAZ, KOGOGIN, SOBYANIN, PUTIN and his yachts)."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctions.errors import SanctionsError, SourceFormatError
from sanctions.model import Entity, NameKind, Relation, RelationKind, Schema
from sanctions.sources import get_parser
from sanctions.sources.base import ParseContext

COMMON_IDS = {"35096", "35217", "37444", "37445", "37756", "37767"}


def _parse(path: Path) -> tuple[dict[str, Entity], list[Relation], ParseContext]:
    ctx = ParseContext(path=path, dataset="us_ofac_sdn")
    records = list(get_parser("us_ofac_sdn")(ctx))
    entities = {r.source_id: r for r in records if isinstance(r, Entity)}
    return entities, [r for r in records if isinstance(r, Relation)], ctx


def test_sdn_xml(fixtures: Path) -> None:
    entities, relations, ctx = _parse(fixtures / "ofac" / "sdn.xml")
    assert ctx.published == "2024-05-03"
    assert ctx.warnings == []
    assert set(entities) == COMMON_IDS | {"306"}
    bank = entities["306"]
    assert [(n.value, n.kind) for n in bank.names] == [
        ("BANCO NACIONAL DE CUBA", NameKind.PRIMARY),
        ("NATIONAL BANK OF CUBA", NameKind.ALIAS),
        ("BNC", NameKind.WEAK_ALIAS),
    ]
    kamaz = entities["37756"]
    assert [d.value for d in kamaz.birth_dates] == ["1969"]
    assert ("registration", "1021602013971", "ru") in [
        (i.scheme, i.value, i.country) for i in kamaz.identifiers
    ]
    putin = entities["35096"]
    assert putin.caption == "PUTIN, Vladimir Vladimirovich"
    assert putin.gender == "male" and putin.nationalities == ["ru"]
    graceful = entities["37444"]
    assert graceful.schema is Schema.VESSEL
    assert graceful.properties["callSign"] == ["UBGV8"] and graceful.countries == ["ru"]
    assert [(i.scheme, i.value) for i in graceful.identifiers] == [("imo", "1011551")]
    pairs = {(r.subject_id, r.object_id) for r in relations}
    assert pairs == {
        ("us_ofac_sdn-37767", "us_ofac_sdn-37756"),
        ("us_ofac_sdn-37444", "us_ofac_sdn-35096"),
        ("us_ofac_sdn-37445", "us_ofac_sdn-35096"),
    }


def test_advanced_xml(fixtures: Path) -> None:
    entities, relations, ctx = _parse(fixtures / "ofac" / "sdn_advanced.xml")
    assert ctx.published == "2024-05-03"
    assert ctx.warnings == []
    assert set(entities) == COMMON_IDS
    putin = entities["35096"]
    assert [(n.value, n.kind, n.lang) for n in putin.names] == [
        ("PUTIN, Vladimir Vladimirovich", NameKind.PRIMARY, None),
        ("PUTIN, Vladimir", NameKind.ALIAS, None),
        ("Путин Владимир Владимирович", NameKind.ORIGINAL_SCRIPT, "Cyrl"),
    ]
    assert [d.value for d in putin.birth_dates] == ["1952-10-07"]
    assert putin.birth_places == ["Leningrad, Russia"]
    assert putin.nationalities == ["ru"] and putin.gender == "male"
    assert [a.full for a in putin.addresses] == ["Kremlin, Moscow, Russia"]
    assert [(s.program, s.listed_on) for s in putin.listings] == [("RUSSIA-EO14024", "2022-02-25")]
    kamaz = entities["37756"]
    assert ("KAMAZ", NameKind.WEAK_ALIAS) in [(n.value, n.kind) for n in kamaz.names]
    assert [d.value for d in kamaz.birth_dates] == ["1969"]
    assert {(i.scheme, i.value, i.country) for i in kamaz.identifiers} == {
        ("tax", "1650032058", "ru"),
        ("other", "00231515", "ru"),
        ("registration", "1021602013971", "ru"),
    }
    graceful, olympia = entities["37444"], entities["37445"]
    assert graceful.schema is Schema.VESSEL and graceful.properties["type"] == ["Yacht"]
    assert [(i.scheme, i.value) for i in graceful.identifiers] == [("imo", "1011551")]
    assert olympia.countries == ["ky"] and [(i.scheme, i.value) for i in olympia.identifiers] == [
        ("mmsi", "319766000")
    ]
    by_kind = {(r.kind, r.subject_id, r.object_id) for r in relations}
    assert (RelationKind.DIRECTOR, "us_ofac_sdn-37767", "us_ofac_sdn-37756") in by_kind
    assert (RelationKind.LINKED_TO, "us_ofac_sdn-37444", "us_ofac_sdn-35096") in by_kind
    # "Owned or Controlled By" is turned around: the owner is the subject
    assert (RelationKind.CONTROL, "us_ofac_sdn-35096", "us_ofac_sdn-37445") in by_kind


def test_formats_agree_on_ids_and_names(fixtures: Path) -> None:
    csv_entities, _, _ = _parse(fixtures / "ofac" / "sdn")
    for name in ("sdn.xml", "sdn_advanced.xml"):
        xml_entities, _, _ = _parse(fixtures / "ofac" / name)
        for source_id in COMMON_IDS:
            assert xml_entities[source_id].id == csv_entities[source_id].id
            assert xml_entities[source_id].caption == csv_entities[source_id].caption
            assert xml_entities[source_id].schema is csv_entities[source_id].schema


def _write(data: bytes, name: str = "SDN.XML") -> Path:
    path = Path(tempfile.mkdtemp()) / name
    path.write_bytes(data)
    return path


def test_truncated_xml_names_the_line(fixtures: Path) -> None:
    data = (fixtures / "ofac" / "sdn.xml").read_bytes()
    path = _write(data[: len(data) // 2])
    with pytest.raises(SourceFormatError, match="truncated") as info:
        _parse(path)
    assert info.value.line is not None


def test_truncated_advanced_xml(fixtures: Path) -> None:
    data = (fixtures / "ofac" / "sdn_advanced.xml").read_bytes()
    with pytest.raises(SourceFormatError, match="truncated"):
        _parse(_write(data[: len(data) * 2 // 3], "SDN_ADVANCED.XML"))


def test_un_xml_is_refused() -> None:
    path = _write(b'<?xml version="1.0"?><CONSOLIDATED_LIST dateGenerated="2026-02-27"><INDIVIDUALS/>'
                  b"</CONSOLIDATED_LIST>")  # fmt: skip
    with pytest.raises(SourceFormatError, match="CONSOLIDATED_LIST"):
        _parse(path)


def test_folder_with_xml_only(fixtures: Path) -> None:
    folder = Path(tempfile.mkdtemp())
    (folder / "SDN.XML").write_bytes((fixtures / "ofac" / "sdn.xml").read_bytes())
    entities, _, _ = _parse(folder)
    assert "37767" in entities


def test_entry_without_uid_is_skipped_with_a_warning() -> None:
    path = _write(
        b"<sdnList><sdnEntry><lastName>NOBODY</lastName></sdnEntry><sdnEntry><uid>1</uid>"
        b"<lastName>SOMEBODY</lastName><sdnType>Entity</sdnType></sdnEntry></sdnList>"
    )
    entities, _, ctx = _parse(path)
    assert list(entities) == ["1"]
    assert any("without uid" in w for w in ctx.warnings)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400).map(lambda b: b"<sdnList><sdnEntry><uid>1</uid>" + b))
def test_arbitrary_bytes_as_sdn_xml_raise_only_our_errors(data: bytes) -> None:
    with contextlib.suppress(SanctionsError):
        _parse(_write(data))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_arbitrary_bytes_as_xml_file_raise_only_our_errors(data: bytes) -> None:
    with contextlib.suppress(SanctionsError):
        _parse(_write(b"<" + data))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.text(alphabet=st.characters(codec="utf-8", exclude_characters="<>&"), max_size=8),
        min_size=4,
        max_size=4,
    )
)
def test_odd_values_in_advanced_xml_raise_only_our_errors(fixtures: Path, values: list[str]) -> None:
    data = (fixtures / "ofac" / "sdn_advanced.xml").read_text(encoding="utf-8")
    for old, new in zip(("1952", "10", "7", "IMO 1011551"), values, strict=True):
        data = data.replace(f">{old}<", f">{new}<", 1)
    with contextlib.suppress(SanctionsError):
        _parse(_write(data.encode("utf-8"), "SDN_ADVANCED.XML"))
