"""Clean input: the one query builder reads countries and dates one way, and says what is wrong."""

from __future__ import annotations

import pytest

from sanctions import Query, QueryError
from sanctions.matching.clean import clean_country, clean_date


@pytest.mark.parametrize("typed", ["Russia", "RUS", "ru", "RU", "Russian Federation", " russia "])
def test_country_names_and_codes_are_one_country(typed: str) -> None:
    assert clean_country(typed) == "ru"


@pytest.mark.parametrize(
    ("typed", "code"), [("United Kingdom", "gb"), ("GBR", "gb"), ("North Korea", "kp"), ("USA", "us")]
)
def test_common_variants(typed: str, code: str) -> None:
    assert clean_country(typed) == code


def test_an_unknown_country_is_an_error() -> None:
    with pytest.raises(QueryError, match="unknown country 'Narnia'"):
        clean_country("Narnia")


@pytest.mark.parametrize(
    ("typed", "iso"),
    [
        ("1952", "1952"),
        ("1952-10", "1952-10"),
        ("1952-10-07", "1952-10-07"),
        ("1952-10-07T00:00:00Z", "1952-10-07"),
        ("25/10/1952", "1952-10-25"),  # only one reading: day first
        ("10/25/1952", "1952-10-25"),  # only one reading: month first
        ("07/07/1952", "1952-07-07"),  # both readings agree
    ],
)
def test_iso_dates_and_partial_years(typed: str, iso: str) -> None:
    assert clean_date(typed) == iso


def test_an_ambiguous_date_is_an_error_unless_a_format_is_given() -> None:
    with pytest.raises(QueryError, match="ambiguous date '07/10/1952'"):
        clean_date("07/10/1952")
    assert clean_date("07/10/1952", "%d/%m/%Y") == "1952-10-07"
    assert clean_date("07/10/1952", "%m/%d/%Y") == "1952-07-10"
    assert clean_date("10.1952", "%m.%Y") == "1952-10"
    assert clean_date("1952", "%Y") == "1952"


@pytest.mark.parametrize("typed", ["1952-13-45", "1952-02-30", "1952-00", "32/13/1952", "0000"])
def test_an_impossible_date_is_an_error(typed: str) -> None:
    with pytest.raises(QueryError, match="impossible date"):
        clean_date(typed)


def test_a_date_not_in_its_format_is_an_error() -> None:
    with pytest.raises(QueryError, match="does not have the format"):
        clean_date("1952-10-07", "%d/%m/%Y")
    with pytest.raises(QueryError, match="unreadable date"):
        clean_date("last spring")


def test_from_fields_maps_fields_by_schema_and_cleans_them() -> None:
    person = Query.from_fields(
        "Vladimir Putin", schema="Person", birth_date=["07/10/1952"], country=["Russia", "RUS"],
        date_format="%d/%m/%Y",
    )  # fmt: skip
    assert person.properties == {
        "name": ["Vladimir Putin"],
        "birthDate": ["1952-10-07"],
        "nationality": ["ru"],
    }
    company = Query.from_fields("KAMAZ", schema="Company", birth_date=["1969"], country=["Russia"])
    assert company.properties["incorporationDate"] == ["1969"] and company.properties["country"] == ["ru"]
    vessel = Query.from_fields("SEA STAR", schema="Vessel", country=["Panama"], identifier=["IMO 9187629"])
    assert vessel.properties["flag"] == ["pa"] and vessel.properties["idNumber"] == ["IMO 9187629"]


def test_a_listed_country_is_no_conflict_whatever_the_spelling() -> None:
    listed = Query.from_fields("Vladimir Putin", schema="Person", country=["ru"]).to_party()
    for typed in ("Russia", "RUS", "ru"):
        party = Query.from_fields("Vladimir Putin", schema="Person", country=[typed]).to_party()
        assert party.countries == listed.countries == frozenset({"ru"})


def test_from_dict_cleans_like_from_fields() -> None:
    query = Query.from_dict({"schema": "Person", "properties": {"name": "X", "nationality": ["Russia"]}})
    assert query.properties == {"name": ["X"], "nationality": ["ru"]}
    with pytest.raises(QueryError, match="impossible date"):
        Query.from_dict({"schema": "Person", "properties": {"name": ["X"], "birthDate": ["1952-13-45"]}})


def test_unknown_schema_and_property_list_the_known_ones() -> None:
    with pytest.raises(QueryError, match="unknown schema 'Persn'; expected one of Person"):
        Query.from_fields("X", schema="Persn")
    with pytest.raises(QueryError, match=r"unknown property 'brthDate'; properties used in .*birthDate"):
        Query.from_fields("X", properties={"brthDate": ["1952"]})
    # Any FtM property is accepted, even one matching does not read.
    assert Query.from_fields("X", properties={"address": ["Moscow"]}).properties["address"] == ["Moscow"]


NAMELESS = [{"schema": "Person"}, {"schema": "Person", "properties": {"birthDate": "1952"}}]


@pytest.mark.parametrize("data", NAMELESS)
def test_a_query_without_names_is_an_error(data: dict[str, object]) -> None:
    with pytest.raises(QueryError, match="no name to screen"):
        Query.from_dict(data)


def test_an_identifier_alone_is_a_query() -> None:
    assert Query.from_dict({"schema": "Vessel", "properties": {"imoNumber": ["9187629"]}}).properties
