"""User and key commands: `users add|list|disable|enable|role|password`, `keys create|revoke|list`.

They act as ``--user NAME`` (default SANCTIONS_USER), who must be an active admin; listings
need the ``audit`` permission (admins and auditors). Bootstrap: while the store has no user at
all, `users add` needs no acting user, and the first user must be an admin.

Exit codes: 0 done; 2 bad input, an unknown or disabled user, or a role that may not do it.
"""

from __future__ import annotations

import sys
from dataclasses import asdict
from typing import Annotated

import typer
from rich.table import Table

from sanctions import Permission, Screener
from sanctions.cli.common import (
    DataDir,
    JsonFlag,
    UserOption,
    acting_user,
    console,
    emit_json,
    err_console,
    handle_errors,
    settings_for,
)

users_app = typer.Typer(
    help="Local users and their roles (analyst, checker, admin, auditor).", no_args_is_help=True
)
keys_app = typer.Typer(help="Personal API keys: shown once, stored hashed.", no_args_is_help=True)

PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin.")
]
NoPassword = Annotated[
    bool, typer.Option("--no-password", help="No password: the user can use API keys only (no UI login).")
]


def _screener(data_dir: DataDir) -> Screener:
    return Screener(settings_for(data_dir))


def _password(from_stdin: bool, none: bool) -> str | None:
    """The new password: from stdin, asked for on a terminal, or none."""
    if none:
        return None
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if sys.stdin.isatty():
        entered: str = typer.prompt(
            "Password (12 characters at least)", hide_input=True, confirmation_prompt=True
        )
        return entered
    return None


@users_app.command("add")
@handle_errors
def add_cmd(
    name: Annotated[str, typer.Argument(help="a-z, 0-9, '.', '_', '-' (64 at most).")],
    role: Annotated[str, typer.Option("--role", help="analyst, checker, admin or auditor.")],
    password_stdin: PasswordStdin = False,
    no_password: NoPassword = False,
    user: UserOption = None,
    data_dir: DataDir = None,
) -> None:
    """Add a user. The password is asked for on a terminal, read with --password-stdin, or none.

    The store's first user needs no --user and must be an admin (--role admin); after that an
    admin adds the others.
    """
    screener = _screener(data_dir)
    # Bootstrap: the store's first user needs no acting user (the room insists it is an admin).
    actor = acting_user(screener, user, Permission.ADMIN) if screener.has_users() else "bootstrap"
    added = screener.user_add(name, role, _password(password_stdin, no_password), actor=actor)
    console.print(f"user {added.name} added ({added.role})", highlight=False)


@users_app.command("list")
@handle_errors
def list_cmd(json: JsonFlag = False, user: UserOption = None, data_dir: DataDir = None) -> None:
    """Every user with role and state (admins and auditors)."""
    screener = _screener(data_dir)
    acting_user(screener, user, Permission.AUDIT)
    found = screener.user_list()
    if json:
        emit_json([asdict(u) for u in found])
        return
    table = Table("user", "role", "active", "created", "locked until")
    for u in found:
        table.add_row(u.name, u.role, "yes" if u.active else "disabled", u.created_at, u.locked_until or "")
    console.print(table)


@users_app.command("disable")
@handle_errors
def disable_cmd(name: str, user: UserOption = None, data_dir: DataDir = None) -> None:
    """Refuse a user's logins, keys and sessions from now on (nothing is deleted)."""
    screener = _screener(data_dir)
    screener.user_disable(name, actor=acting_user(screener, user, Permission.ADMIN))
    console.print(f"user {name} disabled", highlight=False)


@users_app.command("enable")
@handle_errors
def enable_cmd(name: str, user: UserOption = None, data_dir: DataDir = None) -> None:
    """Let a disabled user in again."""
    screener = _screener(data_dir)
    screener.user_enable(name, actor=acting_user(screener, user, Permission.ADMIN))
    console.print(f"user {name} enabled", highlight=False)


@users_app.command("role")
@handle_errors
def role_cmd(name: str, role: str, user: UserOption = None, data_dir: DataDir = None) -> None:
    """Give a user another role."""
    screener = _screener(data_dir)
    screener.user_set_role(name, role, actor=acting_user(screener, user, Permission.ADMIN))
    console.print(f"user {name} is now {role}", highlight=False)


@users_app.command("password")
@handle_errors
def password_cmd(
    name: str,
    password_stdin: PasswordStdin = False,
    no_password: NoPassword = False,
    user: UserOption = None,
    data_dir: DataDir = None,
) -> None:
    """Set (or with --no-password remove) a user's password; their UI sessions end."""
    screener = _screener(data_dir)
    actor = acting_user(screener, user, Permission.ADMIN)
    password = _password(password_stdin, no_password)
    if password is None and not no_password:
        err_console.print("[bold red]error[/bold red]: no password given: use --password-stdin or a terminal")
        raise typer.Exit(2)
    screener.user_set_password(name, password, actor=actor)
    console.print(f"password of {name} {'removed' if password is None else 'set'}", highlight=False)


@keys_app.command("create")
@handle_errors
def create_cmd(
    owner: Annotated[str, typer.Argument(metavar="USER", help="Whose key it is.")],
    label: Annotated[str, typer.Option("--label", help="Tells the key apart in listings.")] = "",
    user: UserOption = None,
    data_dir: DataDir = None,
) -> None:
    """Create a personal API key and print it, once: it is stored only as a hash."""
    screener = _screener(data_dir)
    key_id, key = screener.key_create(owner, label, actor=acting_user(screener, user, Permission.ADMIN))
    err_console.print(f"key {key_id} for {owner}; it is shown only now:", highlight=False)
    sys.stdout.write(key + "\n")


@keys_app.command("revoke")
@handle_errors
def revoke_cmd(
    key_id: Annotated[int, typer.Argument(metavar="ID")], user: UserOption = None, data_dir: DataDir = None
) -> None:
    """Revoke a key: it stops working at once."""
    screener = _screener(data_dir)
    key = screener.key_revoke(key_id, actor=acting_user(screener, user, Permission.ADMIN))
    console.print(f"key {key.id} ({key.prefix}…, {key.user}) revoked", highlight=False)


@keys_app.command("list")
@handle_errors
def keys_list_cmd(
    owner: Annotated[str | None, typer.Argument(metavar="[USER]", help="Only this user's keys.")] = None,
    json: JsonFlag = False,
    user: UserOption = None,
    data_dir: DataDir = None,
) -> None:
    """Keys with their prefix, label and times (never the keys themselves)."""
    screener = _screener(data_dir)
    acting_user(screener, user, Permission.AUDIT)
    found = screener.key_list(owner)
    if json:
        emit_json([asdict(k) for k in found])
        return
    table = Table("id", "user", "prefix", "label", "created", "revoked")
    for k in found:
        table.add_row(str(k.id), k.user, k.prefix + "…", k.label, k.created_at, k.revoked_at or "-")
    console.print(table)


def register(app: typer.Typer) -> None:
    """Attach the user and key commands."""
    app.add_typer(users_app, name="users")
    app.add_typer(keys_app, name="keys")
