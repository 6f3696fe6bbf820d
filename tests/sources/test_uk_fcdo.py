"""UK Sanctions List (FCDO) parser (``uk_fcdo``), XML and CSV.

No real FCDO file is available offline: ``tests/fixtures/uk/fcdo_uk_sanctions_list.{xml,csv}``
follow the FCDO's published layout and carry real designations (names, ids, dates, addresses)
taken from the OFSI ConList of 14/04/2025: PUTIN, KOGOGIN, SOBYANIN, KAMAZ and its parent
ROSTEC, the tanker SAM JONG 2 and its owner KOREA SAMJONG SHIPPING, and AL-HAMZI (a UN listing
with low-quality aliases and an Arabic name).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctions.errors import SourceFormatError
from sanctions.model import Entity, NameKind, Relation, RelationKind, Schema
from sanctions.sources import get_parser
from sanctions.sources.base import ParseContext
from sanctions.sources.uk_fcdo import parse
from tests.sources.fuzzing import parse_bytes, parse_file

DATASET = "gb_fcdo_sanctions"
XML_HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n<Designations>\n<DateGenerated>14/04/2025</DateGenerated>\n'
)


def _run(path: Path) -> tuple[dict[str, Entity], list[Relation], ParseContext]:
    return parse_file(parse, path, DATASET)


def _xml(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "UK-Sanctions-List.xml"
    path.write_text(XML_HEAD + body + "\n</Designations>\n", encoding="utf-8")
    return path


def _designation(uid: str, name: str, kind: str = "Entity", extra: str = "") -> str:
    return (
        f"<Designation><UniqueID>{uid}</UniqueID><Names><Name><Name6>{name}</Name6>"
        f"<NameType>Primary Name</NameType></Name></Names><RegimeName>Russia</RegimeName>"
        f"<IndividualEntityShip>{kind}</IndividualEntityShip>{extra}</Designation>"
    )


@pytest.fixture(scope="module")
def xml_result(fixtures: Path) -> tuple[dict[str, Entity], list[Relation], ParseContext]:
    return _run(fixtures / "uk" / "fcdo_uk_sanctions_list.xml")


def test_registered_as_the_gb_fcdo_parser() -> None:
    assert get_parser(DATASET) is parse


def test_xml_fixture_counts_and_date(
    xml_result: tuple[dict[str, Entity], list[Relation], ParseContext],
) -> None:
    entities, relations, ctx = xml_result
    assert ctx.published == "2025-04-14"
    assert ctx.warnings == []
    assert len(entities) == 8
    assert {e.schema for e in entities.values()} == {Schema.PERSON, Schema.ORGANIZATION, Schema.VESSEL}
    assert all(e.id == f"{DATASET}-{e.source_id}" for e in entities.values())
    assert all(sum(n.kind is NameKind.PRIMARY for n in e.names) == 1 for e in entities.values())
    assert len(relations) == 2


def test_csv_gives_the_same_records_as_xml(
    fixtures: Path, xml_result: tuple[dict[str, Entity], list[Relation], ParseContext]
) -> None:
    entities, relations, ctx = _run(fixtures / "uk" / "fcdo_uk_sanctions_list.csv")
    assert ctx.published == "2025-04-14"
    assert ctx.warnings == []
    assert entities == xml_result[0]
    assert sorted(r.id for r in relations) == sorted(r.id for r in xml_result[1])


def test_person_details(xml_result: tuple[dict[str, Entity], list[Relation], ParseContext]) -> None:
    putin = xml_result[0]["RUS0251"]
    assert putin.schema is Schema.PERSON
    assert [(n.value, n.kind, n.lang) for n in putin.names] == [
        ("Vladimir Vladimirovich PUTIN", NameKind.PRIMARY, None),
        ("Vladimir PUTIN", NameKind.ALIAS, None),
        ("Владимир Владимирович Путин", NameKind.ORIGINAL_SCRIPT, "rus"),
    ]
    assert [d.value for d in putin.birth_dates] == ["1952-10-07"]
    assert putin.birth_places == ["St Petersburg (then Leningrad), Russia"]
    assert (putin.nationalities, putin.gender) == (["ru"], "male")
    assert putin.properties["ofsiGroupId"] == ["14196"]
    assert putin.properties["provisions"] == ["Asset freeze", "Trust services sanctions", "Travel Ban"]
    (listing,) = putin.listings
    assert (listing.authority, listing.listed_on) == ("gb", "2022-02-25")
    assert listing.program == "The Russia (Sanctions) (EU Exit) Regulations 2019"
    assert listing.reason is not None and listing.reason.startswith("Vladimir Vladimirovich Putin is")


def test_un_listing_with_weak_aliases_and_masked_birth_date(
    xml_result: tuple[dict[str, Entity], list[Relation], ParseContext],
) -> None:
    hamzi = xml_result[0]["YEM0012"]
    assert {n.value for n in hamzi.names if n.kind is NameKind.WEAK_ALIAS} == {
        "Ahmed Ali AL-HAMZI",
        "Muti AL-HAMZI",
    }
    assert [(n.value, n.lang) for n in hamzi.names if n.kind is NameKind.ORIGINAL_SCRIPT] == [
        ("أحمد الحمزي", "ara")
    ]
    assert [d.value for d in hamzi.birth_dates] == ["1985"]  # dd/mm/1985
    assert hamzi.properties["unscId"] == ["YEi.012"]
    assert hamzi.listings[0].reason is None  # UN listings carry no UK statement of reasons


def test_ship_and_its_owner(xml_result: tuple[dict[str, Entity], list[Relation], ParseContext]) -> None:
    entities, relations, _ = xml_result
    ship = entities["DPR0100"]
    assert ship.schema is Schema.VESSEL
    assert "YU_JONG_3" in {n.value for n in ship.names if n.kind is NameKind.ALIAS}  # "ALias" typo
    assert [(i.scheme, i.value) for i in ship.identifiers] == [("imo", "IMO7408873")]
    assert (ship.properties["flag"], ship.properties["pastFlags"]) == (["kp"], ["ru"])
    owner_links = [r for r in relations if r.object_id == ship.id]
    assert [r.subject_id for r in owner_links] == [entities["DPR0162"].id]


def test_parent_and_subsidiary_statements_give_one_relation(
    xml_result: tuple[dict[str, Entity], list[Relation], ParseContext],
) -> None:
    entities, relations, _ = xml_result
    kamaz, rostec = entities["RUS1422"], entities["RUS0238"]
    links = [r for r in relations if r.object_id == kamaz.id]
    assert [(r.subject_id, r.kind, r.share) for r in links] == [(rostec.id, RelationKind.OWNER, None)]
    assert kamaz.properties["parentCompany"] == ["Rostec"]
    assert rostec.properties["subsidiaries"] == ["KAMAZ"]
    assert {i.scheme for i in rostec.identifiers} == {"phone", "email", "website", "registration"}


def test_unresolved_parent_stays_as_text_with_a_warning(tmp_path: Path) -> None:
    extra = "<EntityDetails><Entity><ParentCompanies><ParentCompany>Rosatom</ParentCompany>"
    extra += "</ParentCompanies></Entity></EntityDetails>"
    entities, relations, ctx = _run(_xml(tmp_path, _designation("RUS9001", "ATOMFLOT", extra=extra)))
    assert entities["RUS9001"].properties["parentCompany"] == ["Rosatom"]
    assert relations == []
    assert any("RUS9001" in w and "Rosatom" in w for w in ctx.warnings)


def test_designations_without_or_with_repeated_ids_are_skipped(tmp_path: Path) -> None:
    body = _designation("", "NO ID") + _designation("RUS9002", "FIRST") + _designation("RUS9002", "SECOND")
    entities, _, ctx = _run(_xml(tmp_path, body))
    assert [e.caption for e in entities.values()] == ["FIRST"]
    assert any("without a UniqueID" in w for w in ctx.warnings)
    assert any("repeated UniqueID" in w for w in ctx.warnings)


def test_unknown_designation_type_is_a_legal_entity(tmp_path: Path) -> None:
    entities, _, ctx = _run(_xml(tmp_path, _designation("RUS9003", "SOMETHING", kind="Aircraft")))
    assert entities["RUS9003"].schema is Schema.LEGAL_ENTITY
    assert any("designation type" in w for w in ctx.warnings)


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    path = tmp_path / "UK-Sanctions-List.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE Designations [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>\n'
        "<Designations>" + _designation("RUS9004", "&xxe;") + "</Designations>",
        encoding="utf-8",
    )
    try:
        records = list(parse(ParseContext(path, DATASET)))
    except SourceFormatError:
        return
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else "\x00"
    assert all(hostname not in n.value for r in records if isinstance(r, Entity) for n in r.names)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (
            b'<?xml version="1.0"?>\n<CONSOLIDATED_LIST dateGenerated="2026-02-27"><INDIVIDUALS/>',
            "CONSOLIDATED_LIST",
        ),
        (XML_HEAD.encode() + b"<Designation><UniqueID>RUS0251</UniqueID><Names>", "malformed XML"),
        (b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- \r\n', "no header row"),
        (b"Report Date: 14/04/2025\r\nUnique ID,Name 6,Name 1\r\nRUS0251,PUTIN,Vladimir\r\n", "Name type"),
        (
            b"Report Date: 14/04/2025\r\nUnique ID,Name 6,Name type\r\nRUS0251,PUTIN,Primary Name\r\n",
            "Designation Type",
        ),
    ],
)
def test_bad_files_raise_format_errors(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "UK-Sanctions-List.dat"
    path.write_bytes(content)
    with pytest.raises(SourceFormatError, match=message) as info:
        list(parse(ParseContext(path, DATASET)))
    assert str(path) in str(info.value)


def test_truncated_xml_error_names_the_line(fixtures: Path, tmp_path: Path) -> None:
    text = (fixtures / "uk" / "fcdo_uk_sanctions_list.xml").read_text(encoding="utf-8")
    path = tmp_path / "UK-Sanctions-List.xml"
    path.write_text(text[: len(text) * 2 // 3], encoding="utf-8")
    with pytest.raises(SourceFormatError) as info:
        list(parse(ParseContext(path, DATASET)))
    assert info.value.line is not None


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=400),
        st.binary(max_size=300).map(lambda b: XML_HEAD.encode() + b),
        st.text(max_size=200).map(lambda t: (XML_HEAD + "<Designation>" + t).encode("utf-8")),
        st.binary(max_size=200).map(
            lambda b: b"Report Date: x\r\nUnique ID,Name 6,Name type,Designation Type\r\n" + b
        ),
    )
)
def test_arbitrary_bytes_raise_only_sanctions_errors(content: bytes) -> None:
    records = parse_bytes(parse, content, "UK-Sanctions-List.xml", DATASET)
    assert records is None or all(isinstance(r, Entity | Relation) for r in records)


def test_fcdo_and_ofsi_records_of_one_party_are_one_cluster(fixtures: Path) -> None:
    """The FCDO record names OFSI's Group ID: the index joins the two records of one party."""
    from sanctions.matching.index import Index
    from sanctions.sources.uk_ofsi import parse as parse_ofsi

    fcdo, _, _ = _run(fixtures / "uk" / "fcdo_uk_sanctions_list.xml")
    ofsi, _, _ = parse_file(parse_ofsi, fixtures / "uk" / "ofsi_conlist.csv", "gb_hmt_sanctions")
    index = Index.build([*fcdo.values(), *ofsi.values()])
    pairs = {
        entity.id: same
        for entity in fcdo.values()
        for same in entity.properties.get("sameAs", [])
        if same.removeprefix("gb_hmt_sanctions-") in ofsi
    }
    assert "gb_hmt_sanctions-15332" in pairs.values()  # KAMAZ
    for fcdo_id, ofsi_id in pairs.items():
        assert ofsi_id in {e.id for e in index.cluster(fcdo_id)}
