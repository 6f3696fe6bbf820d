"""Item 2 and 6: long chains need no recursion, and a cancelled budget stops work at once."""

from __future__ import annotations

import sys
import threading
import time

import pytest

from sanctions import budget
from sanctions.budget import Budget, BudgetExceededError, CancelledError
from sanctions.graph import RULES, find_exposure, resolve_ownership
from sanctions.scan.extract import ExtractLimits
from sanctions.scan.isolate import extract_isolated
from tests.graph.helpers import small_graph

HOPS = 3 * sys.getrecursionlimit()  # well past what a recursive walk survives


def _chain(hops: int) -> dict[str, object]:
    owns = [("owner", "c0", 100.0)] + [(f"c{i}", f"c{i + 1}", 100.0) for i in range(hops)]
    return {"listed": {"owner": ["us"]}, "owns": owns}


def test_ownership_through_a_chain_longer_than_the_recursion_limit() -> None:
    graph = small_graph(**_chain(HOPS))  # type: ignore[arg-type]
    decisions = resolve_ownership(graph, [RULES["us"]], ids=[f"c{HOPS}"])
    decision = decisions[f"c{HOPS}"]["us"]
    assert decision.blocked is True
    assert len(decision.paths) == 1 and len(decision.paths[0].path) == HOPS + 2


def test_exposure_walks_iteratively_and_finds_the_listed_owner() -> None:
    graph = small_graph(**_chain(HOPS))  # type: ignore[arg-type]
    result = find_exposure(graph, [f"c{HOPS}"], [RULES["us"]], depth=6)
    assert result.status == "blocked_by_ownership"
    assert all(len(p.hops) <= 6 for p in result.paths)


def test_a_cancelled_budget_stops_a_graph_walk() -> None:
    graph = small_graph(**_chain(HOPS))  # type: ignore[arg-type]
    job = Budget(60.0)
    job.cancel()
    with budget.running(job), pytest.raises(CancelledError):
        resolve_ownership(graph, [RULES["us"]], ids=[f"c{HOPS}"])


def test_an_expired_budget_is_its_own_error() -> None:
    with budget.running(Budget(0.0)), pytest.raises(BudgetExceededError, match="max_request_seconds"):
        budget.check()


def test_cancelling_the_budget_kills_the_extraction_worker() -> None:
    slow = b"<html>" + b"<div>" * 2_000_000 + b"hidden"
    job = Budget(600.0)
    threading.Timer(0.5, job.cancel).start()
    started = time.monotonic()
    with budget.running(job), pytest.raises(CancelledError):
        extract_isolated(slow, "slow.html", None, ExtractLimits(max_extract_seconds=600.0))
    assert time.monotonic() - started < 60  # not the 600 s the extraction was allowed
