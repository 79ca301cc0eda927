"""HTML face of the desk: the page and its service worker.

The page is a shell; everything it does goes through the check-in JSON API of
CHECKIN_CONTRACT.md (scan, search, walk-ins, undo, the offline list, live counts).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from functools import cache
from typing import Any
from urllib.parse import quote

import msgspec
import pycountry
from babel import Locale
from litestar import Request, Response, get, post
from litestar.datastructures import State
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from events import i18n
from events.accounts.access import current_user
from events.accounts.middleware import CONTENT_SECURITY_POLICY
from events.checkin import services as checkin
from events.checkin.schemas import ScanIn, ScanOut, WalkInIn
from events.errors import InvalidInput
from events.registration import services as registration
from events.registration.models import Category
from events.settings import PROJECT_ROOT, Settings
from events.web import render, ui_language

DESK = {"access": "desk"}
SERVICE_WORKER = PROJECT_ROOT / "static" / "js" / "desk" / "sw.js"

# The site's policy plus 'wasm-unsafe-eval', on the desk page only: the QR decoder (zxing-wasm)
# compiles its WebAssembly module, which CSP otherwise forbids. No eval of JavaScript is allowed.
DESK_CSP = CONTENT_SECURITY_POLICY.replace(
    "script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'"
)


def category_names() -> dict[str, str]:
    return {
        Category.PARTICIPANT.value: i18n.gettext("Participant"),
        Category.DELEGATION.value: i18n.gettext("Delegation"),
        Category.SPEAKER.value: i18n.gettext("Speaker"),
        Category.PRESS.value: i18n.gettext("Press"),
        Category.GUEST.value: i18n.gettext("Guest"),
    }


@cache
def countries(language: str) -> list[tuple[str, str]]:
    names = Locale.parse(language).territories
    result = [(c.alpha_2, names.get(c.alpha_2, c.name)) for c in pycountry.countries]
    return sorted(result, key=lambda pair: pair[1].casefold())


def messages() -> dict[str, str]:
    """Every sentence the desk's JavaScript shows, in the interface language."""
    _ = i18n.gettext
    return {
        "ok": _("Welcome"),
        "already_checked_in": _("Already checked in"),
        "already_at": _("Already checked in at %(time)s at %(desk)s"),
        "unknown": _("Unknown badge"),
        "cancelled": _("Registration cancelled"),
        "waitlisted": _("On the waiting list"),
        "pending": _("Awaiting approval"),
        "wrong_event": _("Badge of another event"),
        "error": _("The scan could not be checked. Try again."),
        "offline_decided": _("Decided on this device (offline); it will be sent when online."),
        "online": _("Online"),
        "offline": _("Offline"),
        "waiting": _("Waiting to be sent: %(count)s"),
        "waiting_none": _("All scans sent"),
        "counts": _("Checked in: %(checked_in)s of %(confirmed)s"),
        "undone": _("Check-in undone"),
        "undo_expired": _("Too late to undo (10 minutes have passed)"),
        "other_desk": _("Only the desk that checked this person in can undo it"),
        "no_results": _("Nobody found"),
        "check_in": _("Check in"),
        "camera_error": _("The camera could not be started"),
        "camera_on": _("Point the camera at the QR code"),
        "main_entrance": _("Main entrance"),
        "walkin_done": _("Registered and checked in"),
        "walkin_error": _("The walk-in could not be registered"),
        "offline_unavailable": _("Not available offline"),
        "desk_required": _("Choose a name for this desk first"),
    }


# Without JavaScript the desk still works: the desk name lives in a cookie, the forms post here,
# and the answer is rendered by the server (a fresh nonce per form makes a re-post harmless).
DESK_COOKIE = "desk_name"


def desk_name(request: Request[Any, Any, Any]) -> str:
    return str(request.cookies.get(DESK_COOKIE) or "").strip()[:40]


def _answer(out: ScanOut, badge_url: str | None = None) -> dict[str, Any]:
    kind = {"ok": "ok", "already_checked_in": "warn"}.get(out.status, "bad")
    titles = messages()
    person = out.registration
    return {
        "kind": kind,
        "status": out.status,
        "title": titles.get(out.status, titles["error"]),
        "name": f"{person.given_name} {person.family_name}" if person else "",
        "organisation": person.organisation if person else "",
        "category": category_names().get(person.category, person.category) if person else "",
        "detail": out.message if out.status != "ok" else "",
        "badge_url": badge_url,
    }


