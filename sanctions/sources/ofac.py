"""US OFAC lists (SDN and consolidated non-SDN): ``parse(ctx)`` for every format OFAC publishes.

The format is found from the content, not the file name:

* a folder: the legacy CSV set (``sdn.csv`` / ``cons_prim.csv`` with whichever of the
  alias, address and comments files are present), else ``SDN_ADVANCED.XML`` /
  ``CONS_ADVANCED.XML``, else ``SDN.XML`` / ``CONSOLIDATED.XML``;
* a file starting with ``<``: SDN.XML (root ``sdnList``, see :mod:`.ofac_xml`) or the
  advanced XML (root ``Sanctions``, see :mod:`.ofac_advanced`);
* any other file: a legacy primary CSV file, read alone (see :mod:`.ofac_csv`).

Entity ids are ``make_id(ctx.dataset, ent_num)`` in every format, so a list loaded from
CSV one week and from XML the next keeps its ids.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sanctions.errors import SourceFormatError
from sanctions.model import Record
from sanctions.sources.base import ParseContext
from sanctions.sources.ofac_csv import PRIMARY_COLUMNS, CsvSet, find_csv_set, parse_csv_set, primary_width

XML_NAMES = ("sdn_advanced.xml", "cons_advanced.xml", "sdn.xml", "consolidated.xml")
_ZIP_MAGIC = b"PK\x03\x04"


def parse(ctx: ParseContext) -> Iterator[Record]:
    """Entities, then relations, of an OFAC SDN or consolidated publication at ``ctx.path``."""
    path = Path(ctx.path)
    if path.is_dir():
        return _parse_folder(ctx, path)
    if not path.is_file():
        raise SourceFormatError(path, "no such file or folder")
    return _parse_file(ctx, path)


def _parse_folder(ctx: ParseContext, folder: Path) -> Iterator[Record]:
    files = find_csv_set(folder, ctx.dataset)
    if files is not None:
        return parse_csv_set(ctx, files)
    present = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
    for name in XML_NAMES:
        if name in present:
            return _parse_file(ctx, present[name])
    raise SourceFormatError(
        folder, "no OFAC file here: expected sdn.csv, cons_prim.csv, SDN.XML or SDN_ADVANCED.XML"
    )


def _sniff(path: Path) -> bytes:
    with path.open("rb") as handle:
        head = handle.read(4096)
    if not head.strip():
        raise SourceFormatError(path, "file is empty")
    return head


def _parse_file(ctx: ParseContext, path: Path) -> Iterator[Record]:
    head = _sniff(path)
    if head.startswith(_ZIP_MAGIC):
        raise SourceFormatError(path, "is a ZIP/XLSX archive, not an OFAC CSV or XML file")
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        from sanctions.sources.ofac_xml import parse_xml

        return parse_xml(ctx, path)
    width = primary_width(path)
    if width != PRIMARY_COLUMNS:
        raise SourceFormatError(
            path,
            f"not an OFAC primary CSV file: first row has {width} columns, expected {PRIMARY_COLUMNS} "
            "(alias, address and comments files are read from a folder next to sdn.csv)",
            line=1,
        )
    return parse_csv_set(ctx, CsvSet(path))
