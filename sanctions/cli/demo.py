"""`sanctions demo`: the showcase, end to end, on the bundled lists.

Loads the bundled official lists (first run only), shows their age, screens a few names in
several scripts, scans the Moskvich article when it is at hand, and traces what a partnership
with KamAZ exposes JAC to.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.rule import Rule
from rich.table import Table

from sanctions.bundle import bundle_dir
from sanctions.cli.common import DataDir, console, handle_errors, open_screener
from sanctions.service import Screener

if TYPE_CHECKING:
    from sanctions.scan import Mention

# Names a compliance analyst would type, in several scripts; the last two are not listed.
DEMO_NAMES: tuple[tuple[str, str], ...] = (
    ("Сергей Когогин", "Person"),
    ("Sergey Sobyanin", "Person"),
    ("KAMAZ PJSC", "Company"),
    ("ПАО КАМАЗ", "Company"),
    ("金正恩", "Person"),
    ("Renault", "Company"),
    ("Volkswagen", "Company"),
)
ARTICLE = Path("data") / "examples" / "moskvich-revival-article.txt"


def find_article(explicit: Path | None) -> Path | None:
    """The showcase article: the given path, else ../shared/data/examples beside the project or cwd."""
    if explicit is not None:
        return explicit
    project = Path(__file__).resolve().parents[2]
    for base in (Path.cwd().parent / "shared", project.parent / "shared"):
        if (base / ARTICLE).is_file():
            return base / ARTICLE
    return None


def _lists(screener: Screener) -> None:
    table = Table(title="Lists loaded", title_justify="left")
    for col in ("list", "published", "entities", "names", "age"):
        table.add_column(col)
    for status in screener.lists():
        v = status.version
        age = f"{status.age_days} days" if status.age_days is not None else "unknown"
        if status.note:
            age += f"\n[dim]{status.note}[/dim]"
        table.add_row(
            v.dataset,
            v.published or "unknown",
            f"{v.entities:,}",
            f"{v.names:,}",
            f"[bold red]{age} STALE[/bold red]" if status.stale else age,
        )
    console.print(table)


def _names(screener: Screener) -> None:
    from sanctions.matching import Query

    table = Table(title="Screening names", title_justify="left")
    for col in ("query", "result", "score", "lists · programs · dates"):
        table.add_column(col)
    for name, schema in DEMO_NAMES:
        matches = screener.match(Query.from_dict({"schema": schema, "properties": {"name": [name]}}), limit=1)
        hit = matches[0] if matches and matches[0].match else None
        if hit is None:
            best = f" (best {matches[0].score:.2f}: {matches[0].entity.caption})" if matches else ""
            table.add_row(name, f"[green]clear[/green][dim]{best}[/dim]", "", "")
            continue
        listings = "\n".join(
            " · ".join(x for x in (ds, lst.program, lst.listed_on) if x) for ds, lst in hit.listings
        )
        table.add_row(name, f"[bold red]{hit.entity.caption}[/bold red]", f"{hit.score:.2f}", listings)
    console.print(table)


def _article(screener: Screener, path: Path) -> None:
    result = screener.scan_document(path.read_bytes(), source=str(path))
    by_entity: dict[str, list[Mention]] = {}
    for m in result.mentions:
        by_entity.setdefault(m.entity.id, []).append(m)
    table = Table(title=f"Listed parties named in {path.name}", title_justify="left")
    for col in ("listed party", "as written (times)", "lists · programs · dates", "score", "why"):
        table.add_column(col)
    for mentions in by_entity.values():
        best = max(mentions, key=lambda m: m.score)
        refs = [best.entity, *(e for e, _ in best.alternatives)]
        lists = "\n".join(
            " · ".join(x for x in (ref.dataset, lst.program, lst.listed_on) if x)
            for ref in refs
            for lst in ref.listings
        )
        written = ", ".join(sorted({m.text.replace("\n", " ") for m in mentions}))
        table.add_row(
            best.entity.caption,
            f"{written} ({len(mentions)})",
            lists,
            f"{best.score:.2f}",
            best.explanations[0] if best.explanations else "",
        )
    console.print(table)
    console.print(f"[dim]{len(result.mentions)} mentions of {len(by_entity)} listed parties.[/dim]")


def _exposure(screener: Screener) -> None:
    from sanctions.sources.relations_csv import parse_relations

    relations = bundle_dir() / "examples" / "showcase-relations.csv"
    records = list(parse_relations(relations, "relations"))
    for party in ("JAC", "Renault"):
        result = screener.exposure(party, records)
        colour = "green" if result.status == "clear" else "bold red"
        console.print(f"[bold]{party}[/bold]: [{colour}]{result.status.replace('_', ' ')}[/{colour}]")
        for path in result.paths:
            steps = [result.parties[path.parties[0]].caption]
            for hop, pid in zip(path.hops, path.parties[1:], strict=True):
                steps.append(f"—{hop.relation}→ {result.parties[pid].caption}")
            target = result.parties[path.target]
            lists = "; ".join(
                " ".join(
                    x for x in (item["authority"].upper(), item.get("program"), item.get("listed_on")) if x
                )
                for item in target.listings
            )
            console.print(
                f"  {path.classification}: {' '.join(steps)}  [dim]({lists})[/dim]", highlight=False
            )


@handle_errors
def demo(
    article: Annotated[
        Path | None, typer.Option(help="Text file to scan (default: the showcase article).")
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Run the showcase on the bundled lists: list ages, name screening, the article, JAC's exposure."""
    screener = open_screener(data_dir)
    console.print(Rule("1. The lists"))
    _lists(screener)
    console.print(Rule("2. Is this counterparty listed?"))
    _names(screener)
    found = find_article(article)
    console.print(Rule("3. Who does the Moskvich article name?"))
    if found is None:
        console.print("[dim]Article not found (../shared/data/examples); pass --article FILE.[/dim]")
    else:
        _article(screener, found)
    console.print(Rule("4. What would a deal with KamAZ expose JAC to?"))
    _exposure(screener)
    console.print(
        "\nNext: [bold]sanctions serve[/bold] for the web UI and API, [bold]sanctions --help[/bold] for more."
    )


def register(app: typer.Typer) -> None:
    """Attach the demo command."""
    app.command("demo")(demo)
