"""Who is asking (session cookie or bearer token), and the security headers on every answer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import MutableScopeHeaders
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.types import Message, Scope
from litestar.utils.scope.state import ScopeState
from sqlalchemy.ext.asyncio import AsyncSession

from events.accounts import services
from events.accounts.security import SESSION_COOKIE, utcnow

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)
HSTS = "max-age=31536000; includeSubDomains"
LOCALISED_TYPES = ("text/html", "application/json", "text/plain")


def add_vary(headers: MutableScopeHeaders, *names: str) -> None:
    """Add ``names`` to the Vary header, keeping what it already says (e.g. Accept-Encoding)."""
    present = [v.strip() for v in headers.get("vary", "").split(",") if v.strip()]
    known = {v.lower() for v in present}
    if "*" in known:
        return
    present += [n for n in names if n.lower() not in known]
    headers["Vary"] = ", ".join(present)


def clock(connection: ASGIConnection[Any, Any, Any, Any]) -> datetime:
    """Now; tests move it with ``app.state.clock = lambda: some_datetime``."""
    now: Callable[[], datetime] | None = connection.app.state.get("clock")
    return now() if now is not None else utcnow()


def request_session(connection: ASGIConnection[Any, Any, Any, Any]) -> AsyncSession:
    """The request's own database session: the one its handler gets as ``db_session``.

    Who is asking, the guard's event lookup and the handler share one connection and one
    transaction (committed or rolled back when the answer starts), instead of three.
    """
    config = connection.app.state.db_config
    session: AsyncSession = config.provide_session(connection.app.state, connection.scope)
    return session


class AuthenticationMiddleware(AbstractAuthenticationMiddleware):
    """Sets ``request.user`` to a CurrentUser, or None when anonymous (never refuses: the guard
    decides). ``Authorization: Bearer`` wins over the cookie. Uses the request's session."""

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        header = connection.headers.get("authorization", "")
        cookie = connection.cookies.get(SESSION_COOKIE)
        if not header and not cookie:
            return AuthenticationResult(user=None, auth=None)
        now = clock(connection)
        db = request_session(connection)
        if header:
            scheme, _, value = header.partition(" ")
            if scheme.lower() != "bearer" or not value.strip():
                return AuthenticationResult(user=None, auth=None)
            principal = await services.authenticate_token(db, value.strip(), now)
            if principal is None:
                return AuthenticationResult(user=None, auth=None)
            return AuthenticationResult(user=principal, auth=principal.token_id)
        assert cookie is not None
        session = await services.load_session(db, cookie, now)
        if session is None:
            return AuthenticationResult(user=None, auth=None)
        user = services.principal_for_session(session)
        # Litestar's own template helpers (csrf_token, csrf_input) then show the same token.
        ScopeState.from_scope(connection.scope).csrf_token = session.csrf_token
        return AuthenticationResult(user=user, auth=session.id)


async def security_headers(message: Message, scope: Scope) -> None:
    """A ``before_send`` hook: runs for every answer, 404s and errors included."""
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    if "content-security-policy" not in headers:
        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    headers["X-Frame-Options"] = "DENY"
    if headers.get("content-type", "").startswith(LOCALISED_TYPES):
        # Pages and API messages follow the language cookie and Accept-Language, and pages the
        # session cookie: a shared cache must not hand one reader's answer to another.
        add_vary(headers, "Accept-Language", "Cookie")
    app = scope.get("app")
    settings = getattr(getattr(app, "state", None), "settings", None) if app else None
    if settings is not None and settings.https:
        headers["Strict-Transport-Security"] = HSTS
