"""Roles and what each may do: the one table behind every role check (API routes, UI pages, CLI).

* ``analyst`` decides alerts; ``checker`` decides too, and approves the decisions of others
  (four eyes: never one's own, the store refuses it);
* ``admin`` manages users, keys, settings, list loads, books and webhooks;
* ``auditor`` reads everything, the audit trail included, and changes nothing.

Every role reads screening results, books, alerts and cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """A user's role (one per user)."""

    ANALYST = "analyst"
    CHECKER = "checker"
    ADMIN = "admin"
    AUDITOR = "auditor"


class Permission(StrEnum):
    """What a route, page or command needs."""

    READ = "read"  # screening, books, alerts, cases
    DECIDE = "decide"  # decide an alert
    APPROVE = "approve"  # approve or reject another user's decision
    ADMIN = "admin"  # users, keys, settings, list loads, books, webhooks
    AUDIT = "audit"  # read the audit trail


# The one table: role -> permissions.
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ANALYST: frozenset({Permission.READ, Permission.DECIDE}),
    Role.CHECKER: frozenset({Permission.READ, Permission.DECIDE, Permission.APPROVE}),
    Role.ADMIN: frozenset({Permission.READ, Permission.ADMIN, Permission.AUDIT}),
    Role.AUDITOR: frozenset({Permission.READ, Permission.AUDIT}),
}
ROLES: tuple[str, ...] = tuple(r.value for r in Role)


def allowed(role: str, permission: Permission | str) -> bool:
    """Whether ``role`` has ``permission`` (an unknown role has none)."""
    try:
        return Permission(permission) in PERMISSIONS[Role(role)]
    except ValueError:
        return False


def roles_with(permission: Permission | str) -> list[str]:
    """The roles that have ``permission``, in table order (for error messages and docs)."""
    return [r.value for r, granted in PERMISSIONS.items() if Permission(permission) in granted]


def roles_table() -> str:
    """The Markdown table of roles and permissions (docs/security.md quotes it)."""
    perms = list(Permission)
    rows = ["| Role | " + " | ".join(f"`{p}`" for p in perms) + " |", "|---" * (len(perms) + 1) + "|"]
    for role, granted in PERMISSIONS.items():
        rows.append(f"| `{role}` | " + " | ".join("yes" if p in granted else "" for p in perms) + " |")
    return "\n".join(rows) + "\n"


API_KEY_PRINCIPAL = "api-key"  # the built-in admin of the server's SANCTIONS_API_KEY


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a request or command acts as: a user name and role, and how they proved it.

    ``via`` is ``key`` (a personal API key), ``session`` (the UI cookie; ``csrf`` is its token),
    or ``server-key`` (the legacy SANCTIONS_API_KEY, the built-in admin ``api-key``).
    """

    name: str
    role: str
    via: str
    csrf: str | None = None

    def can(self, permission: Permission | str) -> bool:
        """Whether this principal's role has ``permission``."""
        return allowed(self.role, permission)
