"""The property every parser shares: arbitrary bytes give records or one of our errors, nothing else."""

from __future__ import annotations

import tempfile
from pathlib import Path

from sanctions.errors import SanctionsError
from sanctions.model import Record
from sanctions.sources import ParseContext, Parser


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
