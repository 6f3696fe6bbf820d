"""Monitoring commands: `book import|list|show|screen|coverage|remove`, `alerts`, `webhooks`.

Exit codes: 0 done; 2 bad input (an unreadable file, rows rejected from an import, an unknown
book or customer, a bad --map); 1 any other error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from sanctions.cli.common import (
    DataDir,
    JsonFlag,
    console,
    emit_json,
    err_console,
    handle_errors,
    local_screener,
    open_screener,
)
from sanctions.errors import QueryError
from sanctions.service import Screener

NoRescreen = Annotated[
    bool,
    typer.Option(
        "--no-rescreen", help="Do not re-screen the books now (the next load or `book screen` does)."
    ),
]

book_app = typer.Typer(help="Customer books kept screened as the lists change.", no_args_is_help=True)
alerts_app = typer.Typer(help="Alerts raised on books: list them, or follow their changes.")
webhooks_app = typer.Typer(
    help="Push alert events to HTTP endpoints (signed, retried).", no_args_is_help=True
)


def _screener(data_dir: Path | None) -> Screener:
    return local_screener(data_dir)


def _run_line(run: dict[str, Any]) -> str:
    return (
        f"run {run['id']} ({run['kind']}): {run['customers']:,} customers, {run['pairs']:,} pairs scored, "
        f"{run['hits']:,} hits; alerts: {run['alerts_new']} new, {run['alerts_changed']} changed, "
        f"{run['alerts_delisted']} delisted, {run['alerts_closed']} closed"
    )


@book_app.command("import")
@handle_errors
def import_cmd(
    name: Annotated[str, typer.Argument(help="The book (created on first import).")],
    path: Annotated[Path, typer.Argument(help="CSV, XLSX, Parquet, JSON lines or FtM file.")],
    mapping: Annotated[
        list[str] | None,
        typer.Option("--map", help="COLUMN=FIELD (e.g. 'Client No=id'); FIELD '-' drops it."),
    ] = None,
    fmt: Annotated[str | None, typer.Option("--format", help="csv, xlsx, parquet, jsonl or ftm.")] = None,
    remove_missing: Annotated[
        bool, typer.Option("--remove-missing", help="Remove customers not in the file (the book mirrors it).")
    ] = False,
    json: JsonFlag = False,
    data_dir: DataDir = None,
) -> None:
    """Upsert customers by id and screen those added or changed at once."""
    parsed = Screener.parse_mapping(mapping or [])
    screener = open_screener(data_dir)
    result = screener.book_import(name, path, fmt=fmt, mapping=parsed or None, remove_missing=remove_missing)
    if json:
        emit_json(result.to_dict())
    else:
        console.print(
            f"book {name}: {result.added:,} added, {result.updated:,} updated, "
            f"{result.unchanged:,} unchanged, {result.removed:,} removed"
        )
        if result.run is not None:
            console.print(_run_line(result.run.to_dict()))
    for problem in result.problems[:50]:
        err_console.print(f"[yellow]rejected[/yellow] {path}: {problem}", highlight=False)
    if result.problems:
        err_console.print(f"{len(result.problems)} row(s) rejected; the others were imported")
        raise typer.Exit(2)


@book_app.command("list")
@handle_errors
def list_cmd(json: JsonFlag = False, data_dir: DataDir = None) -> None:
    """Every book with its size and open alerts."""
    books = _screener(data_dir).books()
    if json:
        emit_json(books)
        return
    table = Table("book", "customers", "open alerts", "algorithm", "threshold", "last run")
    for b in books:
        last = b["last_run"]
        table.add_row(
            b["name"],
            f"{b['customers']:,}",
            f"{b['open_alerts']:,}",
            b["algorithm"],
            str(b["threshold"]),
            f"{last['kind']} {last['finished_at'] or 'unfinished'}" if last else "-",
        )
    console.print(table)


@book_app.command("show")
@handle_errors
def show_cmd(name: str, json: JsonFlag = False, data_dir: DataDir = None) -> None:
    """A book: settings, size, open alerts, recent runs and coverage."""
    book = _screener(data_dir).book(name)
    if json:
        emit_json(book)
        return
    console.print(
        f"[bold]{book['name']}[/bold]: {book['customers']:,} customers, {book['open_alerts']:,} open alerts "
        f"({book['algorithm']} at {book['threshold']})"
    )
    for run in book["runs"]:
        console.print("  " + _run_line(run), highlight=False)
    _print_coverage(book["coverage"])


@book_app.command("screen")
@handle_errors
def screen_cmd(
    name: str,
    algorithm: Annotated[str | None, typer.Option(help="Switch the book to this algorithm.")] = None,
    threshold: Annotated[float | None, typer.Option(help="Switch the book to this threshold.")] = None,
    json: JsonFlag = False,
    data_dir: DataDir = None,
) -> None:
    """Screen the whole book again (resumes an interrupted run with the same settings)."""
    if threshold is not None and not 0 < threshold <= 1:
        raise QueryError("--threshold is in (0, 1]")
    run = open_screener(data_dir).book_screen(name, algorithm=algorithm, threshold=threshold)
    emit_json(run.to_dict()) if json else console.print(_run_line(run.to_dict()))


@book_app.command("coverage")
@handle_errors
def coverage_cmd(name: str, json: JsonFlag = False, data_dir: DataDir = None) -> None:
    """Which version of each list every customer was last screened against."""
    report = _screener(data_dir).book_coverage(name)
    if json:
        emit_json(report)
        return
    _print_coverage(report)


def _print_coverage(report: dict[str, Any]) -> None:
    table = Table("list", "current version", "customers at current", "behind", "never screened")
    for item in report["lists"]:
        behind = ", ".join(f"v{v}: {n:,}" for v, n in item["customers_behind"].items()) or "-"
        table.add_row(
            item["dataset"],
            str(item["current_version"]),
            f"{item['customers_at_current']:,}",
            behind,
            f"{item['customers_never_screened']:,}",
        )
    console.print(table)
    verdict = "[green]complete[/green]" if report["complete"] else "[red]incomplete[/red]"
    console.print(f"{report['customers']:,} customers; coverage {verdict}")


@book_app.command("remove")
@handle_errors
def remove_cmd(
    name: str,
    ids: Annotated[list[str], typer.Argument(help="Customer ids.")],
    json: JsonFlag = False,
    data_dir: DataDir = None,
) -> None:
    """Take customers out of a book; their open alerts close."""
    run = _screener(data_dir).book_remove(name, ids)
    emit_json(run.to_dict()) if json else console.print(
        f"removed {len(ids)} customer(s); " + _run_line(run.to_dict())
    )


@alerts_app.callback(invoke_without_command=True)
@handle_errors
def alerts_cmd(
    ctx: typer.Context,
    book: Annotated[str | None, typer.Option(help="Only this book.")] = None,
    state: Annotated[str, typer.Option(help="open, delisted, closed or all.")] = "open",
    limit: Annotated[int | None, typer.Option(help="At most this many.")] = None,
    json: JsonFlag = False,
    data_dir: DataDir = None,
) -> None:
    """List alerts (newest change first)."""
    if ctx.invoked_subcommand is not None:
        return
    found = _screener(data_dir).alerts(book=book, state=state, limit=limit)
    if json:
        emit_json(found)
        return
    table = Table("id", "book", "customer", "listed party", "lists", "score", "state", "reason", "updated")
    for a in found:
        table.add_row(
            str(a["id"]),
            a["book"],
            f"{a['customer']} ({a['customer_id']})",
            f"{a['caption']} ({a['entity_id']})",
            ", ".join(a["datasets"]),
            f"{a['score']:.2f}",
            a["state"],
            a["reason"],
            a["updated_at"],
        )
    console.print(table)


@alerts_app.command("changes")
@handle_errors
def changes_cmd(
    since: Annotated[int, typer.Option(help="The cursor of the last event seen (0: from the start).")] = 0,
    limit: Annotated[int, typer.Option(help="At most this many events.")] = 1000,
    data_dir: DataDir = None,
) -> None:
    """Alert events after a cursor, as JSON: {"events": [...], "cursor": N}."""
    events, cursor = _screener(data_dir).alert_changes(since, limit)
    emit_json({"events": events, "cursor": cursor})


@webhooks_app.command("add")
@handle_errors
def webhook_add_cmd(
    url: str,
    book: Annotated[str | None, typer.Option(help="Only events of this book.")] = None,
    secret: Annotated[str | None, typer.Option(help="whsec_... (default: a new random one).")] = None,
    data_dir: DataDir = None,
) -> None:
    """Register an endpoint; prints its signing secret, once."""
    emit_json(_screener(data_dir).webhook_add(url, book=book, secret=secret))


@webhooks_app.command("list")
@handle_errors
def webhook_list_cmd(json: JsonFlag = False, data_dir: DataDir = None) -> None:
    """Endpoints with their pending, delivered and dead messages."""
    hooks = _screener(data_dir).webhook_list()
    if json:
        emit_json(hooks)
        return
    table = Table("id", "url", "book", "pending", "delivered", "dead")
    for h in hooks:
        table.add_row(
            str(h["id"]), h["url"], h["book"] or "*", str(h["pending"]), str(h["delivered"]), str(h["dead"])
        )
    console.print(table)


@webhooks_app.command("remove")
@handle_errors
def webhook_remove_cmd(webhook_id: int, data_dir: DataDir = None) -> None:
    """Stop sending to an endpoint."""
    _screener(data_dir).webhook_remove(webhook_id)
    console.print(f"webhook {webhook_id} removed")


@webhooks_app.command("rotate")
@handle_errors
def webhook_rotate_cmd(webhook_id: int, data_dir: DataDir = None) -> None:
    """Sign with a new secret too (printed once); the previous one signs until the next rotation."""
    emit_json(_screener(data_dir).webhook_rotate(webhook_id))


@webhooks_app.command("replay")
@handle_errors
def webhook_replay_cmd(
    webhook_id: int,
    since: Annotated[
        int | None, typer.Option(help="Every message after this event cursor (default: dead ones).")
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Queue dead messages (or all after an event) for delivery again."""
    count = _screener(data_dir).webhook_replay(webhook_id, since_seq=since)
    console.print(f"{count} message(s) queued again")


@webhooks_app.command("deliver")
@handle_errors
def webhook_deliver_cmd(data_dir: DataDir = None) -> None:
    """Send the messages that are due, once (run it from cron, or let `serve` do it)."""
    report = _screener(data_dir).webhook_deliver()
    emit_json(report.to_dict())


def rescreen_after_load(screener: Screener, versions: list[Any], rescreen: bool) -> None:
    """After `load` or `update`: re-screen every book against what changed (unless deferred)."""
    if not versions or not screener.books():
        return
    if not rescreen:
        err_console.print("books not re-screened (--no-rescreen): the next load or `book screen` catches up")
        return
    for run in screener.rescreen_books(versions):
        console.print(f"book {run.book}: " + _run_line(run.to_dict()), highlight=False)


def register(app: typer.Typer) -> None:
    """Attach the monitoring commands."""
    app.add_typer(book_app, name="book")
    app.add_typer(alerts_app, name="alerts")
    app.add_typer(webhooks_app, name="webhooks")
