"""The users room on SQLite and PostgreSQL: hashing, roles, disable, keys, sessions, and the
audit events each change writes in its own transaction."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from sanctions.audit import SYSTEM
from sanctions.errors import AuthError, NotFoundError, UserError, UserExists
from sanctions.store import SqlStore
from sanctions.store.tables.audit import audit_events
from sanctions.store.tables.users import api_keys, sessions, users
from sanctions.users import PERMISSIONS, Permission, Role, Users, allowed, roles_table

PASSWORD = "correct horse battery"


class Clock:
    """A clock the test moves by hand (session expiry)."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(db_url: str) -> Iterator[SqlStore]:
    opened = SqlStore.open(db_url)
    yield opened
    opened.close()


def events(store: SqlStore) -> list[tuple[str, str, str, dict[str, object]]]:
    c = audit_events.c
    with store.engine.connect() as conn:
        rows = conn.execute(select(c.actor, c.action, c.object, c.data).order_by(c.seq)).all()
    return [(r[0], r[1], r[2], json.loads(r[3])) for r in rows]


def test_roles_table_and_permissions() -> None:
    assert allowed("analyst", Permission.DECIDE) and not allowed("analyst", Permission.APPROVE)
    assert allowed("checker", "approve") and allowed("checker", "decide")
    assert allowed("auditor", "audit") and not allowed("auditor", "admin")
    assert not allowed("nobody", "read") and not allowed("admin", "nothing")
    assert all(Permission.READ in granted for granted in PERMISSIONS.values())
    assert {r.value for r in Role} == {"analyst", "checker", "admin", "auditor"}
    assert "| `auditor` |" in roles_table()


def test_users_hashing_disable_and_audit(store: SqlStore) -> None:
    room = Users(store.engine)
    with pytest.raises(UserError, match="first user must be an admin"):
        room.add("ann", "analyst", PASSWORD, actor="bootstrap")
    assert events(store) == [], "a refused change writes no audit event"
    root = room.add("root", "admin", PASSWORD, actor="bootstrap")
    assert (root.name, root.role, root.active) == ("root", "admin", True)
    room.add("ann", "analyst", PASSWORD, actor="root")
    room.add("bot", "auditor", actor="root")  # no password: keys only
    with pytest.raises(UserExists):
        room.add("ann", "checker", PASSWORD, actor="root")
    for bad, message in [("Ann", "invalid user name"), ("api-key", "reserved"), ("a" * 65, "invalid")]:
        with pytest.raises(UserError, match=message):
            room.add(bad, "analyst", PASSWORD, actor="root")
    with pytest.raises(UserError, match="unknown role"):
        room.add("carl", "boss", PASSWORD, actor="root")
    with pytest.raises(UserError, match="too short"):
        room.add("carl", "checker", "short", actor="root")

    with store.engine.connect() as conn:
        stored = conn.execute(select(users.c.password_hash).where(users.c.name == "ann")).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert room.authenticate("ann", PASSWORD) == room.get("ann")
    assert room.authenticate("ann", PASSWORD + "x") is None
    assert room.authenticate("nobody", PASSWORD) is None
    assert room.authenticate("bot", "") is None, "a user without a password cannot log in"

    room.disable("ann", actor="root")
    assert room.authenticate("ann", PASSWORD) is None and not room.get("ann").can("read")
    room.enable("ann", actor="root")
    room.set_role("ann", "checker", actor="root")
    room.set_password("ann", PASSWORD + "!", actor="root")
    assert room.authenticate("ann", PASSWORD + "!") is not None
    assert [u.name for u in room.list()] == ["ann", "bot", "root"]
    with pytest.raises(NotFoundError):
        room.disable("nobody", actor="root")

    trail = events(store)
    assert [(a, act, o) for a, act, o, _ in trail] == [
        ("bootstrap", "user.added", "user:root"),
        ("root", "user.added", "user:ann"),
        ("root", "user.added", "user:bot"),
        ("root", "user.disabled", "user:ann"),
        ("root", "user.enabled", "user:ann"),
        ("root", "user.role_changed", "user:ann"),
        ("root", "user.password_set", "user:ann"),
    ]
    assert trail[2][3] == {"role": "auditor", "password": False, "first": False}
    assert trail[5][3] == {"from": "analyst", "to": "checker"}
    assert all(PASSWORD not in json.dumps(data) and "argon2" not in json.dumps(data) for *_, data in trail)


