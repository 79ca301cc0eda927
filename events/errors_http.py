"""Turns domain errors into HTTP answers: JSON under /api, a page elsewhere."""

from __future__ import annotations

import logging
import socket
from typing import Any

import asyncpg.exceptions as pg  # type: ignore[import-untyped]
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException
from litestar.response import Template
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from events import i18n
from events.errors import DomainError

log = logging.getLogger(__name__)


def _wants_json(request: Request[Any, Any, Any]) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    )


def domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    if _wants_json(request):
        return Response(
            {"status_code": exc.status_code, "detail": exc.message, **exc.to_dict()},
            status_code=exc.status_code,
            media_type=MediaType.JSON,
        )
    return Template(
        template_name="error.html",
        context={"status_code": exc.status_code, "message": exc.message, "code": exc.code},
        status_code=exc.status_code,
    )  # type: ignore[return-value]


def integrity_error(request: Request[Any, Any, Any], exc: IntegrityError) -> Response[Any]:
    # A unique constraint raced past a service check: answer 409, not 500.
    error = DomainError("conflict", i18n.gettext("This conflicts with an existing record."))
    error.status_code = 409
    return domain_error(request, error)


# Seconds a client should wait before retrying while the database is unreachable.
RETRY_AFTER = 2


def database_unavailable(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """The database cannot be reached (restart, failover, pool exhausted): 503, not 500.

    Nothing was written (the transaction never committed), so the client may simply retry; the
    answer says so and carries ``Retry-After``. Other driver errors are bugs and stay 500.
    """
    if _is_bad_value(exc):
        return _bad_value(request)
    if not _is_unavailable(exc):
        return _internal_error(request, exc)
    log.warning("database unavailable on %s: %s: %s", request.url.path, type(exc).__name__, exc)
    error = DomainError(
        "database_unavailable",
        i18n.gettext(
            "The database is not reachable at the moment. Nothing was saved; "
            "please try again in a few seconds."
        ),
    )
    error.status_code = 503
    response = domain_error(request, error)
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


# Raised by the driver while (re)connecting, before SQLAlchemy can wrap them.
_CONNECT_ERRORS = (
    ConnectionError,  # refused, reset, aborted
    TimeoutError,
    socket.gaierror,
    pg.PostgresConnectionError,  # SQLSTATE 08…
    pg.OperatorInterventionError,  # 57…: shutting down, cannot connect now, admin shutdown
    pg.TooManyConnectionsError,
    pg.InterfaceError,
    # A connection the server dropped (a restart) while the driver was still reading its goodbye:
    # the next statement on it finds "another operation in progress". Seen during
    # bench.faults.pg_restart on statements sent straight to asyncpg; nothing was sent.
    pg.InternalClientError,
)


def _is_bad_value(exc: Exception) -> bool:
    """SQLSTATE class 22 (data exception): a value the database refused, e.g. a NUL character."""
    original = getattr(exc, "orig", None)
    state = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    if state is None and isinstance(exc, pg.PostgresError):
        state = exc.sqlstate
    return isinstance(state, str) and state.startswith("22")


def _bad_value(request: Request[Any, Any, Any]) -> Response[Any]:
    # A safety net: services validate their fields; what slips through is still the client's
    # value (a NUL character in a filter, a number out of range), so 400, never 500.
    error = DomainError(
        "invalid_value",
        i18n.gettext(
            "A value in this request cannot be stored or searched for "
            "(for example a NUL character, or a number out of range)."
        ),
    )
    return domain_error(request, error)


def _is_unavailable(exc: Exception) -> bool:
    if isinstance(exc, (OperationalError, InterfaceError, PoolTimeout, *_CONNECT_ERRORS)):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def _internal_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.error("unhandled %s on %s", type(exc).__name__, request.url.path, exc_info=exc)
    message = i18n.gettext("Something went wrong on our side.")
    if _wants_json(request):
        return Response(
            {"status_code": 500, "detail": "Internal Server Error"},
            status_code=500,
            media_type=MediaType.JSON,
        )
    return Template(
        template_name="error.html",
        context={"status_code": 500, "message": message, "code": ""},
        status_code=500,
    )  # type: ignore[return-value]


HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
}


def html_http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if _wants_json(request):
        # The same shape as a domain error (code, message, field), so clients parse one thing.
        body: dict[str, Any] = {
            "status_code": exc.status_code,
            "detail": exc.detail,
            "code": HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}"),
            "message": exc.detail,
        }
        problems = _field_problems(exc.extra)
        if problems:
            body["field"] = problems[0][0]
            body["message"] = "; ".join(f"{k}: {m}" if k else m for k, m in problems)
        if exc.extra:
            body["extra"] = exc.extra
        return Response(
            body, status_code=exc.status_code, media_type=MediaType.JSON, headers=exc.headers
        )
    return Template(
        template_name="error.html",
        context={
            "status_code": exc.status_code,
            "message": exc.detail,
            "code": "",
            "problems": _field_problems(exc.extra),
        },
        status_code=exc.status_code,
        headers=exc.headers,
    )  # type: ignore[return-value]


def _field_problems(extra: Any) -> list[tuple[str, str]]:
    """(field, message) pairs of a validation error, so the page names what was wrong."""
    if not isinstance(extra, list):
        return []
    return [
        (str(item.get("key", "")), str(item.get("message", "")))
        for item in extra
        if isinstance(item, dict)
    ]


def handlers() -> dict[Any, Any]:
    return {
        DomainError: domain_error,
        IntegrityError: integrity_error,
        DBAPIError: database_unavailable,
        PoolTimeout: database_unavailable,
        OSError: database_unavailable,  # only connection failures; other OS errors stay 500
        pg.PostgresError: database_unavailable,  # only connection failures (08…, 57…, 53300)
        pg.InterfaceError: database_unavailable,
        pg.InternalClientError: database_unavailable,
        HTTPException: html_http_error,
        # Anything else: 500, and its traceback in the log (Litestar logs only in debug mode).
        Exception: _internal_error,
    }
