"""JSON: who am I (``GET /api/v1/me``)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, get

from events.accounts.access import current_user


class RoleOut(msgspec.Struct):
    role: str
    event_id: int | None


class Me(msgspec.Struct):
    id: int
    email: str
    display_name: str
    is_admin: bool
    roles: list[RoleOut]
    via: str


@get("/api/v1/me", opt={"access": "user"}, tags=["accounts"], cache=False)
async def me(request: Request[Any, Any, Any]) -> Me:
    """The signed-in user (session or token) and their roles."""
    user = current_user(request)
    assert user is not None
    return Me(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        is_admin=user.is_admin,
        roles=[RoleOut(role=g.role, event_id=g.event_id) for g in user.grants],
        via=user.via,
    )


routes = [me]
