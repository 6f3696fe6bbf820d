"""What the parser tests share: reading a file into entities and relations, and the property every
parser has (arbitrary bytes give records or one of our errors, nothing else)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from sanctions.errors import SanctionsError
from sanctions.model import Entity, Record, Relation
from sanctions.sources import ParseContext, Parser


def parse_file(
    parse: Parser, path: Path, dataset: str
) -> tuple[dict[str, Entity], list[Relation], ParseContext]:
    """The entities of a file by source id (each id once), its relations, and the context
    (with the parser's warnings)."""
    ctx = ParseContext(path, dataset)
    entities: dict[str, Entity] = {}
    relations: list[Relation] = []
    for record in parse(ctx):
        if isinstance(record, Entity):
            assert record.source_id not in entities
            entities[record.source_id] = record
        else:
            relations.append(record)
    return entities, relations, ctx


def parse_bytes(parse: Parser, data: bytes, filename: str, dataset: str) -> list[Record] | None:
    """Parse ``data`` written as ``filename``; None when the parser refused it with our error.

    Any other exception propagates and fails the calling test.
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / filename
        path.write_bytes(data)
        try:
            return list(parse(ParseContext(path, dataset)))
        except SanctionsError:
            return None
