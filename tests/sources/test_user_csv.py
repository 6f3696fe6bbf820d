"""User watchlist CSV: golden files, delimiters and encodings, row problems, fuzzing."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctions.errors import SanctionsError, SourceFormatError
from sanctions.model import IDENTIFIER_SCHEMES, NameKind, Schema
from sanctions.sources import get_parser
from sanctions.sources.base import ParseContext
from sanctions.sources.user_csv import (
    COLUMNS,
    SCHEMA_WORDS,
    SCHEME_SYNONYMS,
    parse,
    parse_partial_date,
    parse_schema,
)
from tests.sources.fuzzing import parse_bytes

USER = Path(__file__).parent.parent / "fixtures" / "user"


def _golden(name: str) -> list[tuple[str, str]]:
    with (USER / name).open(encoding="utf-8", newline="") as handle:
        return [(row["text"], row["expected"]) for row in csv.DictReader(handle)]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_registered_as_csv_source() -> None:
    assert get_parser("csv") is parse


def test_watchlist_matches_golden_file(fixtures: Path) -> None:
    ctx = ParseContext(fixtures / "user" / "watchlist.csv", "internal")
    records = [json.loads(json.dumps(e.to_dict())) for e in parse(ctx)]
    expected = json.loads((fixtures / "user" / "watchlist.expected.json").read_text(encoding="utf-8"))
    assert records == expected["records"]
    assert ctx.warnings == expected["warnings"] == []


def test_every_row_is_listed_by_the_dataset(fixtures: Path) -> None:
    entities = list(parse(ParseContext(fixtures / "user" / "watchlist.csv", "internal")))
    assert entities and all(e.listings and e.listings[0].authority == "internal" for e in entities)
    kogogin = next(e for e in entities if e.source_id == "kogogin")
    assert kogogin.schema is Schema.PERSON
    assert [n.kind for n in kogogin.names] == [NameKind.PRIMARY, NameKind.ALIAS, NameKind.ORIGINAL_SCRIPT]
    aurus = next(e for e in entities if e.source_id == "aurus")
    assert aurus.schema is Schema.LEGAL_ENTITY and aurus.listings[0].program is None  # no type, no list


def test_semicolon_delimited_with_bom_and_crlf(fixtures: Path) -> None:
    ctx = ParseContext(fixtures / "user" / "watchlist-semicolon.csv", "internal")
    jac, renault = list(parse(ctx))
    assert ctx.warnings == []
    assert (jac.source_id, renault.source_id) == ("1", "2")  # no id column: the row number
    assert jac.schema is Schema.COMPANY and jac.countries == ["cn"]
    assert [(n.value, n.kind) for n in jac.names] == [
        ("JAC Motors", NameKind.PRIMARY),
        ("Anhui Jianghuai Automobile Group", NameKind.ALIAS),
        ("江淮汽车", NameKind.ORIGINAL_SCRIPT),
    ]
    assert [(i.scheme, i.value) for i in jac.identifiers] == [("website", "https://www.jac.com.cn")]
    assert jac.listings[0].program == "Supplier review"
    assert renault.countries == ["fr"] and renault.identifiers == []


def test_tab_delimited(tmp_path: Path) -> None:
    path = _write(tmp_path / "tabs.csv", "name\ttype\tcountry\nKAMAZ\tcompany\tRU;KZ\n")
    (entity,) = list(parse(ParseContext(path, "t")))
    assert entity.caption == "KAMAZ" and entity.countries == ["ru", "kz"]


def test_row_problems_are_warned_with_line_numbers(fixtures: Path) -> None:
    ctx = ParseContext(fixtures / "user" / "watchlist-problems.csv", "internal")
    entities = {e.source_id: e for e in parse(ctx)}
    assert sorted(entities) == ["p1", "p3", "p5"]
    person = entities["p1"]
    assert [d.value for d in person.birth_dates] == ["1970"]  # 1970-02-30 dropped
    assert person.countries == ["de"]  # Narnia dropped
    assert person.listings[0].listed_on is None  # 2024-13-01 dropped
    schemes = [(i.scheme, i.value, i.note) for i in person.identifiers]
    assert schemes == [("tax", "7701234567", "INN"), ("other", "X123", "licence"), ("other", "LOOSE99", None)]
    assert entities["p3"].schema is Schema.LEGAL_ENTITY  # "boat" is unknown
    assert entities["p5"].schema is Schema.VESSEL and entities["p5"].caption == "Multi Line Name"
    expected = [
        ("line 1", "colour"),
        ("line 2", "1970-02-30"),
        ("line 2", "Narnia"),
        ("line 2", "licence"),
        ("line 2", "2024-13-01"),
        ("line 3", "without a name"),
        ("line 4", "boat"),
        ("line 5", "'p1' repeats"),
    ]
    assert len(ctx.warnings) == len(expected)
    for warning, (line, text) in zip(ctx.warnings, expected, strict=True):
        assert f"watchlist-problems.csv, {line}:" in warning and text in warning


def test_missing_name_column_names_the_columns_found(tmp_path: Path) -> None:
    path = _write(tmp_path / "no-name.csv", "full_name,country\nKAMAZ,RU\n")
    with pytest.raises(SourceFormatError, match="columns found: full_name, country") as caught:
        list(parse(ParseContext(path, "x")))
    assert caught.value.line == 1


def test_duplicate_columns_raise(tmp_path: Path) -> None:
    path = _write(tmp_path / "dup.csv", "name,Name\nA,B\n")
    with pytest.raises(SourceFormatError, match="duplicate columns: name"):
        list(parse(ParseContext(path, "x")))


def test_not_utf8_raises_with_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("name\nKAMAZ\nSociété Générale\n".encode("latin-1"))
    with pytest.raises(SourceFormatError, match="not UTF-8") as caught:
        list(parse(ParseContext(path, "x")))
    assert caught.value.line == 3


@pytest.mark.parametrize(("text", "expected"), _golden("dates.csv"))
def test_partial_dates_golden(text: str, expected: str) -> None:
    parsed = parse_partial_date(text)
    assert (parsed.value if parsed else "") == expected


@pytest.mark.parametrize(("text", "expected"), _golden("schema-words.csv"))
def test_schema_words_golden(text: str, expected: str) -> None:
    schema = parse_schema(text)
    assert (schema.value if schema else "") == expected


_NAME = st.text(
    alphabet=st.characters(categories=("L", "N", "Zs", "Pd", "Po"), exclude_characters=";\x85\xa0"),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip())


@settings(max_examples=60, deadline=None)
@given(st.lists(_NAME, min_size=1, max_size=5), st.sampled_from([",", ";", "\t"]))
def test_names_survive_quoting_and_delimiters(names: list[str], delimiter: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["name", "aliases"])
    for name in names:
        writer.writerow([name, ";".join(names)])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "names.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        entities = list(parse(ParseContext(path, "h")))
    assert [e.caption for e in entities] == [" ".join(n.split()) for n in names]
    for entity in entities:
        assert [n.kind for n in entity.names].count(NameKind.PRIMARY) == 1


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_raise_only_our_errors(data: bytes) -> None:
    parse_bytes(parse, data, "fuzz.csv", "fuzz")


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_under_a_valid_header_raises_only_our_errors(body: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_text("name,type,birth_date,country,identifiers,id\n" + body, encoding="utf-8")
        with contextlib.suppress(SanctionsError):
            for entity in parse(ParseContext(path, "fuzz")):
                assert entity.names and entity.listings


def test_docs_name_every_column_and_scheme() -> None:
    docs = (Path(__file__).parent.parent.parent / "docs" / "formats.md").read_text(encoding="utf-8")
    for word in (*COLUMNS, *IDENTIFIER_SCHEMES, *SCHEME_SYNONYMS, *SCHEMA_WORDS):
        assert f"`{word}`" in docs, word
