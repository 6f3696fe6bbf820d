"""The user's own records (a relations CSV or an FtM file), read for ownership and exposure.

One reader for every face: ``sanctions ownership -i``, ``sanctions exposure --relations``
and the API's ``/ownership`` and ``/exposure`` bodies all come through here.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from sanctions.errors import SanctionsError, SourceFormatError
from sanctions.model import Entity, Relation
from sanctions.sources import ParseContext, get_parser
from sanctions.sources.relations_csv import parse_relations

UserRecords = list[Entity | Relation]


def read_records(path: Path, dataset: str | None = None) -> tuple[UserRecords, list[str]]:
    """Entities and relations of a file, with the parser's warnings: a relations CSV
    (``.csv``) or FollowTheMoney JSON lines (anything else)."""
    if not path.exists():
        raise SanctionsError(f"{path}: no such file")
    name = dataset or path.name.split(".")[0] or "graph"
    ctx = ParseContext(path=path, dataset=name)
    if path.suffix.lower() == ".csv":
        return list(parse_relations(path, name, ctx=ctx)), ctx.warnings
    return list(get_parser("ftm")(ctx)), ctx.warnings


def records_from_payload(ftm: Sequence[dict[str, Any]], relations_csv: str | None) -> UserRecords:
    """Entities and relations sent in a request body: FtM entities as objects, and/or the text
    of a relations CSV; read with the same parsers as files."""
    records: UserRecords = []
    with tempfile.TemporaryDirectory(prefix="sanctions-graph-") as tmp:
        if ftm:
            path = Path(tmp) / "graph.ftm.json"
            try:
                lines = [orjson.dumps(e) for e in ftm]
            except orjson.JSONEncodeError as exc:  # e.g. lone surrogates, which JSON text cannot hold
                raise SourceFormatError("ftm", f"an entity cannot be written as JSON: {exc}") from exc
            path.write_bytes(b"\n".join(lines) + b"\n")
            records.extend(get_parser("ftm")(ParseContext(path=path, dataset="graph")))
        if relations_csv:
            path = Path(tmp) / "relations.csv"
            path.write_bytes(relations_csv.encode("utf-8", errors="replace"))
            records.extend(parse_relations(path, "relations"))
    return records
