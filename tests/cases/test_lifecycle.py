"""The done-when script of the cases issue, on SQLite and on PostgreSQL: one user clears a false
positive, the same user cannot approve it, another can; a full re-screen, a re-load of the same
list and an engine change leave it cleared; a list version adding a birth date to the listed
party brings it back as review_required with the difference; the audit chain verifies, and no
longer does after one row is edited with the triggers dropped."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import text

from sanctions.errors import ConflictError, FourEyesError, InvalidInputError
from sanctions.ingest import LoadRequest, load
from sanctions.service import Screener
from sanctions.settings import Settings

UN = "un_sc_sanctions"
TAGANDA = "6908021"  # BOSCO TAGANDA: version B gives him an exact birth date
BOOK = [
    ("C01", "Bosco Ntaganda", "", ""),  # a namesake: his passport (on file) says born 1990, Kenyan
    ("C02", "Anna Schmidt", "1980-04-02", "Germany"),
]


def _queue(screener: Screener) -> list[int]:
    return [int(a["id"]) for a in screener.alert_queue(book="bank")["alerts"]]


def _with_birth_date(fixtures: Path, target: Path) -> Path:
    tree = etree.parse(str(fixtures / "un" / "consolidated_excerpt.xml"))
    for node in tree.iter("INDIVIDUAL"):
        if node.findtext("DATAID") == TAGANDA:
            dob = etree.SubElement(node, "INDIVIDUAL_DATE_OF_BIRTH")
            etree.SubElement(dob, "TYPE_OF_DATE").text = "EXACT"
            etree.SubElement(dob, "DATE").text = "1973-11-05"
    tree.write(str(target), xml_declaration=True, encoding="utf-8")
    return target


def _setup(db_url: str, tmp_path: Path, fixtures: Path) -> tuple[Screener, int]:
    screener = Screener(Settings(data_dir=tmp_path, database_url=db_url))
    load(screener.store, LoadRequest(UN, fixtures / "un" / "consolidated_excerpt.xml"))
    book = tmp_path / "book.csv"
    with book.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "name", "birth_date", "nationality"])
        writer.writerows(BOOK)
    screener.book_import("bank", book)
    (alert,) = screener.alerts(book="bank")
    assert (alert["customer_id"], alert["entity_id"]) == ("C01", f"{UN}-{TAGANDA}")
    return screener, int(alert["id"])


def test_clear_approve_survive_and_come_back(db_url: str, tmp_path: Path, fixtures: Path) -> None:
    screener, alert_id = _setup(db_url, tmp_path, fixtures)
    decision = screener.alert_decide(
        alert_id, "false_positive", "ann", reason_code="different_person", note="born 1990 in Kenya"
    )
    assert decision["state"] == "pending"
    with pytest.raises(FourEyesError):
        screener.alert_approve(alert_id, "ann")
    assert screener.approvals()[0]["id"] == alert_id
    assert screener.alert_approve(alert_id, "bob")["state"] == "cleared"
    assert _queue(screener) == []
    assert [m["alert_id"] for m in screener.alert_memory("bank")] == [alert_id]

    # A full re-screen, the same list loaded again (forced), and another algorithm: still cleared.
    screener.book_screen("bank")
    load(screener.store, LoadRequest(UN, fixtures / "un" / "consolidated_excerpt.xml", force=True))
    screener.rescreen_books(screener.store.current_versions())
    screener.book_screen("bank", algorithm="logic-v1")
    assert screener.alert_case(alert_id)["alert"]["state"] == "cleared"

    # A new version gives the listed party a birth date: the alert comes back, with the difference.
    b = load(screener.store, LoadRequest(UN, _with_birth_date(fixtures, tmp_path / "b.xml")))
    screener.rescreen_books([b])
    alert = screener.alert_case(alert_id)["alert"]
    assert alert["state"] == "review_required"
    assert alert["review"]["party"]["birth_dates"] == {"added": ["1973-11-05"], "removed": []}
    assert _queue(screener) == [alert_id]
    assert screener.alert_memory("bank") == []

    result = screener.audit_verify()
    assert result.ok, result.problems
    actions = [e["action"] for e in screener.audit_events()]
    for expected in ("list.loaded", "run.completed", "alert.new", "decision.made", "decision.approved"):
        assert expected in actions
    assert "alert.review_required" in actions


def test_store_refuses_history_rewrites_and_self_approval(
    db_url: str, tmp_path: Path, fixtures: Path
) -> None:
    screener, alert_id = _setup(db_url, tmp_path, fixtures)
    decision = screener.alert_decide(alert_id, "true_match", "ann", note="same passport")
    engine = screener.store.engine
    with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
        conn.execute(text("UPDATE decisions SET verdict = 'false_positive'"))
    with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events"))
    with pytest.raises(Exception, match="four eyes"), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO approvals (decision_id, outcome, approver, note, at) "
                "VALUES (:d, 'approved', 'ann', '', '2026-01-01T00:00:00Z')"
            ),
            {"d": decision["id"]},
        )
    assert screener.alert_reject(alert_id, "bob", "ask for the passport copy")["state"] == "open"
    with pytest.raises(ConflictError):
        screener.alert_approve(alert_id, "carol")


def test_verify_detects_an_edit_behind_dropped_triggers(db_url: str, tmp_path: Path, fixtures: Path) -> None:
    screener, alert_id = _setup(db_url, tmp_path, fixtures)
    screener.alert_decide(alert_id, "needs_info", "ann", note="ask the branch")
    checkpoint, _ = screener.audit_checkpoint()
    assert screener.audit_verify().ok
    engine = screener.store.engine
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP TRIGGER audit_events_no_update ON audit_events"))
            conn.execute(text("GRANT UPDATE ON audit_events TO CURRENT_USER"))
        else:
            conn.execute(text("DROP TRIGGER audit_events_no_update"))
        conn.execute(text("UPDATE audit_events SET actor = 'mallory' WHERE action = 'decision.made'"))
    result = screener.audit_verify()
    assert not result.ok
    assert any("does not match its hash" in p for p in result.problems)
    assert checkpoint.seq == result.head_seq


def test_a_rewritten_chain_or_a_cut_tail_fails_against_checkpoints(tmp_path: Path, fixtures: Path) -> None:
    screener, alert_id = _setup(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path, fixtures)
    screener.audit_checkpoint()
    screener.alert_decide(alert_id, "needs_info", "ann")
    screener.audit_checkpoint()
    engine = screener.store.engine
    with engine.begin() as conn:  # an insider drops the guard and cuts the last events off
        conn.execute(text("DROP TRIGGER audit_events_no_delete"))
        head = conn.execute(text("SELECT MAX(seq) FROM audit_events")).scalar_one()
        conn.execute(text("DELETE FROM audit_events WHERE seq > :s"), {"s": head - 2})
    result = screener.audit_verify()
    assert not result.ok
    assert any("tail was cut" in p for p in result.problems)


def test_bad_decisions_are_refused(tmp_path: Path, fixtures: Path) -> None:
    screener, alert_id = _setup(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path, fixtures)
    with pytest.raises(InvalidInputError, match="reason code"):
        screener.alert_decide(alert_id, "false_positive", "ann")
    with pytest.raises(InvalidInputError, match="unknown verdict"):
        screener.alert_decide(alert_id, "maybe", "ann")
    with pytest.raises(InvalidInputError, match="unknown reason code"):
        screener.alert_decide(alert_id, "false_positive", "ann", reason_code="looks fine")
