"""List management commands: load, update, lists, show, diff, export."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn
from rich.table import Table

from sanctions import Entity, ListVersion, NotFoundError, SanctionsError, Screener
from sanctions.cli.books import NoRescreen, rescreen_after_load
from sanctions.cli.common import (
    DataDir,
    JsonFlag,
    console,
    emit_json,
    err_console,
    handle_errors,
    local_screener,
    open_screener,
    settings_for,
    warn_stale,
)


def _print_loaded(version: ListVersion) -> None:
    console.print(
        f"[green]loaded[/green] {version.dataset}: {version.entities:,} entities, {version.names:,} names, "
        f"{version.relations:,} relations (version {version.id}, published {version.published or 'unknown'})"
    )
    if version.warnings:
        err_console.print(f"[yellow]{len(version.warnings)} warnings[/yellow], first ones:")
        for warning in version.warnings[:5]:
            err_console.print(f"  {warning}", highlight=False)


@handle_errors
def load_cmd(
    source: Annotated[str, typer.Argument(help=f"Source format: {', '.join(Screener.source_formats())}.")],
    path: Annotated[Path, typer.Argument(help="The file, or a folder with the publisher's set of files.")],
    dataset: Annotated[str | None, typer.Option(help="Dataset name (required for ftm and csv).")] = None,
    published: Annotated[
        str | None, typer.Option(help="Publication date (ISO) when the file lacks it.")
    ] = None,
    no_rescreen: NoRescreen = False,
    force: Annotated[
        bool, typer.Option("--force", help="Load even if it drops many entities or goes back in time.")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Load a list from local files as a new version (atomic: a bad file changes nothing)."""
    screener = local_screener(data_dir)
    with err_console.status(f"loading {path}"):
        version = screener.load(source, path, dataset=dataset, published=published, force=force)
    _print_loaded(version)
    rescreen_after_load(screener, [version], not no_rescreen)


