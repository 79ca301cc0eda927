"""The organiser's workspace pages: /manage (dashboard), an event's overview and editor,
partners and rooms, publishing, previews and confirmed deletes.

Thin handlers: parse the form (events.workspace.forms), call one service
(events.workspace.services), redirect after a change (POST-redirect-GET) or re-render the form
with the error next to its field.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request, get, post
from litestar.exceptions import PermissionDeniedException
from litestar.response import Redirect, Response, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events import i18n, web
from events.accounts.access import CurrentUser, current_user
from events.agenda import pages as agenda_pages
from events.agenda import services as agenda
from events.agenda.models import (
    EventKind,
    Organisation,
    OrganisationKind,
    PartnerRole,
)
from events.errors import DomainError, InvalidInput
from events.web import HTMX_INVALID, RowId, render, render_fragment, see_other, wants_fragment
from events.workspace import forms, services

USER = {"access": "user"}
ORGANISER = {"access": "organiser"}
# The languages offered first on a new event's form (every content language can be ticked).
COMMON_LANGUAGES = ("en", "de", "ru", "kk")
N_ = agenda_pages.N_
ORGANISATION_KINDS = {
    "university": N_("University"),
    "ministry": N_("Ministry"),
    "funding_agency": N_("Funding agency"),
    "research_institute": N_("Research institute"),
    "company": N_("Company"),
    "embassy": N_("Embassy"),
    "other": N_("Other"),
}
PARTNER_ROLE_LABELS = {
    "host": N_("Host"),
    "co_host": N_("Co-host"),
    "partner": N_("Partner"),
    "sponsor": N_("Sponsor"),
    "delegation": N_("Delegation"),
}


def _user(request: Request[Any, Any, Any]) -> CurrentUser:
    user = current_user(request)
    assert user is not None  # the guard let only signed-in users in
    return user


def _ip(request: Request[Any, Any, Any]) -> str | None:
    return request.client.host if request.client else None


async def _form(request: Request[Any, Any, Any]) -> dict[str, list[str]]:
    data = await request.form()
    return {key: [str(v) for v in data.getall(key)] for key in data}


def _see_other(path: str) -> Response[Any]:
    return Redirect(path, status_code=303)


def _local_input(value: datetime, zone: str) -> str:
    """A UTC instant as a ``datetime-local`` value in the event's zone."""
    return value.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


def _choices() -> dict[str, Any]:
    """Labels of the enumerations the forms offer, in the interface language."""
    return {
        "event_kinds": [
            (k.value, agenda_pages.label(agenda_pages.EVENT_KINDS, k.value)) for k in EventKind
        ],
        "partner_roles": [
            (r.value, i18n.gettext(PARTNER_ROLE_LABELS[r.value])) for r in PartnerRole
        ],
        "organisation_kinds": [
            (k.value, i18n.gettext(ORGANISATION_KINDS[k.value])) for k in OrganisationKind
        ],
        "content_languages": [
            (code, i18n.language_name(code, i18n.current_language()))
            for code in i18n.CONTENT_LANGUAGES
        ],
        "statuses": {
            "draft": i18n.gettext("Draft"),
            "published": i18n.gettext("Published"),
            "closed": i18n.gettext("Closed"),
            "archived": i18n.gettext("Archived"),
        },
    }


def _event_values(event: Any) -> dict[str, Any]:
    """The form's values for an existing event."""
    return {
        "slug": event.slug,
        "kind": event.kind,
        "timezone": event.timezone,
        "country": event.country,
        "default_language": event.default_language,
        "venue": event.venue or "",
        "city": event.city or "",
        "languages": list(event.languages),
        "title": dict(event.title or {}),
        "description": dict(event.description or {}),
        "partner_countries": ", ".join(event.partner_countries or []),
        "starts_at": _local_input(event.starts_at, event.timezone),
        "ends_at": _local_input(event.ends_at, event.timezone),
    }


def _submitted_values(form: forms.Form) -> dict[str, Any]:
    """The form's values as the user typed them (to show them again next to an error)."""
    languages = forms.event_languages(form) or []
    values: dict[str, Any] = {
        name: forms.first(form, name)
        for name in (*forms.EVENT_TEXT_FIELDS, *forms.OPTIONAL_TEXT_FIELDS, "partner_countries",
                     "starts_at", "ends_at")
    }  # fmt: skip
    values["languages"] = languages
    for name in forms.MULTILINGUAL_FIELDS:
        values[name] = {
            code: forms.first(form, f"{name}-{code}") for code in i18n.CONTENT_LANGUAGES
        }
    return values


