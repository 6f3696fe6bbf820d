"""Streaming XML records with lxml: the root check, element clearing and error mapping in one place."""

from __future__ import annotations

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
            str(path), events=("start", "end"), resolve_entities=False, no_network=True, huge_tree=False
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
