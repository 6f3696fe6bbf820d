"""User relations CSV: the showcase, every relation word (golden), shares, fuzzing."""

from __future__ import annotations

import contextlib
import csv
import json
import logging
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctions.errors import SanctionsError, SourceFormatError
from sanctions.model import Entity, Relation, RelationKind, Schema
from sanctions.sources.base import ParseContext
from sanctions.sources.relations_csv import COLUMNS, RELATION_WORDS, parse_relations, parse_share
from tests.sources.fuzzing import parse_bytes

USER = Path(__file__).parent.parent / "fixtures" / "user"


def _split(records: list[Entity | Relation]) -> tuple[dict[str, Entity], list[Relation]]:
    entities = {r.id: r for r in records if isinstance(r, Entity)}
    return entities, [r for r in records if isinstance(r, Relation)]


def _component(start: str, relations: list[Relation]) -> set[str]:
    """Every party reachable from ``start`` whatever the direction of the relations."""
    reached, frontier = {start}, [start]
    while frontier:
        node = frontier.pop()
        for rel in relations:
            for a, b in ((rel.subject_id, rel.object_id), (rel.object_id, rel.subject_id)):
                if a == node and b not in reached:
                    reached.add(b)
                    frontier.append(b)
    return reached


def test_showcase_jac_kamaz_and_renault(fixtures: Path) -> None:
    entities, relations = _split(list(parse_relations(fixtures / "user" / "showcase-relations.csv", "mine")))
    names = {e.caption: e for e in entities.values()}
    assert set(names) == {"JAC", "KAMAZ", "Renault", "Renault Russia"}
    assert all(e.schema is Schema.COMPANY and not e.is_listed for e in entities.values())
    jac, kamaz = names["JAC"].id, names["KAMAZ"].id
    triples = {(r.subject_id, r.kind, r.object_id) for r in relations}
    assert (jac, RelationKind.PARTNER, kamaz) in triples
    assert (kamaz, RelationKind.LICENSEE, jac) in triples  # KamAZ Compass on the JAC platform
    assert all(r.start_date == "2021" and r.source and "JAC platform" in r.source for r in relations[:2])
    (owner,) = [r for r in relations if r.kind is RelationKind.OWNER]
    renault, renault_russia = names["Renault"].id, names["Renault Russia"].id
    assert (owner.subject_id, owner.object_id, owner.share) == (renault, renault_russia, 100.0)
    # Renault has no path to JAC or KAMAZ: it comes out clear.
    assert _component(names["Renault"].id, relations).isdisjoint({jac, kamaz})


def test_every_relation_word_matches_golden_file(fixtures: Path) -> None:
    path = fixtures / "user" / "relations-words.csv"
    ctx = ParseContext(path, "mine")
    records = [json.loads(json.dumps(r.to_dict())) for r in parse_relations(path, "mine", ctx=ctx)]
    expected = json.loads((fixtures / "user" / "relations-words.expected.json").read_text(encoding="utf-8"))
    assert records == expected["records"]
    assert [w.removeprefix(f"{path}, ") for w in ctx.warnings] == expected["warnings"]


def test_licensor_is_licensee_flipped_and_id_prefix_points_at_stored_entities(fixtures: Path) -> None:
    entities, relations = _split(list(parse_relations(fixtures / "user" / "relations-words.csv", "mine")))
    (licence,) = [r for r in relations if r.kind is RelationKind.LICENSEE]
    assert (licence.subject_id, licence.object_id) == ("mine-delta-motors", "mine-gamma-ventures")
    kamaz = "us_ofac_sdn-37756"
    assert kamaz not in entities
    assert {r.kind for r in relations if kamaz in (r.subject_id, r.object_id)} == {
        RelationKind.SUPPLIER,
        RelationKind.CUSTOMER,
    }
    # Every end is a yielded entity or an id: reference; no orphan entity from skipped rows.
    ends = {end for r in relations for end in (r.subject_id, r.object_id)}
    assert set(entities) <= ends and ends - set(entities) == {kamaz}


def test_entities_come_first_and_ids_are_unique(fixtures: Path) -> None:
    records = list(parse_relations(fixtures / "user" / "relations-words.csv", "mine"))
    kinds = [isinstance(r, Relation) for r in records]
    assert kinds == sorted(kinds)
    assert len({r.id for r in records}) == len(records)


def test_every_relation_kind_has_a_word() -> None:
    assert {kind for kind, _ in RELATION_WORDS.values()} == set(RelationKind) - {RelationKind.UNKNOWN}


def test_warnings_go_to_the_log_without_a_context(fixtures: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="sanctions.sources.relations_csv"):
        list(parse_relations(fixtures / "user" / "relations-words.csv", "mine"))
    warnings = [getattr(r, "warning", "") for r in caplog.records]
    assert any("relation 'owns' unknown" in w and "line 13" in w for w in warnings)


def test_missing_columns_raise(tmp_path: Path) -> None:
    path = tmp_path / "rel.csv"
    path.write_text("from,relation,to\nA,owner,B\n", encoding="utf-8")
    with pytest.raises(SourceFormatError, match="missing required column.*subject, object"):
        list(parse_relations(path, "mine"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [(row["text"], row["expected"]) for row in csv.DictReader((USER / "shares.csv").open(encoding="utf-8"))],
)
def test_shares_golden(text: str, expected: str) -> None:
    share = parse_share(text)
    assert share == (float(expected) if expected else None)


@given(st.floats(min_value=0, max_value=100, allow_nan=False), st.sampled_from(["{}", "{}%", "{} %", ">{}"]))
def test_share_reads_back_any_percentage(value: float, template: str) -> None:
    text = template.format(f"{value:.4f}")
    assert parse_share(text) == pytest.approx(round(value, 4))


@given(st.text(max_size=20))
def test_share_is_none_or_within_0_and_100(text: str) -> None:
    share = parse_share(text)
    assert share is None or 0.0 <= share <= 100.0


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_raise_only_our_errors(data: bytes) -> None:
    parse_bytes(lambda ctx: parse_relations(ctx.path, ctx.dataset), data, "fuzz.csv", "fuzz")


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_rows_raise_only_our_errors(body: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_text("subject,relation,object,share,start_date,subject_type\n" + body, encoding="utf-8")
        with contextlib.suppress(SanctionsError):
            for record in parse_relations(path, "fuzz"):
                assert record.id.startswith("fuzz-")


def test_docs_name_every_column_and_relation_word() -> None:
    docs = (Path(__file__).parent.parent.parent / "docs" / "formats.md").read_text(encoding="utf-8")
    for word in (*COLUMNS, *RELATION_WORDS):
        assert f"`{word}`" in docs, word
