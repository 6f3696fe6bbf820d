"""EU Financial Sanctions Files parser: XML and CSV variants."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctions.errors import SourceFormatError
from sanctions.model import Entity, Identifier, NameKind, PartialDate, Schema
from sanctions.sources.base import ParseContext
from sanctions.sources.eu_fsf import EntityBuilder, is_latin, iso_date, parse
from tests.sources.fuzzing import parse_bytes, parse_file

DATASET = "eu_fsf"
HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2026-01-02T10:00:00+01:00">'
)


def _parse(path: Path) -> tuple[dict[str, Entity], ParseContext]:
    entities, relations, ctx = parse_file(parse, path, DATASET)
    assert not relations
    return entities, ctx


def _by_caption(entities: dict[str, Entity], word: str) -> Entity:
    (entity,) = [e for e in entities.values() if word in e.caption]
    return entity


@pytest.fixture(scope="module", params=["fsf_ukr.xml", "fsf_ukr.csv"])
def parsed(request: pytest.FixtureRequest, fixtures: Path) -> tuple[dict[str, Entity], ParseContext]:
    return _parse(fixtures / "eu" / request.param)


def test_file_date_and_subject_types(parsed: tuple[dict[str, Entity], ParseContext]) -> None:
    entities, ctx = parsed
    assert ctx.published == "2026-08-05"
    assert ctx.warnings == []
    assert len(entities) == 8
    assert _by_caption(entities, "KAMAZ").schema is Schema.ORGANIZATION
    assert _by_caption(entities, "Kartsev").schema is Schema.ORGANIZATION
    assert sum(e.schema is Schema.PERSON for e in entities.values()) == 6


def test_names_primary_alias_and_original_script(parsed: tuple[dict[str, Entity], ParseContext]) -> None:
    entities, _ = parsed
    sobyanin = _by_caption(entities, "SOBYANIN")
    assert sobyanin.caption == "Sergey Semyonovich SOBYANIN"
    kinds = {n.value: (n.kind, n.lang) for n in sobyanin.names}
    assert kinds["Sergei Semyonovich SOBYANINE"] == (NameKind.ALIAS, None)
    assert kinds["Сергей Семёнович СОБЯНИН"] == (NameKind.ORIGINAL_SCRIPT, "ru")
    aksyonov = _by_caption(entities, "AKSYONOV")
    assert [n.lang for n in aksyonov.names if n.kind is NameKind.ORIGINAL_SCRIPT] == ["ru", "uk"]
    kamaz = _by_caption(entities, "KAMAZ")
    assert [n.value for n in kamaz.names] == ["PJSC KAMAZ", "KAMAZ PTC", "ПАО 'КАМАЗ'"]


def test_dates_places_identifiers_and_addresses(parsed: tuple[dict[str, Entity], ParseContext]) -> None:
    entities, _ = parsed
    kogogin = _by_caption(entities, "KOGOGIN")
    assert kogogin.birth_dates == [PartialDate("1957-11-16")]
    assert kogogin.birth_places == ["Bolshie Klyuchi, Tatarstan, RUSSIAN FEDERATION"]
    assert kogogin.identifiers == [Identifier("tax", "164804995925", "ru")]
    assert kogogin.nationalities == ["ru"] and kogogin.gender == "male"
    assert kogogin.properties["position"] == ["General Director of the Management Board of KAMAZ PJSC"]
    kurbanov = _by_caption(entities, "KURBANOV")
    assert Identifier("passport", "4615 949409", "ru") in kurbanov.identifiers
    other = [i for i in kurbanov.identifiers if i.scheme == "other"]
    assert other == [Identifier("other", "У-184386", "ru", "Other identification number")]
    assert kurbanov.birth_places == []  # country code 00 (UNKNOWN) is no place
    kartsev = _by_caption(entities, "Kartsev")
    assert {i.scheme for i in kartsev.identifiers} == {"registration", "tax"}
    assert kartsev.addresses[0].full == "Profsoyuznaya street 108, Moscow, RUSSIAN FEDERATION"
    assert kartsev.addresses[0].country == "ru"


def test_listings_use_designation_date_and_programme(parsed: tuple[dict[str, Entity], ParseContext]) -> None:
    entities, _ = parsed
    for entity in entities.values():
        (listing,) = entity.listings
        assert listing.authority == "eu" and listing.program == "UKR"
        assert listing.reason == entity.remarks and listing.reason
    assert _by_caption(entities, "KHARITONOV").listings[0].listed_on == "2021-12-13"
    assert _by_caption(entities, "PUTIN").listings[0].listed_on == "2022-02-25"


def test_xml_and_csv_give_the_same_entities(fixtures: Path) -> None:
    from_xml, _ = _parse(fixtures / "eu" / "fsf_ukr.xml")
    from_csv, _ = _parse(fixtures / "eu" / "fsf_ukr.csv")
    assert [e.to_dict() for e in from_xml.values()] == [e.to_dict() for e in from_csv.values()]


def test_builder_weak_alias_circa_range_and_regulation_date() -> None:
    ctx = ParseContext(Path("inline"), DATASET)
    builder = EntityBuilder(ctx, "42")
    builder.set_subject_type({"code": "person"})
    builder.add_name({"wholeName": "Vladimir Vladimirovich PUTIN", "strong": "true"})
    builder.add_name({"wholeName": "PUTIN", "strong": "false"})
    builder.add_birthdate({"year": "1952", "circa": "true", "countryIso2Code": "00"})
    builder.add_birthdate({"yearRangeFrom": "1950", "yearRangeTo": "1953"})
    builder.add_regulation({"programme": "UKR", "publicationDate": "2022-02-25"})
    builder.add_regulation({"programme": "UKR", "publicationDate": "2014-03-17"})
    builder.add_regulation({"programme": "RUS", "publicationDate": "2023-06-23"})
    entity = builder.finish()
    assert entity is not None
    assert [n.kind for n in entity.names] == [NameKind.PRIMARY, NameKind.WEAK_ALIAS]
    assert entity.birth_dates == [
        PartialDate("1952", True),
        PartialDate("1950", True),
        PartialDate("1953", True),
    ]
    assert [(li.program, li.listed_on) for li in entity.listings] == [
        ("UKR", "2014-03-17"),
        ("RUS", "2023-06-23"),
    ]


def test_identification_remark_and_missing_name(tmp_path: Path) -> None:
    path = tmp_path / "inline.xml"
    path.write_text(
        HEADER
        + '<sanctionEntity logicalId="1"><subjectType code="person"/>'
        + '<nameAlias wholeName="Robert Gabriel Mugabe"/>'
        + '<identification number="AD001095" identificationTypeCode="passport" countryIso2Code="00">'
        + "<remark>(passport)</remark></identification></sanctionEntity>"
        + '<sanctionEntity logicalId="2"><subjectType code="enterprise"/></sanctionEntity>'
        + '<sanctionEntity><nameAlias wholeName="No id"/></sanctionEntity></export>',
        encoding="utf-8",
    )
    entities, ctx = _parse(path)
    assert list(entities) == ["1"]
    assert entities["1"].identifiers == [Identifier("passport", "AD001095", None, "(passport)")]
    assert ctx.published == "2026-01-02"
    assert len(ctx.warnings) == 2


def test_csv_rows_of_an_ended_entity_are_reported(tmp_path: Path, fixtures: Path) -> None:
    lines = (fixtures / "eu" / "fsf_ukr.csv").read_text(encoding="utf-8-sig").splitlines()
    path = tmp_path / "shuffled.csv"
    path.write_text("\n".join([lines[0], *lines[2:], lines[1]]) + "\n", encoding="utf-8")
    entities, ctx = _parse(path)
    assert len(entities) == 8
    assert len(ctx.warnings) == 1 and "record 9001" in ctx.warnings[0]


def test_helpers() -> None:
    assert iso_date("05/08/2026") == "2026-08-05"
    assert iso_date("2022-02-25+01:00") == "2022-02-25"
    assert iso_date("soon") is None
    assert is_latin("Bălți Nyaksimvol") and not is_latin("ПАО 'КАМАЗ'")


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty file"),
        (HEADER.encode() + b'<sanctionEntity logicalId="1"><nameAlias wholeName="A', "broken XML"),
        (b'<?xml version="1.0"?>\n<CONSOLIDATED_LIST dateGenerated="2026-02-27"/>', "not an EU FSF export"),
        (b'36,"AEROCARIBBEAN AIRLINES",-0-,"CUBA",-0-,-0-\n', "missing required column"),
        (
            b"fileGenerationDate;Entity_LogicalId;Entity_SubjectType\n01/01/2026;1;person\n",
            "NameAlias_WholeName",
        ),
        (
            "Entity_LogicalId;Entity_SubjectType;NameAlias_WholeName\n1;person;Gérard\n".encode("latin-1"),
            "not UTF-8",
        ),
    ],
    ids=["empty", "truncated-xml", "un-xml", "ofac-csv", "missing-column", "bad-encoding"],
)
def test_bad_files_raise_source_format_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad"
    path.write_bytes(content)
    with pytest.raises(SourceFormatError, match=message) as info:
        list(parse(ParseContext(path, DATASET)))
    assert str(path) in str(info.value)


def test_real_ofac_and_un_files_are_refused(shared_data: Path) -> None:
    for path in (
        shared_data / "lists" / "us-ofac-sdn-2024-05" / "sdn.csv",
        shared_data / "lists" / "un-sc-2026-02" / "consolidated.xml",
    ):
        with pytest.raises(SourceFormatError):
            list(parse(ParseContext(path, DATASET)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.binary(max_size=400)
    | st.builds(lambda b: HEADER.encode() + b, st.binary(max_size=200))
    | st.builds(
        lambda b: b"Entity_LogicalId;Entity_SubjectType;NameAlias_WholeName\n" + b, st.binary(max_size=200)
    )
)
def test_arbitrary_bytes_raise_only_our_errors(data: bytes) -> None:
    records = parse_bytes(parse, data, "fuzz", DATASET)
    assert records is None or all(isinstance(r, Entity) and r.names for r in records)


def test_missing_file_raises_source_format_error(tmp_path: Path) -> None:
    with pytest.raises(SourceFormatError):
        list(parse(ParseContext(tmp_path / "missing.xml", DATASET)))