async def _page(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    slug: str,
    *,
    result: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Template:
    language = ui_language(request)
    i18n.set_language(language)
    event = await registration.get_event(db_session, slug)
    settings = await registration.get_registration_settings(db_session, event.id)
    names = category_names()
    codes = list((settings.public_categories or {}).keys()) if settings else []
    for code in names:
        if code not in codes:
            codes.append(code)
    query = str(request.query_params.get("q") or "").strip()[:100]
    results = await checkin.search(db_session, event, query) if len(query) >= 2 else None
    config = {
        "slug": event.slug,
        "timezone": event.timezone,
        "language": language,
        "api": f"/api/v1/events/{event.slug}",
        "serviceWorker": f"/desk/{event.slug}/sw.js",
        "scope": f"/desk/{event.slug}",
        "wasm": "/static/vendor/zxing-wasm/zxing_reader.wasm",
        "categories": names,
        "messages": messages(),
    }
    response = render(
        request,
        "desk/desk.html",
        event=event,
        title=i18n.pick(event.title, language, event.default_language),
        config=config,
        categories=[(code, names.get(code, code)) for code in codes],
        countries=countries(language),
        desk=desk_name(request),
        nonce=secrets.token_urlsafe(16),
        query=query,
        results=results,
        result=result,
        status_code=status_code,
    )
    response.headers["Content-Security-Policy"] = DESK_CSP
    response.headers["Cache-Control"] = "no-cache"
    return response


@get("/desk/{slug:str}", opt=DESK, include_in_schema=False)
async def desk_page(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
) -> Template:
    return await _page(request, db_session, slug)


@post("/desk/{slug:str}/desk-name", opt=DESK, include_in_schema=False)
async def set_desk_name(request: Request[Any, Any, Any], slug: str) -> Redirect:
    """The desk name for browsers without JavaScript (with it, the page keeps it itself)."""
    form = await request.form()
    name = str(form.get("desk") or "").strip()[:40]
    if not name:
        raise InvalidInput("invalid_desk", i18n.gettext("Name the desk."), field="desk")
    response = Redirect(f"/desk/{quote(slug)}", status_code=303)
    response.set_cookie(
        DESK_COOKIE, name, path=f"/desk/{slug}", httponly=True, samesite="lax", max_age=86400 * 30
    )
    return response


def _desk_or_fail(request: Request[Any, Any, Any]) -> str:
    desk = desk_name(request)
    if not desk:
        raise InvalidInput(
            "invalid_desk", i18n.gettext("Choose a name for this desk first"), field="desk"
        )
    return desk


@post("/desk/{slug:str}/scan", opt=DESK, include_in_schema=False)
async def scan_form(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
) -> Template:
    """A typed (or handheld-scanned) token, or a search result's registration, without JS."""
    i18n.set_language(ui_language(request))
    form = await request.form()
    values: dict[str, Any] = {
        "nonce": str(form.get("nonce") or ""),
        "scanned_at": datetime.now(UTC),
        "desk": _desk_or_fail(request),
    }
    if form.get("registration_id"):
        values["registration_id"] = form.get("registration_id")
    else:
        values["token"] = str(form.get("token") or "").strip()
    try:
        data = msgspec.convert(values, ScanIn, strict=False)
    except msgspec.ValidationError as exc:
        raise InvalidInput("invalid_input", str(exc), field="token") from exc
    event = await checkin.get_event(db_session, slug)
    decision = await checkin.decide_scan(
        db_session, event, data, current_user(request), counted=True
    )
    out = checkin.answer_out(decision.answer, event.timezone)
    return await _page(request, db_session, slug, result=_answer(out))


@post("/desk/{slug:str}/walk-in", opt=DESK, include_in_schema=False)
async def walk_in_form(
    request: Request[Any, Any, Any], db_session: AsyncSession, state: State, slug: str
) -> Template:
    """The walk-in form without JS: register, check in, offer the badge."""
    language = ui_language(request)
    i18n.set_language(language)
    form = await request.form()
    values = {
        key: str(form.get(key) or "").strip()
        for key in ("given_name", "family_name", "organisation", "country", "category", "email")
    }
    values.update(nonce=str(form.get("nonce") or ""), desk=_desk_or_fail(request))
    if not values["email"]:
        values["email"] = None  # type: ignore[assignment]
    try:
        data = msgspec.convert(values, WalkInIn)
    except msgspec.ValidationError as exc:
        raise InvalidInput("invalid_input", str(exc), field="given_name") from exc
    settings: Settings = state.settings
    event = await checkin.get_event(db_session, slug)
    await checkin.rate_limit_scan(db_session, current_user(request), data.desk)
    result = await checkin.walk_in(
        db_session, settings, event, data, current_user(request), language=language
    )
    out = checkin.answer_out(result.decision.answer, event.timezone)
    badge = f"/desk/{event.slug}/badges/{result.registration.id}.pdf"
    answer = _answer(out, badge)
    answer["detail"] = i18n.gettext("Registered and checked in")
    return await _page(request, db_session, slug, result=answer)


@get("/desk/{slug:str}/sw.js", opt=DESK, include_in_schema=False)
async def service_worker(db_session: AsyncSession, slug: str) -> Response[bytes]:
    """The desk's service worker. Served under the desk's path, it may control ``/desk/{slug}``
    itself only because ``Service-Worker-Allowed`` widens its scope one level up."""
    await registration.get_event(db_session, slug)
    return Response(
        SERVICE_WORKER.read_bytes(),
        media_type="text/javascript; charset=utf-8",
        headers={
            "Service-Worker-Allowed": f"/desk/{slug}",
            "Cache-Control": "no-cache",
        },
    )


routes = [desk_page, service_worker, set_desk_name, scan_form, walk_in_form]
