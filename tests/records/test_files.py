"""Customer files: every format to the same customers, bad rows reported by line, cleaning."""

from __future__ import annotations

import csv
from pathlib import Path

import orjson
import pytest

from sanctions.errors import SourceFormatError
from sanctions.records import Customer, parse_mapping, read_customers

FIXTURE = Path(__file__).parent.parent / "fixtures" / "customers" / "customers.csv"


SCHEMA = {"person": "Person", "individual": "Person", "company": "Company"}


def _rows() -> list[dict[str, str]]:
    with FIXTURE.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _summary(customers: list[Customer]) -> list[tuple[str, str, dict[str, list[str]]]]:
    return [(c.id, c.schema, c.properties) for c in customers]


def test_csv_keeps_good_rows_and_reports_bad_ones_by_line() -> None:
    result = read_customers(FIXTURE)
    assert [c.id for c in result.customers] == ["C001", "C006", "C007"]
    putin = result.customers[0]
    assert putin.schema == "Person"
    assert putin.properties == {
        "name": ["Vladimir Putin"],
        "birthDate": ["1952-10-07"],
        "nationality": ["ru"],
    }
    assert putin.extra == {"segment": "retail"}
    assert result.customers[1].properties["nationality"] == ["kp"]  # DPRK
    assert result.customers[2].properties["idNumber"] == ["HE 123456"]
    problems = {(p.line, p.field) for p in result.problems}
    assert problems == {(3, "birthDate"), (4, "name"), (5, "id"), (6, "nationality"), (9, "id")}
    assert "1970-02-31" in next(str(p) for p in result.problems if p.line == 3)
    assert "first at line 2" in next(str(p) for p in result.problems if p.line == 9)


@pytest.mark.parametrize("value", ["Russia", "RUS", "ru", "Russian Federation"])
def test_countries_are_cleaned_like_queries(tmp_path: Path, value: str) -> None:
    path = tmp_path / "c.csv"
    path.write_text(f"id,name,country\n1,Anna Ivanova,{value}\n", encoding="utf-8")
    assert read_customers(path).customers[0].properties["country"] == ["ru"]


def test_xlsx_parquet_jsonl_and_ftm_give_the_same_customers(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq
    from openpyxl import Workbook

    rows = _rows()
    expected = _summary(read_customers(FIXTURE).customers)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    book.save(tmp_path / "c.xlsx")
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "c.parquet")
    lines = []
    for row in rows:
        props = {k: [v] for k, v in row.items() if k not in ("id", "schema", "segment") and v}
        renamed = {
            {"birth_date": "birthDate", "id_number": "idNumber"}.get(k, k): [
                p.strip() for p in v[0].split(";")
            ]
            for k, v in props.items()
        }
        lines.append(
            orjson.dumps(
                {"id": row["id"] or None, "schema": SCHEMA[row["schema"].lower()], "properties": renamed}
            )
        )
    (tmp_path / "c.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    ftm = lines + [orjson.dumps({"id": "own1", "schema": "Ownership", "properties": {"owner": ["C001"]}})]
    (tmp_path / "c.ftm.json").write_bytes(b"\n".join(ftm) + b"\n")
    for name in ("c.xlsx", "c.parquet", "c.jsonl", "c.ftm.json"):
        result = read_customers(tmp_path / name)
        got = _summary(result.customers)
        assert [g[0] for g in got] == [e[0] for e in expected], name
        assert [g[2] for g in got] == [e[2] for e in expected], name
        assert len(result.problems) == 5, name
    assert read_customers(tmp_path / "c.ftm.json").skipped == 1


def test_map_option_names_columns(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("Client No;Full Name;DOB;Notes\n77;Maria Lopez;1990-05-01;x\n", encoding="utf-8")
    with pytest.raises(SourceFormatError, match="no id column"):
        read_customers(path)
    mapping = parse_mapping(["Client No=id", "Full Name=name", "DOB=birth_date", "Notes=-"])
    result = read_customers(path, mapping=mapping)
    assert _summary(result.customers) == [
        ("77", None, {"name": ["Maria Lopez"], "birthDate": ["1990-05-01"]})
    ]
    assert result.customers[0].extra == {}
    with pytest.raises(ValueError, match="COLUMN=FIELD"):
        parse_mapping(["nope"])
    with pytest.raises(ValueError, match="unknown field"):
        parse_mapping(["a=shoe_size"])


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "header"),
        ("latin.csv", "id,name\n1,Jos\xe9\n".encode("latin-1"), "UTF-8"),
        ("bad.xlsx", b"PK not really a zip", "XLSX"),
        ("bad.parquet", b"not parquet", "Parquet"),
        ("bad.jsonl", b"{not json\n", "JSON"),
        ("file.docx", b"x", "extension"),
    ],
)
def test_unreadable_files_raise(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceFormatError, match=message):
        read_customers(path)


def test_customer_values_are_cleaned_as_query_values_are() -> None:
    """A customer file's dates and countries go through the query's cleaning: one country
    whatever its spelling, an unambiguous day/month date read, an ambiguous one refused."""
    from sanctions.records import Customer, RowProblem, make_customer

    ok = make_customer(
        1,
        {
            "id": ["c1"],
            "name": ["Ivan Petrov"],
            "nationality": ["Russia", "RUS", "ru"],
            "birthDate": ["25/12/1970"],
        },
    )
    assert isinstance(ok, Customer)
    assert ok.properties["nationality"] == ["ru"] and ok.properties["birthDate"] == ["1970-12-25"]
    bad = make_customer(2, {"id": ["c2"], "name": ["Ivan Petrov"], "birthDate": ["07/10/1952"]})
    assert isinstance(bad, RowProblem) and bad.line == 2 and bad.field == "birthDate"
    assert bad.message.startswith("ambiguous date '07/10/1952'")
