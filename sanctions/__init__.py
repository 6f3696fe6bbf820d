"""Screen people, companies, vessels and documents against official sanctions lists.

The public API::

    from sanctions import Screener, Query, MatchOptions

    screener = Screener.open()                      # the data dir of SANCTIONS_DATA_DIR
    for match in screener.match(Query.from_fields("Sergey Sobyanin", schema="Person")):
        print(match.score, match.match, match.entity.caption)

Everything a caller needs is exported here; the modules behind it are the implementation.
"""

from importlib import metadata as _metadata

from sanctions.resources import import_followthemoney as _import_followthemoney

_import_followthemoney()  # before any module imports it: its model parsed by libyaml (0.5 s less)

try:
    __version__ = _metadata.version("sanctions")  # single-sourced: pyproject.toml's version
except _metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

from sanctions.errors import (  # noqa: E402
    NotFoundError,
    NotReadyError,
    QueryError,
    SanctionsError,
    SourceFormatError,
)
from sanctions.graph import Decision, ExposurePath, ExposureResult, JurisdictionRule  # noqa: E402
from sanctions.graph.report import OwnershipReport, PartyDecisions  # noqa: E402
from sanctions.matching import Algorithm, Explanation, Match, MatchOptions, Query, Score  # noqa: E402
from sanctions.matching.batch import LineResult  # noqa: E402
from sanctions.model import REASON_CODES, VERDICTS, Entity, ListVersion, Relation  # noqa: E402
from sanctions.scan import Mention, ScanResult  # noqa: E402
from sanctions.service import ListStatus, Screener  # noqa: E402
from sanctions.service_serving import ServingState  # noqa: E402
from sanctions.settings import Settings  # noqa: E402
from sanctions.users import ApiKey, Permission, Principal, Role, User  # noqa: E402

__all__ = [
    "REASON_CODES",
    "VERDICTS",
    "Algorithm",
    "ApiKey",
    "Decision",
    "Entity",
    "Explanation",
    "ExposurePath",
    "ExposureResult",
    "JurisdictionRule",
    "LineResult",
    "ListStatus",
    "ListVersion",
    "Match",
    "MatchOptions",
    "Mention",
    "NotFoundError",
    "NotReadyError",
    "OwnershipReport",
    "PartyDecisions",
    "Permission",
    "Principal",
    "Query",
    "QueryError",
    "Relation",
    "Role",
    "SanctionsError",
    "ScanResult",
    "Score",
    "Screener",
    "ServingState",
    "Settings",
    "SourceFormatError",
    "User",
    "__version__",
]
