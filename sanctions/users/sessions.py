"""UI sessions: a random token in an HttpOnly cookie, stored as its SHA-256 digest, with a
CSRF token that every form of the session carries, and an expiry (``session_hours``).

Logins, failed logins and logouts are audited; a failed login in its own transaction.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from sqlalchemy import Engine, delete, insert, select

from sanctions.audit import record
from sanctions.errors import AuthError
from sanctions.store.tables.users import sessions, users
from sanctions.users.accounts import ANONYMOUS, NAME, Accounts, Clock, User, _user, digest, stamp


@dataclass(frozen=True, slots=True)
class Session:
    """A live UI session: who, and the CSRF token its forms must carry."""

    user: User
    csrf: str
    expires_at: str


class Users(Accounts):
    """Users, keys and UI sessions: the users room's one entry point."""

    def __init__(self, engine: Engine, session_hours: float = 12.0, clock: Clock = time.time) -> None:
        super().__init__(engine, clock)
        self.session_hours = session_hours

    def login(self, name: str, password: str) -> tuple[str, str]:
        """Open a session: ``(token, csrf)``; :class:`AuthError` for a wrong name or password.

        The token goes into the cookie and is stored only as its digest. Expired sessions of
        every user are cleared on the way.
        """
        user = self.authenticate(name, password)
        if user is None:
            with self.engine.begin() as conn:
                shown = name if NAME.match(name) else "?"
                # Nobody proved who they are: the actor is anonymous, the object the name tried.
                record(conn, ANONYMOUS, "session.login_failed", f"user:{shown}", {})
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
            data = {"expires_at": expires, "expired_sessions_cleared": int(purged or 0)}
            record(conn, user.name, "session.login", f"user:{user.name}", data)
        return token, csrf

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
