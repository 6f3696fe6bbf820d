"""An index read from its file answers as the index it was written from: the same tables, the
same candidates, scores and explanations, on real excerpts of three lists."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from sanctions.batch.indexfile import read_index_file, write_index_file
from sanctions.matching import Index, Query, match
from sanctions.matching.packed import PackedItems, PackedMap, pack_items, pack_map
from sanctions.matching.stored import SMALL_TABLES, decode_form, encode_form
from sanctions.model import Entity
from sanctions.service import Screener
from sanctions.settings import Settings

QUERIES = [
    {"schema": "Person", "properties": {"name": ["Vladimir Putin"]}},
    {"schema": "Person", "properties": {"name": ["Sergei Kogogin"], "birthDate": ["1957-11-30"]}},
    {"schema": "Company", "properties": {"name": ["KAMAZ"]}},
    {"schema": "Company", "properties": {"name": ["Moskvich JSC"]}},
    {"schema": "Company", "properties": {"name": ["Trading Company Limited"]}},
    {"schema": "Person", "properties": {"name": ["Bosco Ntaganda"]}},
    {"schema": "Person", "properties": {"name": ["Мохаммед Али"]}},
    {"schema": "Person", "properties": {"name": ["金正恩"]}},
    {"schema": "Organization", "properties": {"name": ["Al-Qaida"]}},
    {"schema": "Vessel", "properties": {"name": ["ocean star"]}},
    {"schema": "Company", "properties": {"name": ["Bank"], "registrationNumber": ["1027700002659"]}},
]


@pytest.fixture(scope="module")
def entities(fixtures: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Entity]]:
    """The records of OFAC SDN, UN and OFSI excerpts, as the store gives them."""
    tmp = tmp_path_factory.mktemp("stored")
    screener = Screener(Settings.from_env(tmp / "data"))
    shutil.copytree(fixtures / "ofac" / "sdn", tmp / "sdn")
    screener.load("us_ofac_sdn", tmp / "sdn", published="2024-05-03")
    screener.load("un_sc_sanctions", fixtures / "un" / "consolidated_excerpt.xml")
    screener.load("gb_hmt_sanctions", fixtures / "uk" / "ofsi_conlist.xlsx")
    yield list(screener.store.iter_entities())
    screener.close()


@pytest.fixture(scope="module")
def pair(entities: list[Entity], tmp_path_factory: pytest.TempPathFactory) -> tuple[Index, Index]:
    built = Index.build(entities)
    path = tmp_path_factory.mktemp("idx") / "matching-x.idx"
    write_index_file(path, built, [])
    _, loaded = read_index_file(path)
    return built, loaded


def test_the_tables_read_back_equal(pair: tuple[Index, Index]) -> None:
    built, loaded = pair
    tables = {name for name, value in vars(built).items() if isinstance(value, dict)}
    caches = {"parties", "prepared", "lookups"}  # filled by queries, not saved
    assert tables - caches <= {*SMALL_TABLES, "by_deletion", "postings", "joined"}, "a table the file misses"
    assert len(built.datasets) == 3 and loaded.datasets == built.datasets
    assert list(loaded.entities) == list(built.entities)
    assert list(loaded.forms) == list(built.forms)
    for name in (*SMALL_TABLES, "by_deletion"):
        assert dict(getattr(loaded, name)) == dict(getattr(built, name)), name
    for name in ("postings", "joined"):
        assert {k: list(v) for k, v in getattr(loaded, name).items()} == {
            k: list(v) for k, v in getattr(built, name).items()
        }, name
    for name in ("entity_dataset", "form_entity", "form_start", "form_length"):
        assert getattr(loaded, name) == getattr(built, name), name
    assert loaded.clusters == built.clusters
    assert [loaded.dataset(p) for p in range(len(loaded))] == [e.dataset for e in built.entities]


@pytest.mark.parametrize("fields", QUERIES, ids=lambda f: f["properties"]["name"][0])
def test_the_same_answers(pair: tuple[Index, Index], fields: dict[str, object]) -> None:
    built, loaded = pair
    query = Query.from_dict(fields)
    names = query.to_party().names
    for datasets in (None, {"us_ofac_sdn"}, {"un_sc_sanctions", "gb_hmt_sanctions"}):
        assert loaded.candidates(names, datasets) == built.candidates(names, datasets)
        expected = match(query, built, limit=20, datasets=datasets)
        got = match(query, loaded, limit=20, datasets=datasets)
        assert [(m.entity, m.score, m.match, m.features, m.explanations, m.related) for m in got] == [
            (m.entity, m.score, m.match, m.features, m.explanations, m.related) for m in expected
        ]


def test_forget_drops_decoded_records(pair: tuple[Index, Index]) -> None:
    _, loaded = pair
    assert isinstance(loaded.entities, PackedItems)
    first = loaded.entities[0]
    assert loaded.entities[0] is first and loaded.entities.decoded >= 1
    loaded.forget()
    assert loaded.entities.decoded == 0
    assert loaded.entities[0] == first


def test_a_name_form_round_trips(pair: tuple[Index, Index]) -> None:
    built, _ = pair
    for form in built.forms:
        assert decode_form(encode_form(form)) == form


def _views(sections: dict[str, bytes]) -> dict[str, memoryview]:
    return {name: memoryview(data) for name, data in sections.items()}


def test_packed_items() -> None:
    words = ["alpha", "", "gamma", "δέλτα"]
    items: PackedItems[str] = PackedItems(
        _views(pack_items("w", (w.encode() for w in words))), "w", lambda b: bytes(b).decode()
    )
    assert len(items) == 4 and list(items) == words
    assert items[-1] == "δέλτα" and items[1:3] == ["", "gamma"]
    assert items[2] is items[2]
    with pytest.raises(IndexError):
        items[4]
    with pytest.raises(IndexError):
        items[-5]


def test_packed_map() -> None:
    table = {f"w{i}": (f"v{i}", str(i)) for i in range(1000)}
    table.update({"": ("empty",), "ñandú": ("ü",), "金": ()})
    packed: PackedMap[tuple[str, ...]] = PackedMap(_views(pack_map("m", table)), "m")
    assert len(packed) == len(table) and dict(packed) == table
    assert packed["ñandú"] == ("ü",) and packed.get("金") == () and packed.get("nope", 7) == 7
    assert "w999" in packed and "w1000" not in packed and 3 not in packed
    with pytest.raises(KeyError):
        packed["w1000"]
    empty: PackedMap[int] = PackedMap(_views(pack_map("e", {})), "e")
    assert len(empty) == 0 and empty.get("a") is None and dict(empty) == {}
