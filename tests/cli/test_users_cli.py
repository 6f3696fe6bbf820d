"""`sanctions users ...` and `keys ...` on a local store: bootstrap, acting users, exit codes,
and what the audit trail records."""

from __future__ import annotations

from pathlib import Path

import orjson
from sqlalchemy import select
from typer.testing import CliRunner

from sanctions import Screener, Settings
from sanctions.cli import build_app
from sanctions.store.tables.audit import audit_events

runner = CliRunner()


def _run(*args: str, stdin: str | None = None, user: str | None = None) -> tuple[int, str, str]:
    env = {"COLUMNS": "200", "SANCTIONS_USER": user or ""}
    result = runner.invoke(build_app(), list(args), input=stdin, env=env)
    return result.exit_code, result.stdout, result.stderr


def test_users_and_keys_life_cycle(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path)]
    code, _, err = _run("users", "add", "ann", "--role", "analyst", *data)
    assert code == 2 and "first user must be an admin" in err
    code, out, err = _run(
        "users", "add", "root", "--role", "admin", "--password-stdin", *data, stdin="root password 12\n"
    )
    assert code == 0 and "root added (admin)" in out, err

    # From now on an acting admin is needed.
    code, _, err = _run("users", "add", "ann", "--role", "analyst", *data)
    assert code == 2 and "--user NAME or SANCTIONS_USER" in err
    code, _, err = _run("users", "add", "ann", "--role", "analyst", "--user", "ghost", *data)
    assert code == 2 and "no user 'ghost'" in err
    assert _run("users", "add", "ann", "--role", "analyst", "--no-password", "--user", "root", *data)[0] == 0
    code, _, err = _run("users", "add", "bob", "--role", "checker", *data, user="ann")
    assert code == 2 and "may not do this" in err, "an analyst is not an admin"
    code, _, err = _run("users", "add", "Bob!", "--role", "checker", *data, user="root")
    assert code == 2 and "invalid user name" in err
    code, _, err = _run("users", "add", "bob", "--role", "boss", *data, user="root")
    assert code == 2 and "unknown role" in err
    code, _, err = _run("users", "add", "ann", "--role", "checker", *data, user="root")
    assert code == 2 and "exists already" in err
    code, _, err = _run(
        "users", "add", "bob", "--role", "checker", "--password-stdin", *data, stdin="short\n", user="root"
    )
    assert code == 2 and "too short" in err

    code, out, _ = _run("users", "list", "--json", *data, user="root")
    assert code == 0
    assert [(u["name"], u["role"], u["active"]) for u in orjson.loads(out)] == [
        ("ann", "analyst", True),
        ("root", "admin", True),
    ]
    code, out, _ = _run("users", "list", *data, user="root")
    assert code == 0 and "analyst" in out and "root" in out

    code, out, err = _run("keys", "create", "ann", "--label", "nightly job", *data, user="root")
    assert code == 0 and "shown only now" in err
    key = out.strip()
    assert key.startswith("sk_")
    screener = Screener(Settings(data_dir=tmp_path))
    try:
        principal = screener.principal(key)
        assert principal is not None and (principal.name, principal.role) == ("ann", "analyst")
    finally:
        screener.close()
    code, out, _ = _run("keys", "list", "--json", *data, user="root")
    (listed,) = orjson.loads(out)
    assert (listed["user"], listed["label"], listed["revoked_at"]) == ("ann", "nightly job", None)
    assert key not in out and listed["prefix"] == key[:10]
    assert _run("keys", "revoke", str(listed["id"]), *data, user="ann")[0] == 2
    code, out, _ = _run("keys", "revoke", str(listed["id"]), *data, user="root")
    assert code == 0 and "revoked" in out
    code, _, err = _run("keys", "revoke", "999", *data, user="root")
    assert code == 2 and "no API key 999" in err

    code, _, err = _run("users", "disable", "root", *data, user="root")
    assert code == 2 and "cannot disable yourself" in err
    assert _run("users", "disable", "ann", *data, user="root")[0] == 0
    code, _, err = _run("users", "list", *data, user="ann")
    assert code == 2 and "disabled" in err, "a disabled user cannot act"
    assert _run("users", "enable", "ann", *data, user="root")[0] == 0
    assert _run("users", "role", "ann", "auditor", *data, user="root")[0] == 0
    assert _run("users", "list", *data, user="ann")[0] == 0, "an auditor reads the users"
    assert _run("users", "disable", "root", *data, user="ann")[0] == 2, "but changes nothing"

    screener = Screener(Settings(data_dir=tmp_path))
    try:
        c = audit_events.c
        with screener.store.engine.connect() as conn:
            trail = conn.execute(select(c.actor, c.action, c.object).order_by(c.seq)).all()
    finally:
        screener.close()
    assert [tuple(r) for r in trail if r[1].startswith(("user.", "key."))] == [
        ("bootstrap", "user.added", "user:root"),
        ("root", "user.added", "user:ann"),
        ("root", "key.created", "key:1"),
        ("root", "key.revoked", "key:1"),
        ("root", "user.disabled", "user:ann"),
        ("root", "user.enabled", "user:ann"),
        ("root", "user.role_changed", "user:ann"),
    ]
