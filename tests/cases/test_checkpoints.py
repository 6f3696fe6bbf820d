"""Signed checkpoints: written on each list load, posted to a real loopback receiver, checked by
verify against the public key; a forged or foreign checkpoint is caught."""

from __future__ import annotations

from pathlib import Path

import orjson

from sanctions.service import Screener
from sanctions.settings import Settings
from tests.books.conftest import write_ftm
from tests.books.test_webhooks import Receiver, receiver  # noqa: F401 (the loopback receiver fixture)


def _screener(tmp_path: Path, **options: object) -> Screener:
    return Screener(
        Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'db.sqlite'}", **options)
    )  # type: ignore[arg-type]


def test_a_list_load_signs_a_checkpoint_and_posts_it(tmp_path: Path, receiver: Receiver) -> None:  # noqa: F811
    screener = _screener(tmp_path, audit_checkpoint_url=receiver.url)
    path = write_ftm(
        tmp_path / "l.ftm", [{"id": "p1", "schema": "Person", "properties": {"name": ["Ivan Petrov"]}}]
    )
    screener.load("ftm", path, dataset="mine")
    files = sorted((tmp_path / "audit" / "checkpoints").glob("*.json"))
    assert len(files) == 1 and (tmp_path / "audit" / "signing-key.pub").exists()
    assert oct((tmp_path / "audit" / "signing-key.pem").stat().st_mode & 0o777) == "0o600"
    written = orjson.loads(files[0].read_bytes())
    ((headers, body),) = receiver.received
    assert orjson.loads(body) == written and headers["content-type"] == "application/json"
    assert written["seq"] >= 1
    screener.load("ftm", path, dataset="mine")  # the same file: no new version, no checkpoint
    assert len(list((tmp_path / "audit" / "checkpoints").glob("*.json"))) == 1
    result = screener.audit_verify()
    assert result.ok and result.checkpoints == 1


def test_forged_and_foreign_checkpoints_fail(tmp_path: Path) -> None:
    screener = _screener(tmp_path)
    path = write_ftm(
        tmp_path / "l.ftm", [{"id": "p1", "schema": "Person", "properties": {"name": ["Ivan Petrov"]}}]
    )
    screener.load("ftm", path, dataset="mine")
    (path,) = (tmp_path / "audit" / "checkpoints").glob("*.json")
    data = orjson.loads(path.read_bytes())
    data["hash"] = "f" * 64
    path.write_bytes(orjson.dumps(data))
    result = screener.audit_verify()
    assert not result.ok and "signature does not verify" in result.problems[0]
    other = _screener(tmp_path / "other")
    other.audit_checkpoint()
    result = screener.audit_verify(checkpoints=tmp_path / "other" / "audit" / "checkpoints")
    assert not result.ok and "signature" in result.problems[0]


def test_housekeeping_signs_the_daily_checkpoint_once_and_checkpoints_the_wal(tmp_path: Path) -> None:
    screener = _screener(tmp_path)
    first = screener.housekeeping()
    again = screener.housekeeping()
    assert first["checkpoint"] is True and again["checkpoint"] is False  # once a day
    assert len(list((tmp_path / "audit" / "checkpoints").glob("*.json"))) == 1
