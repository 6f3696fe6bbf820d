"""Screening commands: match (one name, or a file of customers or queries) and compare."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from sanctions import Match, MatchOptions, Query, SanctionsError, Screener
from sanctions.cli.common import (
    EXIT_ERROR,
    DataDir,
    JsonFlag,
    console,
    emit_json,
    err_console,
    exit_found,
    handle_errors,
    open_screener,
)
from sanctions.service import FileScreening


def _print_matches(query_name: str, matches: list[Match]) -> None:
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


def _run_batch(
    screener: Screener,
    source: TextIO,
    out: TextIO,
    options: MatchOptions,
    workers: int,
    total: int | None,
    date_format: str | None,
) -> tuple[int, int, int]:
    """Screen every line; (queries, queries with a match, unreadable lines)."""
    count = matched = failed = 0
    columns = (TextColumn("screening"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err_console, disable=not err_console.is_terminal) as bar:
        task = bar.add_task("screening", total=total)
        for result in screener.screen_lines(source, options, workers=workers, date_format=date_format):
            out.write(result.json + "\n")
            count += 1
            matched += result.matched
            failed += result.error
            bar.advance(task)
    return count, matched, failed


def _run_file(screener: Screener, request: FileScreening) -> None:
    """Screen a customer file into OUT, with a progress bar and a summary on stderr; exits."""
    columns = (TextColumn("screening"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err_console, disable=not err_console.is_terminal) as bar:
        task = bar.add_task("screening", total=None)
        summary = screener.screen_file(request, lambda rows: bar.advance(task, rows))
    for problem in summary.problems[:20]:
        err_console.print(f"{request.input}: {problem}", highlight=False, markup=False)
    if len(summary.problems) > 20:
        err_console.print(f"... and {len(summary.problems) - 20:,} more bad rows (see the manifest)")
    resumed = f", {summary.chunks_skipped} chunk(s) done before" if summary.chunks_skipped else ""
    err_console.print(
        f"screened {summary.customers:,} customers on {request.engine}: {summary.with_hits:,} with a hit "
        f"({summary.hits:,} hits), {len(summary.problems):,} bad rows{resumed}; "
        f"{summary.rows_written:,} rows written to {request.output}; manifest {summary.manifest}",
        highlight=False,
        markup=False,
    )
    if summary.problems:
        raise typer.Exit(EXIT_ERROR)
    exit_found(summary.with_hits > 0)


@handle_errors
def match_cmd(
    name: Annotated[
        str | None, typer.Argument(help="The name to screen (or use -i for a file of queries).")
    ] = None,
    schema: Annotated[
        str | None, typer.Option(help="Person, Organization, Company, Vessel, Aircraft.")
    ] = None,
    birth_date: Annotated[
        list[str] | None, typer.Option("--birth-date", help="YYYY[-MM[-DD]], or as --date-format says.")
    ] = None,
    country: Annotated[
        list[str] | None, typer.Option(help="Country name or ISO code (Russia, RUS, ru).")
    ] = None,
    identifier: Annotated[
        list[str] | None, typer.Option("--id", help="Any identifier: tax, IMO, BIC...")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=500, help="Results per query.")] = 5,
    threshold: Annotated[
        float | None,
        typer.Option(
            min=0.0, max=1.0, help="Score from which a result is a MATCH (default: the algorithm's)."
        ),
    ] = None,
    cutoff: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Drop results scoring below this (default: keep the best)."),
    ] = None,
    date_format: Annotated[
        str | None,
        typer.Option(
            "--date-format",
            help="How --birth-date (and batch dates) are written, e.g. %d/%m/%Y (default: ISO).",
        ),
    ] = None,
    algorithm: Annotated[
        str | None, typer.Option(help="Matching algorithm (see `sanctions algorithms`).")
    ] = None,
    dataset: Annotated[list[str] | None, typer.Option(help="Only these lists.")] = None,
    input_file: Annotated[
        Path | None,
        typer.Option(
            "-i",
            "--input",
            help="Customers: CSV, XLSX, Parquet or JSON lines (yente query shape); - for stdin (JSON lines).",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="Results: CSV, XLSX, Parquet or JSON lines, one row per (customer, hit)."
        ),
    ] = None,
    input_format: Annotated[
        str | None,
        typer.Option(
            "--format", help="Input format: csv, xlsx, parquet, jsonl, ftm (default: by extension)."
        ),
    ] = None,
    output_format: Annotated[
        str | None,
        typer.Option(
            "--output-format",
            help="csv, xlsx, parquet, jsonl (rows), or yente (one {id, results} line per query; "
            "the default for JSON lines without -o).",
        ),
    ] = None,
    mapping: Annotated[
        list[str] | None, typer.Option("--map", help="COLUMN=FIELD, e.g. 'Client No=id' (as for books).")
    ] = None,
    include_clear: Annotated[
        bool, typer.Option("--all", help="Also a row for each customer without a hit.")
    ] = False,
    engine: Annotated[
        str, typer.Option(help="local, spark or dask (the extras sanctions[spark], sanctions[dask]).")
    ] = "local",
    resume: Annotated[
        bool, typer.Option(help="Skip the chunks an interrupted run of the same file finished.")
    ] = False,
    chunk_rows: Annotated[
        int, typer.Option("--chunk-rows", min=1, max=1_000_000, help="Customers per chunk (resume unit).")
    ] = 1000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Processes (or engine workers) for -i.")] = 2,
    json: JsonFlag = False,
    data_dir: DataDir = None,
) -> None:
    """Screen a name (or a file of customers) against every loaded list.

    `match -i customers.csv -o hits.csv` writes one row per (customer, hit) and a manifest
    beside it (hits.csv.manifest.json). Exit status: 0 no match, 1 a match (for any customer
    of a file), 2 bad input or an error (a file with bad rows exits 2 after screening the
    other rows, which are listed with their line numbers).
    """
    screener = open_screener(data_dir)
    options = MatchOptions(
        limit=limit,
        threshold=threshold,
        cutoff=cutoff,
        algorithm=screener.algorithm(algorithm).name,
        datasets=screener.check_datasets(dataset),
    )
    if input_file is not None:
        if str(input_file) != "-" and not input_file.is_file():
            raise SanctionsError(f"{input_file}: no such file")
        yente = output_format == "yente" or (
            output is None
            and output_format is None
            and (str(input_file) == "-" or screener.customer_file_format(input_file, input_format) == "jsonl")
        )
        if not yente:
            if output is None:
                raise SanctionsError("give -o OUT (.csv, .xlsx, .parquet, .jsonl) for the results")
            if str(input_file) == "-":
                raise SanctionsError("stdin takes yente JSON lines only; give a file for rows output")
            request = FileScreening(
                input_file,
                output,
                input_format=input_format,
                output_format=output_format,
                mapping=screener.parse_mapping(mapping or []),
                options=options,
                include_clear=include_clear,
                engine=engine,
                workers=workers,
                resume=resume,
                chunk_rows=chunk_rows,
            )
            _run_file(screener, request)
        if str(input_file) != "-" and screener.customer_file_format(input_file, input_format) != "jsonl":
            raise SanctionsError(
                "--output-format yente reads JSON lines queries; this file is not JSON lines"
            )
        if engine != "local" or resume or include_clear or mapping:
            raise SanctionsError("--engine, --resume, --all and --map write rows: give -o OUT")
        source = sys.stdin if str(input_file) == "-" else input_file.open(encoding="utf-8")
        total = (
            None
            if source is sys.stdin
            else sum(1 for line in input_file.open(encoding="utf-8") if line.strip())
        )
        out = sys.stdout if output is None else output.open("w", encoding="utf-8")
        try:
            count, matched, failed = _run_batch(screener, source, out, options, workers, total, date_format)
        finally:
            if out is not sys.stdout:
                out.close()
        err_console.print(f"screened {count:,} queries: {matched:,} with a match, {failed:,} unreadable")
        if failed:
            raise typer.Exit(EXIT_ERROR)
        exit_found(matched > 0)
    if not name:
        raise SanctionsError("give a NAME to screen, or -i QUERIES.jsonl")
    query = Query.from_fields(
        name,
        schema=schema,
        birth_date=birth_date or (),
        country=country or (),
        identifier=identifier or (),
        date_format=date_format,
    )
    matches = screener.match(query, options)
    if json:
        emit_json(
            {
                "query": {"schema": query.schema, "properties": query.properties},
                "results": [m.to_dict() for m in matches],
            }
        )
    else:
        _print_matches(name, matches)
    exit_found(any(m.match for m in matches))


@handle_errors
def compare_cmd(
    name_a: Annotated[str, typer.Argument(help="First name.")],
    name_b: Annotated[str, typer.Argument(help="Second name.")],
    schema: Annotated[str | None, typer.Option(help="Schema of both (default: any).")] = None,
    algorithm: Annotated[str | None, typer.Option(help="Matching algorithm.")] = None,
    json: JsonFlag = False,
) -> None:
    """Score two names against each other and explain the score."""
    a = Query.from_fields(name_a, schema=schema)
    b = Query.from_fields(name_b, schema=schema)
    score = Screener.compare(a, b, algorithm)
    if json:
        emit_json({"a": name_a, "b": name_b, **score.to_dict()})
        return
    verdict = "[bold red]MATCH[/bold red]" if score.match else "[green]no match[/green]"
    console.print(f"{name_a!r} vs {name_b!r}: score {score.score:.3f} → {verdict}")
    for x in score.explanations:
        console.print(f"  {x.feature}: {x.value:+.3f} × {x.weight:g} — {x.detail}", highlight=False)


@handle_errors
def algorithms_cmd(json: JsonFlag = False) -> None:
    """List the matching algorithms with their default thresholds."""
    default = Screener.algorithm().name
    rows = [
        {"name": a.name, "description": a.description, "threshold": a.threshold, "default": a.name == default}
        for a in Screener.algorithms()
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
