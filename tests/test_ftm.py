"""The one FtM mapping table: export -> import -> API gives the same entities as the API gave
for the originals, and the table names only what FollowTheMoney defines."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from followthemoney import model

from sanctions.api.ftm import entity_response, nest_relations, sanction_entities
from sanctions.export import write_ftm
from sanctions.ftm import (
    DATE_PROPERTIES,
    IDENTIFIER_PROPERTIES,
    NAME_PROPERTIES,
    PARTY_SCHEMAS,
    RELATION_SCHEMAS,
    ftm_schema_name,
    party_properties,
    relation_schema,
)
from sanctions.model import Entity, NameKind, Relation, RelationKind, Schema
from sanctions.sources.base import ParseContext
from sanctions.sources.ftm import parse
from sanctions.sources.relations_csv import parse_relations
from sanctions.sources.user_csv import parse as parse_csv

PREFIX = "rt-"  # the importer prefixes ids with its dataset


def _api_view(entities: list[Entity], relations: list[Relation]) -> dict[str, Any]:
    """What the API shows of each entity: the entity, its sanctions and its nested relations."""
    by_id = {e.id: e for e in entities}
    lookup: Callable[[str], Entity | None] = by_id.get
    out: dict[str, Any] = {}
    for entity in entities:
        mine = [r for r in relations if entity.id in (r.subject_id, r.object_id)]
        response = entity_response(entity)
        out[entity.id] = {
            "schema": response["schema"],
            "caption": response["caption"],
            "target": response["target"],
            "properties": response["properties"],
            "sanctions": [{**s, "id": None} for s in sanction_entities(entity)],
            "relations": nest_relations(entity, mine, lookup),
        }
    return out


def _canonical(value: Any, prefix: str = "") -> Any:
    """Ids without the importer's prefix, FtM property values as sets (they are unordered)."""
    if isinstance(value, str):
        return value.removeprefix(prefix)
    if isinstance(value, dict):
        return {
            k.removeprefix(prefix): _canonical(v, prefix)
            for k, v in value.items()
            if k not in ("datasets", "referents")
        }
    if isinstance(value, list):
        items = [_canonical(v, prefix) for v in value]
        return sorted(items, key=repr)
    return value


def _round_trip(entities: list[Entity], relations: list[Relation]) -> tuple[list[Entity], list[Relation]]:
    out = io.StringIO()
    write_ftm(entities, relations, out)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.ftm.json"
        path.write_text(out.getvalue(), encoding="utf-8")
        records = list(parse(ParseContext(path, PREFIX.rstrip("-"))))
    return [r for r in records if isinstance(r, Entity)], [r for r in records if isinstance(r, Relation)]


def _user_records(fixtures: Path) -> list[Entity | Relation]:
    watchlist = ParseContext(fixtures / "user" / "watchlist.csv", "internal")
    records: list[Entity | Relation] = list(parse_csv(watchlist))
    return records + list(parse_relations(fixtures / "user" / "relations-words.csv", "mine"))


SOURCES = ["zala-excerpt.ftm.json", "t1-excerpt.ftm.json", "edge-cases.ftm.json", "user"]


@pytest.mark.parametrize("source", SOURCES)
def test_export_import_api_gives_the_same_entities(fixtures: Path, source: str) -> None:
    if source == "user":
        records = _user_records(fixtures)
    else:
        records = list(parse(ParseContext(fixtures / "ftm" / source, "os")))
    entities = [r for r in records if isinstance(r, Entity)]
    relations = [r for r in records if isinstance(r, Relation)]
    ids = {e.id for e in entities}
    relations = [r for r in relations if r.subject_id in ids and r.object_id in ids]
    before = _api_view(entities, relations)
    again, again_relations = _round_trip(entities, relations)
    after = _api_view(again, again_relations)
    assert len(after) == len(before) == len(entities)
    assert _canonical(after, PREFIX) == _canonical(before)
    # Something was compared: names, listings and relations all took part.
    assert any(view["properties"].get("name") for view in before.values())
    if source != "user":
        assert any(view["sanctions"] for view in before.values())
    if source.startswith("zala") or source == "user":
        assert any(view["relations"] for view in before.values())


def test_every_relation_kind_has_one_schema_in_all_three() -> None:
    # CONTROL was an UnknownLink in the API while the export wrote Control: one table now.
    expected = {
        RelationKind.OWNER: "Ownership",
        RelationKind.CONTROL: "Control",
        RelationKind.DIRECTOR: "Directorship",
    }
    for kind in RelationKind:
        schema = relation_schema(kind, Schema.COMPANY, Schema.COMPANY)
        assert schema.name == expected.get(kind, "UnknownLink"), kind  # Family, Associate: people
    for kind, name in ((RelationKind.FAMILY, "Family"), (RelationKind.ASSOCIATE, "Associate")):
        assert relation_schema(kind, Schema.PERSON, Schema.PERSON).name == name


def test_original_script_names_are_names_in_every_face() -> None:
    entity = Entity("t-k", "t", "k", Schema.PERSON)
    entity.add_name("Vladimir PUTIN")
    entity.add_name("Владимир Путин", NameKind.ORIGINAL_SCRIPT)
    entity.add_name("Putin V.", NameKind.ALIAS)
    props = party_properties(entity)
    assert props["name"] == ["Vladimir PUTIN", "Владимир Путин"] and props["alias"] == ["Putin V."]
    assert entity_response(entity)["properties"]["name"] == props["name"]


def test_the_table_names_only_what_followthemoney_defines() -> None:
    for name, _ in (*PARTY_SCHEMAS, *RELATION_SCHEMAS):
        assert model.get(name) is not None, name
    assert {kind for _, kind in NAME_PROPERTIES} == set(NameKind)
    for schema in Schema:
        ftm = model.get(ftm_schema_name(schema))
        assert ftm is not None
        assert any(p in ftm.properties for p in DATE_PROPERTIES)
        for prop, _ in NAME_PROPERTIES:
            assert prop in ftm.properties
    every = {p for s in PARTY_SCHEMAS if (f := model.get(s[0])) for p in f.properties}
    assert all(row.prop in every for row in IDENTIFIER_PROPERTIES)