def test_keys_are_shown_once_stored_hashed_and_revocable(store: SqlStore) -> None:
    room = Users(store.engine)
    room.add("root", "admin", actor=SYSTEM)
    room.add("svc", "analyst", actor="root")
    key_id, key = room.create_key("svc", "batch job", actor="root")
    assert key.startswith("sk_") and len(key) > 40
    with store.engine.connect() as conn:
        row = conn.execute(select(api_keys).where(api_keys.c.id == key_id)).mappings().one()
    assert key not in json.dumps(dict(row)) and row["prefix"] == key[:10]
    assert room.user_for_key(key) == room.get("svc")
    assert room.user_for_key(key + "x") is None and room.user_for_key("not-a-key") is None

    room.disable("svc", actor="root")
    assert room.user_for_key(key) is None, "a disabled user's keys stop working"
    room.enable("svc", actor="root")
    assert room.user_for_key(key) is not None

    (listed,) = room.keys("svc")
    assert (listed.id, listed.label, listed.revoked_at) == (key_id, "batch job", None)
    assert room.revoke_key(key_id, actor="root").revoked_at is not None
    assert room.user_for_key(key) is None
    room.revoke_key(key_id, actor="root")  # revoking twice changes nothing and records nothing
    with pytest.raises(NotFoundError):
        room.revoke_key(999, actor="root")
    with pytest.raises(NotFoundError):
        room.create_key("nobody", actor="root")

    trail = [e for e in events(store) if e[1].startswith("key.")]
    assert [(a, act, o) for a, act, o, _ in trail] == [
        ("root", "key.created", f"key:{key_id}"),
        ("root", "key.revoked", f"key:{key_id}"),
    ]
    assert key not in json.dumps([e[3] for e in trail])


def test_sessions_expire_end_on_logout_and_are_audited(store: SqlStore) -> None:
    clock = Clock()
    room = Users(store.engine, session_hours=1.0, clock=clock)
    room.add("root", "admin", PASSWORD, actor="bootstrap")
    with pytest.raises(AuthError):
        room.login("root", "wrong password!")
    with pytest.raises(AuthError):
        room.login("ghost", PASSWORD)
    token, csrf = room.login("root", PASSWORD)
    live = room.session(token)
    assert live is not None and (live.user.name, live.csrf) == ("root", csrf)
    with store.engine.connect() as conn:
        stored = conn.execute(select(sessions.c.digest)).scalars().all()
    assert token not in stored and len(stored) == 1
    assert room.session("forged") is None

    clock.now += 3599
    assert room.session(token) is not None
    clock.now += 2
    assert room.session(token) is None, "expired after session_hours"

    token2, _ = room.login("root", PASSWORD)  # clears the expired session on the way
    room.disable("root", actor=SYSTEM)
    assert room.session(token2) is None
    room.enable("root", actor=SYSTEM)
    token3, _ = room.login("root", PASSWORD)
    assert room.logout(token3) and room.session(token3) is None and not room.logout(token3)

    trail = [(a, act, d) for a, act, _, d in events(store) if act.startswith("session.")]
    failed = [o for _, act, o, _ in events(store) if act == "session.login_failed"]
    assert failed == ["user:root", "user:ghost"]
    assert [(a, act) for a, act, _ in trail] == [
        ("anonymous", "session.login_failed"),
        ("anonymous", "session.login_failed"),
        ("root", "session.login"),
        ("root", "session.login"),
        ("root", "session.login"),
        ("root", "session.logout"),
    ]
    assert trail[3][2]["expired_sessions_cleared"] == 1


