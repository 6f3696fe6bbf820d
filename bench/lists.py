"""Load every shared list with the project's parsers (for the benchmarks), cached in bench/out."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from sanctions.model import Entity

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SANCTIONS_SHARED_DATA", ROOT.parent / "shared" / "data"))
OUT = ROOT / "bench" / "out"
SOURCES = (
    ("us_ofac_sdn", "us-ofac-sdn-2024-05"),
    ("us_ofac_cons", "us-ofac-cons-2025-12"),
    ("un_sc_sanctions", "un-sc-2026-02/consolidated.xml"),
    ("gb_hmt_sanctions", "gb-ofsi-conlist-2025-04/ConList.xlsx"),
    ("au_dfat_sanctions", "au-dfat-2024-11/regulation8_consolidated.xlsx"),
)


def load_entities(refresh: bool = False) -> list[Entity]:
    """All entities of the shared lists (parsed once, then read from a pickle cache)."""
    cache = OUT / "entities.pickle"
    if cache.exists() and not refresh:
        with open(cache, "rb") as fh:
            data: list[Entity] = pickle.load(fh)
            return data
    from sanctions.sources import ParseContext, get_parser

    entities: list[Entity] = []
    for dataset, rel in SOURCES:
        path = SHARED / "lists" / rel
        for record in get_parser(dataset)(ParseContext(path, dataset)):
            if isinstance(record, Entity):
                entities.append(record)
    OUT.mkdir(parents=True, exist_ok=True)
    with open(cache, "wb") as fh:
        pickle.dump(entities, fh)
    return entities
