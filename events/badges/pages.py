"""Badge downloads: the attendee's own, the organisers' batch print and re-issue, the desk's one."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.response import Redirect, Response, Template
from sqlalchemy.ext.asyncio import AsyncSession

from events import i18n
from events.accounts.access import CurrentUser, current_user
from events.agenda.models import Event
from events.badges import services
from events.badges.services import BadgeFilter
from events.db.base import MAX_ID
from events.documents.badges import BadgeLayout
from events.errors import DomainError, NotFound
from events.registration import services as registrations
from events.registration.models import RegistrationStatus
from events.web import RowId, render, ui_language

PUBLIC = {"access": "public"}
ORGANISER = {"access": "organiser"}
DESK = {"access": "desk"}
_BADGE_FILE = re.compile(r"([1-9][0-9]{0,18})\.pdf")


def _ip(request: Request[Any, Any, Any]) -> str | None:
    return request.client.host if request.client else None


def _user(request: Request[Any, Any, Any]) -> CurrentUser | None:
    return current_user(request)


def pdf_response(
    outcome: services.PrintOutcome, *, inline: bool = False, headers: dict[str, str] | None = None
) -> Response[bytes]:
    disposition = "inline" if inline else "attachment"
    return Response(
        outcome.pdf,
        status_code=200,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'{disposition}; filename="{outcome.filename}"',
            # Personal data: never kept by shared caches or the browser's back/forward cache.
            "Cache-Control": "no-store",
            **(headers or {}),
        },
    )


# --- the attendee --------------------------------------------------------------------------------


@get("/r/{token:str}/badge.pdf", opt=PUBLIC, cache=False, include_in_schema=False)
async def attendee_badge(
    request: Request[Any, Any, Any], db_session: AsyncSession, token: str
) -> Response[bytes]:
    """The attendee's own A6 badge, by their personal link; a clear page when not confirmed."""
    i18n.set_language(ui_language(request))
    return pdf_response(await services.attendee_badge(db_session, token), inline=True)


# --- the desk ------------------------------------------------------------------------------------


def badge_id(filename: str) -> int:
    """``42.pdf`` -> 42, bounded like every id in a path (events.web.RowId)."""
    match = _BADGE_FILE.fullmatch(filename)
    if match is None or int(match.group(1)) > MAX_ID:
        raise NotFound("badge", filename[:40])
    return int(match.group(1))


@get("/desk/{slug:str}/badges/{filename:str}", opt=DESK, cache=False, include_in_schema=False)
async def desk_badge(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str, filename: str
) -> Response[bytes]:
    """``/desk/{slug}/badges/{registration_id}.pdf``: one confirmed person's badge (walk-ins)."""
    i18n.set_language(ui_language(request))
    event = await registrations.get_event(db_session, slug)
    layout = request.query_params.get("layout") or BadgeLayout.A6.value
    outcome = await services.desk_badge(
        db_session, _user(request), event, badge_id(filename),
        request.query_params.get("lang"), layout=layout[:16], ip=_ip(request),
    )  # fmt: skip
    return pdf_response(outcome, inline=True)


# --- the organisers ------------------------------------------------------------------------------


def _languages(event: Event) -> list[str]:
    languages = [code for code in event.languages or [] if code in i18n.UI_LANGUAGES]
    return languages or [i18n.DEFAULT_LANGUAGE]


def _default_language(event: Event) -> str:
    languages = _languages(event)
    return event.default_language if event.default_language in languages else languages[0]


def _form_values(source: Any, event: Event) -> dict[str, Any]:
    def value(name: str, default: str = "", limit: int = 32) -> str:
        found = source.get(name)
        return str(found)[:limit] if isinstance(found, str) and found else default

    return {
        "category": value("category"),
        "status": value("status", RegistrationStatus.CONFIRMED.value),
        "not_printed": bool(source.get("not_printed")),
        "layout": value("layout", BadgeLayout.A6.value),
        "language": value("language", _default_language(event), 8),
        "mark_printed": bool(source.get("mark_printed")),
    }


