"""Tables computed from reference data that are slow to compute and cheap to keep.

Reading the business words of every language under each of their romanisations runs ICU over
17,792 words (0.6 s of CPU), and importing wordfreq to ask whether a word is common costs about
0.3 s: too much for a command that answers one query. An index file keeps the tables its index
was built with (:func:`derived_tables`), and a process that opens it adopts them
(:func:`adopt_derived_tables`) instead of computing them again. Each table comes with a digest
of what it was computed from (its resource files, the versions of ICU and of the packages it
reads): a table whose sources have changed since is ignored and computed again when needed.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from importlib import metadata
from typing import Any

import icu

from sanctions.text.resources import resource_path

# table -> the resource files and the packages it is computed from
SOURCES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "business_word_groups": (("organisations/business_words.yml", "names/name_words.yml"), ()),
    "common_words": ((), ("wordfreq",)),
}
_ADOPTED: dict[str, Any] = {}

__all__ = ["SOURCES", "adopt_derived_tables", "derived", "derived_tables"]


@functools.cache
def _digest(table: str) -> str:
    files, packages = SOURCES[table]
    h = hashlib.sha256(icu.ICU_VERSION.encode())
    for package in packages:
        h.update(f"\0{package}={metadata.version(package)}".encode())
    for name in files:
        h.update(b"\0" + resource_path(name).read_bytes())
    return h.hexdigest()


def derived(table: str, compute: Callable[[], Any]) -> Any:
    """The adopted table of that name if there is one, else ``compute()`` (the caller caches)."""
    found = _ADOPTED.pop(table, None)
    return compute() if found is None else found


def derived_tables() -> dict[str, tuple[str, Any]]:
    """Every derived table with the digest of its sources, as an index file keeps them."""
    from sanctions.text.lexicon import common_words
    from sanctions.text.phrases import business_word_groups

    return {
        "business_word_groups": (_digest("business_word_groups"), business_word_groups()),
        "common_words": (_digest("common_words"), common_words()),
    }


def adopt_derived_tables(tables: dict[str, tuple[str, Any]]) -> None:
    """Take the tables an index file kept, those whose sources are unchanged, for the process."""
    for table, (digest, value) in tables.items():
        if table in SOURCES and digest == _digest(table):
            _ADOPTED[table] = value
