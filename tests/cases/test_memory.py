"""The false-positive memory: what keeps a decided alert quiet and what brings it back; expiry;
attachments; retention purges; and invariants of the chain and of the snapshots."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from sanctions.audit import record_many
from sanctions.audit.verify import verify_chain
from sanctions.books.memory import compare, party_snapshot
from sanctions.model import Entity, Name, NameKind, Schema
from sanctions.records import Customer
from sanctions.service import Screener
from sanctions.settings import Settings
from sanctions.store import SqlStore
from tests.books.conftest import load_ftm, write_ftm

IVAN = {"name": ["Ivan Petrov"], "birthDate": ["1970-05-01"], "passportNumber": ["AB1234567"]}


def _person(entity_id: str, **extra: list[str]) -> dict[str, Any]:
    return {"id": entity_id, "schema": "Person", "properties": IVAN | extra}


def _cleared(tmp_path: Path, **options: Any) -> tuple[Screener, int]:
    screener = Screener(
        Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'db.sqlite'}", **options)
    )
    load_ftm(screener.store, write_ftm(tmp_path / "alpha.ftm", [_person("p1")]), "alpha")
    customer = Customer("c1", "Person", {"name": ["Ivan Petrov"], "birthDate": ["1970-05-01"]})
    screener.monitor.upsert("bank", [customer])
    (alert,) = screener.alerts(book="bank")
    alert_id = int(alert["id"])
    screener.alert_decide(alert_id, "false_positive", "ann", reason_code="different_identifier")
    screener.alert_approve(alert_id, "bob")
    return screener, alert_id


def _state(screener: Screener, alert_id: int) -> str:
    return str(screener.alert_case(alert_id)["alert"]["state"])


def test_the_same_person_found_on_another_list_stays_cleared(tmp_path: Path) -> None:
    screener, alert_id = _cleared(tmp_path)
    beta = load_ftm(
        screener.store, write_ftm(tmp_path / "beta.ftm", [_person("b7", program=["RUSSIA"])]), "beta"
    )
    screener.rescreen_books([beta])
    alert = screener.alert_case(alert_id)["alert"]
    assert len(alert["entity_ids"]) == 2 and alert["state"] == "cleared"
    assert screener.alerts(book="bank", state="all") == [screener.alerts(book="bank", state="cleared")[0]]
    # A new alias on the second list is news about the person: the decision is reviewed.
    beta2 = load_ftm(
        screener.store, write_ftm(tmp_path / "beta2.ftm", [_person("b7", alias=["Vanya Petrov"])]), "beta"
    )
    screener.rescreen_books([beta2])
    alert = screener.alert_case(alert_id)["alert"]
    assert alert["state"] == "review_required"
    assert alert["review"] == {"party": {"names": {"added": ["Vanya Petrov"], "removed": []}}}


def test_a_changed_customer_brings_it_back(tmp_path: Path) -> None:
    screener, alert_id = _cleared(tmp_path)
    same = Customer("c1", "Person", {"name": ["Ivan Petrov"], "birthDate": ["1970-05-01"]})
    screener.monitor.upsert("bank", [same])
    assert _state(screener, alert_id) == "cleared"
    moved = Customer(
        "c1", "Person", {"name": ["Ivan Petrov"], "birthDate": ["1970-05-01"], "nationality": ["ru"]}
    )
    screener.monitor.upsert("bank", [moved])
    alert = screener.alert_case(alert_id)["alert"]
    assert alert["state"] == "review_required"
    assert alert["review"] == {"customer": {"nationality": {"added": ["ru"], "removed": []}}}


def test_decisions_expire_for_re_review(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    screener, alert_id = _cleared(tmp_path, review_days=365)
    (memory,) = screener.alert_memory("bank")
    assert memory["expires_at"] is not None
    assert screener.alerts_expire() == 0
    later = time.time() + 366 * 86400
    monkeypatch.setattr("sanctions.clock.time.time", lambda: later)
    assert screener.alerts_expire() == 1
    alert = screener.alert_case(alert_id)["alert"]
    assert alert["state"] == "review_required" and "expired" in alert["review"]


def test_needs_info_takes_effect_without_a_checker_and_attachments_are_kept(tmp_path: Path) -> None:
    screener, alert_id = _cleared(tmp_path)
    decided = screener.alert_decide(alert_id, "needs_info", "ann", note="ask for the passport")
    assert decided["state"] == "needs_info"
    saved = screener.alert_attach(alert_id, "../../passport.pdf", b"%PDF-1.4 test", "ann", "application/pdf")
    assert saved["filename"] == "passport.pdf"
    meta, content = screener.alert_attachment(saved["id"])
    assert content == b"%PDF-1.4 test" and meta["sha256"] == saved["sha256"]
    case = screener.alert_case(alert_id)
    assert [d["verdict"] for d in case["decisions"]] == ["false_positive", "needs_info"]
    assert case["decisions"][1]["supersedes"] == case["decisions"][0]["id"]
    assert [f["filename"] for f in case["attachments"]] == ["passport.pdf"]


def test_retention_purges_only_old_events_and_verify_starts_at_the_anchor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = SqlStore.open(f"sqlite:///{tmp_path / 'db.sqlite'}")
    monkeypatch.setattr("sanctions.audit.chain.now", lambda: "2010-01-01T00:00:00.000000Z")
    with store.engine.begin() as conn:
        record_many(conn, "system", [("test.old", f"x:{i}", {"i": i}) for i in range(5)])
    monkeypatch.undo()
    with store.engine.begin() as conn:
        record_many(conn, "system", [("test.new", f"y:{i}", {"i": i}) for i in range(3)])
    screener = Screener(
        Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'db.sqlite'}"), store
    )
    assert screener.audit_purge("admin") == 5
    result = screener.audit_verify()
    assert result.ok, result.problems
    assert (result.first_seq, result.events) == (6, 4)  # three kept, and the purge's own event
    with pytest.raises(Exception, match="append-only"), store.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events WHERE seq = 6"))


payloads = st.dictionaries(
    st.text(max_size=8),
    st.one_of(st.text(max_size=20), st.integers(), st.none(), st.lists(st.text(max_size=5))),
    max_size=4,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    events=st.lists(st.tuples(st.text(min_size=1, max_size=10), payloads), min_size=1, max_size=12),
    pick=st.integers(0, 100),
)
def test_the_chain_verifies_and_any_edit_breaks_it(
    events: list[tuple[str, dict[str, Any]]], pick: int
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = SqlStore.open(f"sqlite:///{Path(tmp) / 'db.sqlite'}")
        with store.engine.begin() as conn:
            record_many(conn, "tester", [(action, "obj", data) for action, data in events])
        assert verify_chain(store.engine)[0].ok
        seq = pick % len(events) + 1
        with store.engine.begin() as conn:
            conn.execute(text("DROP TRIGGER audit_events_no_update"))
            conn.execute(text("UPDATE audit_events SET object = object || '!' WHERE seq = :s"), {"s": seq})
        result, _ = verify_chain(store.engine)
        assert not result.ok and f"event {seq}" in result.problems[0]
        store.close()


def _entity(entity_id: str, names: list[str], dates: list[str]) -> Entity:
    from sanctions.model import PartialDate

    return Entity(
        entity_id,
        entity_id.split("-")[0],
        entity_id,
        Schema.PERSON,
        names=[Name(n, NameKind.PRIMARY) for n in names],
        birth_dates=[PartialDate(d) for d in dates],
    )


@given(
    names=st.lists(st.text(min_size=1, max_size=10), min_size=1, max_size=4),
    dates=st.lists(st.sampled_from(["1970", "1970-05-01", "1985"]), max_size=2),
)
def test_snapshots_ignore_order_and_a_repeat_record_is_no_change(names: list[str], dates: list[str]) -> None:
    one = [_entity("a-1", names, dates)]
    both = [*one, _entity("b-2", list(reversed(names)), dates)]
    assert party_snapshot(one)["names"] == party_snapshot(both)["names"]
    old = {"party": party_snapshot(one), "customer": {}}
    assert compare(old, party_snapshot(list(reversed(both))), {}) == {}
