"""The cases invariant: whatever list versions follow a decision, a full re-screen leaves every
alert's state and review exactly as the delta re-screens left them, and an alert is back for
review only when the listed party's or the customer's screening fields really changed."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from sanctions.books import Monitor
from sanctions.cases import CaseRoom
from sanctions.store import SqlStore
from tests.books.conftest import load_ftm, write_ftm
from tests.books.test_invariant import YEARS, _customers, _entity, customer, names, version

EDIT = st.one_of(
    st.fixed_dictionaries({"year": st.sampled_from(YEARS)}),
    st.fixed_dictionaries({"alias": st.none() | names}),
    st.fixed_dictionaries({"country": st.sampled_from(["ru", "ir", None])}),
)


def _states(store: SqlStore) -> dict[int, tuple[str, Any]]:
    from sqlalchemy import text

    with store.engine.connect() as conn:
        return {r.id: (r.state, r.review) for r in conn.execute(text("SELECT id, state, review FROM alerts"))}


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
)
@given(
    extra=st.lists(customer, max_size=3),
    first=version.filter(bool),
    steps=st.integers(1, 3),
    data=st.data(),
)
def test_decided_alerts_agree_between_delta_and_full_rescreens(
    extra: list[dict[str, Any]], first: dict[int, Any], steps: int, data: st.DataObject
) -> None:
    book = [{"name": entry["name"], "year": None} for entry in first.values()] + extra  # namesakes
    later = []
    current = dict(first)
    for _ in range(steps):  # each version edits a few records of the one before: a date, an alias, a country
        current = {
            number: data.draw(st.sampled_from([entry, {**entry, **data.draw(EDIT)}]))
            for number, entry in current.items()
        }
        later.append(current)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = SqlStore.open(f"sqlite:///{folder / 'store.db'}", keep_versions=10)
        monitor = Monitor(store)
        cases = CaseRoom(store, frozenset({"false_positive"}))
        path = write_ftm(folder / "v0.ftm", [_entity(n, d) for n, d in first.items()])
        load_ftm(store, path, "alpha")
        monitor.upsert("book", _customers(book))
        decided = _states(store)
        for alert_id in decided:
            cases.decide(alert_id, "false_positive", "ann", reason_code="different_person")
            cases.approve(alert_id, "bob")
        for step, entities in enumerate(later, start=1):
            path = write_ftm(folder / f"v{step}.ftm", [_entity(n, d) for n, d in entities.items()])
            monitor.after_load([load_ftm(store, path, "alpha")])
        after_deltas = _states(store)
        back = sum(state == "review_required" for state, _ in after_deltas.values())
        event(f"decided {min(len(decided), 3)}; back for review {min(back, 2)}")
        monitor.screen_full("book")
        assert _states(store) == after_deltas
        for alert_id, (state, review) in after_deltas.items():
            if alert_id in decided and state == "review_required":
                assert review and "party" in review  # only the lists changed here, never a customer
        store.close()
