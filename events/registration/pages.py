"""Public registration pages: the form, the confirmation, the personal manage page, the lost link.

Public forms are not signed in, so they carry no session CSRF token: a hidden one-time form token
is the idempotency key instead, so a double-clicked (or re-posted) submit creates one registration.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

import pycountry
from babel import Locale
from litestar import Request, get, post
from litestar.datastructures import State
from litestar.response import Redirect, Response, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from events import i18n
from events.accounts.ratelimit import rate_limit_apart
from events.agenda.models import Event, Organisation
from events.errors import DomainError
from events.registration import services, tokens
from events.registration.calendar import calendar_file
from events.registration.models import Registration, RegistrationSettings, RegistrationStatus
from events.registration.schemas import DetailsIn, RegistrationIn
from events.settings import Settings
from events.web import render, ui_language

HONORIFICS = ("", "Dr", "Prof.", "Prof. Dr", "Mr", "Ms", "Mx")


# Per client address, per 10 minutes. Generous for a shared office or campus address, tight
# enough to stop a script filling the seats or mailing someone's inbox full.
RATE_WINDOW_SECONDS = 600
RATE_LIMITS = {
    "register": int(os.environ.get("EVENTS_REGISTER_RATE_LIMIT", "60")),
    "resend_link": int(os.environ.get("EVENTS_RESEND_RATE_LIMIT", "5")),
}


async def rate_limit_hook(
    request: Request[Any, Any, Any], db_session: AsyncSession, action: str
) -> None:
    """Count this public, mail-sending action per client address; 429 beyond the limit.

    The counter lives in the database (accounts' rate limiter), so it holds across workers; it is
    counted apart from the registration's transaction, so people sharing an address do not queue.
    """
    address = request.client.host if request.client else "unknown"
    engine: AsyncEngine = request.app.state.engine
    await rate_limit_apart(
        engine, db_session, f"{action}:{address}", RATE_LIMITS[action], RATE_WINDOW_SECONDS
    )


@cache
def countries(language: str) -> list[tuple[str, str]]:
    """(code, name in ``language``) for every ISO 3166 country, sorted by the localised name."""
    names = Locale.parse(language).territories
    result = [(c.alpha_2, names.get(c.alpha_2, c.name)) for c in pycountry.countries]
    return sorted(result, key=lambda pair: pair[1].casefold())


def _app_settings(state: State) -> Settings:
    settings: Settings = state.settings
    return settings


async def _organisation_suggestions(session: AsyncSession, event: Event) -> list[str]:
    known = set(await session.scalars(select(Organisation.name).limit(500)))
    typed = await session.scalars(
        select(Registration.organisation)
        .where(Registration.event_id == event.id, Registration.organisation != "")
        .distinct()
        .limit(500)
    )
    known.update(typed)
    return sorted(known, key=str.casefold)


async def _form_context(
    session: AsyncSession, event: Event, language: str
) -> tuple[RegistrationSettings | None, dict[str, Any]]:
    settings = await services.get_registration_settings(session, event.id)
    context: dict[str, Any] = {
        "event": event,
        "settings": settings,
        "questions": await services.questions_of(session, event.id) if settings else [],
        "countries": countries(language),
        "organisations": await _organisation_suggestions(session, event),
        "honorifics": HONORIFICS,
        "categories": list((settings.public_categories or {}).keys()) if settings else [],
    }
    return settings, context


def _form_values(form: Any) -> dict[str, Any]:
    values = {key: form.get(key, "") for key in form}
    values["answers"] = {}
    for key in form:
        if key.startswith("q_"):
            items = form.getall(key)
            values["answers"][key[2:]] = items if len(items) > 1 or key.endswith("[]") else items[0]
    for key in list(values["answers"]):
        if key.endswith("[]"):
            values["answers"][key[:-2]] = values["answers"].pop(key)
    return values


@get("/e/{slug:str}/register", opt={"access": "public"}, include_in_schema=False)
async def register_form(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
) -> Template:
    language = ui_language(request)
    i18n.set_language(language)
    event = await services.get_event(db_session, slug)
    _settings, context = await _form_context(db_session, event, language)
    invitation = request.query_params.get("invitation", "")
    return render(
        request,
        "public/registration/form.html",
        ui_lang=language,
        values={"language": language, "invitation": invitation},
        errors={},
        form_token=tokens.new_form_token(),
        **context,
    )


@post("/e/{slug:str}/register", opt={"access": "public"}, include_in_schema=False)
async def register_submit(
    request: Request[Any, Any, Any], db_session: AsyncSession, state: State, slug: str
) -> Template | Redirect:
    language = ui_language(request)
    i18n.set_language(language)
    await rate_limit_hook(request, db_session, "register")
    form = await request.form()
    values = _form_values(form)
    data = RegistrationIn(
        given_name=values.get("given_name", ""),
        family_name=values.get("family_name", ""),
        email=values.get("email", ""),
        organisation=values.get("organisation", ""),
        country=values.get("country", ""),
        category=values.get("category", ""),
        language=values.get("language", "") or language,
        consent=bool(values.get("consent")),
        answers=values["answers"],
        honorific=values.get("honorific") or None,
        position=values.get("position") or None,
        visa_letter=bool(values.get("visa_letter")),
        dietary=values.get("dietary") or None,
        accessibility=values.get("accessibility") or None,
        consent_photos=bool(values.get("consent_photos")),
        invitation=values.get("invitation") or None,
        idempotency_key=values.get("form_token") or None,
    )
    try:
        outcome = await services.register(db_session, _app_settings(state), slug, data)
    except DomainError as exc:
        await db_session.rollback()
        event = await services.get_event(db_session, slug)
        _, context = await _form_context(db_session, event, language)
        errors = getattr(exc, "errors", None) or {exc.field or "form": exc.message}
        return render(
            request,
            "public/registration/form.html",
            status_code=exc.status_code,
            ui_lang=language,
            values=values,
            errors=errors,
            error_code=exc.code,
            form_token=values.get("form_token") or tokens.new_form_token(),
            **context,
        )
    return Redirect(f"/r/{outcome.manage_token}/done?lang={language}", status_code=303)


async def _by_token(session: AsyncSession, token: str) -> Registration:
    return await services.find_by_manage_token(session, token)


@get("/r/{token:str}/done", opt={"access": "public"}, include_in_schema=False)
async def registration_done(
    request: Request[Any, Any, Any], db_session: AsyncSession, state: State, token: str
) -> Template:
    i18n.set_language(ui_language(request))
    registration = await _by_token(db_session, token)
    return render(
        request,
        "public/registration/done.html",
        registration=registration,
        event=registration.event,
        manage_url=services.manage_url(_app_settings(state), token),
        token=token,
    )


@get("/r/{token:str}", opt={"access": "public"}, include_in_schema=False)
async def manage_page(
    request: Request[Any, Any, Any], db_session: AsyncSession, state: State, token: str
) -> Template:
    language = ui_language(request)
    i18n.set_language(language)
    registration = await _by_token(db_session, token)
    return render(
        request,
        "public/registration/manage.html",
        registration=registration,
        event=registration.event,
        token=token,
        countries=countries(language),
        honorifics=HONORIFICS,
        errors={},
        notice=request.query_params.get("notice", ""),
        live=registration.status in services.LIVE,
    )


@post("/r/{token:str}", opt={"access": "public"}, include_in_schema=False)
async def manage_update(
    request: Request[Any, Any, Any], db_session: AsyncSession, state: State, token: str
) -> Template | Redirect:
    language = ui_language(request)
    i18n.set_language(language)
    registration = await _by_token(db_session, token)
    form = await request.form()
    changes = DetailsIn(
        honorific=form.get("honorific", ""),
        given_name=form.get("given_name", ""),
        family_name=form.get("family_name", ""),
        organisation=form.get("organisation", ""),
        position=form.get("position", ""),
        country=form.get("country", ""),
        language=form.get("language", "") or registration.language,
        visa_letter=bool(form.get("visa_letter")),
        dietary=form.get("dietary", ""),
        accessibility=form.get("accessibility", ""),
        consent_photos=bool(form.get("consent_photos")),
    )
    try:
        await services.update_details(db_session, _app_settings(state), registration, changes)
    except DomainError as exc:
        await db_session.rollback()
        registration = await _by_token(db_session, token)
        return render(
            request,
            "public/registration/manage.html",
            status_code=exc.status_code,
            registration=registration,
            event=registration.event,
            token=token,
            countries=countries(language),
            honorifics=HONORIFICS,
            errors=getattr(exc, "errors", None) or {exc.field or "form": exc.message},
            notice="",
            live=registration.status in services.LIVE,
        )
    return Redirect(f"/r/{token}?lang={language}&notice=saved", status_code=303)


@get("/r/{token:str}/cancel", opt={"access": "public"}, include_in_schema=False)
async def cancel_confirm(
    request: Request[Any, Any, Any], db_session: AsyncSession, token: str
) -> Template:
    i18n.set_language(ui_language(request))
    registration = await _by_token(db_session, token)
    return render(
        request,
        "public/registration/cancel.html",
        registration=registration,
        event=registration.event,
        token=token,
    )


@post("/r/{token:str}/cancel", opt={"access": "public"}, include_in_schema=False)
async def cancel_submit(
    request: Request[Any, Any, Any], db_session: AsyncSession, state: State, token: str
) -> Redirect:
    language = ui_language(request)
    i18n.set_language(language)
    registration = await _by_token(db_session, token)
    if registration.status != RegistrationStatus.CANCELLED.value:
        await services.cancel(db_session, _app_settings(state), registration)
    return Redirect(f"/r/{token}?lang={language}&notice=cancelled", status_code=303)


@get("/r/{token:str}/calendar.ics", opt={"access": "public"}, include_in_schema=False)
async def manage_calendar(
    request: Request[Any, Any, Any], db_session: AsyncSession, state: State, token: str
) -> Response[bytes]:
    registration = await _by_token(db_session, token)
    event = registration.event
    entry = services.calendar_entry(_app_settings(state), event, registration.language)
    return Response(
        calendar_file(entry),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{event.slug}.ics"'},
    )


@get("/e/{slug:str}/register/link", opt={"access": "public"}, include_in_schema=False)
async def link_form(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
) -> Template:
    i18n.set_language(ui_language(request))
    event = await services.get_event(db_session, slug)
    return render(request, "public/registration/link.html", event=event, sent=False)


@post("/e/{slug:str}/register/link", opt={"access": "public"}, include_in_schema=False)
async def link_submit(
    request: Request[Any, Any, Any], db_session: AsyncSession, state: State, slug: str
) -> Template:
    i18n.set_language(ui_language(request))
    await rate_limit_hook(request, db_session, "resend_link")
    event = await services.get_event(db_session, slug)
    form = await request.form()
    await services.resend_link(db_session, _app_settings(state), slug, form.get("email", ""))
    # The same answer whether or not the address is registered.
    return render(request, "public/registration/link.html", event=event, sent=True)


routes = [
    register_form,
    register_submit,
    registration_done,
    manage_page,
    manage_update,
    cancel_confirm,
    cancel_submit,
    manage_calendar,
    link_form,
    link_submit,
]
