"""Tables computed from the reference data that are slow to compute and cheap to keep.

Reading the business words of every language under each of their romanisations runs ICU over
17,792 words (0.6 s of CPU): too much for a command that answers one query. An index file
keeps the tables its index was built with (:func:`derived_tables`), and a process that opens it
adopts them (:func:`adopt_derived_tables`) instead of computing them again. Each table comes
with a digest of what it was computed from (its resource files and the ICU version): a table
whose sources have changed since is ignored and computed again when first needed.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

import icu

from sanctions.text.resources import resource_path

# table -> the resource files it is computed from
SOURCES: dict[str, tuple[str, ...]] = {
    "business_word_groups": ("organisations/business_words.yml", "names/name_words.yml"),
}
_ADOPTED: dict[str, Any] = {}

__all__ = ["SOURCES", "adopt_derived_tables", "derived", "derived_tables"]


@functools.cache
def _digest(table: str) -> str:
    h = hashlib.sha256(icu.ICU_VERSION.encode())
    for name in SOURCES[table]:
        h.update(resource_path(name).read_bytes())
    return h.hexdigest()


def derived(table: str, compute: Callable[[], Any]) -> Any:
    """The adopted table of that name if there is one, else ``compute()`` (the caller caches)."""
    found = _ADOPTED.pop(table, None)
    return compute() if found is None else found


def derived_tables() -> dict[str, tuple[str, Any]]:
    """Every derived table with the digest of its sources, as an index file keeps them."""
    from sanctions.text.phrases import business_word_groups

    return {"business_word_groups": (_digest("business_word_groups"), business_word_groups())}


def adopt_derived_tables(tables: dict[str, tuple[str, Any]]) -> None:
    """Take the tables an index file kept, those whose sources are unchanged, for the process."""
    for table, (digest, value) in tables.items():
        if table in SOURCES and digest == _digest(table):
            _ADOPTED[table] = value
