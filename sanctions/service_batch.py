"""The batch section of :class:`~sanctions.service.Screener`: the index file and customer files.

Kept in its own module (Screener inherits it); the faces call these methods on a Screener and
never the batch room directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sanctions.matching.types import MatchOptions

if TYPE_CHECKING:
    from sanctions.batch import FileSummary
    from sanctions.batch.run import ChunkDone
    from sanctions.matching import Index
    from sanctions.settings import Settings
    from sanctions.store import SqlStore


@dataclass(frozen=True, slots=True)
class FileScreening:
    """A customer file to screen into a result file, as ``sanctions match -i FILE -o OUT`` asks.

    ``output_format`` is csv, xlsx, parquet or jsonl (None: from the output's extension);
    ``include_clear`` adds a row for each customer without a hit; ``engine`` is local, spark or
    dask; ``resume`` skips the chunks an interrupted run finished (same file, lists, options).
    """

    input: Path
    output: Path
    input_format: str | None = None
    output_format: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    options: MatchOptions = MatchOptions(limit=5)
    include_clear: bool = False
    engine: str = "local"
    workers: int = 1
    resume: bool = False
    chunk_rows: int = 1000


class BatchMethods:
    """Screening whole customer files, on this machine or on Spark or Dask (docs/scale.md)."""

    store: SqlStore
    settings: Settings
    if TYPE_CHECKING:

        @property
        def index(self) -> Index: ...  # the Screener's matching index

    @property
    def index_dir(self) -> Path:
        """Where index files are kept: ``index/`` in the data directory."""
        return self.settings.data_dir / "index"

    def index_file(self) -> Path:
        """The index file of the current list versions, built (atomically) when missing, stale,
        foreign or damaged. Batch workers load it instead of building the index themselves."""
        from sanctions.batch import ensure_index_file
        from sanctions.errors import NotReadyError

        versions = self.store.current_versions()
        if not versions:
            raise NotReadyError("no lists are loaded: run `sanctions update` (or load one) first")
        path, _ = ensure_index_file(self.index_dir, versions, lambda: self.index)
        return path

    def batch_lists(self) -> list[dict[str, Any]]:
        """The current list versions as a run manifest records them."""
        return [
            {"dataset": v.dataset, "version": v.id, "published": v.published, "sha256": v.sha256}
            for v in sorted(self.store.current_versions(), key=lambda v: v.dataset)
        ]

    def screen_file(self, request: FileScreening, progress: ChunkDone | None = None) -> FileSummary:
        """Screen a customer file into a result file (CSV, XLSX, Parquet or JSON lines) on the
        request's engine, resumably, with a run manifest beside the output (``OUT.manifest.json``).

        SourceFormatError when the file cannot be read at all; bad rows are screened around and
        listed in the summary with their line numbers.
        """
        from sanctions.batch import BatchSpec, FileJob, output_format, run_file
        from sanctions.matching import DEFAULT_ALGORITHM
        from sanctions.records import detect_format

        if not request.input.is_file():
            from sanctions.errors import SourceFormatError

            raise SourceFormatError(request.input, "no such file")
        opts = request.options
        algorithm = opts.algorithm or DEFAULT_ALGORITHM
        self.algorithm_check(algorithm)
        spec = BatchSpec(
            mapping=tuple(request.mapping.items()),
            limit=opts.limit,
            threshold=opts.threshold,
            cutoff=opts.cutoff,
            algorithm=algorithm,
            datasets=tuple(sorted(opts.datasets)) if opts.datasets is not None else None,
            include_clear=request.include_clear,
        )
        job = FileJob(
            request.input,
            request.output,
            spec,
            input_format=detect_format(request.input, request.input_format),
            output_format=output_format(request.output, request.output_format),
            engine=request.engine,
            workers=request.workers,
            chunk_rows=request.chunk_rows,
            resume=request.resume,
        )
        return run_file(job, self.index_file(), self.batch_lists(), progress)

    @staticmethod
    def customer_file_format(path: Path, fmt: str | None = None) -> str:
        """The format of a customer file: ``fmt`` when given, else from its extension."""
        from sanctions.records import detect_format

        return detect_format(path, fmt)

    def algorithm_check(self, name: str) -> None:
        """QueryError unless ``name`` is a known algorithm."""
        from sanctions.matching import get_algorithm

        get_algorithm(name)
