"""The users section of :class:`~sanctions.service.Screener`: users, roles, API keys, sessions.

The faces authenticate through :meth:`UserMethods.principal` (API keys, the server's legacy key)
and :meth:`UserMethods.session` (UI cookies), and check roles with ``Principal.can``; they never
reach the users room directly. ``actor`` is who the audit trail names for a change.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING

from sanctions.errors import AuthError, PermissionDenied

if TYPE_CHECKING:
    from sanctions.settings import Settings
    from sanctions.store import SqlStore
    from sanctions.users import ApiKey, Permission, Principal, Session, User, Users


class UserMethods:
    """Local users and what they may do (docs/security.md, "Users, roles and keys")."""

    store: SqlStore
    settings: Settings
    _users: Users | None = None
    _has_users: bool = False  # once a user exists it stays (users are disabled, never deleted)

    @property
    def users(self) -> Users:
        """The users room on this Screener's store."""
        if self._users is None:
            from sanctions.users import Users

            self._users = Users(
                self.store.engine,
                self.settings.session_hours,
                max_failed_logins=self.settings.max_failed_logins,
                lockout_minutes=self.settings.lockout_minutes,
            )
        return self._users

    # -- users ---------------------------------------------------------------------------------
    def user_add(self, name: str, role: str, password: str | None = None, *, actor: str) -> User:
        """Create a user (``password`` None: no UI login). The first user must be an admin."""
        user = self.users.add(name, role, password, actor=actor)
        self._has_users = True
        return user

    def user_list(self) -> list[User]:
        """Every user, by name."""
        return self.users.list()

    def user_get(self, name: str) -> User:
        """One user (NotFoundError when unknown)."""
        return self.users.get(name)

    def user_disable(self, name: str, *, actor: str) -> User:
        """Refuse the user's logins, keys and sessions from now on."""
        if name == actor:
            raise PermissionDenied("you cannot disable yourself: ask another admin")
        return self.users.disable(name, actor=actor)

    def user_enable(self, name: str, *, actor: str) -> User:
        """Let a disabled user in again."""
        return self.users.enable(name, actor=actor)

    def user_set_role(self, name: str, role: str, *, actor: str) -> User:
        """Give a user another role."""
        return self.users.set_role(name, role, actor=actor)

    def user_set_password(self, name: str, password: str | None, *, actor: str) -> User:
        """Set (or remove) a user's password; their UI sessions end."""
        return self.users.set_password(name, password, actor=actor)

    def has_users(self) -> bool:
        """Whether the store holds any user (the bootstrap rule: the first one must be an admin)."""
        if not self._has_users:
            self._has_users = self.users.count() > 0
        return self._has_users

    # -- keys ----------------------------------------------------------------------------------
    def key_create(self, name: str, label: str = "", *, actor: str) -> tuple[int, str]:
        """A new personal API key for ``name``: ``(id, key)``, the key shown only this once."""
        return self.users.create_key(name, label, actor=actor)

    def key_revoke(self, key_id: int, *, actor: str) -> ApiKey:
        """Stop a key from working."""
        return self.users.revoke_key(key_id, actor=actor)

    def key_list(self, name: str | None = None) -> list[ApiKey]:
        """Keys (of one user), revoked ones included; never the keys themselves."""
        return self.users.keys(name)

    # -- who is asking ---------------------------------------------------------------------------
    def principal(self, key: str | None) -> Principal | None:
        """The principal of an API key: the server's SANCTIONS_API_KEY (the built-in admin
        ``api-key``) or an active user's unrevoked personal key; None for anything else."""
        from sanctions.users import API_KEY_PRINCIPAL, Principal, Role

        if not key:
            return None
        legacy = self.settings.api_key
        if legacy and hmac.compare_digest(key.encode(), legacy.encode()):
            return Principal(API_KEY_PRINCIPAL, Role.ADMIN, "server-key")
        user = self.users.user_for_key(key)
        return None if user is None else Principal(user.name, user.role, "key")

    def session_principal(self, token: str | None) -> Principal | None:
        """The principal of a UI session cookie, with its CSRF token; None when not live."""
        from sanctions.users import Principal

        found = self.session(token) if token else None
        return None if found is None else Principal(found.user.name, found.user.role, "session", found.csrf)

    def reads_open(self) -> bool:
        """Whether screening reads need no credentials: SANCTIONS_API_OPEN_READS, or nobody could
        present any (no server key and no users yet)."""
        if self.settings.api_open_reads:
            return True
        return not self.settings.api_key and not self.has_users()

    def acting_user(self, name: str | None, permission: Permission | None = None) -> User:
        """The active user ``name`` (the CLI's ``--user``), checked for ``permission``."""
        if not name:
            raise AuthError("say who acts: --user NAME or SANCTIONS_USER")
        user = self.users.get(name)
        if not user.active:
            raise AuthError(f"the user {name!r} is disabled")
        if permission is not None and not user.can(permission):
            raise PermissionDenied(f"the user {name!r} ({user.role}) may not do this: it needs {permission}")
        return user

    # -- UI sessions -----------------------------------------------------------------------------
    def login(self, name: str, password: str) -> tuple[str, str]:
        """Open a UI session: ``(token, csrf)``; AuthError for a wrong name or password."""
        return self.users.login(name, password)

    def session(self, token: str) -> Session | None:
        """The live session of a cookie token, or None."""
        return self.users.session(token)

    def logout(self, token: str) -> bool:
        """End a UI session."""
        return self.users.logout(token)
