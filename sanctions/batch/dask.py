"""Dask adapter of the batch function: ``map_partitions`` over a DataFrame of customer rows.

Each worker process reads the index file once and keeps it
(:func:`~sanctions.batch.indexfile.cached_index`); a task carries only the file's path. On a
cluster, the path must be readable by every worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyarrow as pa

from sanctions.batch.function import BatchSpec, output_schema, screen_batch

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd


def _screen_partition(part: pd.DataFrame, index_path: str, spec: BatchSpec) -> pd.DataFrame:
    table = pa.Table.from_pandas(part, preserve_index=False)
    batch = screen_batch(table, index_path, spec)
    return batch.to_pandas()


def screen(ddf: dd.DataFrame, index_path: str, spec: BatchSpec | None = None) -> dd.DataFrame:
    """Results of a Dask DataFrame of customer rows (see :mod:`sanctions.batch.function`):
    one row per (customer, hit), clear rows with ``spec.include_clear``."""
    chosen = spec or BatchSpec()
    meta = output_schema(list(ddf.columns)).empty_table().to_pandas()
    frame: Any = ddf  # dask is untyped: keep its calls out of the type checker's way
    result: dd.DataFrame = frame.map_partitions(_screen_partition, str(index_path), chosen, meta=meta)
    return result


def screen_table(table: pa.Table, index_path: str, spec: BatchSpec, workers: int) -> pa.Table:
    """Screen an Arrow table on Dask (``sanctions match --engine dask``): on the client this
    process already has, else on a local cluster of ``workers`` processes, started for the call."""
    import dask.dataframe
    import distributed

    dd: Any = dask.dataframe
    dist: Any = distributed
    partitions = max(workers, min(64, table.num_rows // 1000 + 1))
    ddf = dd.from_pandas(table.to_pandas(), npartitions=partitions)
    try:
        dist.get_client()
        running = True
    except ValueError:  # no client in this process
        running = False
    if running:
        lazy: Any = screen(ddf, index_path, spec)
        frame = lazy.compute()
    else:
        with (
            dist.LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
            ) as cluster,
            dist.Client(cluster),
        ):
            lazy = screen(ddf, index_path, spec)
            frame = lazy.compute()
    return pa.Table.from_pandas(frame, schema=output_schema(table.schema.names), preserve_index=False)
