"""``sanctions scan``: find every listed party named in a document or payment message."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from sanctions import ScanResult, Screener
from sanctions.cli.common import (
    DataDir,
    JsonFlag,
    console,
    emit_json,
    err_console,
    exit_found,
    handle_errors,
    open_screener,
)


def _read_input(file: str) -> tuple[bytes, str]:
    if file == "-":
        return Screener.read_document(sys.stdin.buffer, "<stdin>"), "<stdin>"
    return Screener.read_document(file), file


def _print_table(result: ScanResult) -> None:
    if not result.mentions:
        console.print(f"[green]No listed party found[/green] in {result.stats['source']}.")
    else:
        table = Table(title=f"Listed parties in {result.stats['source']}", show_lines=False)
        for col in ("#", "offsets", "text", "listed party", "lists", "score"):
            table.add_column(col, justify="right" if col in ("#", "score") else "left")
        if any(m.field for m in result.mentions):
            table.add_column("field")
        for n, m in enumerate(result.mentions, 1):
            lists = {m.entity.dataset, *(e.dataset for e, _ in m.alternatives)}
            programs = sorted({x.program for x in m.entity.listings if x.program})
            row = [
                str(n), f"{m.start}-{m.end}", m.text.replace("\n", " "),
                f"{m.entity.caption} [dim]({m.entity.schema.value})[/dim]",
                ", ".join(sorted(lists)) + (f" [dim]{', '.join(programs)}[/dim]" if programs else ""),
                f"{m.score:.2f}",
            ]  # fmt: skip
            if any(x.field for x in result.mentions):
                row.append(m.field or "")
            table.add_row(*row)
        console.print(table)
    s = result.stats
    console.print(
        f"{s['mentions']} mention(s) of {s['entities']} listed part{'y' if s['entities'] == 1 else 'ies'} "
        f"in {s['characters']:,} characters ({s['format']}) at threshold {s['threshold']}."
    )


def register(app: typer.Typer) -> None:
    """Add the ``scan`` command."""

    @app.command("scan")
    @handle_errors
    def scan(
        file: Annotated[str, typer.Argument(help="Document or payment message to scan; - reads stdin.")],
        json_out: JsonFlag = False,
        html: Annotated[Path | None, typer.Option("--html", help="Also write an HTML report here.")] = None,
        threshold: Annotated[
            float | None,
            typer.Option(
                "--threshold",
                min=0.0,
                max=1.0,
                help=f"Lowest mention score kept (default: {Screener.scan_threshold}).",
            ),
        ] = None,
        fmt: Annotated[
            str,
            typer.Option("--format", help="auto, text, html, pdf, docx, mt (SWIFT MT103/202) or pacs008."),
        ] = "auto",
        data_dir: DataDir = None,
    ) -> None:
        """Find every listed party named in a document (text, HTML, PDF, DOCX) or payment message.

        Exit status: 0 no listed party named, 1 some named, 2 bad input or an error.
        """
        Screener.check_scan_format(fmt, file)
        data, source = _read_input(file)
        screener = open_screener(data_dir)
        try:
            result = screener.scan_document(data, source=source, fmt=fmt, threshold=threshold)
        finally:
            screener.close()
        if html is not None:
            html.write_text(Screener.scan_report(result, title=source), encoding="utf-8")
            err_console.print(f"HTML report written to {html}")
        if json_out:
            emit_json(result.to_dict())
        else:
            _print_table(result)
        exit_found(bool(result.mentions))
