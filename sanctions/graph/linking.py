"""Link the user's parties to listed records through the matching engine (for ``collect``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from sanctions.graph.collect import PartyLink, PartyMatcher
from sanctions.model import Entity, Schema

if TYPE_CHECKING:
    from sanctions.matching import Match, MatchOptions, Query

__all__ = ["Screens", "screening_matcher"]


class Screens(Protocol):
    """Anything that screens a query: the :class:`~sanctions.service.Screener`."""

    def match(self, query: Query, options: MatchOptions | None = None) -> list[Match]: ...


def screening_matcher(screener: Screens, limit: int = 3) -> PartyMatcher:
    """A :data:`PartyMatcher` that screens a party's names and keeps the matches.

    Each match links the party to the best record and to the same party's records on the
    other lists (``Match.related``), all with the match's score.
    """
    from sanctions.matching import MatchOptions, Query

    def match(entity: Entity) -> list[PartyLink]:
        schema = None if entity.schema is Schema.LEGAL_ENTITY else entity.schema.value
        query = Query(schema, {"name": [n.value for n in entity.names]})
        links: list[PartyLink] = []
        for found in screener.match(query, MatchOptions(limit=limit)):
            if found.match:
                links.extend(PartyLink(record, found.score) for record in [found.entity, *found.related])
        return links

    return match
