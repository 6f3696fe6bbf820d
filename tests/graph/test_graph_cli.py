"""`sanctions ownership` on a real FtM excerpt, and the commands' errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sanctions.cli import build_app

ZALA = Path(__file__).parent.parent / "fixtures" / "graph" / "zala-ownership.ftm.json"
CST, ZALA_AERO, RTC = (
    "zala-ownership-NK-abdzbEBkqyT29GyREbiURZ",
    "zala-ownership-NK-cPks3aTbes8k4aCerfBAzN",
    "zala-ownership-NK-ERScv7cLkkvZ3ejz7xiToj",
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


def test_ownership_table_and_rule_settings() -> None:
    out = runner.invoke(
        build_app(), ["ownership", "-i", str(ZALA), "--as-of", "2023-06-01", "--set", "gb.aggregate=yes"]
    )
    assert out.exit_code == 0, out.output
    assert "RTC" in out.output and "blocked" in out.output


def test_bad_input_gets_a_clear_error(tmp_path: Path) -> None:
    app = build_app()
    missing = runner.invoke(app, ["ownership", "-i", str(tmp_path / "nope.json")])
    assert missing.exit_code == 2 and "no such file" in missing.output
    unknown = runner.invoke(app, ["ownership", "-i", str(ZALA), "--jurisdiction", "us,xx"])
    assert unknown.exit_code == 2 and "unknown jurisdiction 'xx'" in unknown.output
    bad_set = runner.invoke(app, ["ownership", "-i", str(ZALA), "--set", "eu.colour=red"])
    assert bad_set.exit_code == 2 and "unknown option" in bad_set.output