def _filter(values: dict[str, Any]) -> BadgeFilter:
    return BadgeFilter(
        category=values["category"], status=values["status"], not_printed=values["not_printed"]
    )


async def _page(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    event: Event,
    values: dict[str, Any],
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    **context: Any,
) -> Template:
    errors = dict(errors or {})
    matched, rows = 0, []
    if values["language"] not in _languages(event):
        values["language"] = _default_language(event)
    try:
        filters = _filter(values)
        matched = await services.count(db, event, filters)
        rows = await services.matching(db, event, filters)
    except DomainError as exc:
        errors.setdefault(exc.field or "form", exc.message)
        status_code = max(status_code, exc.status_code)
    query = {k: v for k, v in values.items() if k in ("category", "status") and v}
    if values["not_printed"]:
        query["not_printed"] = "1"
    return render(
        request, "manage/badges.html", status_code, event=event, values=values, errors=errors,
        count=matched, rows=rows, limit=services.LIST_LIMIT, layouts=services.LAYOUTS,
        statuses=services.STATUSES, categories=services.CATEGORIES,
        languages=_languages(event), filter_query=urlencode(query), **context,
    )  # fmt: skip


@get("/manage/events/{slug:str}/badges", opt=ORGANISER, cache=False, include_in_schema=False)
async def badges_page(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
) -> Template:
    i18n.set_language(ui_language(request))
    event = await registrations.get_event(db_session, slug)
    values = _form_values(request.query_params, event)
    values["mark_printed"] = True
    reissued = None
    reissued_id = request.query_params.get("reissued", "")
    if reissued_id.isdigit() and 0 < int(reissued_id) <= MAX_ID:
        try:
            reissued = await registrations.get_registration(db_session, event, int(reissued_id))
        except DomainError:
            reissued = None
    return await _page(request, db_session, event, values, reissued=reissued)


@post("/manage/events/{slug:str}/badges/print", opt=ORGANISER, cache=False, include_in_schema=False)
async def badges_print(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
) -> Response[Any]:
    """One PDF of every matching badge, in the chosen layout; marks them printed (audited)."""
    i18n.set_language(ui_language(request))
    event = await registrations.get_event(db_session, slug)
    values = _form_values(await request.form(), event)
    try:
        outcome = await services.print_batch(
            db_session, _user(request), event, _filter(values), values["layout"],
            values["language"], mark=values["mark_printed"], ip=_ip(request),
        )  # fmt: skip
    except DomainError as exc:
        # Nothing half-written stays: no print recorded, no audit entry.
        await db_session.rollback()
        event = await registrations.get_event(db_session, slug)
        return await _page(
            request, db_session, event, values, exc.status_code,
            {exc.field or "form": exc.message},
        )  # fmt: skip
    return pdf_response(outcome, headers={"X-Badge-Count": str(outcome.count)})


@post(
    "/manage/events/{slug:str}/badges/{registration_id:int}/reissue",
    opt=ORGANISER,
    cache=False,
    include_in_schema=False,
)
async def badge_reissue(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    slug: str,
    registration_id: RowId,
) -> Redirect:
    """A new check-in token for this registration: the old badge no longer admits anyone."""
    event = await registrations.get_event(db_session, slug)
    await services.reissue(db_session, _user(request), event, registration_id, ip=_ip(request))
    form = await request.form()
    back = {"reissued": str(registration_id)}
    for key in ("category", "status", "not_printed"):
        if isinstance(form.get(key), str) and form.get(key):
            back[key] = str(form.get(key))[:32]
    return Redirect(f"/manage/events/{slug}/badges?{urlencode(back)}", status_code=303)


routes = [attendee_badge, desk_badge, badges_page, badges_print, badge_reissue]
