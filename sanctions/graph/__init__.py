"""Relationships, ownership rules per jurisdiction and exposure paths.

Pure functions over a :class:`Graph` built from entities and relations:

* :func:`resolve_ownership` -- who is blocked under the US, EU and UK ownership rules, and why;
* :func:`find_exposure` -- every path from a party to listed parties within a few hops;
* :func:`render_exposure` (in :mod:`sanctions.graph.svg`) -- the exposure as an SVG picture.
"""

from __future__ import annotations

from sanctions.graph.collect import Neighbourhood, PartyLink, PartyMatcher, RelationSource, collect
from sanctions.graph.exposure import ExposurePath, ExposureResult, find_exposure
from sanctions.graph.model import Graph, GraphBuilder, build_graph, with_file_ids
from sanctions.graph.ownership import Decision, OwnershipPath, Resolution, resolve, resolve_ownership
from sanctions.graph.rules import RULES, JurisdictionRule, configure_rules, parse_jurisdictions

__all__ = [
    "RULES",
    "Decision",
    "ExposurePath",
    "ExposureResult",
    "Graph",
    "GraphBuilder",
    "JurisdictionRule",
    "Neighbourhood",
    "OwnershipPath",
    "PartyLink",
    "PartyMatcher",
    "RelationSource",
    "Resolution",
    "build_graph",
    "collect",
    "configure_rules",
    "find_exposure",
    "parse_jurisdictions",
    "resolve",
    "resolve_ownership",
    "with_file_ids",
]
