"""Ownership and exposure commands: ``sanctions ownership`` and ``sanctions exposure``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
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
from sanctions.errors import SanctionsError
from sanctions.graph import resolve_ownership, with_file_ids
from sanctions.graph.exposure import ExposureResult
from sanctions.graph.model import build_graph
from sanctions.graph.ownership import Decision
from sanctions.graph.rules import configure_rules
from sanctions.model import Entity, Relation
from sanctions.sources import ParseContext, get_parser
from sanctions.sources.relations_csv import parse_relations

Jurisdictions = Annotated[
    str, typer.Option("--jurisdiction", "-j", help="Rules to apply, comma-separated: us, eu, gb.")
]
RuleSettings = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="Change a rule: gb.aggregate=yes, eu.aggregate=no, eu.control=no, eu.listed=eu,un,be.",
    ),
]
AsOf = Annotated[
    str | None, typer.Option("--as-of", help="Date (ISO) the relations must be in force on (default: today).")
]


def read_records(path: Path, dataset: str | None = None) -> list[Entity | Relation]:
    """Entities and relations of a graph file: FtM JSON lines, or a relations CSV (``.csv``)."""
    if not path.exists():
        raise SanctionsError(f"{path}: no such file")
    name = dataset or path.name.split(".")[0] or "graph"
    if path.suffix.lower() == ".csv":
        return list(parse_relations(path, name))
    ctx = ParseContext(path=path, dataset=name)
    records = list(get_parser("ftm")(ctx))
    for warning in ctx.warnings[:5]:
        err_console.print(f"[yellow]warning[/yellow]: {warning}", highlight=False)
    return records


def _cell(decision: Decision) -> str:
    if decision.listed:
        return "[bold red]listed[/bold red]"
    if decision.blocked is None:
        return "[yellow]possibly blocked[/yellow]"
    if decision.blocked:
        return f"[red]blocked ({decision.basis})[/red]"
    return "[green]clear[/green]"


def _why(decisions: dict[str, Decision]) -> str:
    for decision in decisions.values():
        for path in decision.paths:
            hops = " → ".join(p["caption"] for p in path.path)
            shares = ", ".join("?" if s is None else f"{s:g} %" for s in path.shares)
            return f"{hops} ({shares})"
    return ""


@handle_errors
def ownership(
    input_path: Annotated[
        Path, typer.Option("--input", "-i", help="Graph file: FtM JSON lines or relations CSV.")
    ],
    jurisdiction: Jurisdictions = "us,eu,gb",
    settings: RuleSettings = None,
    as_of: AsOf = None,
    show_all: Annotated[bool, typer.Option("--all", help="List clear parties too (table only).")] = False,
    json_out: JsonFlag = False,
) -> None:
    """Who in a graph file is blocked under each jurisdiction's ownership rule, and why."""
    rules = configure_rules(jurisdiction, settings)
    # Answer in the file's own ids, not the <file name>-prefixed ids parsing makes.
    graph = build_graph(with_file_ids(read_records(input_path)), as_of=as_of)
    decisions = resolve_ownership(graph, rules)
    if json_out:
        emit_json(
            [
                {
                    "id": entity_id,
                    "caption": graph.caption(graph.node(entity_id)),
                    "jurisdictions": {code: d.to_dict() for code, d in by_rule.items()},
                }
                for entity_id, by_rule in decisions.items()
            ]
        )
        return
    table = Table(title=f"Ownership: {input_path.name}", show_lines=False)
    table.add_column("party")
    for rule in rules:
        table.add_column(rule.code.upper())
    table.add_column("why (first path)")
    shown = 0
    for entity_id, by_rule in decisions.items():
        if not show_all and all(not d.listed and d.blocked is False for d in by_rule.values()):
            continue
        shown += 1
        table.add_row(
            graph.caption(graph.node(entity_id)), *(_cell(by_rule[r.code]) for r in rules), _why(by_rule)
        )
    console.print(table)
    console.print(
        f"{shown} of {len(decisions)} parties shown" + ("" if show_all else " (clear ones hidden; --all)")
    )


def _print_exposure(result: ExposureResult) -> None:
    start = ", ".join(result.parties[s].caption for s in result.start if s in result.parties)
    colour = "green" if result.status == "clear" else "red"
    console.print(
        f"[bold]{start}[/bold]: [{colour}]{result.status.replace('_', ' ')}[/{colour}] (depth {result.depth})"
    )
    table = Table(show_lines=True)
    for column in ("class", "path", "listed party", "lists"):
        table.add_column(column)
    for path in result.paths:
        steps = [result.parties[path.parties[0]].caption]
        for hop, party in zip(path.hops, path.parties[1:], strict=True):
            share = f" {hop.share:g} %" if hop.share is not None else ""
            arrow = f"←{hop.relation}{share}─" if hop.upward else f"─{hop.relation}{share}→"
            steps.append(f"{arrow} {result.parties[party].caption}")
        target = result.parties[path.target]
        lists = "\n".join(
            f"{item['authority'].upper()} {item.get('program') or ''} {item.get('listed_on') or ''}".strip()
            for item in target.listings
        )
        records = [r for r in target.records if r["score"] is not None]
        matched = "\n".join(f"{r['caption']} ({r['dataset']}, score {r['score']:.2f})" for r in records)
        label = path.classification + ("" if path.certain else " (possibly)")
        table.add_row(label, " ".join(steps), matched or target.caption, lists or target.status)
    if result.paths:
        console.print(table)
    for warning in result.warnings:
        err_console.print(f"[yellow]warning[/yellow]: {warning}", highlight=False)


@handle_errors
def exposure(
    party: Annotated[
        str, typer.Argument(help="A name from the relations file, a name to screen, or an entity id.")
    ],
    relations: Annotated[
        Path | None, typer.Option("--relations", "-r", help="Relations CSV or FtM file.")
    ] = None,
    depth: Annotated[int, typer.Option("--depth", "-d", min=1, max=6, help="Hops to follow.")] = 2,
    screen: Annotated[
        bool,
        typer.Option("--screen/--no-screen", help="Link the file's parties to listed ones by screening."),
    ] = True,
    svg: Annotated[Path | None, typer.Option("--svg", help="Write the exposure graph as SVG here.")] = None,
    jurisdiction: Jurisdictions = "us,eu,gb",
    settings: RuleSettings = None,
    as_of: AsOf = None,
    data_dir: DataDir = None,
    json_out: JsonFlag = False,
) -> None:
    """Every path from a party to listed parties within N hops: blocked, controlled or exposed."""
    rules = configure_rules(jurisdiction, settings)
    records = read_records(relations, "relations") if relations else []
    screener = open_screener(data_dir)
    try:
        result = screener.exposure(party, records, rules=rules, depth=depth, screen=screen, as_of=as_of)
    finally:
        screener.close()
    if svg is not None:
        from sanctions.graph.svg import render_exposure

        svg.write_text(render_exposure(result), encoding="utf-8")
        err_console.print(f"SVG written to {svg}")
    if json_out:
        emit_json(result.to_dict())
    else:
        _print_exposure(result)


def register(app: typer.Typer) -> None:
    """Add the ownership and exposure commands."""
    app.command("ownership")(ownership)
    app.command("exposure")(exposure)
