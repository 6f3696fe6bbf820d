"""The batch function: an Arrow record batch of customer rows in, an Arrow batch of results out.

Every engine runs this one function: the local runner on chunks of a file, Spark through
``mapInArrow``, Dask through ``map_partitions``. It is deterministic: the same rows, index file
and :class:`BatchSpec` give the same output, whatever the engine, worker or partitioning.

Input columns are the customer file's own (mapped to fields as books map them, or with
``BatchSpec.mapping``), plus optional ``_line`` (the row's line in its file, for problems) and
``_chunk``, passed through. Output: one row per (customer, hit), or a clear row per customer
with no hit when ``include_clear``, or a problem row per unreadable customer, with the columns
of :data:`RESULT_COLUMNS`, then ``_line``, ``_chunk``, ``_problem``, then the customer's own
columns (renamed ``input_<name>`` where a name is taken by a result column).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from sanctions.batch.indexfile import cached_index
from sanctions.matching import DEFAULT_ALGORITHM, Index, Match, Query, match
from sanctions.records import RowProblem, customer_from_row

RESULT_COLUMNS = (
    "customer_id",
    "entity_id",
    "caption",
    "datasets",
    "programs",
    "score",
    "match",
    "explanation",
)
LINE, CHUNK, PROBLEM = "_line", "_chunk", "_problem"
INTERNAL = (LINE, CHUNK, PROBLEM)
_TYPES: dict[str, pa.DataType] = {
    "score": pa.float64(),
    "match": pa.bool_(),
    LINE: pa.int64(),
    CHUNK: pa.int64(),
}
EXPLAIN_FEATURES = 4  # features named in the one-line explanation


@dataclass(frozen=True, slots=True)
class BatchSpec:
    """How to screen a batch: the column mapping and the match options (picklable, so that
    Spark and Dask ship it to their workers with the function)."""

    mapping: tuple[tuple[str, str], ...] = ()  # (column, field), as --map COLUMN=FIELD
    limit: int = 5
    threshold: float | None = None
    cutoff: float | None = None
    algorithm: str = DEFAULT_ALGORITHM
    datasets: tuple[str, ...] | None = None
    include_clear: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "mapping": dict(self.mapping),
            "limit": self.limit,
            "threshold": self.threshold,
            "cutoff": self.cutoff,
            "algorithm": self.algorithm,
            "datasets": list(self.datasets) if self.datasets is not None else None,
            "include_clear": self.include_clear,
        }


def own_column(name: str) -> str:
    """The output name of a customer's column."""
    return f"input_{name}" if name in RESULT_COLUMNS or name in INTERNAL else name


def output_schema(input_names: Sequence[str]) -> pa.Schema:
    """The schema of the output for input columns of these names (all strings but a few)."""
    own = [n for n in input_names if n not in INTERNAL]
    names = [*RESULT_COLUMNS, *INTERNAL, *(own_column(n) for n in own)]
    return pa.schema([pa.field(n, _TYPES.get(n, pa.string())) for n in names])


def explanation_line(found: Match) -> str:
    """The strongest features of a hit, on one line."""
    parts = []
    for x in sorted(found.explanations, key=lambda e: -abs(e.value * e.weight))[:EXPLAIN_FEATURES]:
        detail = " ".join(x.detail.split())
        parts.append(f"{x.feature} {x.value:+.2f}: {detail}")
    return " | ".join(parts)


def _programs(found: Match) -> str:
    return "; ".join(dict.fromkeys(lst.program for _, lst in found.listings if lst.program))


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value != value:  # NaN from pandas: an empty cell
        return None
    return str(value)


def screen_rows(rows: list[dict[str, Any]], index: Index, spec: BatchSpec) -> list[dict[str, Any]]:
    """The result rows of customer rows (dicts of column -> cell), against an index."""
    mapping = dict(spec.mapping) or None
    datasets = set(spec.datasets) if spec.datasets is not None else None
    out: list[dict[str, Any]] = []
    for row in rows:
        line = row.get(LINE)
        own = {own_column(k): _cell(v) for k, v in row.items() if k not in INTERNAL}
        raw = {k: v for k, v in row.items() if k not in INTERNAL and v is not None}
        base: dict[str, Any] = {LINE: line, CHUNK: row.get(CHUNK), PROBLEM: None}
        made = customer_from_row(int(line) if line is not None else 0, raw, mapping)
        if isinstance(made, RowProblem):
            problem = str(made) if line is not None else f"{made.field}: {made.message}"
            out.append({**base, PROBLEM: problem, "customer_id": _cell(row.get("id")), **own})
            continue
        found = match(
            Query(schema=made.schema, properties=made.properties, id=made.id),
            index,
            algorithm=spec.algorithm,
            limit=spec.limit,
            threshold=spec.threshold,
            cutoff=spec.cutoff,
            datasets=datasets,
        )
        hits = [m for m in found if m.match]
        for hit in hits:
            out.append(
                {
                    **base,
                    "customer_id": made.id,
                    "entity_id": hit.entity.id,
                    "caption": hit.entity.caption,
                    "datasets": "; ".join(hit.datasets),
                    "programs": _programs(hit),
                    "score": round(hit.score, 4),
                    "match": True,
                    "explanation": explanation_line(hit),
                    **own,
                }
            )
        if not hits and spec.include_clear:
            out.append({**base, "customer_id": made.id, "match": False, **own})
    return out


def warm(index_path: str) -> None:
    """Load what the first batch would: the index file and the tables cleaning reads
    (followthemoney's country names take seconds). A process that forks after this shares them."""
    cached_index(index_path)
    customer_from_row(1, {"id": "warm", "name": "warm", "country": "ru", "birthDate": "2000-01-01"})


def screen_batch(batch: pa.RecordBatch | pa.Table, index_path: str, spec: BatchSpec) -> pa.RecordBatch:
    """The batch function: customer rows in, result rows out (see the module docstring).

    The index is read from ``index_path`` once per process and kept (see
    :func:`~sanctions.batch.indexfile.cached_index`).
    """
    index = cached_index(index_path)
    schema = output_schema(batch.schema.names)
    rows = screen_rows(batch.to_pylist(), index, spec)
    return pa.RecordBatch.from_pylist(rows, schema=schema)
