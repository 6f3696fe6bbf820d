"""`sanctions alerts decide|approve|reject|show|queue|report` and `audit verify|export|checkpoint`,
the done-when script by hand: exit codes a script can trust."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import orjson
from typer.testing import CliRunner

from sanctions.cli import build_app

runner = CliRunner()


def _run(*args: str, user: str | None = None) -> tuple[int, str, str]:
    env = {"COLUMNS": "200"} | ({"SANCTIONS_USER": user} if user else {})
    result = runner.invoke(build_app(), list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def _book(tmp_path: Path, fixtures: Path) -> tuple[list[str], int]:
    data = ["--data-dir", str(tmp_path / "data")]
    assert _run("load", "un_sc_sanctions", str(fixtures / "un" / "consolidated_excerpt.xml"), *data)[0] == 0
    book = tmp_path / "book.csv"
    book.write_text("id,name\nC1,Bosco Ntaganda\nC2,Anna Schmidt\n")
    assert _run("book", "import", "bank", str(book), *data)[0] == 0
    assert _run("users", "add", "root", "--role", "admin", "--no-password", *data)[0] == 0
    for name, role in (("ann", "analyst"), ("bob", "checker"), ("aud", "auditor")):
        assert _run("users", "add", name, "--role", role, "--no-password", *data, user="root")[0] == 0
    code, out, _ = _run("alerts", "queue", "--json", *data)
    assert code == 0
    page = orjson.loads(out)
    assert page["total"] == 1
    return data, int(page["alerts"][0]["id"])


def test_decide_and_approve_by_hand(tmp_path: Path, fixtures: Path) -> None:
    data, alert = _book(tmp_path, fixtures)
    code, _, err = _run("alerts", "decide", str(alert), "--verdict", "false_positive", *data)
    assert code == 2 and "--user" in err  # nobody acting
    code, _, err = _run("alerts", "decide", str(alert), "--verdict", "maybe", *data, user="ann")
    assert code == 2 and "unknown verdict" in err
    code, out, _ = _run(
        "alerts", "decide", str(alert), "--verdict", "false_positive", "--reason", "passport: born 1990",
        "--json", *data, user="ann",
    )  # fmt: skip
    assert code == 0
    decision = orjson.loads(out)
    assert (decision["state"], decision["reason_code"]) == ("pending", "other")
    code, _, err = _run("alerts", "approve", str(alert), *data, user="ann")
    assert code == 2 and "approve" in err  # an analyst may not approve at all
    code, _, err = _run("alerts", "decide", str(alert), "--verdict", "needs_info", *data, user="aud")
    assert code == 2 and "may not" in err  # an auditor changes nothing
    code, _, err = _run("alerts", "decide", str(alert), "--verdict", "needs_info", *data, user="zed")
    assert code == 2  # nobody of that name
    code, out, _ = _run("alerts", "approve", str(alert), *data, user="bob")
    assert code == 0 and "cleared" in out
    code, out, _ = _run("alerts", "queue", "--json", *data)
    assert orjson.loads(out)["total"] == 0
    code, out, _ = _run("alerts", "show", str(alert), "--json", *data)
    case = orjson.loads(out)
    assert [(d["decided_by"], d["approval"]["by"]) for d in case["decisions"]] == [("ann", "bob")]
    assert _run("book", "screen", "bank", *data)[0] == 0
    code, out, _ = _run("alerts", "queue", "--json", *data)
    assert orjson.loads(out)["total"] == 0  # a full re-screen does not reopen it
    code, out, _ = _run("alerts", "report", str(alert), *data)
    assert code == 0 and "Case report: alert" in out and "bob" in out

    # A checker may decide, but never approve their own decision.
    assert _run("alerts", "decide", str(alert), "--verdict", "true_match", *data, user="bob")[0] == 0
    code, _, err = _run("alerts", "approve", str(alert), *data, user="bob")
    assert code == 2 and "another user" in err
    assert _run("alerts", "decide", str(alert), "--verdict", "needs_info", *data, user="ann")[0] == 0

    code, out, _ = _run("audit", "checkpoint", *data)
    assert code == 0 and "checkpoint at event" in out
    code, out, _ = _run("audit", "verify", *data)
    assert code == 0 and "intact" in out
    code, out, _ = _run("audit", "export", "--format", "csv", *data)
    assert code == 0 and out.splitlines()[0] == "seq,at,actor,action,object,data,prev_hash,hash"
    code, out, _ = _run("audit", "export", "--from", "2026-13-01", *data)
    assert code == 2
    code, out, _ = _run("audit", "export", *data)
    events = [orjson.loads(line) for line in out.splitlines()]
    actors = {(e["action"], e["actor"]) for e in events}
    assert ("decision.approved", "bob") in actors and ("user.added", "root") in actors
    assert any(a == "run.started" and who.startswith("local:") for a, who in actors), "the CLI user"

    db = sqlite3.connect(tmp_path / "data" / "sanctions.db")
    db.execute("DROP TRIGGER audit_events_no_update")
    db.execute("UPDATE audit_events SET actor = 'eve' WHERE action = 'decision.approved'")
    db.commit()
    db.close()
    code, _, err = _run("audit", "verify", *data)
    assert code == 1 and "BROKEN" in err and "edited" in err


def test_the_case_report_prints_to_pdf_with_chromium(tmp_path: Path, fixtures: Path) -> None:
    import shutil

    if not any(shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")):
        import pytest

        pytest.skip("no Chromium to print the PDF (apt-get install chromium)")
    data, alert = _book(tmp_path, fixtures)
    target = tmp_path / "case.pdf"
    code, out, err = _run("alerts", "report", str(alert), "-o", str(target), *data)
    assert code == 0, err
    assert target.read_bytes()[:5] == b"%PDF-" and target.stat().st_size > 5_000