def _new_values() -> dict[str, Any]:
    return {
        "slug": "", "kind": "round_table", "timezone": "Asia/Almaty", "country": "KZ",
        "default_language": "en", "venue": "", "city": "", "languages": ["en"],
        "title": {}, "description": {}, "partner_countries": "", "starts_at": "", "ends_at": "",
    }  # fmt: skip


def _language_tabs(values: dict[str, Any]) -> list[dict[str, Any]]:
    """One tab per language: the event's languages first, then the common ones (inactive).

    ``missing`` lists the multilingual fields that have text in another language but not in this.
    """
    languages: list[str] = list(values["languages"])
    shown = languages + [code for code in COMMON_LANGUAGES if code not in languages]
    tabs = []
    for code in shown:
        missing = []
        for name in forms.MULTILINGUAL_FIELDS:
            texts: dict[str, str] = values[name]
            if (
                code in languages
                and not (texts.get(code) or "").strip()
                and any((texts.get(other) or "").strip() for other in languages)
            ):
                missing.append(name)
        tabs.append(
            {
                "code": code,
                "name": i18n.language_name(code, i18n.current_language()),
                "active": code in languages,
                "default": code == values["default_language"],
                "missing": missing,
            }
        )
    return tabs


def _editor(
    request: Request[Any, Any, Any],
    values: dict[str, Any],
    *,
    event: Any = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    organisations: list[Organisation] | None = None,
    saved: bool = False,
) -> Template:
    return render(
        request,
        "manage/workspace/edit.html",
        status_code,
        event=event,
        values=values,
        tabs=_language_tabs(values),
        errors=errors or {},
        organisations=organisations or [],
        saved=saved,
        **_choices(),
    )


async def _organisations(db: AsyncSession) -> list[Organisation]:
    return list((await db.scalars(select(Organisation).order_by(Organisation.name))).all())


def _error_dict(exc: DomainError) -> dict[str, str]:
    return {forms.error_key(exc.field): exc.message}


# --- dashboard -----------------------------------------------------------------------------


@get("/manage", opt=USER, cache=False, include_in_schema=False)
async def dashboard(request: Request[Any, Any, Any], db_session: AsyncSession) -> Template:
    user = _user(request)
    rows, failed_total = await services.dashboard(db_session, user)
    return render(
        request, "manage/dashboard.html", rows=rows, user=user, failed_total=failed_total,
        can_create=services.can_create_events(user), **_choices(),
    )  # fmt: skip


# --- new event -----------------------------------------------------------------------------


def _may_create(request: Request[Any, Any, Any]) -> CurrentUser:
    user = _user(request)
    if not services.can_create_events(user):
        raise PermissionDeniedException(
            i18n.gettext("Only administrators and organisers of all events may create events.")
        )
    return user


@get("/manage/events/new", opt=ORGANISER, cache=False, include_in_schema=False)
async def new_event_page(request: Request[Any, Any, Any]) -> Template:
    _may_create(request)
    return _editor(request, _new_values())


@post("/manage/events/new", opt=ORGANISER, cache=False, include_in_schema=False)
async def new_event_submit(
    request: Request[Any, Any, Any], db_session: AsyncSession
) -> Response[Any]:
    user = _may_create(request)
    form = await _form(request)
    try:
        data = forms.event_data(form)
        if data["slug"] == "new":
            raise InvalidInput(
                "slug_reserved", i18n.gettext("This address is reserved; choose another."),
                field="slug",
            )  # fmt: skip
        event = await services.create_event(db_session, user, data, ip=_ip(request))
    except DomainError as exc:
        await db_session.rollback()
        return _editor(
            request, _submitted_values(form), errors=_error_dict(exc), status_code=exc.status_code
        )
    return _see_other(f"/manage/events/{event.slug}/edit?created=1")


# --- overview ------------------------------------------------------------------------------


@get("/manage/events/{slug:str}", opt=ORGANISER, cache=False, include_in_schema=False)
async def overview(
    request: Request[Any, Any, Any], slug: str, db_session: AsyncSession
) -> Template:
    event = await services.load_event(db_session, slug)
    impact = await services.event_impact(db_session, event)
    conflicts = await agenda.event_conflicts(db_session, slug, include_drafts=True)
    values = _event_values(event)
    return render(
        request, "manage/workspace/overview.html", event=event, impact=impact,
        conflicts=conflicts, tabs=_language_tabs(values),
        notice=request.query_params.get("done"), **_choices(),
    )  # fmt: skip


