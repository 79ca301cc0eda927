"""Commit the request's transaction before its answer starts, and answer 503 if it cannot.

advanced-alchemy's ``autocommit`` hook commits as the answer starts, and when that commit fails
(PostgreSQL restarting at that moment) it logs the error and sends the answer anyway: a desk would
show "welcome" and an attendee "registered" for a write that was rolled back. This middleware
commits instead (events/db/engine.py keeps only advanced-alchemy's default hook, which closes the
session as the answer starts: whatever was not committed is rolled back). When the commit fails,
the answer that depended on the write is dropped and the error's answer goes out instead (503
``database_unavailable`` with Retry-After: nothing was saved, the client retries).
"""

from __future__ import annotations

import contextlib
from typing import Any

from advanced_alchemy.extensions.litestar._utils import get_aa_scope_state
from litestar import Request
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from sqlalchemy.ext.asyncio import AsyncSession

from events import errors_http

# Answers whose writes are kept: success, and redirects (a form POST answers 303).
COMMIT_STATUSES = range(200, 400)


class CommitBeforeAnswerMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        refused = False

        async def send_once_committed(message: Message) -> None:
            nonlocal refused
            if refused:
                return  # the rest of the answer that was not committed
            if message["type"] == "http.response.start" and message["status"] in COMMIT_STATUSES:
                # The config's key: advanced-alchemy renames it when apps share a process.
                key = scope["app"].state.db_config.session_scope_key
                session: AsyncSession | None = get_aa_scope_state(scope, key)
                if session is not None:
                    try:
                        await session.commit()
                    except Exception as exc:  # any failed commit: never answered as a success
                        refused = True
                        await _answer_failure(scope, receive, send, session, exc)
                        return
            await send(message)

        await self.app(scope, receive, send_once_committed)


async def _answer_failure(
    scope: Scope, receive: Receive, send: Send, session: AsyncSession, exc: Exception
) -> None:
    with contextlib.suppress(Exception):  # the connection may be gone: the server rolled back
        await session.rollback()
    request: Request[Any, Any, Any] = Request(scope, receive)
    response = errors_http.database_unavailable(request, exc)
    await response.to_asgi_response(app=scope["app"], request=request)(scope, receive, send)
