"""`sanctions ownership` on a real FtM excerpt, and the commands' errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sanctions.cli import build_app

ZALA = Path(__file__).parent.parent / "fixtures" / "graph" / "zala-ownership.ftm.json"
CST, ZALA_AERO, RTC = (  # the ids of the input file
    "NK-abdzbEBkqyT29GyREbiURZ",
    "NK-cPks3aTbes8k4aCerfBAzN",
    "NK-ERScv7cLkkvZ3ejz7xiToj",
)
runner = CliRunner()


def _ownership(*args: str) -> dict[str, dict[str, dict[str, object]]]:
    out = runner.invoke(build_app(), ["ownership", "-i", str(ZALA), "--json", *args])
    assert out.exit_code == 0, out.output
    return {e["id"]: e["jurisdictions"] for e in json.loads(out.stdout)}


def test_ownership_json_on_the_zala_excerpt() -> None:
    on_2023 = _ownership("--as-of", "2023-06-01")
    assert on_2023[CST]["us"]["listed"] is True
    rtc = on_2023[RTC]
    assert {code: rtc[code]["blocked"] for code in ("us", "eu", "gb")} == {"us": True, "eu": True, "gb": True}
    path = rtc["us"]["paths"][0]  # type: ignore[index]
    assert path["shares"] == [100.0] and path["owners"][0]["caption"] == "Alexander Vyacheslavovich ZAKHAROV"
    # ZAKHAROV held ZALA AERO from March to June 2024 with no published percentage
    on_2024 = _ownership("--as-of", "2024-05-01", "--jurisdiction", "us")
    assert on_2024[ZALA_AERO]["us"]["blocked"] is None and on_2024[ZALA_AERO]["us"]["share"] is None
    assert on_2024[RTC]["us"]["blocked"] is False  # the RTC stake ended in October 2023


def test_ownership_answers_in_the_ids_of_the_input_file(tmp_path: Path) -> None:
    lines = ZALA.read_text(encoding="utf-8").splitlines()
    file_ids = {json.loads(line)["id"] for line in lines if line.strip()}
    answered = _ownership("--as-of", "2023-06-01")
    assert answered and set(answered) <= file_ids
    out = runner.invoke(build_app(), ["ownership", "-i", str(ZALA), "--json", "--as-of", "2023-06-01"])
    for entity in json.loads(out.stdout):
        for decision in entity["jurisdictions"].values():
            for path in decision["paths"]:
                assert all(owner["id"] in file_ids for owner in path["owners"])
    # A relations CSV: named parties answer under their names' slugs, as the file wrote them.
    relations = tmp_path / "mine.csv"
    relations.write_text("subject,relation,object,share\nACME Holding,owner,ACME Trading,60\n", "utf-8")
    out = runner.invoke(build_app(), ["ownership", "-i", str(relations), "--json"])
    assert out.exit_code == 0, out.output
    assert {e["id"] for e in json.loads(out.stdout)} == {"acme-holding", "acme-trading"}


def test_ownership_table_and_rule_settings() -> None:
    out = runner.invoke(
        build_app(), ["ownership", "-i", str(ZALA), "--as-of", "2023-06-01", "--set", "gb.aggregate=yes"]
    )
    assert out.exit_code == 0, out.output
    assert "RTC" in out.output and "blocked" in out.output


def test_bad_input_gets_a_clear_error(tmp_path: Path) -> None:
    app = build_app()
    missing = runner.invoke(app, ["ownership", "-i", str(tmp_path / "nope.json")])
    assert missing.exit_code == 1 and "no such file" in missing.output
    unknown = runner.invoke(app, ["ownership", "-i", str(ZALA), "--jurisdiction", "us,xx"])
    assert unknown.exit_code == 1 and "unknown jurisdiction 'xx'" in unknown.output
    bad_set = runner.invoke(app, ["ownership", "-i", str(ZALA), "--set", "eu.colour=red"])
    assert bad_set.exit_code == 1 and "unknown option" in bad_set.output
