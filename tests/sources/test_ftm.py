"""FtM JSON lines import: real OpenSanctions excerpts, a golden edge-case file, fuzzing."""

from __future__ import annotations

import contextlib
import json
import random
import tempfile
from pathlib import Path
from typing import Any

import pytest
from followthemoney import model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctions.errors import SanctionsError, SourceFormatError
from sanctions.ftm import IDENTIFIER_PROPERTIES, PARTY_SCHEMAS, RELATION_SCHEMAS
from sanctions.model import Entity, NameKind, Relation, RelationKind, Schema
from sanctions.sources import get_parser
from sanctions.sources.base import ParseContext, make_id
from sanctions.sources.ftm import parse

CST = "NK-abdzbEBkqyT29GyREbiURZ"  # LLC CST (Zala Aero group)
ZAKHAROV = "NK-aU5ybkbRFJucf8YMwsJvDw"  # Alexander Vyacheslavovich ZAKHAROV


def _load(path: Path, dataset: str = "os") -> tuple[dict[str, Entity], list[Relation], list[str]]:
    ctx = ParseContext(path, dataset)
    records = list(parse(ctx))
    entities = {r.source_id: r for r in records if isinstance(r, Entity)}
    relations = [r for r in records if isinstance(r, Relation)]
    return entities, relations, ctx.warnings


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _is_party(schema_name: str) -> bool:
    schema = model.get(schema_name)
    return schema is not None and any(schema.is_a(name) for name, _ in PARTY_SCHEMAS)


def _ends(record: dict[str, Any]) -> list[str]:
    schema = model.get(record["schema"])
    assert schema is not None
    props = record["properties"]
    return [v for key in (schema.edge_source, schema.edge_target) for v in props.get(key, [])]


def test_registered_as_ftm_source() -> None:
    assert get_parser("ftm") is parse


def test_zala_excerpt_parties_listings_and_relations(fixtures: Path) -> None:
    path = fixtures / "ftm" / "zala-excerpt.ftm.json"
    entities, relations, warnings = _load(path)
    lines = _lines(path)
    assert set(entities) == {d["id"] for d in lines if _is_party(d["schema"])}
    cst = entities[CST]
    assert cst.id == make_id("os", CST) and cst.schema is Schema.COMPANY
    # The OFAC and EU Sanction records name CST; the expired Ukrainian one (status "expired") does not count.
    assert {listing.authority for listing in cst.listings} == {"us", "eu"}
    assert any(listing.program == "RUSSIA-EO14024" for listing in cst.listings)
    # The first two lines are Sanctions on ZAKHAROV, before his own line: still attached.
    assert lines[0]["schema"] == "Sanction"
    assert {"us", "eu"} <= {x.authority for x in entities[ZAKHAROV].listings}
    # addressEntity points at Address records, one of them by a former id (its referent).
    assert any(a.country == "ru" and "9050" in a.full for a in cst.addresses)
    assert any(i.scheme == "tax" and i.note == "INN" and i.country == "ru" for i in cst.identifiers)
    kinds = {(r.kind, r.subject_id, r.object_id) for r in relations}
    assert (RelationKind.DIRECTOR, make_id("os", ZAKHAROV), make_id("os", CST)) in kinds
    assert (RelationKind.FAMILY, make_id("os", "NK-2Tbri3s6GgNtAwsSXh4qpL"), make_id("os", ZAKHAROV)) in kinds
    shares = sorted(r.share for r in relations if r.kind is RelationKind.OWNER and r.share is not None)
    assert shares == [2.0, 50.0, 51.0]
    # The Kalashnikov -> CST ownership points outside the excerpt.
    assert any("1 relation(s) refer to entities that are not in the file" in w for w in warnings)


