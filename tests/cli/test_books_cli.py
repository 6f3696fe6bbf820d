"""`sanctions book ...`, `alerts`, `webhooks` and the re-screen after `load`, end to end."""

from __future__ import annotations

from pathlib import Path

import orjson
from typer.testing import CliRunner

from sanctions.cli import build_app

runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(build_app(), list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def test_book_life_cycle(tmp_path: Path, fixtures: Path) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    un = str(fixtures / "un" / "consolidated_excerpt.xml")
    assert _run("load", "un_sc_sanctions", un, *data)[0] == 0
    book = tmp_path / "book.csv"
    book.write_text(
        "Client No;Full Name;DOB\n1;Eric Badege;1971\n2;Anna Schmidt;1980-02-30\n3;Jean Dupont;\n"
    )
    code, _, err = _run("book", "import", "bank", str(book), *data)
    assert code == 2 and "no id column" in err
    code, out, err = _run(
        "book", "import", "bank", str(book), "--map", "Client No=id", "--map", "Full Name=name",
        "--map", "DOB=birth_date", "--json", *data,
    )  # fmt: skip
    assert code == 2, err  # one row rejected: said on stderr and in the exit code, the rest imported
    assert "line 3" in err and "1980-02-30" in err
    assert orjson.loads(out)["added"] == 2
    code, out, _ = _run("alerts", "--json", *data)
    assert code == 0
    (alert,) = orjson.loads(out)
    assert {k: alert[k] for k in ("book", "customer_id", "entity_id", "state", "reason")} == {
        "book": "bank",
        "customer_id": "1",
        "entity_id": "un_sc_sanctions-6907993",
        "state": "open",
        "reason": "new",
    }
    assert alert["datasets"] == ["un_sc_sanctions"] and alert["score"] >= 0.7 and alert["caption"]
    code, out, _ = _run("book", "coverage", "bank", "--json", *data)
    assert code == 0 and orjson.loads(out)["complete"] is True

    # A reload of the same list re-screens the book (a delta with nothing in it) unless deferred.
    code, out, _ = _run("load", "un_sc_sanctions", un, *data)
    assert code == 0 and "book bank: run" in out and "(delta)" in out
    code, out, err = _run("load", "un_sc_sanctions", un, "--no-rescreen", *data)
    assert code == 0 and "not re-screened" in err
    code, out, _ = _run("book", "coverage", "bank", "--json", *data)
    report = orjson.loads(out)
    assert report["complete"] is False and report["lists"][0]["customers_behind"]
    code, out, _ = _run("book", "screen", "bank", "--json", *data)
    assert code == 0 and orjson.loads(out)["customers"] == 2
    assert orjson.loads(_run("book", "coverage", "bank", "--json", *data)[1])["complete"] is True

    code, out, _ = _run("book", "remove", "bank", "1", *data)
    assert code == 0
    assert orjson.loads(_run("alerts", "--json", *data)[1]) == []
    (closed,) = orjson.loads(_run("alerts", "--state", "all", "--json", *data)[1])
    assert (closed["state"], closed["reason"]) == ("closed", "removed")
    changes = orjson.loads(_run("alerts", "changes", "--since", "0", *data)[1])
    assert [e["reason"] for e in changes["events"]] == ["new", "removed"]
    assert _run("book", "remove", "bank", "nobody", *data)[0] == 2
    assert _run("book", "show", "nobody", *data)[0] == 2
    assert _run("alerts", "--state", "weird", *data)[0] == 2
    code, out, _ = _run("book", "list", "--json", *data)
    assert [(b["name"], b["customers"], b["open_alerts"]) for b in orjson.loads(out)] == [("bank", 1, 0)]

    code, out, _ = _run("webhooks", "add", "http://127.0.0.1:9/hook", *data)
    assert code == 0 and orjson.loads(out)["secret"].startswith("whsec_")
    assert _run("webhooks", "add", "ftp://example.org", *data)[0] == 2
    assert len(orjson.loads(_run("webhooks", "list", "--json", *data)[1])) == 1
    assert _run("webhooks", "remove", "1", *data)[0] == 0
    assert _run("webhooks", "remove", "7", *data)[0] == 2
