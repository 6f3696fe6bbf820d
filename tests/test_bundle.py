"""The bundled snapshot: every official list loads, the showcase parties and their links are there."""

from __future__ import annotations

from datetime import date

import pytest

from sanctions.bundle import bundled_lists, load_bundled
from sanctions.model import RelationKind, Schema
from sanctions.service import Screener


def test_every_bundled_list_is_current(loaded_screener: Screener) -> None:
    loaded = {s.version.dataset: s for s in loaded_screener.lists(today=date(2026, 11, 25))}
    assert set(loaded) == {b.dataset for b in bundled_lists()}
    for status in loaded.values():
        assert status.version.entities > 100
        assert status.version.published, status.version.dataset
        assert status.stale, "the bundled snapshot is months old and must say so"


@pytest.mark.parametrize(
    ("entity_id", "caption", "schema"),
    [
        ("us_ofac_sdn-37756", "KAMAZ PUBLICLY TRADED COMPANY", Schema.ORGANIZATION),
        ("us_ofac_sdn-37767", "KOGOGIN, Sergei Anatolyevich", Schema.PERSON),
        ("us_ofac_sdn-35217", "SOBYANIN, Sergey Semyonovich", Schema.PERSON),
        ("us_ofac_sdn-35096", "PUTIN, Vladimir Vladimirovich", Schema.PERSON),
    ],
)
def test_showcase_parties_are_loaded(
    loaded_screener: Screener, entity_id: str, caption: str, schema: Schema
) -> None:
    entity = loaded_screener.entity(entity_id)
    assert entity is not None
    assert (entity.caption, entity.schema) == (caption, schema)
    assert [(x.authority, x.program) for x in entity.listings] == [("us", "RUSSIA-EO14024")]


def test_ofac_linked_to_relations_are_stored(loaded_screener: Screener) -> None:
    relations = loaded_screener.relations("us_ofac_sdn-37756")
    linked = {
        r.subject_id
        for r in relations
        if r.kind is RelationKind.LINKED_TO and r.object_id == "us_ofac_sdn-37756"
    }
    assert "us_ofac_sdn-37767" in linked  # KOGOGIN, Linked To: KAMAZ
    assert "us_ofac_sdn-37758" in linked  # NEFAZ


def test_kamaz_on_uk_and_australian_lists(loaded_screener: Screener) -> None:
    found = {
        e.dataset
        for e in loaded_screener.store.iter_entities(["gb_hmt_sanctions", "au_dfat_sanctions"])
        if any(n.value.upper() == "KAMAZ" for n in e.names)
    }
    assert found == {"gb_hmt_sanctions", "au_dfat_sanctions"}


def test_reloading_unchanged_bundle_is_a_no_op(loaded_screener: Screener) -> None:
    before = [v.id for v in loaded_screener.store.current_versions()]
    assert load_bundled(loaded_screener.store) == []
    assert [v.id for v in loaded_screener.store.current_versions()] == before


def test_eu_list_is_bundled(loaded_screener: Screener) -> None:
    eu = next(s for s in loaded_screener.lists() if s.version.dataset == "eu_journal")
    assert eu.version.entities > 2000
    assert eu.version.published == "2026-08-01"


@pytest.mark.parametrize(
    ("name", "schema"),
    [("KAMAZ", "Company"), ("Sergey Kogogin", "Person"), ("Sergey Sobyanin", "Person")],
)
def test_showcase_parties_carry_us_eu_and_uk_listings(
    loaded_screener: Screener, name: str, schema: str
) -> None:
    from sanctions.matching import Query

    query = Query.from_dict({"schema": schema, "properties": {"name": [name]}})
    hit = loaded_screener.match(query, limit=1)[0]
    assert hit.match
    authorities = {listing.authority for _, listing in hit.listings}
    assert {"us", "eu", "gb"} <= authorities, (name, hit.listings)
