"""FtM export: every line is valid FtM, and export -> import gives back equivalent records."""

from __future__ import annotations

import io
import json
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from followthemoney import model
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctions.export import write_ftm
from sanctions.model import (
    Entity,
    Identifier,
    Listing,
    Name,
    NameKind,
    PartialDate,
    Relation,
    RelationKind,
    Schema,
)
from sanctions.sources.base import ParseContext
from sanctions.sources.ftm import parse
from sanctions.sources.relations_csv import parse_relations
from sanctions.sources.user_csv import parse as parse_csv


def _export(entities: list[Entity], relations: list[Relation]) -> tuple[str, int]:
    out = io.StringIO()
    written = write_ftm(entities, relations, out)
    return out.getvalue(), written


def _reimport(text: str, dataset: str = "rt") -> tuple[dict[str, Entity], list[Relation], list[str]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.ftm.json"
        path.write_text(text, encoding="utf-8")
        ctx = ParseContext(path, dataset)
        records = list(parse(ctx))
    # The importer prefixes ids with its dataset; the exported FtM id is the source id.
    entities = {r.source_id: r for r in records if isinstance(r, Entity)}
    return entities, [r for r in records if isinstance(r, Relation)], ctx.warnings


def _names(entity: Entity) -> set[tuple[str, NameKind]]:
    return {(n.value, n.kind) for n in entity.names}


def _relation_key(relation: Relation, prefix: str = "") -> tuple[Any, ...]:
    return (
        relation.kind,
        relation.subject_id.removeprefix(prefix),
        relation.object_id.removeprefix(prefix),
        relation.share if relation.kind is RelationKind.OWNER else None,  # FtM has shares on Ownership only
        relation.start_date,
        relation.end_date,
        relation.source,
    )


def assert_round_trip(entities: list[Entity], relations: list[Relation]) -> None:
    """Export then import: same names and kinds, dates, identifiers, listings and relations."""
    text, _ = _export(entities, relations)
    back, back_relations, _ = _reimport(text)
    assert set(back) == {e.id for e in entities}
    for entity in entities:
        again = back[entity.id]
        assert again.schema is entity.schema
        assert _names(again) == _names(entity)
        assert again.caption == entity.caption
        assert again.birth_dates == entity.birth_dates
        identifiers = {(i.scheme, i.value) for i in entity.identifiers}
        assert {(i.scheme, i.value) for i in again.identifiers} == identifiers
        assert Counter(again.listings) == Counter(dict.fromkeys(entity.listings, 1))
        assert again.remarks == entity.remarks
    ids = {e.id for e in entities}
    inside = [r for r in relations if r.subject_id in ids and r.object_id in ids]
    assert sorted(map(repr, (_relation_key(r, "rt-") for r in back_relations))) == sorted(
        map(repr, (_relation_key(r) for r in inside))
    )


def test_every_line_is_valid_ftm(fixtures: Path) -> None:
    records = list(parse(ParseContext(fixtures / "ftm" / "zala-excerpt.ftm.json", "os")))
    entities = [r for r in records if isinstance(r, Entity)]
    relations = [r for r in records if isinstance(r, Relation)]
    text, written = _export(entities, relations)
    lines = [json.loads(line) for line in text.splitlines()]
    sanctions = sum(len(set(e.listings)) for e in entities)
    assert written == len(lines) == len(entities) + sanctions + len(relations)
    for data in lines:
        proxy = model.get_proxy(data, cleaned=False)  # re-cleans every value: nothing may change
        assert proxy.to_dict()["properties"] == data["properties"]
        for prop in data["properties"]:
            assert prop in proxy.schema.properties
    schemas = Counter(d["schema"] for d in lines)
    assert schemas["Sanction"] == sanctions
    assert schemas["Ownership"] == sum(r.kind is RelationKind.OWNER for r in relations)
    topics = {d["id"]: d["properties"].get("topics", []) for d in lines if d["schema"] != "Sanction"}
    assert all(("sanction" in topics[e.id]) == e.is_listed for e in entities)


def test_round_trip_opensanctions_excerpts(fixtures: Path) -> None:
    for name in ("zala-excerpt.ftm.json", "t1-excerpt.ftm.json"):
        records = list(parse(ParseContext(fixtures / "ftm" / name, "os")))
        entities = [r for r in records if isinstance(r, Entity)]
        assert_round_trip(entities, [r for r in records if isinstance(r, Relation)])


def test_round_trip_edge_cases(fixtures: Path) -> None:
    records = list(parse(ParseContext(fixtures / "ftm" / "edge-cases.ftm.json", "edge")))
    entities = [r for r in records if isinstance(r, Entity)]
    assert_round_trip(entities, [r for r in records if isinstance(r, Relation)])


def test_round_trip_user_files(fixtures: Path) -> None:
    watchlist = list(parse_csv(ParseContext(fixtures / "user" / "watchlist.csv", "internal")))
    assert_round_trip(watchlist, [])
    records = list(parse_relations(fixtures / "user" / "relations-words.csv", "mine"))
    entities = [r for r in records if isinstance(r, Entity)]
    assert_round_trip(entities, [r for r in records if isinstance(r, Relation)])


def _party(key: str, schema: Schema, *names: str) -> Entity:
    entity = Entity(f"t-{key}", "t", key, schema)
    for position, name in enumerate(names):
        entity.add_name(name, NameKind.PRIMARY if position == 0 else NameKind.ALIAS)
    return entity


@pytest.mark.parametrize("kind", list(RelationKind))
@pytest.mark.parametrize("ends", [(Schema.PERSON, Schema.PERSON), (Schema.COMPANY, Schema.ORGANIZATION)])
def test_every_relation_kind_survives(kind: RelationKind, ends: tuple[Schema, Schema]) -> None:
    a, b = _party("a", ends[0], "Jane Roe"), _party("b", ends[1], "John Roe")
    relation = Relation("t-r1", "t", kind, a.id, b.id, share=33.3, start_date="2020-01", source="stated")
    if kind is not RelationKind.OWNER:
        relation.share = None
    assert_round_trip([a, b], [relation])


def test_listing_authority_becomes_country_or_authority() -> None:
    entity = _party("x", Schema.COMPANY, "KAMAZ")
    entity.listings = [Listing("us", "RUSSIA-EO14024", "2022-06-28"), Listing("internal", "Deny list")]
    text, _ = _export([entity], [])
    sanctions = [json.loads(line)["properties"] for line in text.splitlines()[1:]]
    assert sanctions[0]["country"] == ["us"] and sanctions[0]["program"] == ["RUSSIA-EO14024"]
    assert sanctions[1]["authority"] == ["internal"] and "country" not in sanctions[1]
    assert_round_trip([entity], [])


def test_schema_specific_properties() -> None:
    vessel = _party("v", Schema.VESSEL, "OCEAN EXAMPLE")
    vessel.identifiers = [Identifier("imo", "IMO9116412"), Identifier("mmsi", "271000835")]
    vessel.birth_dates = [PartialDate("1997")]
    plane = _party("p", Schema.AIRCRAFT, "EP-XMP")
    plane.identifiers = [Identifier("aircraft_tail", "EP-XMP"), Identifier("aircraft_serial", "27310")]
    text, _ = _export([vessel, plane], [])
    v, p = (json.loads(line) for line in text.splitlines())
    assert (v["schema"], v["properties"]["buildDate"]) == ("Vessel", ["1997"])
    assert v["properties"]["imoNumber"] == ["IMO9116412"]
    assert p["schema"] == "Airplane" and p["properties"]["serialNumber"] == ["27310"]
    assert_round_trip([vessel, plane], [])


_WORD = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8)
_LATIN_NAME = st.lists(_WORD, min_size=1, max_size=3).map(" ".join)
_KIND = st.sampled_from([NameKind.ALIAS, NameKind.WEAK_ALIAS, NameKind.FORMER])
_DATE = (
    st.dates(min_value=date(1800, 1, 1), max_value=date(2025, 12, 31))
    .map(lambda d: d.isoformat())
    .flatmap(lambda s: st.sampled_from([s[:4], s[:7], s]))
)


@settings(max_examples=50, deadline=None)
@given(
    st.sampled_from(list(Schema)),
    _LATIN_NAME,
    st.lists(st.tuples(_LATIN_NAME, _KIND), max_size=4),
    st.lists(_DATE, max_size=2, unique=True),
)
def test_random_entities_round_trip(
    schema: Schema, primary: str, others: list[tuple[str, NameKind]], dates: list[str]
) -> None:
    entity = Entity("h-1", "h", "1", schema)
    entity.add_name(primary)
    for value, kind in others:
        entity.add_name(value, kind)
    entity.birth_dates = [PartialDate(d) for d in dates]
    entity.listings = [Listing("un", "1267")]
    assert_round_trip([entity], [])


def test_original_script_primary_name_stays_primary() -> None:
    entity = Entity("t-k", "t", "k", Schema.COMPANY, names=[Name("КАМАЗ"), Name("KAMAZ", NameKind.ALIAS)])
    text, _ = _export([entity], [])
    back, _, _ = _reimport(text)
    assert back["t-k"].caption == "КАМАЗ"
    assert _names(back["t-k"]) == _names(entity)