@handle_errors
def update_cmd(
    from_dir: Annotated[
        Path | None, typer.Option("--from", help="Load from a local folder instead of downloading.")
    ] = None,
    bundled: Annotated[
        bool, typer.Option("--bundled", help="(Re)load the snapshot shipped with the package.")
    ] = False,
    source: Annotated[list[str] | None, typer.Option("--source", "-s", help="Only these sources.")] = None,
    no_rescreen: NoRescreen = False,
    force: Annotated[
        bool, typer.Option("--force", help="With --from: load even if a list shrinks or goes back in time.")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Download the official lists from the publishers (over HTTPS, within the size and time
    limits) and load every one that changed; the raw files of the last versions are kept."""
    screener = local_screener(data_dir)
    if bundled or from_dir is not None:
        refreshed = screener.refresh_lists(
            bundled=bundled, folder=from_dir, sources=source, force=force or bundled
        )
    else:
        columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn())
        with Progress(*columns, console=err_console, transient=True) as bar:
            tasks: dict[str, int] = {}

            def hook(url: str, done: int, total: int | None) -> None:
                if url not in tasks:
                    tasks[url] = int(bar.add_task(url.rsplit("/", 1)[-1][:40], total=total))
                bar.update(tasks[url], completed=done)  # type: ignore[arg-type]

            refreshed = screener.refresh_lists(sources=source, progress=hook)
    for version in refreshed.unchanged:
        console.print(f"[dim]unchanged[/dim] {version.dataset} (version {version.id})")
    for version in refreshed.loaded:
        _print_loaded(version)
    versions, failures = refreshed.loaded, refreshed.failures
    rescreen_after_load(screener, versions, not no_rescreen)
    if failures:
        raise SanctionsError(
            "some lists were not updated (the previous versions stay in use):\n  " + "\n  ".join(failures)
        )


@handle_errors
def lists_cmd(json: JsonFlag = False, data_dir: DataDir = None) -> None:
    """Show the loaded lists: publisher's date, load time, counts, age and staleness."""
    screener = Screener(settings_for(data_dir))
    statuses = screener.lists()
    if json:
        emit_json([s.to_dict() for s in statuses])
        return
    if not statuses:
        console.print("No lists loaded. Run `sanctions update --bundled` or `sanctions load SOURCE PATH`.")
        return
    table = Table(title="Loaded sanctions lists")
    for col in ("source", "published", "loaded at", "entities", "names", "relations", "age", "status"):
        table.add_column(col, justify="right" if col in ("entities", "names", "relations", "age") else "left")
    for s in statuses:
        v = s.version
        table.add_row(
            v.dataset,
            v.published or "unknown",
            v.loaded_at.replace("T", " ").removesuffix("+00:00"),
            f"{v.entities:,}",
            f"{v.names:,}",
            f"{v.relations:,}",
            f"{s.age_days} d" if s.age_days is not None else "unknown",
            ("[bold red]STALE[/bold red]" if s.stale else "[green]fresh[/green]")
            + (f"\n[dim]{s.note}[/dim]" if s.note else ""),
        )
    console.print(table)
    warn_stale(screener)


def _entity_table(entity: Entity) -> Table:
    table = Table(
        title=f"{entity.caption}  [dim]({entity.id})[/dim]", show_header=False, title_justify="left"
    )
    table.add_column("field", style="bold")
    table.add_column("value")
    table.add_row("type", str(entity.schema))
    table.add_row("list", entity.dataset + f" (record {entity.source_id})")
    for listing in entity.listings:
        table.add_row(
            "listing",
            " · ".join(x for x in (listing.authority.upper(), listing.program, listing.listed_on) if x),
        )
    for name in entity.names:
        table.add_row(f"name ({name.kind})", name.value)
    for d in entity.birth_dates:
        table.add_row("born/founded", d.value + (" (approx.)" if d.approximate else ""))
    for ident in entity.identifiers:
        table.add_row(ident.scheme, ident.value + (f" ({ident.country})" if ident.country else ""))
    if entity.nationalities:
        table.add_row("nationality", ", ".join(entity.nationalities))
    if entity.countries:
        table.add_row("countries", ", ".join(entity.countries))
    for address in entity.addresses:
        table.add_row("address", address.full)
    if entity.remarks:
        table.add_row("remarks", entity.remarks)
    return table


@handle_errors
def show_cmd(
    entity_id: Annotated[str, typer.Argument(metavar="ID", help="Entity id, e.g. us_ofac_sdn-37756.")],
    json: JsonFlag = False,
    data_dir: DataDir = None,
) -> None:
    """Show one listed entity: names in every script, identifiers, listings, relations."""
    screener = open_screener(data_dir)
    entity = screener.entity(entity_id)
    if entity is None:
        raise NotFoundError(f"no entity {entity_id!r} in the loaded lists")
    relations = screener.relations(entity_id)
    if json:
        emit_json(
            {**entity.to_dict(), "caption": entity.caption, "relations": [r.to_dict() for r in relations]}
        )
        return
    table = _entity_table(entity)
    for rel in relations:
        other = rel.object_id if rel.subject_id == entity_id else rel.subject_id
        other_entity = screener.entity(other)
        direction = "→" if rel.subject_id == entity_id else "←"
        share = f" {rel.share:g} %" if rel.share is not None else ""
        table.add_row(
            f"relation {direction}",
            f"{rel.kind}{share} {other_entity.caption if other_entity else other} ({other})",
        )
    console.print(table)


@handle_errors
def diff_cmd(
    source: Annotated[str, typer.Argument(help="Dataset name, e.g. us_ofac_sdn.")],
    old: Annotated[
        int | None, typer.Option(help="Old version id (default: the one before the newest).")
    ] = None,
    new: Annotated[int | None, typer.Option(help="New version id (default: the newest).")] = None,
    json: JsonFlag = False,
    data_dir: DataDir = None,
) -> None:
    """What changed between two versions of a list: added, removed, changed entities."""
    screener = Screener(settings_for(data_dir))
    diff = screener.diff(source, old, new)
    if json:
        emit_json(
            {
                "dataset": diff.dataset,
                "old": {
                    "version": diff.old.id,
                    "published": diff.old.published,
                    "loaded_at": diff.old.loaded_at,
                },
                "new": {
                    "version": diff.new.id,
                    "published": diff.new.published,
                    "loaded_at": diff.new.loaded_at,
                },
                "added": [{"id": i, "caption": c} for i, c in diff.added],
                "removed": [{"id": i, "caption": c} for i, c in diff.removed],
                "changed": [{"id": c.id, "caption": c.caption, "fields": c.fields} for c in diff.changed],
            }
        )
        return
    console.print(
        f"{diff.dataset}: version {diff.old.id} → {diff.new.id}: [green]+{len(diff.added)}[/green] added, "
        f"[red]-{len(diff.removed)}[/red] removed, [yellow]~{len(diff.changed)}[/yellow] changed"
    )
    for i, c in diff.added[:50]:
        console.print(f"  [green]+[/green] {c} ({i})", highlight=False)
    for i, c in diff.removed[:50]:
        console.print(f"  [red]-[/red] {c} ({i})", highlight=False)
    for ch in diff.changed[:50]:
        console.print(f"  [yellow]~[/yellow] {ch.caption} ({ch.id}): {', '.join(ch.fields)}", highlight=False)


@handle_errors
def export_cmd(
    fmt: Annotated[
        str, typer.Option("--format", help="Output format (ftm: FollowTheMoney JSON lines).")
    ] = "ftm",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write (default: stdout).")
    ] = None,
    dataset: Annotated[list[str] | None, typer.Option("--dataset", help="Only these datasets.")] = None,
    data_dir: DataDir = None,
) -> None:
    """Export the loaded lists as FollowTheMoney entities (JSON lines)."""
    if fmt != "ftm":
        raise SanctionsError(f"unknown export format {fmt!r}; supported: ftm")
    screener = Screener(settings_for(data_dir))
    datasets = sorted(screener.check_datasets(dataset) or ()) or None
    if output is None:
        count = screener.export(sys.stdout, datasets)
    else:
        with output.open("w", encoding="utf-8") as fh:
            count = screener.export(fh, datasets)
    err_console.print(f"wrote {count:,} FtM entities")


def register(app: typer.Typer) -> None:
    """Attach the list commands."""
    app.command("load")(load_cmd)
    app.command("update")(update_cmd)
    app.command("lists")(lists_cmd)
    app.command("show")(show_cmd)
    app.command("diff")(diff_cmd)
    app.command("export")(export_cmd)
