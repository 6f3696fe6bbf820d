"""Batch screening: one engine-neutral function over Arrow batches, the index file it reads,
customer files in and out, and the local, Spark and Dask engines that run it.

``sanctions.batch.spark`` and ``sanctions.batch.dask`` need the ``[spark]`` and ``[dask]``
extras; nothing here imports them until they are used.
"""

from sanctions.batch.files import OUTPUT_FORMATS, output_format
from sanctions.batch.function import RESULT_COLUMNS, BatchSpec, output_schema, screen_batch
from sanctions.batch.indexfile import (
    IndexFileError,
    IndexHeader,
    cached_index,
    ensure_index_file,
    read_header,
    read_index_file,
    write_index_file,
)
from sanctions.batch.run import ENGINES, FileJob, FileSummary, manifest_path, run_file

__all__ = [
    "ENGINES",
    "OUTPUT_FORMATS",
    "RESULT_COLUMNS",
    "BatchSpec",
    "FileJob",
    "FileSummary",
    "IndexFileError",
    "IndexHeader",
    "cached_index",
    "ensure_index_file",
    "manifest_path",
    "output_format",
    "output_schema",
    "read_header",
    "read_index_file",
    "run_file",
    "screen_batch",
    "write_index_file",
]
