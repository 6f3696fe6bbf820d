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
    code, out = _run("load", "csv", str(tmp_path / "v2.csv"), "--dataset", "deny", "--data-dir", data)
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
    assert row["published"] is None and row["loaded_at"]

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
