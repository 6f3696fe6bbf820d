"""Screening commands: match (one name or a JSON-lines file of queries) and compare."""

from __future__ import annotations

import gc
import multiprocessing
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import orjson
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from sanctions.cli.common import (
    DataDir,
    JsonFlag,
    console,
    emit_json,
    err_console,
    handle_errors,
    open_screener,
)
from sanctions.errors import QueryError, SanctionsError

if TYPE_CHECKING:
    from sanctions.matching import Match, Query
    from sanctions.service import Screener


def match_to_dict(m: Match) -> dict[str, Any]:
    """One result in the shape of `sanctions match --json` (yente's result fields plus listings)."""
    return {
        "id": m.entity.id,
        "caption": m.entity.caption,
        "schema": str(m.entity.schema),
        "score": round(m.score, 4),
        "match": m.match,
        "datasets": m.datasets,
        "listings": [
            {"dataset": ds, "authority": lst.authority, "program": lst.program, "listed_on": lst.listed_on}
            for ds, lst in m.listings
        ],
        "related": [e.id for e in m.related],
        "features": {k: round(v, 4) for k, v in m.features.items()},
        "explanations": [
            {"feature": x.feature, "weight": x.weight, "value": round(x.value, 4), "detail": x.detail}
            for x in m.explanations
        ],
    }


def _query(
    name: str, schema: str | None, birth_date: list[str], country: list[str], identifier: list[str]
) -> Query:
    from sanctions.matching import Query

    props: dict[str, list[str]] = {"name": [name]}
    if birth_date:
        props["birthDate"] = birth_date
    if country:
        props["country"] = country
    if identifier:
        props["idNumber"] = identifier
    return Query.from_dict({"schema": schema or "Thing", "properties": props})


def _print_matches(query_name: str, matches: list[Match], threshold: float | None) -> None:
    if not matches:
        console.print(f"No candidates for [bold]{query_name}[/bold].")
        return
    table = Table(title=f"Screening: {query_name}", title_justify="left")
    for col, justify in (
        ("score", "right"),
        ("match", "center"),
        ("listed party", "left"),
        ("type", "left"),
        ("lists · programs · dates", "left"),
        ("why", "left"),
    ):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for m in matches:
        listings = "\n".join(
            " · ".join(x for x in (ds, lst.program, lst.listed_on) if x) for ds, lst in m.listings
        )
        why = "\n".join(f"{x.detail}" for x in m.explanations[:4])
        table.add_row(
            f"{m.score:.2f}",
            "[bold red]MATCH[/bold red]" if m.match else "[dim]no[/dim]",
            f"{m.entity.caption}\n[dim]{m.entity.id}[/dim]",
            str(m.entity.schema),
            listings,
            why,
        )
    console.print(table)


# -- batch mode ------------------------------------------------------------------------------------
_WORKER: Screener | None = None
_OPTIONS: dict[str, Any] = {}


def _screen_line(line: str) -> str:
    """Screen one JSON query line in a worker; returns the result line."""
    from sanctions.matching import Query

    assert _WORKER is not None
    try:
        data = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        return orjson.dumps({"id": None, "error": f"invalid JSON: {exc}"}).decode()
    qid = data.get("id") if isinstance(data, dict) else None
    try:
        query = Query.from_dict(data)
        matches = _WORKER.match(query, **_OPTIONS)
    except QueryError as exc:
        return orjson.dumps({"id": qid, "error": str(exc)}).decode()
    return orjson.dumps({"id": qid, "results": [match_to_dict(m) for m in matches]}).decode()


def _lines(stream: TextIO) -> Iterator[str]:
    for line in stream:
        if line.strip():
            yield line


