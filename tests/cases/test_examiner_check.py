"""docs/cases.md's examiner check (standard library only) accepts an untouched export and
rejects one whose event was edited: the documented hash formula is the one the chain uses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson

from sanctions.audit import record
from sanctions.service import Screener
from sanctions.settings import Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "cases.md"


def _check_script() -> str:
    text = DOC.read_text(encoding="utf-8")
    block = text.split("<!-- examiner-check -->", 1)[1]
    return block.split("```python\n", 1)[1].split("```", 1)[0]


def _run(script: str, export: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script, str(export)], capture_output=True, text=True, timeout=60
    )


def test_examiner_check_of_an_export(tmp_path: Path) -> None:
    screener = Screener(Settings(data_dir=tmp_path))
    with screener.store.engine.begin() as conn:
        record(conn, "ann", "decision.made", "alert:7", {"verdict": "false_positive", "score": 0.8731})
        record(conn, "bob", "decision.approved", "alert:7", {"note": 'Müller, São Paulo — 東京 "ok"\n'})
        record(conn, "system", "alert.new", "alert:8", {"entity_ids": ["a", "b"], "versions": {"x": 3}})
    export = tmp_path / "audit.jsonl"
    export.write_text("".join(screener.audit_export("jsonl")), encoding="utf-8")
    script = _check_script()
    done = _run(script, export)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("3 events")

    lines = export.read_text(encoding="utf-8").splitlines()
    event = orjson.loads(lines[1])
    event["data"]["note"] = "approved"
    lines[1] = orjson.dumps(event).decode()
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = _run(script, export)
    assert done.returncode != 0
    assert "event 2 does not match its hash" in done.stderr