@post("/manage/events/{slug:str}/status", opt=ORGANISER, cache=False, include_in_schema=False)
async def change_status(
    request: Request[Any, Any, Any], slug: str, db_session: AsyncSession
) -> Response[Any]:
    form = await _form(request)
    status = forms.first(form, "status")
    await services.set_status(db_session, _user(request), slug, status, ip=_ip(request))
    return _see_other(f"/manage/events/{slug}?done={status}")


# --- editor --------------------------------------------------------------------------------


@get("/manage/events/{slug:str}/edit", opt=ORGANISER, cache=False, include_in_schema=False)
async def edit_page(
    request: Request[Any, Any, Any], slug: str, db_session: AsyncSession
) -> Template:
    event = await services.load_event(db_session, slug)
    return _editor(
        request, _event_values(event), event=event,
        organisations=await _organisations(db_session),
        saved=bool(request.query_params.get("saved") or request.query_params.get("created")),
    )  # fmt: skip


SAVED = N_(
    "Saved. Every change is in the audit log with its previous value: to undo one, edit it back."
)


async def _section(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    slug: str,
    section: str,
    *,
    errors: dict[str, str] | None = None,
) -> Template:
    """What htmx swaps after a change to the partners or rooms: that section of the editor."""
    if errors:
        await db.rollback()  # nothing of the failed change is kept
    else:
        await db.flush()
    event = await services.load_event(db, slug)
    return render_fragment(
        request, "manage/workspace/_section_response.html",
        HTMX_INVALID if errors else 200, event=event, section=section, errors=errors or {},
        focus=section, organisations=await _organisations(db),
        notice=None if errors else i18n.gettext(SAVED), **_choices(),
    )  # fmt: skip


async def _done(
    request: Request[Any, Any, Any], db: AsyncSession, slug: str, section: str
) -> Response[Any]:
    """After a change to the partners or rooms: the section for htmx, else the whole editor."""
    if wants_fragment(request):
        return await _section(request, db, slug, section)
    return see_other(f"/manage/events/{slug}/edit?saved=1#{section}")


async def _editor_again(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    slug: str,
    exc: DomainError,
    values: dict[str, Any] | None = None,
    prefix: str = "",
) -> Template:
    """The editor with the error next to its field; nothing of the failed change is kept.

    For htmx (partners and rooms only) just the section with the error next to its field."""
    errors = {prefix + forms.error_key(exc.field): exc.message}
    if wants_fragment(request) and prefix.startswith(("partner", "room")):
        section = "partners" if prefix.startswith("partner") else "rooms"
        return await _section(request, db, slug, section, errors=errors)
    await db.rollback()
    event = await services.load_event(db, slug)
    return _editor(
        request, values or _event_values(event), event=event, errors=errors,
        status_code=exc.status_code, organisations=await _organisations(db),
    )  # fmt: skip


@post("/manage/events/{slug:str}/edit", opt=ORGANISER, cache=False, include_in_schema=False)
async def edit_submit(
    request: Request[Any, Any, Any], slug: str, db_session: AsyncSession
) -> Response[Any]:
    form = await _form(request)
    try:
        data = forms.event_data(form)
        data.pop("status", None)
        event, _changed = await services.update_event(
            db_session, _user(request), slug, data, ip=_ip(request)
        )
    except DomainError as exc:
        return await _editor_again(request, db_session, slug, exc, _submitted_values(form))
    return _see_other(f"/manage/events/{event.slug}/edit?saved=1")


# --- partners ------------------------------------------------------------------------------


@post("/manage/events/{slug:str}/partners", opt=ORGANISER, cache=False, include_in_schema=False)
async def partner_add(
    request: Request[Any, Any, Any], slug: str, db_session: AsyncSession
) -> Response[Any]:
    form = await _form(request)
    try:
        name = forms.first(form, "org_name").strip()
        new_organisation = None
        if name:
            new_organisation = {
                "name": name,
                "short_name": forms.first(form, "org_short_name").strip() or None,
                "country": forms.first(form, "org_country").strip(),
                "kind": forms.first(form, "org_kind") or "other",
                "website": forms.first(form, "org_website").strip() or None,
            }
        await services.add_partner(
            db_session, _user(request), slug,
            organisation_id=forms.optional_int(
                forms.first(form, "organisation_id"), "organisation_id"
            ),
            new_organisation=new_organisation,
            role=forms.first(form, "role"),
            position=forms.optional_int(forms.first(form, "position"), "position") or 0,
            ip=_ip(request),
        )  # fmt: skip
    except DomainError as exc:
        return await _editor_again(request, db_session, slug, exc, prefix="partner.")
    return await _done(request, db_session, slug, "partners")


