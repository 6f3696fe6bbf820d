"""The list commands as a user runs them: load, lists, show, diff, export, update --from."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sanctions.cli import build_app

runner = CliRunner()
V1 = (
    "id,name,type,birth_date,country,identifiers,list\n"
    "1,KOGOGIN Sergei,person,1957-11-16,Russia,tax:164804995925,deny\n"
)
V2 = V1 + "2,KAMAZ PJSC,company,,Russia,tax:1650032058,deny\n"


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(build_app(), list(args))
    return result.exit_code, result.output


def test_load_lists_show_diff(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    (tmp_path / "v1.csv").write_text(V1, encoding="utf-8")
    (tmp_path / "v2.csv").write_text(V2, encoding="utf-8")
    code, out = _run(
        "load",
        "csv",
        str(tmp_path / "v1.csv"),
        "--dataset",
        "deny",
        "--published",
        "2026-11-20",
        "--data-dir",
        data,
    )
    assert code == 0, out
    assert "1 entities" in out
    code, out = _run(
        "load",
        "csv",
        str(tmp_path / "v2.csv"),
        "--dataset",
        "deny",
        "--published",
        "2026-12-01",
        "--data-dir",
        data,
    )
    assert code == 0, out

    code, out = _run("lists", "--json", "--data-dir", data)
    assert code == 0, out
    (row,) = json.loads(out)
    assert {k: row[k] for k in ("source", "entities", "names", "relations")} == {
        "source": "deny",
        "entities": 2,
        "names": 2,
        "relations": 0,
    }
    assert row["published"] == "2026-12-01" and row["loaded"] and row["dated_by"] == "given"

    code, out = _run("diff", "deny", "--json", "--data-dir", data)
    assert code == 0, out
    diff = json.loads(out)
    assert [a["caption"] for a in diff["added"]] == ["KAMAZ PJSC"]
    assert diff["removed"] == [] and diff["changed"] == []

    code, out = _run("show", "deny-2", "--json", "--data-dir", data)
    assert code == 0, out
    shown = json.loads(out)
    assert shown["caption"] == "KAMAZ PJSC"
    assert shown["identifiers"][0]["value"] == "1650032058"


def test_bad_load_exits_non_zero_and_keeps_data(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    (tmp_path / "v1.csv").write_text(V1, encoding="utf-8")
    (tmp_path / "bad.csv").write_text("nom,pays\nX,Y\n", encoding="utf-8")
    assert _run("load", "csv", str(tmp_path / "v1.csv"), "--dataset", "deny", "--data-dir", data)[0] == 0
    code, out = _run("load", "csv", str(tmp_path / "bad.csv"), "--dataset", "deny", "--data-dir", data)
    assert code == 1
    assert "bad.csv" in out and "Traceback" not in out
    code, out = _run("lists", "--json", "--data-dir", data)
    assert json.loads(out)[0]["entities"] == 1


def test_show_unknown_entity(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    (tmp_path / "v1.csv").write_text(V1, encoding="utf-8")
    _run("load", "csv", str(tmp_path / "v1.csv"), "--dataset", "deny", "--data-dir", data)
    code, out = _run("show", "nope-1", "--data-dir", data)
    assert code == 1 and "no entity" in out


def test_lists_marks_stale_lists(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    (tmp_path / "v1.csv").write_text(V1, encoding="utf-8")
    _run(
        "load",
        "csv",
        str(tmp_path / "v1.csv"),
        "--dataset",
        "deny",
        "--published",
        "2020-01-01",
        "--data-dir",
        data,
    )
    code, out = _run("lists", "--json", "--data-dir", data)
    assert json.loads(out)[0]["stale"] is True
    code, out = _run("lists", "--data-dir", data)
    assert "STALE" in out and "WARNING" in out


def test_help_of_every_command_is_useful() -> None:
    code, out = _run("--help")
    assert code == 0
    for command in ("load", "update", "lists", "show", "diff", "export", "match", "compare"):
        assert command in out
        code, sub = _run(command, "--help")
        assert code == 0 and "--data-dir" in sub or command == "compare", (command, sub)


def test_update_from_folder_loads_what_it_recognises(tmp_path: Path, fixtures: Path) -> None:
    import shutil

    folder = tmp_path / "download"
    shutil.copytree(fixtures / "ofac" / "sdn", folder)
    shutil.copy(fixtures / "uk" / "ofsi_conlist.xlsx", folder / "ConList.xlsx")
    data = str(tmp_path / "data")
    code, out = _run("update", "--from", str(folder), "--data-dir", data)
    assert code == 0, out
    code, out = _run("lists", "--json", "--data-dir", data)
    assert {row["source"] for row in json.loads(out)} == {"us_ofac_sdn", "gb_hmt_sanctions"}


def test_update_from_folder_reports_a_broken_list_and_loads_the_rest(tmp_path: Path, fixtures: Path) -> None:
    import shutil

    folder = tmp_path / "download"
    shutil.copytree(fixtures / "ofac" / "sdn", folder)
    (folder / "consolidated.xml").write_text(
        "<CONSOLIDATED_LIST><INDIVIDUALS>", encoding="utf-8"
    )  # truncated
    data = str(tmp_path / "data")
    code, out = _run("update", "--from", str(folder), "--data-dir", data)
    assert code == 1
    flat = out.replace("\n", "")
    assert "un_sc_sanctions" in flat and "consolidated.xml" in flat
    code, out = _run("lists", "--json", "--data-dir", data)
    assert [row["source"] for row in json.loads(out)] == ["us_ofac_sdn"]


def test_export_writes_followthemoney(tmp_path: Path) -> None:
    from followthemoney import model

    data = str(tmp_path / "data")
    (tmp_path / "v2.csv").write_text(V2, encoding="utf-8")
    _run("load", "csv", str(tmp_path / "v2.csv"), "--dataset", "deny", "--data-dir", data)
    out_file = tmp_path / "out.ftm.json"
    code, out = _run("export", "-o", str(out_file), "--data-dir", data)
    assert code == 0, out
    proxies = [
        model.get_proxy(json.loads(line)) for line in out_file.read_text(encoding="utf-8").splitlines()
    ]
    names = {
        p.caption for p in proxies if p.schema.name in ("Person", "Company", "Organization", "LegalEntity")
    }
    assert names == {"KOGOGIN Sergei", "KAMAZ PJSC"}
    assert any(p.schema.name == "Sanction" for p in proxies)