def test_a_failed_change_leaves_no_audit_event(store: SqlStore) -> None:
    room = Users(store.engine)
    room.add("root", "admin", actor="bootstrap")
    before = len(events(store))
    with pytest.raises(NotFoundError):
        room.set_role("nobody", "admin", actor="root")
    with pytest.raises(UserError):
        room.create_key("root", "bad\nlabel", actor="root")
    assert len(events(store)) == before


def _break_the_audit_trail(store: SqlStore) -> None:
    """Make every audit insert fail, as a full disk or a lost connection would."""
    with store.engine.begin() as conn:
        if store.engine.dialect.name == "sqlite":
            conn.exec_driver_sql(
                "CREATE TRIGGER audit_down BEFORE INSERT ON audit_events "
                "BEGIN SELECT RAISE(ABORT, 'audit down'); END"
            )
        else:
            conn.exec_driver_sql(
                "CREATE FUNCTION audit_down() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION 'audit down'; END $$ LANGUAGE plpgsql"
            )
            conn.exec_driver_sql(
                "CREATE TRIGGER audit_down BEFORE INSERT ON audit_events "
                "FOR EACH ROW EXECUTE FUNCTION audit_down()"
            )


def test_no_change_without_its_audit_event(store: SqlStore) -> None:
    """The change and its event share one transaction: when the event cannot be written, the
    change is rolled back too."""
    room = Users(store.engine)
    room.add("root", "admin", PASSWORD, actor="bootstrap")
    _break_the_audit_trail(store)
    with pytest.raises(DBAPIError, match="audit down"):
        room.add("ann", "analyst", actor="root")
    with pytest.raises(DBAPIError, match="audit down"):
        room.create_key("root", actor="root")
    with pytest.raises(DBAPIError, match="audit down"):
        room.disable("root", actor=SYSTEM)
    with pytest.raises(DBAPIError, match="audit down"):
        room.login("root", PASSWORD)
    assert [u.name for u in room.list()] == ["root"] and room.get("root").active
    assert room.keys() == []
    with store.engine.connect() as conn:
        assert conn.execute(select(sessions.c.digest)).first() is None


def test_failed_logins_in_a_row_lock_the_account_for_a_while(store: SqlStore) -> None:
    """Three wrong passwords lock the account (even the right password is refused, audited)
    until the lock ends or an admin enables the user; a success resets the count."""
    clock = Clock()
    room = Users(store.engine, clock=clock, max_failed_logins=3, lockout_minutes=10)
    room.add("root", "admin", PASSWORD, actor="bootstrap")
    for _ in range(2):
        with pytest.raises(AuthError, match="wrong user name or password"):
            room.login("root", "wrong password!")
    room.login("root", PASSWORD)  # a success resets the count: two more failures do not lock
    for _ in range(2):
        with pytest.raises(AuthError, match="wrong user name or password"):
            room.login("root", "wrong password!")
    with pytest.raises(AuthError, match="wrong user name or password"):
        room.login("root", "wrong password!")  # the third in a row: locked from now
    assert room.get("root").locked_until is not None
    with pytest.raises(AuthError, match="too many failed logins"):
        room.login("root", PASSWORD)
    clock.now += 10 * 60 - 1
    with pytest.raises(AuthError, match="too many failed logins"):
        room.login("root", PASSWORD)
    clock.now += 2
    room.login("root", PASSWORD)  # the lock has ended

    for _ in range(3):
        with pytest.raises(AuthError):
            room.login("root", "wrong password!")
    with pytest.raises(AuthError, match="too many failed logins"):
        room.login("root", PASSWORD)
    room.enable("root", actor=SYSTEM)  # an admin unlocks it at once
    assert room.get("root").locked_until is None
    room.login("root", PASSWORD)

    for _ in range(5):  # an unknown name has no account to lock
        with pytest.raises(AuthError, match="wrong user name or password"):
            room.login("ghost", PASSWORD)
    actions = [act for _, act, o, _ in events(store) if act.startswith("session.") and o == "user:root"]
    assert actions.count("session.login_locked") == 3
    locks = [d for _, act, o, d in events(store) if act == "session.login_failed" and "locked_until" in d]
    assert len(locks) == 2 and all(d["failures_in_a_row"] == 3 for d in locks)