@post(
    "/manage/events/{slug:str}/partners/{partner_id:int}",
    opt=ORGANISER, cache=False, include_in_schema=False,
)  # fmt: skip
async def partner_update(
    request: Request[Any, Any, Any], slug: str, partner_id: RowId, db_session: AsyncSession
) -> Response[Any]:
    form = await _form(request)
    try:
        await services.update_partner(
            db_session, _user(request), slug, partner_id,
            role=forms.first(form, "role"),
            position=forms.optional_int(forms.first(form, "position"), "position") or 0,
            ip=_ip(request),
        )  # fmt: skip
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        return await _editor_again(request, db_session, slug, exc, prefix=f"partner-{partner_id}.")
    return await _done(request, db_session, slug, "partners")


@get(
    "/manage/events/{slug:str}/partners/{partner_id:int}/delete",
    opt=ORGANISER, cache=False, include_in_schema=False,
)  # fmt: skip
async def partner_delete_page(
    request: Request[Any, Any, Any], slug: str, partner_id: RowId, db_session: AsyncSession
) -> Template:
    event = await services.load_event(db_session, slug)
    partner = await agenda.get_partner(db_session, slug, partner_id, include_drafts=True)
    speakers = await services.partner_speakers(db_session, partner)
    consequences = [
        i18n.gettext(
            "%(name)s is no longer shown as a partner of this event.",
            name=partner.organisation.name,
        ),
        i18n.gettext("The organisation stays in the list of known organisations."),
    ]
    if speakers:
        consequences.append(
            i18n.ngettext(
                "%(num)d speaker keeps this organisation as affiliation.",
                "%(num)d speakers keep this organisation as affiliation.",
                speakers,
            )
        )
    return render(
        request, "manage/workspace/confirm_delete.html", event=event,
        what=partner.organisation.name, consequences=consequences,
        action=f"/manage/events/{slug}/partners/{partner_id}/delete",
        back=f"/manage/events/{slug}/edit#partners", nav="edit",
    )  # fmt: skip


@post(
    "/manage/events/{slug:str}/partners/{partner_id:int}/delete",
    opt=ORGANISER, cache=False, include_in_schema=False,
)  # fmt: skip
async def partner_delete(
    request: Request[Any, Any, Any], slug: str, partner_id: RowId, db_session: AsyncSession
) -> Response[Any]:
    await services.delete_partner(db_session, _user(request), slug, partner_id, ip=_ip(request))
    return await _done(request, db_session, slug, "partners")


# --- rooms ---------------------------------------------------------------------------------


def _room_fields(form: forms.Form) -> dict[str, Any]:
    return {
        "name": forms.first(form, "name"),
        "capacity": forms.optional_int(forms.first(form, "capacity"), "capacity"),
        "position": forms.optional_int(forms.first(form, "position"), "position") or 0,
    }


@post("/manage/events/{slug:str}/rooms", opt=ORGANISER, cache=False, include_in_schema=False)
async def room_add(
    request: Request[Any, Any, Any], slug: str, db_session: AsyncSession
) -> Response[Any]:
    form = await _form(request)
    try:
        await services.add_room(
            db_session, _user(request), slug, **_room_fields(form), ip=_ip(request)
        )
    except DomainError as exc:
        return await _editor_again(request, db_session, slug, exc, prefix="room.")
    return await _done(request, db_session, slug, "rooms")


@post(
    "/manage/events/{slug:str}/rooms/{room_id:int}",
    opt=ORGANISER, cache=False, include_in_schema=False,
)  # fmt: skip
async def room_update(
    request: Request[Any, Any, Any], slug: str, room_id: RowId, db_session: AsyncSession
) -> Response[Any]:
    form = await _form(request)
    try:
        await services.update_room(
            db_session, _user(request), slug, room_id, **_room_fields(form), ip=_ip(request)
        )
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        return await _editor_again(request, db_session, slug, exc, prefix=f"room-{room_id}.")
    return await _done(request, db_session, slug, "rooms")


