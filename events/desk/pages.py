"""HTML face of the desk: the page and its service worker.

The page is a shell; everything it does goes through the check-in JSON API of
CHECKIN_CONTRACT.md (scan, search, walk-ins, undo, the offline list, live counts).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pycountry
from babel import Locale
from litestar import Request, Response, get
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from events import i18n
from events.accounts.middleware import CONTENT_SECURITY_POLICY
from events.registration import services as registration
from events.registration.models import Category
from events.settings import PROJECT_ROOT
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


@get("/desk/{slug:str}", opt=DESK, include_in_schema=False)
async def desk_page(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
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
    )
    response.headers["Content-Security-Policy"] = DESK_CSP
    response.headers["Cache-Control"] = "no-cache"
    return response


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


routes = [desk_page, service_worker]