def _run_batch(screener: Screener, source: TextIO, out: TextIO, workers: int, total: int | None) -> int:
    global _WORKER
    _WORKER = screener
    _ = screener.index  # build before forking: workers share it (and the text tables) copy-on-write
    count = 0
    columns = (TextColumn("screening"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err_console, disable=not err_console.is_terminal) as bar:
        task = bar.add_task("screening", total=total)
        if workers > 1:
            ctx = multiprocessing.get_context("fork")
            gc.collect()
            gc.freeze()  # workers must not write reference counts' GC headers all over the index
            try:
                with ctx.Pool(workers) as pool:
                    for result in pool.imap(_screen_line, _lines(source), chunksize=64):
                        out.write(result + "\n")
                        count += 1
                        bar.advance(task)
            finally:
                gc.unfreeze()
        else:
            for line in _lines(source):
                out.write(_screen_line(line) + "\n")
                count += 1
                bar.advance(task)
    return count


@handle_errors
def match_cmd(
    name: Annotated[
        str | None, typer.Argument(help="The name to screen (or use -i for a file of queries).")
    ] = None,
    schema: Annotated[
        str | None, typer.Option(help="Person, Organization, Company, Vessel, Aircraft.")
    ] = None,
    birth_date: Annotated[list[str] | None, typer.Option("--birth-date", help="YYYY[-MM[-DD]].")] = None,
    country: Annotated[list[str] | None, typer.Option(help="Country name or ISO code.")] = None,
    identifier: Annotated[
        list[str] | None, typer.Option("--id", help="Any identifier: tax, IMO, BIC...")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=500, help="Results per query.")] = 5,
    threshold: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="Match threshold (default: the algorithm's).")
    ] = None,
    algorithm: Annotated[
        str | None, typer.Option(help="Matching algorithm (see `sanctions algorithms`).")
    ] = None,
    dataset: Annotated[list[str] | None, typer.Option(help="Only these lists.")] = None,
    input_file: Annotated[
        Path | None, typer.Option("-i", "--input", help="JSON-lines queries (yente shape); - for stdin.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Where to write JSON-lines results.")
    ] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Processes for -i batches.")] = 2,
    json: JsonFlag = False,
    data_dir: DataDir = None,
) -> None:
    """Screen a name (or a file of queries) against every loaded list."""
    screener = open_screener(data_dir)
    options = {
        "limit": limit,
        "threshold": threshold,
        "algorithm": algorithm,
        "datasets": set(dataset) if dataset else None,
    }
    if input_file is not None:
        _OPTIONS.clear()
        _OPTIONS.update(options)
        source = sys.stdin if str(input_file) == "-" else input_file.open(encoding="utf-8")
        total = (
            None
            if source is sys.stdin
            else sum(1 for line in input_file.open(encoding="utf-8") if line.strip())
        )
        out = sys.stdout if output is None else output.open("w", encoding="utf-8")
        try:
            count = _run_batch(screener, source, out, workers, total)
        finally:
            if out is not sys.stdout:
                out.close()
        err_console.print(f"screened {count:,} queries")
        return
    if not name:
        raise SanctionsError("give a NAME to screen, or -i QUERIES.jsonl")
    query = _query(name, schema, birth_date or [], country or [], identifier or [])
    matches = screener.match(query, **options)  # type: ignore[arg-type]
    if json:
        emit_json(
            {
                "query": {"schema": query.schema, "properties": query.properties},
                "results": [match_to_dict(m) for m in matches],
            }
        )
    else:
        _print_matches(name, matches, threshold)


@handle_errors
def compare_cmd(
    name_a: Annotated[str, typer.Argument(help="First name.")],
    name_b: Annotated[str, typer.Argument(help="Second name.")],
    schema: Annotated[str | None, typer.Option(help="Schema of both (default: any).")] = None,
    algorithm: Annotated[str | None, typer.Option(help="Matching algorithm.")] = None,
    json: JsonFlag = False,
) -> None:
    """Score two names against each other and explain the score."""
    from sanctions.matching import DEFAULT_ALGORITHM, Query, compare

    a = Query.from_dict({"schema": schema or "Thing", "properties": {"name": [name_a]}})
    b = Query.from_dict({"schema": schema or "Thing", "properties": {"name": [name_b]}})
    score = compare(a, b, algorithm=algorithm or DEFAULT_ALGORITHM)
    if json:
        emit_json(
            {
                "a": name_a,
                "b": name_b,
                "score": round(score.score, 4),
                "match": score.match,
                "features": score.features,
                "explanations": [
                    {"feature": x.feature, "weight": x.weight, "value": x.value, "detail": x.detail}
                    for x in score.explanations
                ],
            }
        )
        return
    verdict = "[bold red]MATCH[/bold red]" if score.match else "[green]no match[/green]"
    console.print(f"{name_a!r} vs {name_b!r}: score {score.score:.3f} → {verdict}")
    for x in score.explanations:
        console.print(f"  {x.feature}: {x.value:+.3f} × {x.weight:g} — {x.detail}", highlight=False)


@handle_errors
def algorithms_cmd(json: JsonFlag = False) -> None:
    """List the matching algorithms with their default thresholds."""
    from sanctions.matching import ALGORITHMS, DEFAULT_ALGORITHM

    rows = [
        {
            "name": a.name,
            "description": a.description,
            "threshold": a.threshold,
            "default": a.name == DEFAULT_ALGORITHM,
        }
        for a in ALGORITHMS.values()
    ]
    if json:
        emit_json(rows)
        return
    for row in rows:
        star = " (default)" if row["default"] else ""
        console.print(
            f"[bold]{row['name']}[/bold]{star}: threshold {row['threshold']} — {row['description']}"
        )


def register(app: typer.Typer) -> None:
    """Attach the screening commands."""
    app.command("match")(match_cmd)
    app.command("compare")(compare_cmd)
    app.command("algorithms")(algorithms_cmd)
