"""The `sanctions` command line. Each module in this package registers its commands on ``app``."""

from __future__ import annotations

import importlib

import typer

from sanctions.cli.common import configure_logging

app = typer.Typer(
    name="sanctions",
    help="Screen people, companies, vessels and documents against official sanctions lists.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)

# Command modules, in the order their commands appear in --help. Each has register(app).
COMMAND_MODULES = ("lists", "screen", "scan", "graph", "books", "cases", "users", "serve", "demo")


@app.callback()
def _root(verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress to stderr.")) -> None:
    configure_logging(verbose)


_registered = False


def build_app() -> typer.Typer:
    """The app with every command module registered (once)."""
    global _registered
    if _registered:
        return app
    _registered = True
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"sanctions.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"sanctions.cli.{name}":
                continue  # a command group not built yet
            raise
        module.register(app)
    return app


def main() -> None:
    """Console-script entry point."""
    build_app()()
