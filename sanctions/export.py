"""Export our model as FollowTheMoney (FtM) JSON lines, so FtM tools (and OpenSanctions'
own tooling) can read what we hold.

One FtM entity per :class:`Entity`, one ``Sanction`` per :class:`Listing` and one
relationship entity per :class:`Relation`, mapped by the one table of :mod:`sanctions.ftm`
(which the importer :mod:`sanctions.sources.ftm` and the API read too). Values go through
``followthemoney``'s own cleaning (``EntityProxy.add``), so every line is valid FtM. Exporting
then importing gives back the same names, name kinds, dates, identifiers, listings and
relations.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import IO

from followthemoney import model
from followthemoney.proxy import EntityProxy

from sanctions.ftm import (
    ftm_schema_name,
    identifier_property,
    party_properties,
    relation_properties,
    relation_schema,
    sanction_id,
    sanction_properties,
)
from sanctions.model import Entity, Listing, Relation, Schema

__all__ = ["write_ftm"]

log = logging.getLogger(__name__)


def _proxy(schema: str, record_id: str, properties: dict[str, list[str]]) -> EntityProxy:
    """An FtM entity with these properties, each value cleaned by ``followthemoney``."""
    proxy = model.make_entity(schema)
    proxy.id = record_id
    for prop, values in properties.items():
        for value in values:
            proxy.add(prop, value)
    return proxy


def _entity_proxy(entity: Entity) -> EntityProxy:
    schema = ftm_schema_name(entity.schema)
    proxy = _proxy(schema, entity.id, party_properties(entity))
    for identifier in entity.identifiers:
        if identifier_property(proxy.schema, identifier) is None:
            log.warning(
                "export.identifier_dropped",
                extra={"entity": entity.id, "scheme": identifier.scheme, "schema": schema},
            )
    return proxy


def _sanction_proxy(entity: Entity, listing: Listing) -> EntityProxy:
    return _proxy("Sanction", sanction_id(entity, listing), sanction_properties(entity, listing))


def _relation_proxy(relation: Relation, schemas: dict[str, Schema]) -> EntityProxy:
    schema = relation_schema(relation.kind, schemas.get(relation.subject_id), schemas.get(relation.object_id))
    return _proxy(schema.name, relation.id, relation_properties(relation, schema))


def _write(proxy: EntityProxy, out: IO[str], caption: str | None = None) -> None:
    data = proxy.to_dict()
    if caption is not None:
        data = {"id": data["id"], "caption": caption, **data}
    out.write(json.dumps(data, ensure_ascii=False, sort_keys=False) + "\n")


def write_ftm(entities: Iterable[Entity], relations: Iterable[Relation], out: IO[str]) -> int:
    """Write entities, their listings and the relations as FtM JSON lines; return the lines written.

    Parties come first, each followed by its ``Sanction`` records, then the relationship
    records. Only the ids and schemas of the parties are kept in memory (to pick an FtM
    relationship schema whose ends fit), so both inputs may be streams.
    """
    schemas: dict[str, Schema] = {}
    written = 0
    for entity in entities:
        schemas[entity.id] = entity.schema
        _write(_entity_proxy(entity), out, entity.caption)
        written += 1
        for listing in dict.fromkeys(entity.listings):
            _write(_sanction_proxy(entity, listing), out)
            written += 1
    for relation in relations:
        _write(_relation_proxy(relation, schemas), out)
        written += 1
    return written
