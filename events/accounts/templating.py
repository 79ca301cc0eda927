"""Jinja globals: ``csrf_field()`` for forms, ``csrf_token()`` for JS, ``current_user()``."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from events.accounts.access import CurrentUser
from events.accounts.security import CSRF_FIELD


def _user(context: Context) -> CurrentUser | None:
    request = context.get("request")
    user = request.scope.get("user") if request is not None else None
    return user if isinstance(user, CurrentUser) else None


@pass_context
def csrf_token(context: Context) -> str:
    """The pre-session token of /login and /set-password (``login_csrf``), else the session's."""
    if context.get("login_csrf"):
        return str(context["login_csrf"])
    user = _user(context)
    return user.csrf_token or "" if user is not None else ""


@pass_context
def csrf_field(context: Context) -> Markup:
    """``<input type="hidden" name="csrf_token" …>`` for every POST form.

    (Litestar itself puts a plain-string ``csrf_input`` into every template context, which would
    shadow a global of that name; hence ``csrf_field()``.)
    """
    value = csrf_token(context)
    return Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(value)}">')  # noqa: S704


@pass_context
def signed_in_user(context: Context) -> CurrentUser | None:
    return _user(context)


def install(env: Environment) -> None:
    globals_: dict[str, Any] = {
        "csrf_token": csrf_token,
        "csrf_field": csrf_field,
        "current_user": signed_in_user,
    }
    env.globals.update(globals_)
