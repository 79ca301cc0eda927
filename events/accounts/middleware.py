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
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from events.accounts import services
from events.accounts.security import SESSION_COOKIE, utcnow

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)
HSTS = "max-age=31536000; includeSubDomains"


def clock(connection: ASGIConnection[Any, Any, Any, Any]) -> datetime:
    """Now; tests move it with ``app.state.clock = lambda: some_datetime``."""
    now: Callable[[], datetime] | None = connection.app.state.get("clock")
    return now() if now is not None else utcnow()


def sessionmaker(
    connection: ASGIConnection[Any, Any, Any, Any],
) -> async_sessionmaker[AsyncSession]:
    state = connection.app.state
    maker: async_sessionmaker[AsyncSession] | None = state.get("accounts_sessionmaker")
    if maker is None:
        engine: AsyncEngine = state.engine
        maker = async_sessionmaker(engine, expire_on_commit=False)
        state.accounts_sessionmaker = maker
    return maker


class AuthenticationMiddleware(AbstractAuthenticationMiddleware):
    """Sets ``request.user`` to a CurrentUser, or None when anonymous (never refuses: the guard
    decides). ``Authorization: Bearer`` wins over the cookie. Uses its own short transaction."""

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        header = connection.headers.get("authorization", "")
        cookie = connection.cookies.get(SESSION_COOKIE)
        if not header and not cookie:
            return AuthenticationResult(user=None, auth=None)
        now = clock(connection)
        async with sessionmaker(connection)() as db, db.begin():
            if header:
                scheme, _, value = header.partition(" ")
                if scheme.lower() != "bearer" or not value.strip():
                    return AuthenticationResult(user=None, auth=None)
                token = await services.load_token(db, value.strip(), now)
                if token is None:
                    return AuthenticationResult(user=None, auth=None)
                return AuthenticationResult(user=services.principal_for_token(token), auth=token.id)
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
    app = scope.get("app")
    settings = getattr(getattr(app, "state", None), "settings", None) if app else None
    if settings is not None and settings.https:
        headers["Strict-Transport-Security"] = HSTS
