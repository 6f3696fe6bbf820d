"""UI sessions: a random token in an HttpOnly cookie, stored as its SHA-256 digest, with a
CSRF token that every form of the session carries, and an expiry (``session_hours``).

Logins, failed logins and logouts are audited; a failed login in its own transaction.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from sqlalchemy import Engine, delete, insert, select, update

from sanctions.audit import record
from sanctions.clock import stamp_us as stamp
from sanctions.errors import AuthError
from sanctions.store.tables.users import sessions, users
from sanctions.users.accounts import ANONYMOUS, NAME, Accounts, Clock, User, _user, digest


@dataclass(frozen=True, slots=True)
class Session:
    """A live UI session: who, and the CSRF token its forms must carry."""

    user: User
    csrf: str
    expires_at: str


class Users(Accounts):
    """Users, keys and UI sessions: the users room's one entry point."""

    def __init__(
        self,
        engine: Engine,
        session_hours: float = 12.0,
        clock: Clock = time.time,
        *,
        max_failed_logins: int = 5,
        lockout_minutes: float = 15.0,
    ) -> None:
        super().__init__(engine, clock)
        self.session_hours = session_hours
        self.max_failed_logins = max_failed_logins
        self.lockout_minutes = lockout_minutes

    def login(self, name: str, password: str) -> tuple[str, str]:
        """Open a session: ``(token, csrf)``; :class:`AuthError` for a wrong name or password.

        The token goes into the cookie and is stored only as its digest. Expired sessions of
        every user are cleared on the way. After ``max_failed_logins`` wrong passwords in a row
        the account refuses logins for ``lockout_minutes`` (0 turns locking off); an admin who
        enables the user or sets their password unlocks it at once.
        """
        now = self.clock()
        locked = self._locked_until(name, now)
        if locked is not None:
            with self.engine.begin() as conn:
                record(conn, ANONYMOUS, "session.login_locked", f"user:{name}", {"locked_until": locked})
            raise AuthError(
                f"too many failed logins: this account refuses logins until {locked} (UTC), "
                "or until an admin enables it or sets its password"
            )
        user = self.authenticate(name, password)
        if user is None:
            self._failed(name, now)
            raise AuthError("wrong user name or password")
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = self.clock()
        with self.engine.begin() as conn:
            purged = conn.execute(delete(sessions).where(sessions.c.expires_at <= stamp(now))).rowcount
            uid = conn.execute(select(users.c.id).where(users.c.name == user.name)).scalar_one()
            expires = stamp(now + self.session_hours * 3600)
            conn.execute(
                insert(sessions).values(
                    digest=digest(token), user_id=uid, csrf=csrf, created_at=stamp(now), expires_at=expires
                )
            )
            conn.execute(update(users).where(users.c.id == uid).values(failed_logins=0, locked_until=None))
            data = {"expires_at": expires, "expired_sessions_cleared": int(purged or 0)}
            record(conn, user.name, "session.login", f"user:{user.name}", data)
        return token, csrf

    def _locked_until(self, name: str, now: float) -> str | None:
        """Until when the account refuses logins, if it does now."""
        if not NAME.match(name):
            return None
        with self.engine.connect() as conn:
            row = conn.execute(select(users.c.locked_until).where(users.c.name == name)).first()
        until = None if row is None else row.locked_until
        return until if until is not None and until > stamp(now) else None

    def _failed(self, name: str, now: float) -> None:
        """Count a wrong password (in its own transaction, audited); lock the account at the
        limit. An unknown name is only audited: there is no account to lock."""
        shown = name if NAME.match(name) else "?"
        data: dict[str, object] = {}
        with self.engine.begin() as conn:
            if shown != "?" and self.max_failed_logins > 0:
                c = users.c
                conn.execute(
                    update(users).where(c.name == name).values(failed_logins=c.failed_logins + 1)
                )
                row = conn.execute(select(c.id, c.failed_logins).where(c.name == name)).first()
                if row is not None:
                    data["failures_in_a_row"] = int(row.failed_logins)
                    if row.failed_logins >= self.max_failed_logins:
                        until = stamp(now + self.lockout_minutes * 60)
                        conn.execute(
                            update(users).where(c.id == row.id).values(failed_logins=0, locked_until=until)
                        )
                        data["locked_until"] = until
            # Nobody proved who they are: the actor is anonymous, the object the name tried.
            record(conn, ANONYMOUS, "session.login_failed", f"user:{shown}", data)

    def session(self, token: str) -> Session | None:
        """The live session of this cookie token: unexpired, of an active user; else None."""
        if not token or len(token) > 100:
            return None
        query = (
            select(users, sessions.c.csrf, sessions.c.expires_at)
            .join(sessions, sessions.c.user_id == users.c.id)
            .where(sessions.c.digest == digest(token), sessions.c.expires_at > stamp(self.clock()))
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        if row is None or not row["active"]:
            return None
        return Session(_user(row), str(row["csrf"]), str(row["expires_at"]))

    def logout(self, token: str) -> bool:
        """End the session of this token (True when there was one)."""
        with self.engine.begin() as conn:
            row = conn.execute(
                select(users.c.name)
                .join(sessions, sessions.c.user_id == users.c.id)
                .where(sessions.c.digest == digest(token))
            ).first()
            if row is None:
                return False
            conn.execute(delete(sessions).where(sessions.c.digest == digest(token)))
            record(conn, str(row[0]), "session.logout", f"user:{row[0]}", {})
        return True
