"""One module per published format. ``SOURCES`` names them; ``get_parser`` loads one lazily."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from sanctions.errors import UnknownSourceError
from sanctions.sources.base import ParseContext, Parser, make_id

__all__ = ["SOURCES", "SourceSpec", "ParseContext", "Parser", "get_parser", "make_id"]


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """A source format: its name (OpenSanctions' dataset name where one exists) and parser."""

    name: str
    title: str
    module: str  # module under sanctions.sources with parse(ctx) -> Iterator[Record]
    authority: str | None  # jurisdiction of the publisher; None for user files
    urls: tuple[str, ...] = ()  # the publisher's official download URLs, for `sanctions update`
    user_dataset: bool = False  # True: the user names the dataset (ftm, csv)
    closed: str | None = None  # the day the publisher stopped publishing this list (ISO)
    kind: str = "sanction"  # what a listing obliges by default: "sanction" or "export_control"
    notes: str = ""  # how this source relates to others, shown by `lists` and in the docs


SOURCES: dict[str, SourceSpec] = {
    s.name: s
    for s in (
        SourceSpec(
            "us_ofac_sdn",
            "US OFAC Specially Designated Nationals (SDN) List",
            "ofac",
            "us",
            (
                "https://www.treasury.gov/ofac/downloads/sdn.csv",
                "https://www.treasury.gov/ofac/downloads/alt.csv",
                "https://www.treasury.gov/ofac/downloads/add.csv",
                "https://www.treasury.gov/ofac/downloads/sdn_comments.csv",
            ),
        ),
        SourceSpec(
            "us_ofac_cons",
            "US OFAC Consolidated (non-SDN) Sanctions List",
            "ofac",
            "us",
            (
                "https://www.treasury.gov/ofac/downloads/consolidated/cons_prim.csv",
                "https://www.treasury.gov/ofac/downloads/consolidated/cons_alt.csv",
                "https://www.treasury.gov/ofac/downloads/consolidated/cons_add.csv",
                "https://www.treasury.gov/ofac/downloads/consolidated/cons_comments.csv",
            ),
        ),
        SourceSpec(
            "us_trade_csl",
            "US Consolidated Screening List (Commerce, State, Treasury)",
            "us_trade_csl",
            "us",
            ("https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv",),
            notes=(
                "Export-control lists (BIS Entity List, Denied Persons, Unverified, Military End-User; "
                "State ITAR debarred) and sanctions lists in one file; rows copied from OFAC join "
                "OFAC's own records."
            ),
        ),
        SourceSpec(
            "un_sc_sanctions",
            "UN Security Council Consolidated List",
            "un",
            "un",
            ("https://scsanctions.un.org/resources/xml/en/consolidated.xml",),
        ),
        SourceSpec(
            "eu_fsf",
            "EU Financial Sanctions Files (consolidated list)",
            "eu_fsf",
            "eu",
            (
                "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw",
            ),
        ),
        SourceSpec(
            "eu_journal",
            "EU designations from the Official Journal annexes (transcribed)",
            "eu_journal",
            "eu",
            notes=(
                "OpenSanctions' reviewed transcription of the EU regulations' annexes, consolidated "
                "per framework act with later amendments; bundled for offline use. Online, `update` "
                "reads the EU's own Financial Sanctions Files (eu_fsf)."
            ),
        ),
        SourceSpec(
            "gb_fcdo_sanctions",
            "UK Sanctions List (FCDO)",
            "uk_fcdo",
            "gb",
            ("https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml",),
        ),
        SourceSpec(
            "gb_hmt_sanctions",
            "UK HM Treasury OFSI Consolidated List",
            "uk_ofsi",
            "gb",
            ("https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv",),
            closed="2026-01-28",
            notes=(
                "OFSI closed its Consolidated List on 28 January 2026; the FCDO's UK Sanctions List "
                "(gb_fcdo_sanctions) is the UK's single list since. Still loadable, never downloaded."
            ),
        ),
        SourceSpec(
            "au_dfat_sanctions",
            "Australia DFAT Consolidated List",
            "au_dfat",
            "au",
            ("https://www.dfat.gov.au/sites/default/files/regulation8_consolidated.xlsx",),
        ),
        SourceSpec("ftm", "FollowTheMoney JSON lines", "ftm", None, user_dataset=True),
        SourceSpec("csv", "User watchlist CSV", "user_csv", None, user_dataset=True),
    )
}


def get_parser(source: str) -> Parser:
    """The ``parse`` function of a source, imported on first use."""
    spec = SOURCES.get(source)
    if spec is None:
        known = ", ".join(sorted(SOURCES))
        raise UnknownSourceError(f"unknown source {source!r}; known sources: {known}")
    module = importlib.import_module(f"sanctions.sources.{spec.module}")
    parser: Parser = module.parse
    return parser
