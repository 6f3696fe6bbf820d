"""US Consolidated Screening List (``us_trade_csl``): both real CSV layouts and the JSON twin."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from sanctions.model import Entity, Schema
from sanctions.sources.us_trade_csl import list_code, parse
from tests.sources.fuzzing import parse_bytes, parse_file

DATASET = "us_trade_csl"


def _entities(path: Path) -> dict[str, Entity]:
    entities, relations, ctx = parse_file(parse, path, DATASET)
    assert relations == [] and ctx.warnings == []
    return entities


def _per_list(entities: dict[str, Entity]) -> Counter[str]:
    return Counter(x.program.split()[0] for e in entities.values() for x in e.listings if x.program)


def test_2019_layout_counts_per_source_list(fixtures: Path) -> None:
    entities = _entities(fixtures / "csl" / "csl-2019.csv")
    assert _per_list(entities) == {
        "SDN": 28, "SSI": 26, "EL": 22, "PLC": 13, "DTC": 10, "DPL": 8, "UVL": 4, "ISN": 3, "CAP": 1,
    }  # fmt: skip
    assert len(entities) == 115


def test_2025_layout_counts_per_source_list(fixtures: Path) -> None:
    entities = _entities(fixtures / "csl" / "consolidated-2025.csv")
    assert _per_list(entities) == {
        "SSI": 3, "PLC": 2, "ISN": 1, "UVL": 1, "MEU": 1, "SDN": 1, "DTC": 1, "DPL": 1, "FSE": 1, "EL": 1,
    }  # fmt: skip
    assert len(entities) == 13


def test_json_twin_reads_as_the_csv(fixtures: Path) -> None:
    from_csv = _entities(fixtures / "csl" / "consolidated-2025.csv")
    from_json = _entities(fixtures / "csl" / "consolidated-2025.json")
    assert sorted(from_json) == sorted(from_csv)
    for key, entity in from_csv.items():
        other = from_json[key]
        assert [n.value for n in other.names] == [n.value for n in entity.names]
        assert other.listings == entity.listings
        assert [(i.scheme, i.value) for i in other.identifiers] == [
            (i.scheme, i.value) for i in entity.identifiers
        ]
        assert other.birth_dates == entity.birth_dates


def test_export_control_listing_with_licence_facts_and_federal_register(fixtures: Path) -> None:
    entities = _entities(fixtures / "csl" / "consolidated-2025.csv")
    meu = next(e for e in entities.values() if e.caption.startswith("Academy of Aerospace Solid Propulsion"))
    (listing,) = meu.listings
    assert (listing.kind, listing.program, listing.listed_on, listing.legal_act) == (
        "export_control",
        "MEU",
        "2020-12-23",
        "85 FR 83799",
    )
    assert listing.notes and listing.notes.startswith("Licence requirement: For any item subject to the EAR")
    assert "Licence policy:" in listing.notes
    kinds = {x.program.split()[0]: x.kind for e in entities.values() for x in e.listings if x.program}
    assert {code for code, kind in kinds.items() if kind == "export_control"} == {
        "EL",
        "DPL",
        "UVL",
        "MEU",
        "DTC",
    }


def test_federal_register_date_when_no_start_date(fixtures: Path) -> None:
    entities = _entities(fixtures / "csl" / "csl-2019.csv")
    dated = {x.legal_act: x.listed_on for e in entities.values() for x in e.listings if x.legal_act}
    assert dated["82 F.R. 48792 10/20/2017"] == "2017-10-16"  # the start date wins
    isn = next(e for e in entities.values() if e.caption == "183rd Guard Air Defense Missile Regiment")
    assert isn.listings[0].kind == "sanction" and isn.listings[0].program == "ISN INKSNA"


def test_sdn_rows_name_ofac_s_record_and_join_its_cluster(fixtures: Path) -> None:
    from sanctions.matching.index import Index
    from sanctions.sources.ofac import parse as parse_ofac

    csl = _entities(fixtures / "csl" / "csl-2019.csv")
    sdn_rows = [e for e in csl.values() if e.listings[0].program and e.listings[0].program.startswith("SDN")]
    assert sdn_rows and all(e.properties["sameAs"][0].startswith("us_ofac_sdn-") for e in sdn_rows)
    ofac, _, _ = parse_file(parse_ofac, fixtures / "ofac" / "sdn", "us_ofac_sdn")
    # Pretend OFAC's own file holds the entry of the first CSL SDN row: the index joins them.
    row = sdn_rows[0]
    ofac_twin = next(iter(ofac.values()))
    ofac_twin.id = row.properties["sameAs"][0]
    index = Index.build([ofac_twin, row])
    assert {e.id for e in index.cluster(row.id)} == {row.id, ofac_twin.id}


def test_people_and_vessels(fixtures: Path) -> None:
    entities = _entities(fixtures / "csl" / "csl-2019.csv")
    schemas = Counter(e.schema for e in entities.values())
    assert schemas[Schema.PERSON] > 0 and schemas[Schema.ORGANIZATION] > 0
    assert list_code("Entity List (EL) - Bureau of Industry and Security") == "EL"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"name,type\nKAMAZ,Entity\n", "x.csv"),
        (b'{"total": 2, "results": [{"name": "KAMAZ", "source": "Entity List (EL)"}]}', "x.json"),
        (b'{"total": 1, "results": [{"name": "KAMAZ", "so', "x.json"),
    ],
)
def test_wrong_or_truncated_files_are_refused(data: bytes, name: str) -> None:
    assert parse_bytes(parse, data, name, DATASET) is None


def test_cut_csv_row_is_refused(fixtures: Path) -> None:
    data = (fixtures / "csl" / "csl-2019.csv").read_bytes()
    assert parse_bytes(parse, data[: len(data) // 2], "csl.csv", DATASET) is None
