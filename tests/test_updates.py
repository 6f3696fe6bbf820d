"""`update`: download, load what changed, keep the raw files, hooks for re-screening.

The publishers are played by httpx's transport hook serving the real OFAC excerpt; the
client, loading and store are the real ones.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx

from sanctions.model import ListVersion
from sanctions.service import Screener
from sanctions.settings import Settings
from sanctions.updates import download_targets


def _publisher(folder: Path, last_modified: str) -> Callable[[], httpx.Client]:
    from sanctions.fetch import make_client

    def handler(request: httpx.Request) -> httpx.Response:
        name = request.url.path.rsplit("/", 1)[-1]
        path = folder / name
        if not path.exists():
            return httpx.Response(404)
        return httpx.Response(200, content=path.read_bytes(), headers={"last-modified": last_modified})

    return lambda: make_client(timeout=5, transport=httpx.MockTransport(handler))


def _sdn_folder(fixtures: Path, tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for file in (fixtures / "ofac" / "sdn").iterdir():
        (folder / file.name).write_bytes(file.read_bytes())
    # OFAC's comments file has the layout of the consolidated list's: the real excerpt stands in.
    (folder / "sdn_comments.csv").write_bytes((fixtures / "ofac" / "cons" / "cons_comments.csv").read_bytes())
    return folder


def test_default_targets_skip_closed_publications() -> None:
    targets = download_targets()
    assert "gb_fcdo_sanctions" in targets and "gb_hmt_sanctions" not in targets
    assert download_targets(["gb_hmt_sanctions"]) == ["gb_hmt_sanctions"]  # asked by name: still possible


def test_update_loads_keeps_raw_files_and_calls_hooks_on_change(fixtures: Path, tmp_path: Path) -> None:
    screener = Screener(Settings.from_env(tmp_path / "data"))
    seen: list[list[ListVersion]] = []
    screener.update_hooks.append(seen.append)
    first = _sdn_folder(fixtures, tmp_path, "v1")
    (outcome,) = screener.update(
        ["us_ofac_sdn"], client_factory=_publisher(first, "Fri, 03 May 2024 14:02:11 GMT")
    )
    assert outcome.error is None and outcome.changed and outcome.version is not None
    assert (outcome.version.published, outcome.version.dated_by) == ("2024-05-03", "http")
    raw = tmp_path / "data" / "raw" / "us_ofac_sdn" / str(outcome.version.id)
    sums = (raw / "SHA256SUMS").read_text(encoding="utf-8")
    assert {line.split()[1] for line in sums.splitlines()} == {
        "sdn.csv",
        "alt.csv",
        "add.csv",
        "sdn_comments.csv",
    }
    assert (raw / "sdn.csv").read_bytes() == (first / "sdn.csv").read_bytes()
    assert [[v.id for v in versions] for versions in seen] == [[outcome.version.id]]

    (again,) = screener.update(
        ["us_ofac_sdn"], client_factory=_publisher(first, "Fri, 03 May 2024 14:02:11 GMT")
    )
    assert again.error is None and not again.changed and again.version is not None
    assert again.version.id == outcome.version.id
    assert len(seen) == 1  # nothing new: no re-screening
    screener.close()


def test_raw_files_of_the_last_three_versions_are_kept(fixtures: Path, tmp_path: Path) -> None:
    screener = Screener(Settings.from_env(tmp_path / "data"))
    ids = []
    for day in range(1, 6):
        folder = _sdn_folder(fixtures, tmp_path, f"v{day}")
        comments = (folder / "sdn_comments.csv").read_bytes()
        (folder / "sdn_comments.csv").write_bytes(comments.replace(b"\x1a", b"\r\n" * day + b"\x1a"))
        (outcome,) = screener.update(
            ["us_ofac_sdn"], client_factory=_publisher(folder, f"Fri, 0{day} May 2024 10:00:00 GMT")
        )
        assert outcome.changed, outcome.error
        assert outcome.version is not None
        ids.append(outcome.version.id)
    kept = sorted(int(p.name) for p in (tmp_path / "data" / "raw" / "us_ofac_sdn").iterdir())
    assert kept == ids[-3:]
    screener.close()


def test_failed_download_keeps_the_current_version(fixtures: Path, tmp_path: Path) -> None:
    screener = Screener(Settings.from_env(tmp_path / "data"))
    good = _sdn_folder(fixtures, tmp_path, "good")
    (ok,) = screener.update(["us_ofac_sdn"], client_factory=_publisher(good, "Fri, 03 May 2024 10:00:00 GMT"))
    broken = _sdn_folder(fixtures, tmp_path, "broken")
    data = (broken / "sdn.csv").read_bytes()
    (broken / "sdn.csv").write_bytes(data[: len(data) // 2])
    (bad,) = screener.update(
        ["us_ofac_sdn"], client_factory=_publisher(broken, "Fri, 10 May 2024 10:00:00 GMT")
    )
    assert bad.error is not None and "sdn.csv" in bad.error
    assert [v.id for v in screener.store.current_versions()] == [ok.version.id if ok.version else -1]
    screener.close()


def test_schedule_runs_the_check_and_is_off_by_default(fixtures: Path, tmp_path: Path) -> None:
    settings = Settings.from_env(tmp_path / "data")
    assert Screener(settings).update_schedule() is None
    from dataclasses import replace

    screener = Screener(replace(settings, update_interval_seconds=3600))
    schedule = screener.update_schedule()
    assert schedule is not None and schedule.interval == 3600
    folder = _sdn_folder(fixtures, tmp_path, "v1")
    factory = _publisher(folder, "Fri, 03 May 2024 10:00:00 GMT")
    schedule.run = lambda: screener.update(["us_ofac_sdn"], client_factory=factory)
    changed = schedule.check_once()
    assert [v.dataset for v in changed] == ["us_ofac_sdn"]
    assert schedule.check_once() == []
    screener.close()


def test_update_interval_setting(monkeypatch: object) -> None:
    import pytest

    mp = pytest.MonkeyPatch()
    mp.setenv("SANCTIONS_UPDATE_INTERVAL", "6h")
    assert Settings.from_env("/tmp/x").update_interval_seconds == 6 * 3600
    mp.undo()
