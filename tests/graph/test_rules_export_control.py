"""An export-control listing does not make a party "listed" for the ownership rules."""

from __future__ import annotations

from sanctions.graph.model import GraphBuilder
from sanctions.model import Entity, Listing, Schema


def test_export_control_listing_is_not_a_sanction_for_ownership() -> None:
    builder = GraphBuilder()
    entity_list_only = Entity("csl-1", "us_trade_csl", "1", Schema.ORGANIZATION)
    entity_list_only.add_name("32 Group China Ltd.")
    entity_list_only.listings.append(Listing("us", "EL", kind="export_control"))
    sanctioned = Entity("eu-1", "eu_journal", "1", Schema.ORGANIZATION)
    sanctioned.add_name("PJSC KAMAZ")
    sanctioned.listings.append(Listing("eu", "EU-RUS", kind="export_control"))
    sanctioned.listings.append(Listing("eu", "EU-UKR", kind="sanction"))
    builder.add_entity(entity_list_only)
    builder.add_entity(sanctioned)
    graph = builder.build()
    assert graph.authorities[graph.node("csl-1")] == frozenset()
    assert graph.authorities[graph.node("eu-1")] == frozenset({"eu"})
