"""Screen a stream of JSON-lines queries (yente's query shape), in this process or in a pool.

The one batch runner: ``sanctions match -i`` and the Python API use it through
:meth:`sanctions.service.Screener.screen_lines`. Each input line gives one output line, in
order: ``{"id", "results": [...]}`` or, for a line that cannot be read as a query,
``{"id", "line", "error"}``; the other lines are screened all the same.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import orjson

from sanctions.errors import QueryError
from sanctions.matching import DEFAULT_ALGORITHM, Index, MatchOptions, Query, match

CHUNK = 64  # lines sent to a worker at a time


@dataclass(frozen=True, slots=True)
class LineResult:
    """The JSON output line of one query line, and whether it matched or failed."""

    json: str
    matched: bool = False
    error: bool = False


@dataclass(frozen=True, slots=True)
class _Job:
    index: Index
    options: MatchOptions
    date_format: str | None


_JOB: _Job | None = None  # set in the parent before forking: workers share it copy-on-write


def screen_line(
    number: int, line: str, index: Index, options: MatchOptions, date_format: str | None
) -> LineResult:
    """Screen one JSON query line (``number`` counts from 1, for error messages)."""
    try:
        data = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        return _failed(None, number, f"invalid JSON: {exc}")
    qid = data.get("id") if isinstance(data, dict) else None
    try:
        query = Query.from_dict(data, date_format=date_format)
        datasets = set(options.datasets) if options.datasets is not None else None
        found = match(
            query,
            index,
            algorithm=options.algorithm or DEFAULT_ALGORITHM,
            limit=options.limit,
            threshold=options.threshold,
            cutoff=options.cutoff,
            datasets=datasets,
        )
    except QueryError as exc:
        return _failed(qid, number, str(exc))
    out = orjson.dumps({"id": qid, "results": [m.to_dict() for m in found]}).decode()
    return LineResult(out, matched=any(m.match for m in found))


def _failed(qid: object, number: int, message: str) -> LineResult:
    return LineResult(orjson.dumps({"id": qid, "line": number, "error": message}).decode(), error=True)


def _worker(item: tuple[int, str]) -> LineResult:
    assert _JOB is not None
    return screen_line(item[0], item[1], _JOB.index, _JOB.options, _JOB.date_format)


def _numbered(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(lines, 1):
        if line.strip():
            yield number, line


def screen_lines(
    lines: Iterable[str],
    index: Index,
    options: MatchOptions,
    *,
    workers: int = 1,
    date_format: str | None = None,
) -> Iterator[LineResult]:
    """One :class:`LineResult` per non-blank line, in input order; ``workers`` > 1 forks a pool
    that shares the index (frozen out of the garbage collector's way while it runs)."""
    global _JOB
    if workers <= 1:
        for number, line in _numbered(lines):
            yield screen_line(number, line, index, options, date_format)
        return
    _JOB = _Job(index, options, date_format)
    ctx = multiprocessing.get_context("fork")
    gc.collect()
    gc.freeze()  # workers must not write reference counts' GC headers all over the index
    try:
        with ctx.Pool(workers) as pool:
            yield from pool.imap(_worker, _numbered(lines), chunksize=CHUNK)
    finally:
        gc.unfreeze()
        _JOB = None
