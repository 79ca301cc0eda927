"""Domain errors with stable codes, raised by services and turned into HTTP answers by the faces."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A broken rule. ``code`` is stable (clients and translations key on it)."""

    status_code = 400

    def __init__(self, code: str, message: str, *, field: str | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.extra = extra

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        if self.extra:
            body["extra"] = self.extra
        return body


class InvalidInput(DomainError):
    status_code = 422


class NotFound(DomainError):
    status_code = 404

    def __init__(self, what: str, key: object) -> None:
        super().__init__(f"{what}_not_found", f"{what.capitalize()} {key!s} was not found.")


class Conflict(DomainError):
    status_code = 409


class Forbidden(DomainError):
    status_code = 403
