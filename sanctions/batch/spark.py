"""Spark adapter of the batch function: ``mapInArrow`` over a DataFrame of customer rows.

Each Python worker reads the index file once (:func:`~sanctions.batch.indexfile.cached_index`,
kept for the worker's life) instead of receiving the index as a broadcast: the file's path is
all the task closure carries. On a cluster, the path must be readable by every executor (a
shared filesystem, or the file shipped with ``--files`` and its local name given).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from sanctions.batch.function import BatchSpec, output_schema, screen_batch

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession


def _spark_schema(schema: pa.Schema) -> Any:
    from pyspark.sql.types import BooleanType, DoubleType, LongType, StringType, StructField, StructType

    kinds = {pa.float64(): DoubleType(), pa.bool_(): BooleanType(), pa.int64(): LongType()}
    return StructType([StructField(f.name, kinds.get(f.type, StringType()), True) for f in schema])


def screen(df: DataFrame, index_path: str, spec: BatchSpec | None = None) -> DataFrame:
    """Results of a DataFrame of customer rows (see :mod:`sanctions.batch.function`) as a
    DataFrame: one row per (customer, hit), clear rows with ``spec.include_clear``."""
    chosen = spec or BatchSpec()
    schema = output_schema(df.columns)
    path = str(index_path)

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            out = screen_batch(batch, path, chosen)
            # Spark's Arrow string type may be large_string: hand back what it expects.
            yield out

    return df.mapInArrow(run, _spark_schema(schema))


def local_session(workers: int) -> SparkSession:
    """A local Spark session with ``workers`` cores, whose Python workers run this interpreter."""
    from pyspark.sql import SparkSession

    # pyspark starts its Python workers with $PYSPARK_PYTHON (default: whatever python3 is on the
    # PATH, which may lack our dependencies); a local session's workers run this interpreter.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    return (
        SparkSession.builder.master(f"local[{workers}]")
        .appName("sanctions-batch")
        .config("spark.pyspark.python", sys.executable)
        .config("spark.pyspark.driver.python", sys.executable)
        .config("spark.sql.shuffle.partitions", str(max(2, workers)))
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )


def screen_table(table: pa.Table, index_path: str, spec: BatchSpec, workers: int) -> pa.Table:
    """Screen an Arrow table on a local Spark session (``sanctions match --engine spark``)."""
    spark = local_session(workers)
    partitions = max(workers, min(64, table.num_rows // 1000 + 1))
    df = spark.createDataFrame(table).repartition(partitions)
    result = screen(df, index_path, spec).toArrow()
    return pa.Table.from_batches(result.to_batches(), schema=result.schema)
