"""Index, match() and clustering on a handful of real list records."""

from __future__ import annotations

from array import array

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctions.matching import Query, match
from sanctions.matching import index as blocking
from sanctions.matching.index import Index, _add
from sanctions.matching.names.align import NameScore, compare_names
from sanctions.matching.names.aligner import NameAligner
from sanctions.model import Entity, Identifier, Listing, Name, NameKind, PartialDate, Schema
from sanctions.text import NameForm


def _entity(dataset: str, sid: str, schema: Schema, names: list[str], **kw: object) -> Entity:
    e = Entity(id=f"{dataset}-{sid}", dataset=dataset, source_id=sid, schema=schema, **kw)  # type: ignore[arg-type]
    for i, n in enumerate(names):
        e.names.append(Name(n, NameKind.PRIMARY if i == 0 else NameKind.ALIAS))
    return e


def _index() -> Index:
    return Index.build(
        [
            _entity(
                "us_ofac_sdn",
                "1",
                Schema.COMPANY,
                ["KAMAZ PUBLICLY TRADED COMPANY", "KAMAZ PAO"],
                identifiers=[Identifier("registration", "1021602013971")],
                listings=[Listing("us", "RUSSIA-EO14024")],
            ),
            _entity("gb_hmt_sanctions", "2", Schema.COMPANY, ["KAMAZ"], listings=[Listing("gb", "Russia")]),
            _entity(
                "au_dfat_sanctions",
                "3",
                Schema.COMPANY,
                ["Kamaz"],
                identifiers=[Identifier("registration", "1021602013971")],
                listings=[Listing("au", "Russia")],
            ),
            _entity(
                "us_ofac_sdn",
                "4",
                Schema.PERSON,
                ["KOGOGIN, Sergei Anatolyevich"],
                birth_dates=[PartialDate("1957-11-16")],
            ),
            _entity(
                "gb_hmt_sanctions",
                "5",
                Schema.PERSON,
                ["Sergey Anatolyevich KOGOGIN", "Сергей Анатольевич КОГОГИН"],
                birth_dates=[PartialDate("1957-11-16")],
            ),
            _entity("us_ofac_sdn", "6", Schema.PERSON, ["DANIELS, Emma"]),
            _entity("us_ofac_sdn", "7", Schema.COMPANY, ["ALFA-BANK"]),
        ]
    )


def test_one_match_lists_every_list() -> None:
    matches = match(Query("Company", {"name": ["ПАО КАМАЗ"]}), _index())
    assert matches[0].match
    assert set(matches[0].datasets) == {"us_ofac_sdn", "gb_hmt_sanctions", "au_dfat_sanctions"}
    assert {listing.authority for _, listing in matches[0].listings} == {"us", "gb", "au"}


def test_person_records_cluster_by_name_and_birth_date() -> None:
    index = _index()
    assert {e.id for e in index.cluster("us_ofac_sdn-4")} == {"us_ofac_sdn-4", "gb_hmt_sanctions-5"}
    matches = match(Query("Person", {"name": ["Сергей Когогин"]}), index)
    assert matches[0].match and len(matches[0].related) == 1


def test_org_query_does_not_match_person() -> None:
    assert not any(m.match for m in match(Query(None, {"name": ["EMMA LLC"]}), _index()))


def test_datasets_restrict_results() -> None:
    matches = match(Query("Company", {"name": ["KAMAZ"]}), _index(), datasets={"gb_hmt_sanctions"})
    assert [m.entity.dataset for m in matches] == ["gb_hmt_sanctions"]
    assert all(e.dataset == "gb_hmt_sanctions" for m in matches for e in m.related)


def test_identifier_only_query_finds_entity() -> None:
    matches = match(Query("Company", {"registrationNumber": ["1021602013971"]}), _index())
    assert matches and matches[0].entity.dataset in {"us_ofac_sdn", "au_dfat_sanctions"}


def test_index_lookup() -> None:
    index = _index()
    assert len(index) == 7
    assert index.entity("us_ofac_sdn-7") is not None
    assert index.entity("nope") is None


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.lists(st.integers(0, 40), unique=True), st.floats(0.01, 1.0)), max_size=6))
def test_bulk_add_is_the_plain_loop(words: list[tuple[list[int], float]]) -> None:
    # The same sums, added in the same order, and the same key order (ties in retrieval
    # follow insertion order).
    fast: dict[int, float] = {}
    plain: dict[int, float] = {}
    for fids, w in words:
        _add(fast, array("i", fids), w)
        for fid in fids:
            plain[fid] = plain.get(fid, 0.0) + w
    assert list(fast.items()) == list(plain.items())


class _FreshAligner(NameAligner):
    """Compares every candidate afresh (no memo), as compare_names does."""

    def compare_names(self, candidate: tuple[NameForm, ...]) -> NameScore | None:
        return compare_names(self.query, candidate, self.weigh)


def test_match_results_are_those_of_fresh_comparisons(monkeypatch: pytest.MonkeyPatch) -> None:
    # match() remembers prepared names and word similarities across candidates (and queries);
    # every score and explanation is the one a fresh comparison gives.
    index = _index()
    names = ["Kamaz", "KAMAZ PAO", "Sergei Kogogin", "Сергей Когогин", "Kamaz Trading", "Emma Daniels"]
    queries = [Query(None, {"name": [n]}) for n in names] + [Query("Person", {"name": names[2:4]})]

    def results() -> list[list[tuple[str, float, object, object]]]:
        return [
            [(m.entity.id, m.score, m.features, m.explanations) for m in match(q, index)] for q in queries
        ]

    remembered = results()
    monkeypatch.setattr(blocking, "NameAligner", _FreshAligner)
    assert results() == remembered


def test_words_written_together_find_the_hyphenated_name() -> None:
    index = Index.build(
        [
            _entity("gb", "tv", Schema.COMPANY, ["TV-Novosti"]),
            _entity("gb", "air", Schema.AIRCRAFT, ["EP-CFQ"]),
            _entity("gb", "other", Schema.COMPANY, ["Novosti Press"]),
        ]
    )
    for query, wanted in (("TVNOVOSTI", "gb-tv"), ("EPCFQ", "gb-air")):
        found = match(Query(None, {"name": [query]}), index)
        assert found and found[0].entity.id == wanted and found[0].match, query
