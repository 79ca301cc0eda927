"""Shared helpers for the HTML faces: the page language and template rendering."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.response import Template

from events import i18n


def ui_language(request: Request[Any, Any, Any]) -> str:
    """The interface language: ``?lang=``, then the language cookie, then Accept-Language."""
    requested = request.query_params.get("lang") or request.cookies.get("lang")
    language = i18n.negotiate(requested, request.headers.get("accept-language"), i18n.UI_LANGUAGES)
    return language or i18n.DEFAULT_LANGUAGE


def content_language(request: Request[Any, Any, Any], available: list[str], default: str) -> str:
    """The language to show an event's content in: the reader's if the event has it."""
    requested = request.query_params.get("lang") or request.cookies.get("lang")
    language = i18n.negotiate(requested, request.headers.get("accept-language"), available)
    return language or default


def render(
    request: Request[Any, Any, Any], template: str, status_code: int = 200, **context: Any
) -> Template:
    language = context.pop("ui_lang", None) or ui_language(request)
    i18n.set_language(language)
    context.setdefault("ui_lang", language)
    context.setdefault("ui_languages", i18n.UI_LANGUAGES)
    context.setdefault("request", request)
    return Template(template_name=template, context=context, status_code=status_code)
