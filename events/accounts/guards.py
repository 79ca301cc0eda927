"""The application-wide access guard (``opt={"access": ...}``), CSRF, and what they answer."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.response import Redirect

from events import i18n
from events.accounts.access import (
    ACCESS_LEVELS,
    CurrentUser,
    can_manage,
    can_staff_desk,
    current_user,
)
from events.accounts.middleware import request_session
from events.accounts.ratelimit import RateLimited
from events.accounts.security import CSRF_FIELD, CSRF_HEADER, same
from events.agenda import queries as agenda_queries
from events.errors_http import domain_error
from events.web import VARY_HTMX, wants_fragment

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class LoginRequired(NotAuthorizedException):
    """Anonymous request for a page: answered with a redirect to /login."""


def wants_json(connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    if connection.scope["type"] != ScopeType.HTTP or connection.url.path.startswith("/api/"):
        return True
    return "application/json" in connection.headers.get("accept", "")


async def check_csrf(connection: ASGIConnection[Any, Any, Any, Any], user: CurrentUser) -> None:
    """A state-changing request authorised by the session cookie must carry its CSRF token."""
    if user.via != "session" or connection.scope.get("method", "GET") in SAFE_METHODS:
        return
    sent = connection.headers.get(CSRF_HEADER)
    content_type = connection.headers.get("content-type", "")
    if not sent and content_type.startswith(FORM_TYPES) and isinstance(connection, Request):
        form = await connection.form()
        value = form.get(CSRF_FIELD) or form.get("_csrf_token")
        sent = value if isinstance(value, str) else None
    if not same(sent, user.csrf_token):
        raise PermissionDeniedException(
            i18n.gettext("The form has expired or did not come from this site. Please try again.")
        )


def is_automatic_options(route_handler: BaseRouteHandler) -> bool:
    """Litestar's own OPTIONS handler of every path (it only lists the allowed methods)."""
    fn = getattr(route_handler, "fn", None)
    methods: set[str] = getattr(route_handler, "http_methods", set())
    return methods == {"OPTIONS"} and getattr(fn, "__qualname__", "").endswith(
        "create_options_handler.<locals>.options_handler"
    )


def declared_access(route_handler: BaseRouteHandler) -> str | None:
    """The handler's ``opt["access"]``; Litestar's automatic OPTIONS handlers count as public."""
    access = (route_handler.opt or {}).get("access")
    if access is None and is_automatic_options(route_handler):
        return "public"
    return access if isinstance(access, str) else None


async def access_guard(
    connection: ASGIConnection[Any, Any, Any, Any], route_handler: BaseRouteHandler
) -> None:
    access = declared_access(route_handler)
    if access not in ACCESS_LEVELS:
        # Fail closed: a route that does not say who may use it is used by nobody.
        raise PermissionDeniedException("This route declares no access level.")
    if access == "public":
        return
    user = current_user(connection)
    if user is None:
        if wants_json(connection):
            raise NotAuthorizedException(i18n.gettext("Please sign in."))
        raise LoginRequired(i18n.gettext("Please sign in."))
    await check_csrf(connection, user)
    if access == "user":
        return
    if access == "admin":
        if not user.is_admin:
            raise PermissionDeniedException(i18n.gettext("Only administrators may do this."))
        return
    slug = connection.path_params.get("slug")
    event_id: int | None = None
    if slug is not None:
        ref = await agenda_queries.event_ref(
            request_session(connection), str(slug), connection.scope
        )
        # Unknown event: only those allowed on every event go on (to a 404).
        event_id = ref.id if ref is not None else -1
    allowed = (
        can_manage(user, event_id) if access == "organiser" else can_staff_desk(user, event_id)
    )
    if not allowed:
        raise PermissionDeniedException(i18n.gettext("You may not do this for this event."))


def login_required(request: Request[Any, Any, Any], exc: LoginRequired) -> Response[Any]:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if wants_fragment(request):
        # htmx would follow a redirect and swap the sign-in page into the part of the page it
        # updates: tell it to load the sign-in page instead, coming back to the page it was on.
        current = urlsplit(request.headers.get("hx-current-url", ""))
        if current.path.startswith("/"):
            target = current.path + (f"?{current.query}" if current.query else "")
        login = f"/login?next={quote(target, safe='/')}"
        return Response(content=b"", status_code=401, headers={"HX-Redirect": login, **VARY_HTMX})
    return Redirect(f"/login?next={quote(target, safe='/')}", status_code=303)


def rate_limited(request: Request[Any, Any, Any], exc: RateLimited) -> Response[Any]:
    response = domain_error(request, exc)
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


def exception_handlers() -> dict[Any, Any]:
    return {LoginRequired: login_required, RateLimited: rate_limited}