def test_topic_sanction_without_sanction_record_is_listed(fixtures: Path) -> None:
    entities, _, _ = _load(fixtures / "ftm" / "zala-excerpt.ftm.json")
    # topics: sanction; datasets include gb_fcdo_sanctions and us_ofac_sdn
    osetrova = entities["NK-2Tbri3s6GgNtAwsSXh4qpL"]
    assert {listing.authority for listing in osetrova.listings} == {"gb", "us"}
    abashkin = entities["NK-mCEmxFfuhfdjpC8gsxH74o"]  # topics: sanction; only datasets we do not know
    assert [listing.authority for listing in abashkin.listings] == ["unknown"]
    unlisted = [e for e in entities.values() if "sanction" not in e.properties.get("topics", [])]
    assert all(not e.is_listed or e.source_id in (CST, ZAKHAROV) for e in unlisted)


def test_multilingual_names_keep_their_script(fixtures: Path) -> None:
    entities, _, _ = _load(fixtures / "ftm" / "t1-excerpt.ftm.json")
    tobacco = entities["NK-2GdmHtZTeNXjNVrBGEXZNj"]
    assert tobacco.caption == "RAB „Inter Tobacco“"  # the record's caption comes first
    by_value = {n.value: n.kind for n in tobacco.names}
    assert by_value["Общество с ограниченной ответственностью “Интер Тобако”"] is NameKind.ORIGINAL_SCRIPT
    assert by_value["Εταιρία περιορισμένης ευθύνης “Inter Tobacco”"] is NameKind.ORIGINAL_SCRIPT
    assert by_value["„Inter Tobacco“, společnost s ručením omezeným"] is NameKind.PRIMARY
    for entity in entities.values():
        assert entity.listings and {x.authority for x in entity.listings} == {"eu"}


def test_edge_cases_match_golden_file(fixtures: Path) -> None:
    path = fixtures / "ftm" / "edge-cases.ftm.json"
    ctx = ParseContext(path, "edge")
    records = [json.loads(json.dumps(r.to_dict())) for r in parse(ctx)]
    expected = json.loads((fixtures / "ftm" / "edge-cases.expected.json").read_text(encoding="utf-8"))
    assert records == expected["records"]
    stripped = [w.removeprefix(f"{path}: ").removeprefix(f"{path}, ") for w in ctx.warnings]
    assert len(stripped) == len(expected["warnings"])
    for actual, wanted in zip(stripped, expected["warnings"], strict=True):
        assert actual.startswith(wanted)


def test_entities_come_before_relations(fixtures: Path) -> None:
    records = list(parse(ParseContext(fixtures / "ftm" / "edge-cases.ftm.json", "edge")))
    kinds = [isinstance(r, Relation) for r in records]
    assert kinds == sorted(kinds) and any(kinds) and not all(kinds)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "no party entities"),
        ("\n\n", "no party entities"),
        ("not json at all\n", "not FtM JSON lines"),
        ("[1, 2, 3]\n", "not a JSON object"),
        ('{"id": "x", "schema": "Person", "properties": []}\n', "'properties' is not an object"),
        ('{"id": "s", "schema": "Sanction", "properties": {"entity": ["x"]}}\n', "no party entities"),
    ],
)
def test_whole_file_problems_raise(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SourceFormatError, match=message) as caught:
        list(parse(ParseContext(path, "x")))
    assert caught.value.path == str(path)


def test_missing_file_raises_source_format_error(tmp_path: Path) -> None:
    with pytest.raises(SourceFormatError, match="cannot read"):
        list(parse(ParseContext(tmp_path / "absent.json", "x")))


def test_bom_and_invalid_utf8_line(tmp_path: Path) -> None:
    good = '{"id": "p1", "schema": "Person", "properties": {"name": ["Zoë Example"]}}'
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + good.encode() + b"\n\xff\xfe{broken\n")
    ctx = ParseContext(path, "x")
    (entity,) = list(parse(ctx))
    assert isinstance(entity, Entity) and entity.caption == "Zoë Example"
    assert len(ctx.warnings) == 1 and "line 2" in ctx.warnings[0]


