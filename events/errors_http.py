"""Turns domain errors into HTTP answers: JSON under /api, a page elsewhere."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException
from litestar.response import Template
from sqlalchemy.exc import IntegrityError

from events import i18n
from events.errors import DomainError


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


def html_http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if _wants_json(request):
        body: dict[str, Any] = {"status_code": exc.status_code, "detail": exc.detail}
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
        HTTPException: html_http_error,
    }
