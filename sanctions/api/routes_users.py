"""Users, personal API keys and who am I: admins manage users and keys, auditors read them too;
``/me`` is anyone's.

Every change is written to the audit trail with the calling principal as its actor. A key is
returned once, when created; listings show its prefix only.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from sanctions import Permission
from sanctions.api.deps import AdminDep, AuditDep, PrincipalDep, StateDep
from sanctions.api.responses import JsonResponse
from sanctions.api.schemas import ErrorResponse

router = APIRouter(tags=["Users"])
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Bad user name, role, password or label"},
    401: {"model": ErrorResponse, "description": "Missing or wrong API key or session"},
    403: {"model": ErrorResponse, "description": "The role does not allow it"},
    404: {"model": ErrorResponse, "description": "No such user or key"},
    409: {"model": ErrorResponse, "description": "The user exists already"},
}


class UserIn(BaseModel):
    """A new user; without a password it can use API keys only (no UI login)."""

    name: str = Field(min_length=1, max_length=64)
    role: str = Field(min_length=1, max_length=16)
    password: str | None = Field(default=None, max_length=1024)


class KeyIn(BaseModel):
    """A label to tell the key apart in listings."""

    label: str = Field(default="", max_length=100)


@router.get("/me", responses=_ERRORS)
async def me(principal: PrincipalDep) -> JsonResponse:
    """Who the request acts as: name, role, how it authenticated, and its permissions."""
    granted = [p.value for p in Permission if principal.can(p)]
    return JsonResponse(
        {"name": principal.name, "role": principal.role, "via": principal.via, "permissions": granted}
    )


@router.get("/users", responses=_ERRORS)
async def users(state: StateDep, _reader: AuditDep) -> JsonResponse:
    """Every user with role and state (never a password hash); admins and auditors."""
    return JsonResponse([asdict(u) for u in await run_in_threadpool(state.screener.user_list)])


@router.post("/users", responses=_ERRORS, status_code=201)
async def add_user(body: UserIn, state: StateDep, admin: AdminDep) -> JsonResponse:
    """Add a user (analyst, checker, admin or auditor)."""
    user = await run_in_threadpool(
        lambda: state.screener.user_add(body.name, body.role, body.password, actor=admin.name)
    )
    return JsonResponse(asdict(user), status_code=201)


@router.post("/users/{name}/disable", responses=_ERRORS)
async def disable_user(name: str, state: StateDep, admin: AdminDep) -> JsonResponse:
    """Refuse the user's logins, keys and sessions from now on (nothing is deleted)."""
    user = await run_in_threadpool(lambda: state.screener.user_disable(name, actor=admin.name))
    return JsonResponse(asdict(user))


@router.post("/users/{name}/enable", responses=_ERRORS)
async def enable_user(name: str, state: StateDep, admin: AdminDep) -> JsonResponse:
    """Let a disabled user in again."""
    user = await run_in_threadpool(lambda: state.screener.user_enable(name, actor=admin.name))
    return JsonResponse(asdict(user))


@router.post("/users/{name}/keys", responses=_ERRORS, status_code=201)
async def create_key(name: str, state: StateDep, admin: AdminDep, body: KeyIn | None = None) -> JsonResponse:
    """A new personal API key for the user: ``key`` is in this answer only, never again."""
    label = body.label if body else ""
    key_id, key = await run_in_threadpool(lambda: state.screener.key_create(name, label, actor=admin.name))
    return JsonResponse({"id": key_id, "user": name, "label": label, "key": key}, status_code=201)


@router.get("/keys", responses=_ERRORS)
async def keys(state: StateDep, _reader: AuditDep, user: str | None = None) -> JsonResponse:
    """Every key (of one user), revoked ones included: id, user, prefix, label, times; admins
    and auditors."""
    return JsonResponse([asdict(k) for k in await run_in_threadpool(state.screener.key_list, user)])


@router.delete("/keys/{key_id}", responses=_ERRORS)
async def revoke_key(key_id: int, state: StateDep, admin: AdminDep) -> JsonResponse:
    """Revoke a key: it stops working at once and stays listed."""
    key = await run_in_threadpool(lambda: state.screener.key_revoke(key_id, actor=admin.name))
    return JsonResponse(asdict(key))
