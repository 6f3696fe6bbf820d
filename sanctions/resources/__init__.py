"""Curated reference data, grouped by topic in this package's folders, read by one loader.

Topics (folders): ``names/`` (given names, honorifics, particles, name words), ``organisations/``
(legal forms, business words), ``places/`` (countries; place names), ``scripts/`` (readings and
loan syllables of Han and Hangul), ``words/`` (everyday English and Russian words), ``scan/``
(the scanner's evidence words and report template). A resource is named by its path without
the extension (``"names/given_names"``). YAML is parsed with libyaml's C loader when PyYAML has
it, else the pure-Python safe loader (both build the same plain data; reading every table takes
0.11 s of CPU with the first and 1.0 s with the second, measured with ``yaml.load`` over
``sanctions/resources/**/*.yml``). Sources, text and the scanner all read through it.

:func:`import_followthemoney` gives followthemoney's schema files the same C parser: it reads
them with ``yaml.safe_load`` when first imported, 0.5 s of every command's start-up otherwise.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import IO, Any

import yaml

RESOURCES = Path(__file__).resolve().parent
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

__all__ = ["RESOURCES", "import_followthemoney", "load_resource", "load_word_list", "resource_path"]


def resource_path(name: str) -> Path:
    """The file of a resource, by its path under ``sanctions/resources`` (extension included)."""
    return RESOURCES / name


@functools.cache
def load_resource(name: str) -> Any:
    """The parsed content of ``sanctions/resources/<name>.yml`` (read once, then cached)."""
    with open(RESOURCES / f"{name}.yml", encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_LOADER)  # noqa: S506 (a safe loader: plain data only)


@functools.cache
def load_word_list(name: str) -> tuple[str, ...]:
    """The lines of ``sanctions/resources/<name>.txt``: one entry a line; blank lines and lines
    starting with ``#`` left out (read once, then cached)."""
    text = (RESOURCES / f"{name}.txt").read_text(encoding="utf-8")
    lines = (raw.strip() for raw in text.splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


def _c_safe_load(stream: str | bytes | IO[str] | IO[bytes]) -> Any:
    return yaml.load(stream, Loader=_LOADER)  # noqa: S506 (a safe loader: plain data only)


def import_followthemoney() -> None:
    """Import followthemoney, its schema files parsed with libyaml's C parser.

    followthemoney builds its model when first imported, from 71 YAML files read with
    ``yaml.safe_load``, PyYAML's pure-Python parser. For the length of that import only,
    ``yaml.safe_load`` parses with the C parser instead (the same safe constructor, the same plain
    data: ``tests/test_resources.py`` compares the two models). The package root calls this before
    anything else imports followthemoney; afterwards, and without libyaml, it does nothing.
    """
    if "followthemoney" in sys.modules or _LOADER is yaml.SafeLoader:
        return
    original = yaml.safe_load
    setattr(yaml, "safe_load", _c_safe_load)  # noqa: B010 (mypy: a module's function)
    try:
        import followthemoney  # noqa: F401
    finally:
        setattr(yaml, "safe_load", original)  # noqa: B010
