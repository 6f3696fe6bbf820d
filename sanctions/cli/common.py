"""What every CLI command shares: the --data-dir option, consoles, JSON output, error handling.

Exit codes are grep's: 0 nothing found, 1 something found (``match``, ``scan``, ``exposure``),
2 bad input or an error.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import orjson
import typer
from rich.console import Console

from sanctions import Permission
from sanctions.errors import ConflictError, FourEyesError, SanctionsError
from sanctions.service import Screener
from sanctions.settings import Settings

P = ParamSpec("P")
R = TypeVar("R")

console = Console()
err_console = Console(stderr=True)

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        envvar="SANCTIONS_DATA_DIR",
        help="Where the list store lives (default: ~/.local/share/sanctions).",
        show_default=False,
    ),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Write JSON instead of a table.")]
UserOption = Annotated[
    str | None,
    typer.Option(
        "--user",
        help="Act as this user on the local store (default: SANCTIONS_USER); the audit trail names them.",
        show_default=False,
    ),
]


def settings_for(data_dir: Path | None) -> Settings:
    """Settings with the command line's --data-dir applied."""
    return Settings.from_env(data_dir)


def local_screener(data_dir: Path | None) -> Screener:
    """A Screener on the data dir whose audit actor is SANCTIONS_USER, else ``local:<login>``
    (who ran the command), so no CLI change is recorded as the system's."""
    settings = settings_for(data_dir)
    screener = Screener(settings)
    if not settings.user:
        screener.actor = f"local:{_login()}"
    return screener


def _login() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        import os

        return str(os.getuid())


def open_screener(data_dir: Path | None, *, require_lists: bool = True) -> Screener:
    """A Screener on the data dir; loads the bundled lists first when the store is empty."""
    screener = local_screener(data_dir)
    if require_lists and not screener.lists():
        err_console.print("[yellow]No lists loaded yet: loading the bundled snapshot first.[/yellow]")
        screener.load_bundled(progress=err_console.is_terminal)
    warn_stale(screener)
    return screener


def warn_stale(screener: Screener) -> None:
    """Print a clear warning on stderr for every stale list."""
    for status in screener.lists():
        if status.stale:
            age = f"{status.age_days} days old" if status.age_days is not None else "of unknown date"
            by = (
                f" (by {status.dated_by} date {status.version.published})" if status.version.published else ""
            )
            note = f"; {status.note}" if status.note else ""
            err_console.print(
                f"[bold red]WARNING[/bold red]: list {status.version.dataset} is {age}{by}{note}; "
                "run `sanctions update` before relying on this screening.",
                highlight=False,
            )


def acting_user(screener: Screener, given: str | None, permission: Permission | None = None) -> str:
    """The name of the user a command acts as: ``--user``, else SANCTIONS_USER.

    Exits 2 with a clear message when nobody is named, the user is unknown or disabled, or their
    role lacks ``permission``.
    """
    try:
        return screener.acting_user(given or screener.settings.user, permission).name
    except SanctionsError as exc:
        err_console.print(f"[bold red]error[/bold red]: {exc}", highlight=False)
        raise typer.Exit(EXIT_ERROR) from exc


def emit_json(data: Any) -> None:
    """Write one JSON document to stdout."""
    sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode() + "\n")


def emit_jsonl(data: Any) -> None:
    """Write one JSON line to stdout."""
    sys.stdout.write(orjson.dumps(data).decode() + "\n")


EXIT_CLEAR, EXIT_FOUND, EXIT_ERROR = 0, 1, 2
EXIT_CODES_HELP = "Exit status: 0 nothing found, 1 something found, 2 bad input or an error."


def exit_found(found: bool) -> None:
    """End a screening command with grep's status: 1 when something was found, else 0."""
    raise typer.Exit(EXIT_FOUND if found else EXIT_CLEAR)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn our errors into a one-line message and exit code 2 (no traceback for users): bad
    input, a missing book or alert, a refusal of the four-eyes rule or a state conflict alike
    (the last two are said as "refused")."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except SanctionsError as exc:
            label = "refused" if isinstance(exc, (FourEyesError, ConflictError)) else "error"
            err_console.print(f"[bold red]{label}[/bold red]: {exc}", highlight=False)
            raise typer.Exit(EXIT_ERROR) from exc

    return wrapper


def configure_logging(verbose: bool) -> None:
    """The CLI (never the library) configures log handlers."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