@get(
    "/manage/events/{slug:str}/rooms/{room_id:int}/delete",
    opt=ORGANISER, cache=False, include_in_schema=False,
)  # fmt: skip
async def room_delete_page(
    request: Request[Any, Any, Any], slug: str, room_id: RowId, db_session: AsyncSession
) -> Template:
    event = await services.load_event(db_session, slug)
    room = await agenda.get_room(db_session, slug, room_id, include_drafts=True)
    lost = await services.room_sessions(db_session, room)
    consequences = [
        i18n.ngettext(
            "%(num)d session loses its room and stays in the agenda without one.",
            "%(num)d sessions lose their room and stay in the agenda without one.",
            lost,
        )
    ]
    return render(
        request, "manage/workspace/confirm_delete.html", event=event, what=room.name,
        consequences=consequences, action=f"/manage/events/{slug}/rooms/{room_id}/delete",
        back=f"/manage/events/{slug}/edit#rooms", nav="edit",
    )  # fmt: skip


@post(
    "/manage/events/{slug:str}/rooms/{room_id:int}/delete",
    opt=ORGANISER, cache=False, include_in_schema=False,
)  # fmt: skip
async def room_delete(
    request: Request[Any, Any, Any], slug: str, room_id: RowId, db_session: AsyncSession
) -> Response[Any]:
    await services.delete_room(db_session, _user(request), slug, room_id, ip=_ip(request))
    return await _done(request, db_session, slug, "rooms")


# --- delete the event ----------------------------------------------------------------------


@get("/manage/events/{slug:str}/delete", opt=ORGANISER, cache=False, include_in_schema=False)
async def event_delete_page(
    request: Request[Any, Any, Any], slug: str, db_session: AsyncSession
) -> Template:
    event = await services.load_event(db_session, slug)
    impact = await services.event_impact(db_session, event)
    consequences = [
        i18n.ngettext(
            "%(num)d partner institution", "%(num)d partner institutions", impact.partners
        ),
        i18n.ngettext("%(num)d room", "%(num)d rooms", impact.rooms),
        i18n.ngettext("%(num)d session", "%(num)d sessions", impact.sessions),
        i18n.ngettext("%(num)d speaker", "%(num)d speakers", impact.speakers),
        i18n.ngettext("%(num)d registration (with badges and check-ins)",
          "%(num)d registrations (with badges and check-ins)", impact.registrations),
    ]  # fmt: skip
    return render(
        request, "manage/workspace/confirm_delete.html", event=event,
        what=event.text("title", i18n.current_language()), consequences=consequences,
        removes_with=True, action=f"/manage/events/{slug}/delete",
        back=f"/manage/events/{slug}", nav="overview",
    )  # fmt: skip


@post("/manage/events/{slug:str}/delete", opt=ORGANISER, cache=False, include_in_schema=False)
async def event_delete(
    request: Request[Any, Any, Any], slug: str, db_session: AsyncSession
) -> Response[Any]:
    await services.delete_event(db_session, _user(request), slug, ip=_ip(request))
    return _see_other("/manage?deleted=1")


# --- preview -------------------------------------------------------------------------------


@get("/manage/events/{slug:str}/preview", opt=ORGANISER, cache=False, include_in_schema=False)
async def preview_event(
    request: Request[Any, Any, Any], slug: str, db_session: AsyncSession
) -> Template:
    event = await services.load_event(db_session, slug)
    ui_lang = web.ui_language(request)
    i18n.set_language(ui_lang)
    page = await agenda_pages.event_page_for(request, db_session, event, ui_lang, preview=True)
    page.headers["X-Robots-Tag"] = "noindex"
    return page


@get(
    "/manage/events/{slug:str}/preview/programme",
    opt=ORGANISER, cache=False, include_in_schema=False,
)  # fmt: skip
async def preview_programme(
    request: Request[Any, Any, Any], slug: str, db_session: AsyncSession
) -> Template:
    event = await services.load_event(db_session, slug)
    ui_lang = web.ui_language(request)
    i18n.set_language(ui_lang)
    page = await agenda_pages.programme_page_for(request, db_session, event, ui_lang, preview=True)
    page.headers["X-Robots-Tag"] = "noindex"
    return page


routes = [
    dashboard,
    new_event_page,
    new_event_submit,
    overview,
    change_status,
    edit_page,
    edit_submit,
    partner_add,
    partner_update,
    partner_delete_page,
    partner_delete,
    room_add,
    room_update,
    room_delete_page,
    room_delete,
    event_delete_page,
    event_delete,
    preview_event,
    preview_programme,
]
