"""UN Security Council consolidated list XML parser."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from sanctions.errors import SourceFormatError
from sanctions.model import Entity, NameKind, PartialDate, Schema
from sanctions.sources import make_id
from sanctions.sources.base import ParseContext
from sanctions.sources.un import parse
from tests.sources.fuzzing import parse_bytes, parse_file

DATASET = "un_sc_sanctions"


def _parse(path: Path) -> tuple[dict[str, Entity], ParseContext]:
    entities, relations, ctx = parse_file(parse, path, DATASET)
    assert not relations
    return entities, ctx


@pytest.fixture(scope="module")
def excerpt(fixtures: Path) -> Path:
    return fixtures / "un" / "consolidated_excerpt.xml"


@pytest.fixture(scope="module")
def parsed(excerpt: Path) -> tuple[dict[str, Entity], ParseContext]:
    return _parse(excerpt)


def test_one_entity_per_record_with_its_dataid(
    excerpt: Path, parsed: tuple[dict[str, Entity], ParseContext]
) -> None:
    entities, ctx = parsed
    tree = etree.parse(str(excerpt))
    expected = {e.findtext("DATAID"): e.tag for e in tree.iter("INDIVIDUAL", "ENTITY")}
    assert set(entities) == set(expected)
    for source_id, tag in expected.items():
        entity = entities[source_id]
        assert entity.id == make_id(DATASET, source_id)
        assert entity.schema is (Schema.PERSON if tag == "INDIVIDUAL" else Schema.ORGANIZATION)
    assert ctx.published == "2026-02-27"
    assert ctx.warnings == []


def test_names_keep_order_and_alias_quality(parsed: tuple[dict[str, Entity], ParseContext]) -> None:
    entities, _ = parsed
    gaston = entities["6907995"]
    assert gaston.caption == "GASTON IYAMUREMYE"
    kinds = {n.value: n.kind for n in gaston.names}
    assert kinds["Rumuli"] is NameKind.WEAK_ALIAS  # QUALITY Low
    assert kinds["Victor Rumuri"] is NameKind.ALIAS  # QUALITY Good
    adf = {n.value: n.kind for n in entities["6908402"].names}
    assert adf["Allied Democratic Forces"] is NameKind.ALIAS  # a.k.a.
    assert adf["NALU"] is NameKind.FORMER  # f.k.a.
    arabic = [n for n in entities["6908051"].names if n.kind is NameKind.ORIGINAL_SCRIPT]
    assert [n.value for n in arabic] == ["عابد حامد محمود التكريتي"]
    for entity in entities.values():
        assert sum(n.kind is NameKind.PRIMARY for n in entity.names) == 1
        assert all(n.value == " ".join(n.value.split()) and n.value for n in entity.names)


def test_birth_dates_exact_approximate_between_and_noted(
    parsed: tuple[dict[str, Entity], ParseContext],
) -> None:
    entities, _ = parsed
    assert entities["6907993"].birth_dates == [PartialDate("1971")]
    assert entities["6908051"].birth_dates == [PartialDate("1957", approximate=True)]
    assert entities["6908021"].birth_dates == [PartialDate("1973", True), PartialDate("1974", True)]
    assert entities["6907996"].birth_dates == [PartialDate("1973-11")]  # only in the NOTE: "Nov. 1973"
    # Dates printed inside aliases belong to the person.
    assert PartialDate("1957-04-15") in entities["6908503"].birth_dates
    assert entities["6908473"].birth_places == [
        "Glasgow, Scotland, United Kingdom of Great Britain and Northern Ireland"
    ]


def test_documents_nationality_gender_and_reference(parsed: tuple[dict[str, Entity], ParseContext]) -> None:
    entities, _ = parsed
    ahdal = entities["111660"]
    by_value = {i.value: i for i in ahdal.identifiers}
    assert by_value["541939"].scheme == "passport" and by_value["541939"].country == "ye"
    assert by_value["216040"].scheme == "national_id"
    assert by_value["216040"].note == "Yemeni identity card number"
    assert by_value["QDi.020"].scheme == "other" and by_value["QDi.020"].note == "UN reference"
    assert ahdal.properties["unReference"] == ["QDi.020"]
    assert ahdal.nationalities == ["ye"]
    # "Número de pasaporte" is a passport too.
    assert {i.scheme for i in entities["690747"].identifiers} == {"passport", "other"}
    assert entities["6908473"].gender == "female"
    assert entities["6907995"].properties["position"][0] == "FDLR Interim President"


def test_listing_and_addresses(parsed: tuple[dict[str, Entity], ParseContext]) -> None:
    entities, _ = parsed
    (listing,) = entities["6908452"].listings
    assert (listing.authority, listing.program, listing.listed_on) == ("un", "Al-Qaida", "2015-04-07")
    assert listing.reason == entities["6908452"].remarks
    cagl = entities["6908026"]
    assert [a.full for a in cagl.addresses][1] == "Gisenyi, Rwanda"
    assert cagl.countries == ["cd", "rw"]
    # No invented relations: the parser yields entities only.
    assert all(isinstance(e, Entity) for e in entities.values())


def test_record_without_dataid_is_reported_and_skipped(tmp_path: Path, excerpt: Path) -> None:
    text = excerpt.read_text(encoding="utf-8").replace("<DATAID>6907993</DATAID>", "", 1)
    path = tmp_path / "no-id.xml"
    path.write_text(text, encoding="utf-8")
    entities, ctx = _parse(path)
    assert "6907993" not in entities and len(entities) == 14
    assert len(ctx.warnings) == 1 and "without DATAID" in ctx.warnings[0]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "broken XML"),
        (b"<?xml version='1.0'?>\n<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1", "broken XML"),
        (b'<export xmlns="http://eu.europa.ec/fpi/fsd/export"/>', "not a UN consolidated list"),
        (b'36,"AEROCARIBBEAN AIRLINES",-0-,"CUBA"\n', "broken XML"),
        (
            "<?xml version='1.0' encoding='UTF-8'?><CONSOLIDATED_LIST>Ürün</CONSOLIDATED_LIST>".encode(
                "latin-1"
            ),
            "XML",
        ),
    ],
    ids=["empty", "truncated", "eu-file", "ofac-csv", "bad-encoding"],
)
def test_bad_files_raise_source_format_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.xml"
    path.write_bytes(content)
    with pytest.raises(SourceFormatError, match=message) as info:
        list(parse(ParseContext(path, DATASET)))
    assert str(path) in str(info.value)


def test_truncated_real_file_raises_with_line(tmp_path: Path, excerpt: Path) -> None:
    data = excerpt.read_bytes()
    path = tmp_path / "cut.xml"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceFormatError) as info:
        list(parse(ParseContext(path, DATASET)))
    assert info.value.line is not None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.binary(max_size=400) | st.builds(lambda b: b"<CONSOLIDATED_LIST>" + b, st.binary(max_size=200))
)
def test_arbitrary_bytes_raise_only_our_errors(data: bytes) -> None:
    records = parse_bytes(parse, data, "fuzz.xml", DATASET)
    assert records is None or all(isinstance(r, Entity) and r.names for r in records)


def test_full_shared_file(shared_data: Path) -> None:
    path = shared_data / "lists" / "un-sc-2026-02" / "consolidated.xml"
    entities, ctx = _parse(path)
    schemas = [e.schema for e in entities.values()]
    assert schemas.count(Schema.PERSON) == 730
    assert schemas.count(Schema.ORGANIZATION) == 273
    assert sum(len(e.names) for e in entities.values()) == 4121
    assert ctx.published == "2026-02-27"
    assert ctx.warnings == []
    assert all(e.listings and e.listings[0].listed_on for e in entities.values())


def test_missing_file_raises_source_format_error(tmp_path: Path) -> None:
    with pytest.raises(SourceFormatError):
        list(parse(ParseContext(tmp_path / "missing.xml", DATASET)))
