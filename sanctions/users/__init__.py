"""The users room: local users and roles, personal API keys, UI sessions, role checks.

Behind the service: the faces reach it through :class:`sanctions.Screener` only.
"""

from sanctions.users.accounts import ApiKey, User, check_name
from sanctions.users.roles import (
    API_KEY_PRINCIPAL,
    PERMISSIONS,
    ROLES,
    Permission,
    Principal,
    Role,
    allowed,
    roles_table,
    roles_with,
)
from sanctions.users.sessions import Session, Users

__all__ = [
    "API_KEY_PRINCIPAL",
    "PERMISSIONS",
    "ROLES",
    "ApiKey",
    "Permission",
    "Principal",
    "Role",
    "Session",
    "User",
    "Users",
    "allowed",
    "check_name",
    "roles_table",
    "roles_with",
]
