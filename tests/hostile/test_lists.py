"""Item 6 for list files: a lying XML declaration and over-long fields."""

from __future__ import annotations

from pathlib import Path

from sanctions.fieldlimits import bound_record
from sanctions.ingest import LoadRequest, load
from sanctions.model import Entity, Name, NameKind, Schema
from sanctions.settings import Settings
from sanctions.sources.xmlstream import iter_records, true_encoding
from sanctions.store import open_store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_xml_that_lies_about_its_encoding_is_read_as_utf8(tmp_path: Path) -> None:
    path = tmp_path / "list.xml"
    path.write_bytes('<?xml version="1.0" encoding="ISO-8859-1"?><list><e>Путин</e></list>'.encode())
    assert true_encoding(path) == "utf-8"
    assert [e.text for e in iter_records(path, {"e"}, root="list", what="a list")] == ["Путин"]


def test_honest_latin1_xml_keeps_its_declaration(tmp_path: Path) -> None:
    path = tmp_path / "list.xml"
    path.write_bytes(
        '<?xml version="1.0" encoding="ISO-8859-1"?><list><e>Müller</e></list>'.encode("latin-1")
    )
    assert true_encoding(path) is None
    assert [e.text for e in iter_records(path, {"e"}, root="list", what="a list")] == ["Müller"]


def test_un_list_declaring_latin1_keeps_cyrillic_names(tmp_path: Path) -> None:
    original = (FIXTURES / "un" / "consolidated_excerpt.xml").read_bytes()
    head, sep, rest = original.partition(b"?>")
    assert sep, "the excerpt starts with an XML declaration"
    lying = tmp_path / "consolidated.xml"
    lying.write_bytes(b'<?xml version="1.0" encoding="ISO-8859-1"?>' + rest)
    store = open_store(Settings.from_env(tmp_path / "a"))
    honest_store = open_store(Settings.from_env(tmp_path / "b"))
    try:
        load(store, LoadRequest("un_sc_sanctions", lying))
        load(honest_store, LoadRequest("un_sc_sanctions", FIXTURES / "un" / "consolidated_excerpt.xml"))
        names = sorted(n.value for e in store.iter_entities() for n in e.names)
        honest = sorted(n.value for e in honest_store.iter_entities() for n in e.names)
    finally:
        store.close()
        honest_store.close()
    assert names == honest


def test_a_thirty_megabyte_name_is_dropped_with_a_warning() -> None:
    entity = Entity(
        id="x-1",
        dataset="x",
        source_id="1",
        schema=Schema.PERSON,
        names=[Name("A" * 30_000_000, NameKind.PRIMARY), Name("Ivan Petrov", NameKind.ALIAS)],
        remarks="r" * 50_000,
    )
    warnings = bound_record(entity, 10_000)
    assert [n.value for n in entity.names] == ["Ivan Petrov"]
    assert entity.remarks is not None and len(entity.remarks) == 10_000
    assert len(warnings) == 2 and "dropped" in warnings[0] and "remarks" in warnings[1]


def test_a_clean_record_is_left_untouched() -> None:
    entity = Entity(id="x-1", dataset="x", source_id="1", schema=Schema.PERSON, names=[Name("Ivan Petrov")])
    assert bound_record(entity, 10_000) == []


def test_the_screeners_loads_use_the_settings_field_limit(tmp_path: Path) -> None:
    from sanctions.service import Screener

    path = tmp_path / "list.ftm"
    entity = (
        b'{"id": "p1", "schema": "Person", "properties": {"name": ["Ivan Petrov", "' + b"B" * 300 + b'"]}}\n'
    )
    path.write_bytes(entity)
    screener = Screener(Settings(data_dir=tmp_path, max_field_chars=200))
    version = screener.load("ftm", path, dataset="mine")
    assert any("over 200 characters dropped" in w for w in version.warnings)
    (stored,) = list(screener.store.iter_entities(["mine"]))
    assert [n.value for n in stored.names] == ["Ivan Petrov"]
