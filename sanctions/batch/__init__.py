"""Batch screening: one engine-neutral function over Arrow batches, the index file it reads,
customer files in and out, and the local, Spark and Dask engines that run it.

``sanctions.batch.spark`` and ``sanctions.batch.dask`` need the ``[spark]`` and ``[dask]``
extras; nothing here imports them until they are used. The names below are imported when first
used (PEP 562): a command that opens an index file imports neither pyarrow nor the engines.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_MODULES = {
    "OUTPUT_FORMATS": "files",
    "output_format": "files",
    "RESULT_COLUMNS": "function",
    "BatchSpec": "function",
    "output_schema": "function",
    "screen_batch": "function",
    "IndexFileError": "indexfile",
    "IndexHeader": "indexfile",
    "cached_index": "indexfile",
    "ensure_index_file": "indexfile",
    "read_header": "indexfile",
    "read_index_file": "indexfile",
    "write_index_file": "indexfile",
    "ENGINES": "run",
    "FileJob": "run",
    "FileSummary": "run",
    "manifest_path": "run",
    "run_file": "run",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)

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
