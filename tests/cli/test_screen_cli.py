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
    assert code == 1, out  # grep's status: a match was found
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
    assert code == 1, out
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
    code, out = _run(
        "match", "-i", str(queries), "-o", str(out_file), "--output-format", "yente",
        "--workers", "1", "--data-dir", data,
    )  # fmt: skip
    assert code == 2, out  # an unreadable line: exit 2, after screening the others
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
    assert code == 2 and "NAME" in out


def test_bad_input_exits_2_with_what_was_expected(loaded_screener: Screener) -> None:
    data = str(loaded_screener.settings.data_dir)
    cases = {
        "ambiguous date '07/10/1952'": ["--birth-date", "07/10/1952"],
        "impossible date '1952-13-45'": ["--birth-date", "1952-13-45"],
        "unknown country 'Narnia'": ["--country", "Narnia"],
        "unknown list 'no_such_list'; loaded: au_dfat_sanctions": ["--dataset", "no_such_list"],
        "unknown schema 'Persn'": ["--schema", "Persn"],
    }
    for expected, extra in cases.items():
        code, out = _run("match", "Vladimir Putin", *extra, "--data-dir", data)
        assert code == 2, (extra, out)
        assert expected in out.replace("\n", " "), (extra, out)


def test_country_names_and_date_formats(loaded_screener: Screener) -> None:
    data = str(loaded_screener.settings.data_dir)
    scores = set()
    for country in ("Russia", "RUS", "ru"):
        code, out = _run(
            "match", "Vladimir Putin", "--schema", "Person", "--country", country,
            "--birth-date", "07/10/1952", "--date-format", "%d/%m/%Y", "--json", "--data-dir", data,
        )  # fmt: skip
        assert code == 1, out
        doc = json.loads(out[out.index("{") :])
        assert doc["query"]["properties"]["nationality"] == ["ru"]
        assert doc["query"]["properties"]["birthDate"] == ["1952-10-07"]
        top = doc["results"][0]
        assert top["match"] and not top["features"].get("country_conflict")
        scores.add(top["score"])
    assert len(scores) == 1


def test_threshold_decides_match_and_cutoff_drops(loaded_screener: Screener) -> None:
    data = str(loaded_screener.settings.data_dir)
    code, out = _run("match", "KAMAZ", "--threshold", "1.0", "--json", "--data-dir", data)
    results = json.loads(out[out.index("{") :])["results"]
    assert results and all(r["match"] == (r["score"] >= 1.0) for r in results)
    assert code == (1 if any(r["match"] for r in results) else 0)
    code, out = _run("match", "KAMAZ", "--cutoff", "0.9", "--json", "--data-dir", data)
    assert all(r["score"] >= 0.9 for r in json.loads(out[out.index("{") :])["results"])
    code, out = _run("match", "Zxqwv Plorrk", "--schema", "Person", "--json", "--data-dir", data)
    assert code == 0, out  # nothing found


def test_batch_line_without_names_is_an_error_for_that_line(
    loaded_screener: Screener, tmp_path: Path
) -> None:
    data = str(loaded_screener.settings.data_dir)
    queries = tmp_path / "q.jsonl"
    lines = [
        {"id": "ok", "schema": "Company", "properties": {"name": ["Renault"]}},
        {"id": "empty", "schema": "Person"},
        {"id": "date", "schema": "Person", "properties": {"name": ["X"], "birthDate": ["1952-13-45"]}},
    ]
    queries.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    code, out = _run("match", "-i", str(queries), "--workers", "1", "--data-dir", data)
    assert code == 2, out
    rows = {r["id"]: r for r in map(json.loads, (x for x in out.splitlines() if x.startswith("{")))}
    assert "results" in rows["ok"]
    assert rows["empty"]["line"] == 2 and "no name to screen" in rows["empty"]["error"]
    assert rows["date"]["line"] == 3 and "impossible date" in rows["date"]["error"]