def test_every_mapped_relation_schema_exists_in_followthemoney() -> None:
    for name, _ in RELATION_SCHEMAS:
        schema = model.get(name)
        assert schema is not None and schema.edge_source and schema.edge_target
    for name, _ in PARTY_SCHEMAS:
        assert model.get(name) is not None


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_line_order_does_not_change_the_result(rnd: random.Random) -> None:
    source = Path(__file__).parent.parent / "fixtures" / "ftm" / "edge-cases.ftm.json"
    lines = source.read_text(encoding="utf-8").splitlines()
    rnd.shuffle(lines)
    first = [line for line in lines if line.startswith('{"id": "vessel-1"')]  # keep a valid first line
    rest = [line for line in lines if not line.startswith('{"id": "vessel-1"')]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "shuffled.json"
        path.write_text("\n".join(first + rest) + "\n", encoding="utf-8")
        shuffled = {r.id: r.to_dict() for r in parse(ParseContext(path, "edge"))}
    original = {r.id: r.to_dict() for r in parse(ParseContext(source, "edge"))}
    assert shuffled.keys() == original.keys()
    for key, value in original.items():
        if "listings" in value:  # listings follow the order of Sanction lines
            value["listings"] = sorted(value["listings"], key=repr)
            shuffled[key]["listings"] = sorted(shuffled[key]["listings"], key=repr)
    assert shuffled == original


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_raise_only_our_errors(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.json"
        path.write_bytes(data)
        with contextlib.suppress(SanctionsError):
            list(parse(ParseContext(path, "fuzz")))


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
_RECORD = st.fixed_dictionaries(
    {
        "id": st.text(min_size=1, max_size=6),
        "schema": st.sampled_from(["Person", "Company", "Ownership", "Sanction", "Address", "Nope"]),
        "properties": st.dictionaries(
            st.sampled_from(["name", "alias", "owner", "asset", "entity", "percentage", "birthDate"]),
            st.lists(st.text(max_size=10), max_size=3) | _JSON,
            max_size=4,
        ),
    }
)


@settings(max_examples=100, deadline=None)
@given(st.lists(_RECORD | _JSON, min_size=1, max_size=6))
def test_arbitrary_json_lines_raise_only_our_errors(records: list[object]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.json"
        path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
        try:
            for record in parse(ParseContext(path, "fuzz")):
                assert record.id.startswith("fuzz-")
        except SanctionsError:
            pass


@pytest.mark.shared
@pytest.mark.parametrize("name", ["zala_entities.ftm.json", "t1_entities.ftm.json"])
def test_full_opensanctions_files(shared_data: Path, name: str) -> None:
    path = shared_data / "lists" / "ftm-opensanctions" / name
    lines = _lines(path)
    entities, relations, warnings = _load(path)
    party_ids = {d["id"] for d in lines if _is_party(d["schema"])}
    assert set(entities) == party_ids
    edges = [d for d in lines if d["schema"] in dict(RELATION_SCHEMAS)]
    assert len(relations) == len([d for d in edges if set(_ends(d)) <= party_ids])
    active = {
        target
        for d in lines
        if d["schema"] == "Sanction" and "expired" not in map(str.lower, d["properties"].get("status", []))
        for target in d["properties"]["entity"]
    }
    assert all(entities[target].is_listed for target in active if target in entities)
    assert all(e.caption for e in entities.values())
    assert not [w for w in warnings if "line" in w]


def test_docs_name_every_mapped_schema_and_property() -> None:
    docs = (Path(__file__).parent.parent.parent / "docs" / "formats.md").read_text(encoding="utf-8")
    properties = [row.prop for row in IDENTIFIER_PROPERTIES]
    for word in (*dict(RELATION_SCHEMAS), *(name for name, _ in PARTY_SCHEMAS), *properties):
        assert f"`{word}`" in docs, word
