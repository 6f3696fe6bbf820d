"""Screen a customer file into a result file, on one engine, resumably, with a run manifest.

The file is cut into chunks (:func:`~sanctions.batch.files.read_chunks`); each chunk's results
are written to ``OUT.parts/NNNNNN.arrow`` (aside, then renamed) and recorded in the manifest
``OUT.manifest.json`` with the chunk's hash and counts. With ``resume``, chunks already in the
manifest with the same hash are not screened again. When every chunk is done, the parts are
written to ``OUT`` in its format and removed; the manifest stays, as proof of coverage: input,
chunk hashes, list versions, algorithm, options and counts.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa

from sanctions.batch.files import Chunk, read_chunks, write_results
from sanctions.batch.function import CHUNK, LINE, PROBLEM, BatchSpec, screen_batch, warm
from sanctions.batch.indexfile import read_header
from sanctions.errors import SanctionsError

ENGINES = ("local", "spark", "dask")
MANIFEST_VERSION = 1


@dataclass(frozen=True, slots=True)
class FileJob:
    """One customer file to screen into one result file."""

    input: Path
    output: Path
    spec: BatchSpec
    input_format: str | None = None
    output_format: str = "csv"
    engine: str = "local"
    workers: int = 1
    chunk_rows: int = 1000
    resume: bool = False


@dataclass(slots=True)
class FileSummary:
    """What a run did: counts, bad rows (line: problem) and where the manifest is."""

    customers: int = 0
    with_hits: int = 0
    hits: int = 0
    problems: list[str] = field(default_factory=list)
    chunks: int = 0
    chunks_skipped: int = 0
    rows_written: int = 0
    manifest: Path | None = None
    seconds: float = 0.0


ChunkDone = Callable[[int], None]  # called with the rows of each chunk done (a progress bar)


def manifest_path(output: Path) -> Path:
    """Where the run manifest of an output file is kept."""
    return output.with_name(output.name + ".manifest.json")


def parts_dir(output: Path) -> Path:
    """Where the results of finished chunks wait until the output is written."""
    return output.with_name(output.name + ".parts")


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _counts(table: pa.Table, rows: int) -> dict[str, Any]:
    out = table.select([LINE, PROBLEM, "match"]).to_pylist()
    problems = [r[PROBLEM] for r in out if r[PROBLEM]]
    hit_lines = [r[LINE] for r in out if r["match"] and not r[PROBLEM]]
    return {
        "hits": len(hit_lines),
        "with_hits": len(set(hit_lines)),
        "screened_rows": rows - len(problems),
        "problems": problems,
    }


def _write_part(folder: Path, number: int, table: pa.Table) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"{number:06d}.arrow"
    tmp = final.with_suffix(".tmp")
    with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    os.replace(tmp, final)


def _read_part(folder: Path, number: int) -> pa.Table:
    with pa.memory_map(str(folder / f"{number:06d}.arrow")) as source:
        return pa.ipc.open_file(source).read_all()


def _save_manifest(path: Path, manifest: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(orjson.dumps(manifest, option=orjson.OPT_INDENT_2))
    os.replace(tmp, path)


# -- engines: each maps chunks to (chunk, result table) pairs -----------------------------------
_WORKER: tuple[str, BatchSpec] | None = None  # (index path, spec), set before forking


def _local_one(chunk: Chunk) -> tuple[int, pa.Table]:
    assert _WORKER is not None
    batch = screen_batch(chunk.table(), _WORKER[0], _WORKER[1])
    return chunk.number, pa.Table.from_batches([batch])


def _local(
    chunks: Iterator[Chunk], index_path: str, spec: BatchSpec, workers: int
) -> Iterator[tuple[int, pa.Table]]:
    global _WORKER
    _WORKER = (index_path, spec)
    warm(index_path)  # the index and the cleaning tables, loaded before forking: workers share them
    try:
        if workers <= 1:
            yield from map(_local_one, chunks)
            return
        gc.collect()
        gc.freeze()  # workers must not write reference counts' GC headers all over the index
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(_local_one, chunks)
    finally:
        gc.unfreeze()
        _WORKER = None


def _distributed(
    engine: str, chunks: list[Chunk], index_path: str, spec: BatchSpec, workers: int
) -> Iterator[tuple[int, pa.Table]]:
    """Every pending chunk in one job on Spark or Dask, the results split back by chunk."""
    if not chunks:
        return
    table = pa.concat_tables([c.table() for c in chunks], promote_options="default")
    if engine == "spark":
        from sanctions.batch.spark import screen_table as run_spark

        result = run_spark(table, index_path, spec, workers)
    else:
        from sanctions.batch.dask import screen_table as run_dask

        result = run_dask(table, index_path, spec, workers)
    result = result.sort_by([(CHUNK, "ascending"), (LINE, "ascending")])
    import pyarrow.compute as pc

    for chunk in chunks:
        yield chunk.number, result.filter(pc.equal(result[CHUNK], chunk.number))


def run_file(
    job: FileJob,
    index_path: Path,
    lists: Sequence[dict[str, Any]],
    progress: ChunkDone | None = None,
) -> FileSummary:
    """Screen ``job.input`` into ``job.output`` (see the module docstring)."""
    if job.engine not in ENGINES:
        raise SanctionsError(f"unknown engine {job.engine!r}; expected one of {', '.join(ENGINES)}")
    started = time.perf_counter()
    mpath, folder = manifest_path(job.output), parts_dir(job.output)
    header = read_header(index_path)
    fresh: dict[str, Any] = {
        "manifest_version": MANIFEST_VERSION,
        "input": {"path": str(job.input), "format": job.input_format, "sha256": _file_sha256(job.input)},
        "output": {"path": str(job.output), "format": job.output_format},
        "engine": job.engine,
        "workers": job.workers,
        "chunk_rows": job.chunk_rows,
        "lists": list(lists),
        "index": {"file": index_path.name, "payload_sha256": header.payload_sha256},
        "options": job.spec.to_dict(),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "chunks": {},
        "complete": False,
    }
    done: dict[str, Any] = {}
    if job.resume and mpath.is_file():
        old = orjson.loads(mpath.read_bytes())
        same = all(old.get(k) == fresh[k] for k in ("lists", "options", "chunk_rows")) and (
            old.get("index", {}).get("payload_sha256") == header.payload_sha256
        )
        if not same:
            raise SanctionsError(
                f"{mpath}: the earlier run used other lists, options or chunk size; "
                "run without --resume to start again"
            )
        done = {k: v for k, v in old.get("chunks", {}).items() if (folder / f"{int(k):06d}.arrow").is_file()}
        fresh["started"] = old.get("started", fresh["started"])
    elif folder.exists():
        shutil.rmtree(folder)
    manifest = {**fresh, "chunks": dict(done)}
    summary = FileSummary(manifest=mpath)
    _save_manifest(mpath, manifest)
    meta: dict[int, Chunk] = {}  # every chunk, without its rows

    def pending() -> Iterator[Chunk]:
        mapping = dict(job.spec.mapping) or None
        for chunk in read_chunks(job.input, job.input_format, mapping, job.chunk_rows):
            meta[chunk.number] = Chunk(chunk.number, [], chunk.sha256, chunk.first_line, chunk.last_line)
            entry = done.get(str(chunk.number))
            if entry is not None and entry["sha256"] == chunk.sha256:
                summary.chunks_skipped += 1
                if progress:
                    progress(entry["rows"])
                continue
            sizes[chunk.number] = len(chunk.rows)
            yield chunk

    sizes: dict[int, int] = {}
    if job.engine == "local":
        results = _local(pending(), str(index_path), job.spec, job.workers)
    else:
        results = _distributed(job.engine, list(pending()), str(index_path), job.spec, job.workers)
    for number, table in results:
        _write_part(folder, number, table)
        chunk = meta[number]
        manifest["chunks"][str(number)] = {
            "sha256": chunk.sha256,
            "first_line": chunk.first_line,
            "last_line": chunk.last_line,
            "rows": sizes[number],
            **_counts(table, sizes[number]),
        }
        _save_manifest(mpath, manifest)
        if progress:
            progress(sizes[number])
    # An earlier run's chunks beyond the end of the file (since shortened) are not this file's.
    manifest["chunks"] = {k: v for k, v in manifest["chunks"].items() if int(k) in meta}
    numbers = sorted(meta)
    summary.chunks = len(numbers)
    summary.rows_written = write_results(
        (_read_part(folder, n) for n in numbers), job.output, job.output_format
    )
    for n in numbers:
        entry = manifest["chunks"][str(n)]
        summary.hits += entry["hits"]
        summary.with_hits += entry["with_hits"]
        summary.customers += entry["screened_rows"]
        summary.problems.extend(entry["problems"])
    manifest["complete"] = True
    manifest["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    manifest["output"]["sha256"] = _file_sha256(job.output)
    manifest["counts"] = {
        "chunks": summary.chunks,
        "customers": summary.customers,
        "with_hits": summary.with_hits,
        "hits": summary.hits,
        "problems": len(summary.problems),
        "rows_written": summary.rows_written,
    }
    _save_manifest(mpath, manifest)
    shutil.rmtree(folder, ignore_errors=True)
    summary.seconds = time.perf_counter() - started
    return summary
