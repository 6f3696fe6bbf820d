"""Australia DFAT consolidated list (XLSX) parser, and the shared XLSX table reader."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctions.errors import SourceFormatError
from sanctions.model import Entity, Identifier, NameKind, PartialDate, Schema
from sanctions.sources.au_dfat import parse, parse_dates
from sanctions.sources.base import ParseContext
from sanctions.sources.xlsx import XlsxReader, cell_text
from tests.sources.fuzzing import parse_bytes, parse_file

DATASET = "au_dfat_sanctions"
HEADER = [
    "Reference", "Name of Individual or Entity", "Type", "Name Type", "Date of Birth", "Place of Birth",
    "Citizenship", "Address", "Additional Information", "Listing Information", "Committees", "Control Date",
]  # fmt: skip


def _parse(path: Path) -> tuple[dict[str, Entity], ParseContext]:
    entities, relations, ctx = parse_file(parse, path, DATASET)
    assert not relations
    return entities, ctx


def _workbook(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture(scope="module")
def excerpt(fixtures: Path) -> Path:
    return fixtures / "au" / "regulation8_excerpt.xlsx"


@pytest.fixture(scope="module")
def parsed(excerpt: Path) -> tuple[dict[str, Entity], ParseContext]:
    return _parse(excerpt)


def test_rows_fold_into_one_entity_per_base_reference(
    excerpt: Path, parsed: tuple[dict[str, Entity], ParseContext]
) -> None:
    entities, ctx = parsed
    with XlsxReader(excerpt) as reader:
        rows = [row for _, row in reader.rows(HEADER[:4])]
    bases = list(dict.fromkeys(re.match(r"\d+", str(r["Reference"]).strip()).group(0) for r in rows))  # type: ignore[union-attr]
    assert list(entities) == bases
    assert ctx.published == "2024-11-11"
    assert ctx.warnings == []
    # 2940j sits after other groups in the sheet and still joins 2940.
    assert "Chernomorneftegaz CJSC" in [n.value for n in entities["2940"].names]
    assert len(entities["2940"].names) == 11


def test_name_types(parsed: tuple[dict[str, Entity], ParseContext]) -> None:
    entities, _ = parsed
    akhund = entities["2"]
    assert akhund.caption == "MOHAMMAD HASSAN AKHUND" and akhund.schema is Schema.PERSON
    assert [n.kind for n in akhund.names] == [NameKind.PRIMARY, NameKind.ORIGINAL_SCRIPT]
    adf = {n.value: n.kind for n in entities["2943"].names}
    assert adf["NALU"] is NameKind.FORMER  # "Formerly known as"
    assert NameKind.FORMER in {n.kind for n in entities["2954"].names}  # "Previously listed as"
    assert entities["6937"].schema is Schema.ORGANIZATION and entities["6937"].caption == "Kamaz"


def test_dates_and_places(parsed: tuple[dict[str, Entity], ParseContext]) -> None:
    entities, _ = parsed
    assert entities["6678"].birth_dates == [PartialDate("1952-10-07")]  # an Excel date cell
    sobyanin = entities["7285"]
    assert [d.value for d in sobyanin.birth_dates] == ["1958-06-21", "1958-06-26", "1958-06-28"]
    akhund = entities["2"]
    assert all(d.approximate for d in akhund.birth_dates)
    assert {d.value for d in akhund.birth_dates} == {str(y) for y in [*range(1955, 1959), *range(1945, 1951)]}
    assert akhund.nationalities == ["af"]
    assert entities["4"].birth_places[1] == "Noori Village, Maiwand District, Kandahar Province, Afghanistan"


def test_identifiers_from_labelled_additional_information(
    parsed: tuple[dict[str, Entity], ParseContext],
) -> None:
    entities, _ = parsed
    assert Identifier("imo", "5342883") in entities["3164"].identifiers
    assert Identifier("passport", "D001206") in entities["127"].identifiers
    crimea = entities["2940"]
    assert Identifier("registration", "1149102099717") in crimea.identifiers
    assert Identifier("tax", "9102048801") in crimea.identifiers
    assert [a.full for a in crimea.addresses] == [
        "Prospekt Kirov 52, Simferopol, Crimea, 295000",
        "Zalki Street, 1/9, Simferopol, Crimea, 295053",
    ]


def test_listing(parsed: tuple[dict[str, Entity], ParseContext]) -> None:
    entities, _ = parsed
    (listing,) = entities["6906"].listings
    assert (listing.authority, listing.program, listing.listed_on) == (
        "au",
        "Autonomous (Russia)",
        "2022-04-06",
    )
    assert entities["2"].properties["listingInformation"][0].startswith("Listed by UN 1267 Committee")
    for entity in entities.values():
        assert entity.listings[0].listed_on and entity.listings[0].program


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1957", [("1957", False)]),
        ("16/11/1957", [("1957-11-16", False)]),
        ("circa 1960", [("1960", True)]),
        ("Approx 1961", [("1961", True)]),
        ("Between 1963 and 1965", [("1963", True), ("1964", True), ("1965", True)]),
        ("a) 1955 b) 12 Dec. 1965", [("1955", False), ("1965-12-12", False)]),
        ("Nov. 1973", [("1973-11", False)]),
        ("29-Aprl-1967", [("1967-04-29", False)]),
        ("1930-1970", [("1930", True), ("1970", True)]),
        ("a) 24/06/1402 (Hijri Calendar) b) 1 Jan. 1980", [("1980-01-01", False)]),
        ("31/02/1970", [("1970-02", False)]),
        ("na", []),
    ],
)
def test_parse_dates(text: str, expected: list[tuple[str, bool]]) -> None:
    assert [(d.value, d.approximate) for d in parse_dates(text)] == expected


@given(st.text(max_size=80))
def test_parse_dates_yields_sound_iso_prefixes(text: str) -> None:
    for date in parse_dates(text):
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date.value)
        assert date.year is not None and 1850 <= date.year <= 2100


def test_reader_finds_a_header_below_a_title_row(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "t.xlsx",
        [
            ["Last Updated", dt.datetime(2025, 4, 14)],
            [" Name  6", "Group ID"],
            ["KAMAZ", 1234.0],
            [None, None],
        ],
    )
    with XlsxReader(path) as reader:
        rows = list(reader.rows(["Name 6", "Group ID"]))
    assert rows == [(3, {"Name 6": "KAMAZ", "Group ID": 1234.0})]
    assert cell_text(1234.0) == "1234" and cell_text("\xa0a  b ") == "a b"
    assert cell_text(dt.datetime(2022, 4, 6)) == "2022-04-06"


def test_missing_column_is_named(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "m.xlsx", [HEADER[:3] + HEADER[4:], ["1", "KAMAZ", "Entity"]])
    with pytest.raises(SourceFormatError, match="'Name Type'"):
        list(parse(ParseContext(path, DATASET)))


def test_bad_rows_are_reported(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "r.xlsx",
        [
            HEADER,
            ["x1", "Bad Ref", "Entity", "Primary Name"],
            ["7", "Kamaz", "Entity", "Alias name"],
            ["7a", None, "Entity", "aka"],
        ],
    )
    entities, ctx = _parse(path)
    assert list(entities) == ["7"] and entities["7"].names[0].kind is NameKind.ALIAS
    assert len(ctx.warnings) == 3


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "not a readable XLSX"),
        (b"Reference,Name\n1,KAMAZ\n", "not a readable XLSX"),
        (b"PK\x03\x04truncated", "not a readable XLSX"),
    ],
    ids=["empty", "csv", "truncated-zip"],
)
def test_bad_files_raise_source_format_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    with pytest.raises(SourceFormatError, match=message) as info:
        list(parse(ParseContext(path, DATASET)))
    assert str(path) in str(info.value)


def test_workbook_without_the_header_and_truncated_workbook(tmp_path: Path, excerpt: Path) -> None:
    path = _workbook(tmp_path / "other.xlsx", [["Group ID", "Name 6"], [1, "KAMAZ"]])
    with pytest.raises(SourceFormatError, match="'Reference'"):
        list(parse(ParseContext(path, DATASET)))
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(excerpt.read_bytes()[:6000])
    with pytest.raises(SourceFormatError):
        list(parse(ParseContext(cut, DATASET)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300) | st.builds(lambda b: b"PK\x03\x04" + b, st.binary(max_size=300)))
def test_arbitrary_bytes_raise_only_our_errors(data: bytes) -> None:
    records = parse_bytes(parse, data, "fuzz.xlsx", DATASET)
    assert records is None or all(isinstance(r, Entity) and r.names for r in records)


def test_full_shared_file(shared_data: Path) -> None:
    path = shared_data / "lists" / "au-dfat-2024-11" / "regulation8_consolidated.xlsx"
    entities, ctx = _parse(path)
    schemas = [e.schema for e in entities.values()]
    assert len(entities) == 3062
    assert (schemas.count(Schema.PERSON), schemas.count(Schema.ORGANIZATION)) == (2316, 746)
    assert sum(len(e.names) for e in entities.values()) == 9518
    assert ctx.published == "2024-11-11"
    assert ctx.warnings == []


def test_missing_file_raises_source_format_error(tmp_path: Path) -> None:
    with pytest.raises(SourceFormatError):
        list(parse(ParseContext(tmp_path / "missing.xlsx", DATASET)))
