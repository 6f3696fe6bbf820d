"""Streaming XML records with lxml: the root check, element clearing and error mapping in one place."""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Collection, Iterator
from pathlib import Path

from lxml import etree

from sanctions.errors import SourceFormatError


def local_name(elem: etree._Element) -> str:
    """The tag without its namespace (``{ns}sanctionEntity`` -> ``sanctionEntity``)."""
    tag = elem.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_SINGLE_BYTE = re.compile(r"^(iso-?8859-\d+|latin-?1|l1|windows-125\d|cp125\d|us-ascii|ascii)$", re.I)


def true_encoding(path: Path) -> str | None:
    """``"utf-8"`` when the file declares a single-byte encoding but its bytes are UTF-8.

    A file that says ISO-8859-1 while holding UTF-8 would have every non-Latin name garbled
    (``Ð\x9fÑ\x83Ñ\x82Ð¸Ð½`` for ``Путин``); the bytes are the better witness. Returns None (trust
    the declaration) otherwise.
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(512)
            match = _DECLARATION.match(head)
            if match is None or not _SINGLE_BYTE.match(match.group(1).decode("ascii")):
                return None
            fh.seek(0)
            decoder = codecs.getincrementaldecoder("utf-8")()
            multibyte = False
            while chunk := fh.read(1 << 20):
                decoder.decode(chunk)
                multibyte = multibyte or not chunk.isascii()
            decoder.decode(b"", final=True)
    except (OSError, UnicodeDecodeError):
        return None
    return "utf-8" if multibyte else None


def iter_records(
    path: Path,
    records: Collection[str],
    *,
    root: str,
    what: str,  # with its article: "an EU FSF export"
    on_root: Callable[[etree._Element], None] | None = None,
) -> Iterator[etree._Element]:
    """Yield each fully read element whose local name is in ``records``, then free it.

    The document element must be called ``root`` (namespace ignored), else the file is the
    wrong one for the source; ``on_root`` sees the root element as soon as it starts (its
    attributes, e.g. a generation date). External entities and network access are refused.
    Broken, truncated or unreadable XML raises :class:`SourceFormatError` with the line.
    """
    seen_root = False
    try:
        events = etree.iterparse(
            str(path),
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            huge_tree=False,
            encoding=true_encoding(path),
        )
        for event, elem in events:
            if not seen_root:
                seen_root = True
                if local_name(elem) != root:
                    raise SourceFormatError(
                        path, f"not {what}: root element is <{local_name(elem)}>, expected <{root}>", line=1
                    )
                if on_root is not None:
                    on_root(elem)
                continue
            if event != "end" or local_name(elem) not in records:
                continue
            yield elem
            elem.clear()
            parent = elem.getparent()
            if parent is not None:
                while elem.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        raise SourceFormatError(path, f"broken XML: {exc.msg}", line=exc.lineno) from exc
    except (etree.LxmlError, UnicodeError) as exc:
        raise SourceFormatError(path, f"unreadable XML: {exc}") from exc
    except OSError as exc:
        raise SourceFormatError(path, f"cannot read file: {exc}") from exc
    if not seen_root:
        raise SourceFormatError(path, "empty file: no XML root element")
