"""Who the request is and what they may do. The guard and every area use these helpers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from litestar.connection import ASGIConnection

ACCESS_LEVELS = ("public", "user", "organiser", "desk", "admin")
Access = Literal["public", "user", "organiser", "desk", "admin"]


@dataclass(frozen=True, slots=True)
class Grant:
    role: str  # "organiser" | "desk"
    event_id: int | None  # None: every event


@dataclass(frozen=True, slots=True)
class CurrentUser:
    """``request.user`` on a signed-in request (None when anonymous)."""

    id: int
    email: str
    display_name: str
    is_admin: bool
    grants: tuple[Grant, ...]
    via: Literal["session", "token"]
    # The session's CSRF token (cookie sessions only).
    csrf_token: str | None = None
    session_id: int | None = None
    token_id: int | None = None

    @property
    def label(self) -> str:
        return self.display_name or self.email


def current_user(connection: ASGIConnection[Any, Any, Any, Any]) -> CurrentUser | None:
    user = connection.scope.get("user")
    return user if isinstance(user, CurrentUser) else None


def is_authenticated(
    user_or_connection: CurrentUser | ASGIConnection[Any, Any, Any, Any] | None,
) -> bool:
    if isinstance(user_or_connection, ASGIConnection):
        return current_user(user_or_connection) is not None
    return isinstance(user_or_connection, CurrentUser)


def can_manage(user: CurrentUser | None, event_id: int | None) -> bool:
    """Organiser of this event (or of every event), or admin. ``event_id=None``: of any event."""
    if user is None:
        return False
    if user.is_admin:
        return True
    return any(
        g.role == "organiser" and (g.event_id is None or event_id is None or g.event_id == event_id)
        for g in user.grants
    )


def can_staff_desk(user: CurrentUser | None, event_id: int | None) -> bool:
    """Desk staff, organiser or admin of this event. ``event_id=None``: of any event."""
    if can_manage(user, event_id):
        return True
    return user is not None and any(
        g.role == "desk" and (g.event_id is None or event_id is None or g.event_id == event_id)
        for g in user.grants
    )


def managed_event_ids(user: CurrentUser | None) -> set[int] | None:
    """Ids of the events the user organises; None means every event."""
    if user is None:
        return set()
    if user.is_admin or any(g.role == "organiser" and g.event_id is None for g in user.grants):
        return None
    return {g.event_id for g in user.grants if g.role == "organiser" and g.event_id is not None}


def desk_event_ids(user: CurrentUser | None) -> set[int] | None:
    """Ids of the events the user may staff the desk of; None means every event."""
    if user is None:
        return set()
    if user.is_admin or any(g.event_id is None for g in user.grants):
        return None
    return {g.event_id for g in user.grants if g.event_id is not None}
