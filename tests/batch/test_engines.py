"""Spark (``local[2]``) and Dask (a LocalCluster of 2 workers) give exactly the local hits.

The engines are the ``[spark]`` and ``[dask]`` extras; ``make test`` installs both (the
``test`` extra), so these run there. They are skipped, saying why, only where one is missing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from sanctions.batch import BatchSpec, screen_batch
from sanctions.batch.files import read_chunks
from sanctions.matching import MatchOptions
from sanctions.service import FileScreening, Screener
from tests.batch.conftest import CUSTOMERS, MAPPING

SPEC = BatchSpec(mapping=tuple(MAPPING.items()), include_clear=True)
KEY = ["_line", "customer_id", "entity_id"]
JAVA_17 = Path("/usr/lib/jvm/java-17-openjdk-amd64")


def _customers() -> pa.Table:
    chunks = list(read_chunks(CUSTOMERS, None, MAPPING, 1000))
    return pa.concat_tables([c.table() for c in chunks]).drop_columns(["_chunk"])


def _sorted(table: pa.Table) -> list[dict[str, Any]]:
    rows = table.select([n for n in table.schema.names if n != "_chunk"]).to_pylist()
    return sorted(rows, key=lambda r: (r["_line"], r["entity_id"] or ""))


@pytest.fixture(scope="module")
def local_result(un_index: Path) -> list[dict[str, Any]]:
    table = _customers()
    result = _sorted(pa.Table.from_batches([screen_batch(table, str(un_index), SPEC)]))
    assert sum(1 for r in result if r["match"]) >= 5 and any(r["_problem"] for r in result)
    return result


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark", reason="pyspark not installed (pip install sanctions[spark])")
    if not os.environ.get("JAVA_HOME") and shutil.which("java") is None and JAVA_17.is_dir():
        os.environ["JAVA_HOME"] = str(JAVA_17)
    from sanctions.batch.spark import local_session

    session = local_session(2)
    yield session
    session.stop()


@pytest.fixture(scope="module")
def dask_client() -> Iterator[Any]:
    pytest.importorskip("dask.dataframe", reason="dask not installed (pip install sanctions[dask])")
    pytest.importorskip("distributed", reason="distributed not installed (pip install sanctions[dask])")
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):
        yield client


def test_spark_gives_the_local_hits(spark: Any, un_index: Path, local_result: list[dict[str, Any]]) -> None:
    from sanctions.batch.spark import screen

    df = spark.createDataFrame(_customers()).repartition(2)
    result = screen(df, str(un_index), SPEC).toArrow()
    assert _sorted(result) == local_result


def test_dask_gives_the_local_hits(
    dask_client: Any, un_index: Path, local_result: list[dict[str, Any]]
) -> None:
    import dask.dataframe as dd

    from sanctions.batch.dask import screen

    ddf = dd.from_pandas(_customers().to_pandas(), npartitions=2)
    frame = screen(ddf, str(un_index), SPEC).compute()
    assert _sorted(pa.Table.from_pandas(frame, preserve_index=False)) == local_result


@pytest.mark.parametrize("engine", ["spark", "dask"])
def test_match_engine_writes_the_local_file(
    engine: str, un_screener: Screener, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    request.getfixturevalue("spark" if engine == "spark" else "dask_client")
    options = MatchOptions(limit=5)
    local = FileScreening(CUSTOMERS, tmp_path / "local.csv", mapping=MAPPING, options=options, chunk_rows=20)
    un_screener.screen_file(local)
    from dataclasses import replace

    other = replace(local, output=tmp_path / f"{engine}.csv", engine=engine, workers=2)
    summary = un_screener.screen_file(other)
    assert summary.with_hits >= 5 and len(summary.problems) == 1
    assert (tmp_path / f"{engine}.csv").read_text() == (tmp_path / "local.csv").read_text()
