"""`sanctions match` and `sanctions compare` as a user and a script run them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sanctions.cli import build_app
from sanctions.service import Screener

runner = CliRunner()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(build_app(), list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.output


def test_match_json_lists_every_list_of_the_party(loaded_screener: Screener) -> None:
    data = str(loaded_screener.settings.data_dir)
    code, out = _run("match", "ПАО КАМАЗ", "--schema", "Company", "--json", "--data-dir", data)
    assert code == 0, out
    doc = json.loads(out[out.index("{") :])
    top = doc["results"][0]
    assert top["caption"] == "KAMAZ PUBLICLY TRADED COMPANY" and top["match"] is True
    assert 0 <= top["score"] <= 1
    assert {"us_ofac_sdn", "gb_hmt_sanctions", "au_dfat_sanctions"} <= set(top["datasets"])
    assert any(x["program"] == "RUSSIA-EO14024" for x in top["listings"])
    assert top["explanations"] and all(x["detail"] for x in top["explanations"])


def test_match_table_for_a_person(loaded_screener: Screener) -> None:
    data = str(loaded_screener.settings.data_dir)
    code, out = _run(
        "match", "Sergey Sobyanin", "--schema", "Person", "--birth-date", "1958-06-21", "--data-dir", data
    )
    assert code == 0, out
    assert "SOBYANIN" in out and "MATCH" in out


def test_batch_queries_in_yente_shape(loaded_screener: Screener, tmp_path: Path) -> None:
    data = str(loaded_screener.settings.data_dir)
    queries = tmp_path / "q.jsonl"
    lines = [
        {"id": "k", "schema": "Person", "properties": {"name": ["Сергей Когогин"], "birthDate": ["1957"]}},
        {"id": "r", "schema": "Company", "properties": {"name": ["Renault"]}},
        {"id": "bad", "schema": "Person", "properties": "not a dict"},
    ]
    queries.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    out_file = tmp_path / "r.jsonl"
    code, out = _run("match", "-i", str(queries), "-o", str(out_file), "--workers", "1", "--data-dir", data)
    assert code == 0, out
    results = {r["id"]: r for r in map(json.loads, out_file.read_text(encoding="utf-8").splitlines())}
    assert results["k"]["results"][0]["caption"] == "KOGOGIN, Sergei Anatolyevich"
    assert results["k"]["results"][0]["match"] is True
    assert not any(r["match"] for r in results["r"]["results"])
    assert "error" in results["bad"]
    for r in results["k"]["results"]:
        assert {"id", "caption", "schema", "score", "match", "datasets", "explanations"} <= set(r)


def test_compare_explains_the_score() -> None:
    code, out = _run(
        "compare", "KAMAZ PJSC", "KAMAZ PUBLICLY TRADED COMPANY", "--schema", "Company", "--json"
    )
    assert code == 0, out
    doc = json.loads(out)
    assert doc["match"] is True and doc["explanations"]
    code, out = _run("compare", "EMMA LLC", "Emma Daniels")
    assert code == 0 and "no match" in out


def test_match_needs_a_name_or_a_file(loaded_screener: Screener) -> None:
    code, out = _run("match", "--data-dir", str(loaded_screener.settings.data_dir))
    assert code == 1 and "NAME" in out
