"""Shared helpers for the HTML faces: the page language, template rendering, htmx fragments."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request
from litestar.params import Parameter
from litestar.response import Redirect, Template

from events import i18n
from events.db.base import MAX_ID

# An id in a URL path: a positive integer within the database's range. Larger values would reach
# the driver and fail there; bounded here they answer 400 naming the parameter.
RowId = Annotated[int, Parameter(ge=1, le=MAX_ID)]


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


def html_of(request: Request[Any, Any, Any], page: Template) -> str:
    """A page's HTML, rendered now rather than by the response (to keep it, e.g. in a cache)."""
    engine = request.app.template_engine
    assert engine is not None, "the app is configured with templates"
    template = engine.get_template(page.template_name or "")
    # The context Litestar's own Template response gives (request, csrf_input) plus the page's.
    html: str = template.render(**{**page.context, "request": request, "csrf_input": ""})
    return html


# A page that answers htmx with a fragment and everyone else with the whole page (or a redirect)
# must say so to caches.
VARY_HTMX = {"Vary": "HX-Request"}
# Failed validation in an htmx request: the fragment with the error at its field. The organiser
# layout's htmx config swaps this status (and no other 4xx) into the page.
HTMX_INVALID = 422


def wants_fragment(request: Request[Any, Any, Any]) -> bool:
    """An htmx request asks for the changed part only; a history restore needs the whole page."""
    return (
        request.headers.get("hx-request") == "true"
        and request.headers.get("hx-history-restore-request") != "true"
    )


def render_fragment(
    request: Request[Any, Any, Any], template: str, status_code: int = 200, **context: Any
) -> Template:
    response = render(request, template, status_code, **context)
    response.headers.update(VARY_HTMX)
    return response


def see_other(url: str) -> Redirect:
    """The POST-redirect-GET answer of a page that answers htmx with a fragment."""
    return Redirect(url, status_code=303, headers=VARY_HTMX)
