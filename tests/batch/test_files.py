"""`sanctions match -i FILE -o OUT`: customer files in and out, exit codes, bad rows, resume."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from sanctions.batch import RESULT_COLUMNS, BatchSpec, screen_batch
from sanctions.matching import MatchOptions
from sanctions.service import FileScreening, Screener
from tests.batch.conftest import CUSTOMERS, MAPPING

runner = CliRunner()
HITS = {
    ("K011", "un_sc_sanctions-6907993"),  # Eric Badege
    ("K012", "un_sc_sanctions-6908021"),  # Bosco (N)taganda
    ("K013", "un_sc_sanctions-690747"),  # Paek Chang-ho
}
MAP_ARGS = ["--map", "Client No=id", "--map", "Full Name=name"]


def _run(screener: Screener, *args: str) -> tuple[int, str]:
    data = str(screener.settings.data_dir)
    result = runner.invoke(
        __import__("sanctions.cli", fromlist=["build_app"]).build_app(),
        ["match", *args, "--data-dir", data, "--workers", "1"],
        env={"COLUMNS": "200"},
    )
    return result.exit_code, result.output


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_a_customer_csv_with_hits_gives_a_csv_of_hits(un_screener: Screener, tmp_path: Path) -> None:
    out = tmp_path / "hits.csv"
    code, text = _run(un_screener, "-i", str(CUSTOMERS), "-o", str(out), *MAP_ARGS)
    assert code == 2, text  # one bad row (line 51: 1980-02-30): the rest is screened, exit 2
    assert "line 51: birthDate: impossible date '1980-02-30'" in text.replace("\n", " ")
    rows = _csv_rows(out)
    assert list(rows[0])[: len(RESULT_COLUMNS)] == list(RESULT_COLUMNS)
    assert list(rows[0])[len(RESULT_COLUMNS) :] == [
        "Client No",
        "Full Name",
        "type",
        "date_of_birth",
        "country",
        "branch",
    ]
    found = {(r["customer_id"], r["entity_id"]) for r in rows}
    assert found >= HITS
    assert all(r["match"] == "True" and r["explanation"] and "\n" not in r["explanation"] for r in rows)
    badege = next(r for r in rows if r["customer_id"] == "K011")
    assert badege["datasets"] == "un_sc_sanctions" and badege["caption"] and float(badege["score"]) > 0.7
    assert badege["Full Name"] == "Eric Badege" and badege["branch"]
    manifest = json.loads((tmp_path / "hits.csv.manifest.json").read_text())
    assert manifest["complete"] and manifest["counts"]["customers"] == 49
    assert manifest["counts"]["problems"] == 1 and manifest["lists"][0]["dataset"] == "un_sc_sanctions"
    assert manifest["options"]["algorithm"] and manifest["input"]["sha256"]
    assert all(len(c["sha256"]) == 64 for c in manifest["chunks"].values())


def test_exit_codes_hit_clear_and_unreadable(un_screener: Screener, tmp_path: Path) -> None:
    clear = tmp_path / "clear.csv"
    clear.write_text("id,name\n1,Anna Lindqvist\n2,Pierre Moreau\n", encoding="utf-8")
    code, text = _run(un_screener, "-i", str(clear), "-o", str(tmp_path / "a.csv"))
    assert code == 0, text
    assert _csv_rows(tmp_path / "a.csv") == []
    code, text = _run(un_screener, "-i", str(clear), "-o", str(tmp_path / "b.csv"), "--all")
    assert code == 0 and [r["customer_id"] for r in _csv_rows(tmp_path / "b.csv")] == ["1", "2"]
    hit = tmp_path / "hit.csv"
    hit.write_text("id,name\n1,Eric Badege\n", encoding="utf-8")
    assert _run(un_screener, "-i", str(hit), "-o", str(tmp_path / "c.csv"))[0] == 1
    noname = tmp_path / "noname.csv"
    noname.write_text("id,segment\n1,retail\n", encoding="utf-8")
    code, text = _run(un_screener, "-i", str(noname), "-o", str(tmp_path / "d.csv"))
    assert code == 2 and "no name column" in text
    code, text = _run(un_screener, "-i", str(hit), "-o", str(tmp_path / "e.txt2"))
    assert code == 2 and "output format" in text
    code, text = _run(un_screener, "-i", str(hit), "-o", str(tmp_path / "f.csv"), "--engine", "ray")
    assert code == 2 and "unknown engine 'ray'" in text
    code, text = _run(un_screener, "-i", str(hit), "-o", str(tmp_path / "c.csv"), "--resume")
    assert code == 1 and "1 customers on local: 1 with a hit" in text.replace("\n", " ")


def test_every_format_in_and_out(un_screener: Screener, tmp_path: Path) -> None:
    people = [
        ("1", "Eric Badege", "Person"),
        ("2", "Anna Lindqvist", "Person"),
        ("3", "Maulana Fazlullah", ""),
    ]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "name", "schema"])
    for row in people:
        sheet.append(list(row))
    book.save(tmp_path / "in.xlsx")
    pq.write_table(
        pa.table({k: [p[i] for p in people] for i, k in enumerate(["id", "name", "schema"])}),
        tmp_path / "in.parquet",
    )
    lines = [{"id": p[0], "schema": p[2] or None, "properties": {"name": [p[1]]}} for p in people]
    (tmp_path / "in.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    for src in ("in.xlsx", "in.parquet", "in.jsonl"):
        for fmt in ("csv", "xlsx", "parquet", "jsonl"):
            out = tmp_path / f"{src}.out.{fmt}"
            code, text = _run(un_screener, "-i", str(tmp_path / src), "-o", str(out))
            assert code == 1, (src, fmt, text)
            if fmt == "csv":
                ids = [r["customer_id"] for r in _csv_rows(out)]
            elif fmt == "xlsx":
                sheet_rows = list(load_workbook(out).worksheets[0].iter_rows(values_only=True))
                ids = [str(r[0]) for r in sheet_rows[1:]]
            elif fmt == "parquet":
                ids = pq.read_table(out).column("customer_id").to_pylist()
            else:
                ids = [json.loads(x)["customer_id"] for x in out.read_text().splitlines()]
            assert ids == ["1", "3"], (src, fmt, ids)


def test_yente_json_lines_keep_their_shape_on_stdout(un_screener: Screener, tmp_path: Path) -> None:
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        json.dumps({"id": "q", "properties": {"name": ["Eric Badege"]}}) + "\n", encoding="utf-8"
    )
    code, text = _run(un_screener, "-i", str(queries))
    assert code == 1
    line = json.loads(next(x for x in text.splitlines() if x.startswith("{")))
    assert line["id"] == "q" and line["results"][0]["id"] == "un_sc_sanctions-6907993"
    csv_in = tmp_path / "c.csv"
    csv_in.write_text("id,name\n1,Eric Badege\n", encoding="utf-8")
    code, text = _run(un_screener, "-i", str(csv_in))  # a CSV is never read as JSON any more
    assert code == 2 and "-o OUT" in text


class Interrupted(Exception):
    pass


def test_an_interrupted_run_resumes_where_it_stopped(un_screener: Screener, tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    request = FileScreening(
        CUSTOMERS, out, mapping=MAPPING, options=MatchOptions(limit=5), chunk_rows=10, include_clear=True
    )
    seen: list[int] = []

    def stop_after_two(rows: int) -> None:
        seen.append(rows)
        if len(seen) == 2:
            raise Interrupted

    with pytest.raises(Interrupted):
        un_screener.screen_file(request, stop_after_two)
    manifest = json.loads((tmp_path / "r.csv.manifest.json").read_text())
    assert not manifest["complete"] and len(manifest["chunks"]) == 2
    from dataclasses import replace

    resumed = un_screener.screen_file(replace(request, resume=True))
    assert resumed.chunks == 5 and resumed.chunks_skipped == 2
    whole = un_screener.screen_file(replace(request, output=tmp_path / "whole.csv"))
    assert whole.chunks_skipped == 0
    assert out.read_text(encoding="utf-8") == (tmp_path / "whole.csv").read_text(encoding="utf-8")
    assert (resumed.customers, resumed.with_hits, resumed.hits) == (
        whole.customers,
        whole.with_hits,
        whole.hits,
    )
    assert len(_csv_rows(out)) == 49 - whole.with_hits + whole.hits  # --all: a row per clear customer


def test_the_batch_function_is_deterministic_and_names_its_columns(un_index: Path) -> None:
    rows = [
        {"customer_id": "x1", "name": "Eric Badege", "_line": 2},
        {"customer_id": "", "name": "Anna", "_line": 3},
    ]
    batch = pa.RecordBatch.from_pylist(rows)
    spec = BatchSpec(mapping=(("customer_id", "id"),), include_clear=True)
    first = screen_batch(batch, str(un_index), spec)
    assert first.equals(screen_batch(batch, str(un_index), spec))
    out = first.to_pylist()
    assert out[0]["customer_id"] == "x1" and out[0]["entity_id"] == "un_sc_sanctions-6907993"
    assert out[0]["input_customer_id"] == "x1"  # the customer's own column, renamed beside ours
    assert out[1]["_problem"] == "line 3: id: no customer id"
