"""The ownership rules: golden cases per jurisdiction, explanations and invariants."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctions.graph import RULES, resolve_ownership
from sanctions.graph.ownership import BLOCKED, POSSIBLY, resolve
from sanctions.graph.rules import JurisdictionRule
from tests.graph.helpers import small_graph

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent.parent / "fixtures" / "graph" / "ownership-cases.yml").read_text()
)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_golden_cases(case: dict[str, Any]) -> None:
    graph = small_graph(
        case["listed"], [tuple(o) for o in case.get("owns", [])], [tuple(c) for c in case.get("control", [])]
    )
    decisions = resolve_ownership(graph, RULES.values())
    for party, expected in case["expect"].items():
        got = {code: decisions[party][code].blocked for code in expected}
        assert got == expected, f"{case['name']}: {party}"


def test_paths_explain_an_aggregated_block() -> None:
    graph = small_graph({"P": ["us"], "Q": ["us"]}, [("P", "S", 100), ("S", "X", 30), ("Q", "X", 20)])
    decision = resolve_ownership(graph, [RULES["us"]], ids=["X"])["X"]["us"]
    assert decision.blocked is True and decision.basis == "ownership"
    assert decision.share == 50.0
    chains = sorted([p["id"] for p in path.path] for path in decision.paths)
    assert chains == [["P", "S", "X"], ["Q", "X"]]
    by_root = {path.owners[0]["id"]: path for path in decision.paths}
    assert by_root["P"].shares == [100.0, 30.0] and by_root["P"].effective_share == pytest.approx(30.0)
    assert by_root["Q"].effective_share == pytest.approx(20.0)


def test_unknown_share_is_reported_unknown_not_zero() -> None:
    graph = small_graph({"P": ["us"]}, [("P", "A", None)])
    decision = resolve_ownership(graph, [RULES["us"]], ids=["A"])["A"]["us"]
    assert decision.blocked is None
    assert decision.share is None
    assert decision.paths[0].shares == [None] and decision.paths[0].effective_share is None


def test_listed_party_reports_listing_not_share() -> None:
    graph = small_graph({"P": ["gb"]}, [("P", "A", 80)])
    decision = resolve_ownership(graph, [RULES["gb"]], ids=["P"])["P"]["gb"]
    assert (decision.blocked, decision.basis, decision.listed, decision.share) == (True, "listed", True, None)


def test_ended_ownership_does_not_block() -> None:
    from sanctions.graph.model import GraphBuilder
    from sanctions.model import RelationKind
    from tests.graph.helpers import party, relation

    builder = GraphBuilder(as_of="2024-06-01")
    for entity in (party("P", ["us"]), party("A"), party("B")):
        builder.add_entity(entity)
    assert not builder.add_relation(relation(RelationKind.OWNER, "P", "A", 100, end_date="2023-10"))
    assert builder.add_relation(relation(RelationKind.OWNER, "P", "B", 100, end_date="2024"))
    decisions = resolve_ownership(builder.build(), [RULES["us"]])
    assert decisions["A"]["us"].blocked is False
    assert decisions["B"]["us"].blocked is True


# -- invariants ------------------------------------------------------------------------------

NODES = [f"N{i}" for i in range(7)]
shares = st.one_of(st.none(), st.sampled_from([10.0, 25.0, 30.0, 49.0, 50.0, 51.0, 60.0, 100.0]))
edges = st.lists(
    st.tuples(st.sampled_from(NODES), st.sampled_from(NODES), shares).filter(lambda e: e[0] != e[1]),
    max_size=14,
    unique_by=lambda e: (e[0], e[1]),
)
listed_sets = st.sets(st.sampled_from(NODES), max_size=3)


def _naive(
    nodes: list[str], listed: set[str], owns: list[tuple[str, str, float | None]], rule: JurisdictionRule
) -> set[str]:
    """Reference: recompute every party's sum from scratch until nothing changes (known shares)."""
    groups = [set(listed)] if rule.aggregate else [{p} for p in listed]
    blocked: set[str] = set(listed)
    for group in groups:
        changed = True
        while changed:
            changed = False
            for node in nodes:
                if node in group:
                    continue
                held = sum(s for o, a, s in owns if a == node and o in group and s is not None)
                if rule.reaches(held):
                    group.add(node)
                    changed = True
        blocked |= group
    return blocked


@settings(max_examples=200, deadline=None)
@given(edges, listed_sets, st.sampled_from(sorted(RULES)))
def test_certain_blocks_match_a_naive_fixed_point(owns: list[Any], listed: set[str], code: str) -> None:
    rule = RULES[code]
    graph = small_graph({n: ([code] if n in listed else []) for n in NODES}, owns)
    res = resolve(graph, rule)
    got = {graph.ids[i] for i in range(graph.size) if res.status[i] == BLOCKED}
    assert got == _naive(NODES, listed, owns, rule)


@settings(max_examples=200, deadline=None)
@given(
    edges,
    listed_sets,
    st.sampled_from(sorted(RULES)),
    st.sampled_from(NODES),
    st.sampled_from([10.0, 60.0, None]),
)
def test_adding_an_unlisted_owner_never_blocks_anyone(
    owns: list[Any], listed: set[str], code: str, target: str, share: float | None
) -> None:
    listing = {n: ([code] if n in listed else []) for n in NODES}
    before = resolve_ownership(small_graph(listing, owns), [RULES[code]])
    after = resolve_ownership(
        small_graph({**listing, "NEW": []}, [*owns, ("NEW", target, share)]), [RULES[code]]
    )
    for node in NODES:
        if after[node][code].blocked is True:
            assert before[node][code].blocked is True, node
        if after[node][code].blocked is None:
            assert before[node][code].blocked in (True, None), node


@settings(max_examples=200, deadline=None)
@given(edges, listed_sets, st.sampled_from(sorted(RULES)), st.integers(0, 13), st.floats(0, 50))
def test_raising_a_share_never_unblocks(
    owns: list[Any], listed: set[str], code: str, which: int, extra: float
) -> None:
    listing = {n: ([code] if n in listed else []) for n in NODES}
    raised = list(owns)
    if raised:
        o, a, s = raised[which % len(raised)]
        raised[which % len(raised)] = (o, a, None if s is None else min(100.0, s + extra))
    before = resolve(small_graph(listing, owns), RULES[code])
    after = resolve(small_graph(listing, raised), RULES[code])
    assert all(after.status[i] == BLOCKED for i in range(len(before.status)) if before.status[i] == BLOCKED)


@settings(max_examples=150, deadline=None)
@given(edges, listed_sets)
def test_aggregation_and_inclusive_threshold_only_add_blocks(owns: list[Any], listed: set[str]) -> None:
    graph = small_graph({n: (["gb"] if n in listed else []) for n in NODES}, owns)
    strict = resolve(graph, RULES["gb"])
    wider = resolve(graph, RULES["gb"].with_options(aggregate=True))
    for i in range(graph.size):
        if strict.status[i] == BLOCKED:
            assert wider.status[i] == BLOCKED
        if strict.status[i] == POSSIBLY:
            assert wider.status[i] in (BLOCKED, POSSIBLY)
