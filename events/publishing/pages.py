"""Public files of a published event: the programme PDF, calendars, schedule files, share card.

Drafts and unknown events answer 404. Every file carries an ETag (the fingerprint of the data it
is built from) and Last-Modified (the newest change of the event's rows) and answers 304 when
the client's copy is current.
"""

from __future__ import annotations

import re
from typing import Any

from litestar import Request, Response, get
from litestar.datastructures import State
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from events.documents.card import CARD_LAYOUT, card_from_event, render_card
from events.errors import NotFound
from events.publishing import ics, schedule, services
from events.publishing.http import conditional_file
from events.publishing.openapi import PUBLIC_FILE, SCHEDULE_JSON
from events.publishing.schemas import fingerprint
from events.settings import Settings

PUBLIC = {"access": "public"}
_SESSION_FILE = re.compile(r"^([0-9]{1,18})\.ics$")


def _settings(state: State) -> Settings:
    settings: Settings = state.settings
    return settings


@get(
    "/e/{slug:str}/programme.pdf",
    opt=PUBLIC,
    tags=["publishing"],
    cache=False,
    responses=PUBLIC_FILE,
)
async def programme_pdf(
    request: Request[Any, Any, Any],
    state: State,
    db_session: AsyncSession,
    slug: str,
    lang: list[str] | None = Parameter(query="lang", required=False, default=None),
    size: str | None = Parameter(query="size", required=False, default=None, max_length=8),
) -> Response[bytes]:
    """The printed programme: ``?lang=de&lang=kk`` for two languages (stacked), ``?size=a5``."""
    settings = _settings(state)
    event = await services.load_event(db_session, slug, settings, with_logos=True)
    options = services.programme_options(event, lang, size)
    suffix = "-".join(options.languages)
    return await conditional_file(
        request,
        fingerprint=services.programme_key(event, options),
        last_modified=event.last_modified,
        media_type="application/pdf",
        filename=f"{event.slug}-programme-{suffix}-{options.size}.pdf",
        body=lambda: services.render_cached_programme(settings, event, options),
        in_thread=True,
    )


@get(
    "/e/{slug:str}/programme.ics",
    opt=PUBLIC,
    tags=["publishing"],
    cache=False,
    responses=PUBLIC_FILE,
)
async def programme_calendar(
    request: Request[Any, Any, Any],
    state: State,
    db_session: AsyncSession,
    slug: str,
    lang: str | None = Parameter(query="lang", required=False, default=None, max_length=20),
) -> Response[bytes]:
    """The whole programme as an iCalendar file."""
    event = await services.load_event(db_session, slug, _settings(state))
    language = services.content_language(event, lang)
    return await conditional_file(
        request,
        fingerprint=fingerprint(event, "ics", language),
        last_modified=event.last_modified,
        media_type="text/calendar; charset=utf-8",
        filename=f"{event.slug}.ics",
        body=lambda: ics.programme_ics(event, language),
        inline=False,
    )


@get(
    "/e/{slug:str}/sessions/{filename:str}",
    opt=PUBLIC,
    tags=["publishing"],
    cache=False,
    responses=PUBLIC_FILE,
)
async def session_calendar(
    request: Request[Any, Any, Any],
    state: State,
    db_session: AsyncSession,
    slug: str,
    filename: str,
    lang: str | None = Parameter(query="lang", required=False, default=None, max_length=20),
) -> Response[bytes]:
    """One session as an iCalendar file: ``/e/{slug}/sessions/{id}.ics``."""
    match = _SESSION_FILE.match(filename)
    if match is None:
        raise NotFound("session", filename[:40])
    event = await services.load_event(db_session, slug, _settings(state))
    session = next((s for s in event.sessions if s.id == int(match.group(1))), None)
    if session is None:
        raise NotFound("session", match.group(1))
    language = services.content_language(event, lang)
    return await conditional_file(
        request,
        fingerprint=fingerprint(event, "session-ics", str(session.id), language),
        last_modified=event.last_modified,
        media_type="text/calendar; charset=utf-8",
        filename=f"{event.slug}-session-{session.id}.ics",
        body=lambda: ics.session_ics(event, session, language),
        inline=False,
    )


@get(
    "/e/{slug:str}/schedule.json",
    opt=PUBLIC,
    tags=["publishing"],
    cache=False,
    responses=SCHEDULE_JSON,
)
async def schedule_json(
    request: Request[Any, Any, Any],
    state: State,
    db_session: AsyncSession,
    slug: str,
    lang: str | None = Parameter(query="lang", required=False, default=None, max_length=20),
) -> Response[bytes]:
    """The schedule in the frab/c3voc JSON format."""
    event = await services.load_event(db_session, slug, _settings(state))
    language = services.content_language(event, lang)
    return await conditional_file(
        request,
        fingerprint=fingerprint(event, "schedule.json", language),
        last_modified=event.last_modified,
        media_type="application/json",
        filename=f"{event.slug}-schedule.json",
        body=lambda: schedule.schedule_json(event, language),
    )


@get(
    "/e/{slug:str}/schedule.xml",
    opt=PUBLIC,
    tags=["publishing"],
    cache=False,
    responses=PUBLIC_FILE,
)
async def schedule_xml(
    request: Request[Any, Any, Any],
    state: State,
    db_session: AsyncSession,
    slug: str,
    lang: str | None = Parameter(query="lang", required=False, default=None, max_length=20),
) -> Response[bytes]:
    """The schedule in the frab/c3voc XML format."""
    event = await services.load_event(db_session, slug, _settings(state))
    language = services.content_language(event, lang)
    return await conditional_file(
        request,
        fingerprint=fingerprint(event, "schedule.xml", language),
        last_modified=event.last_modified,
        media_type="application/xml",
        filename=f"{event.slug}-schedule.xml",
        body=lambda: schedule.schedule_xml(event, language),
    )


@get(
    "/e/{slug:str}/card.png",
    opt=PUBLIC,
    tags=["publishing"],
    cache=False,
    responses=PUBLIC_FILE,
)
async def share_card(
    request: Request[Any, Any, Any],
    state: State,
    db_session: AsyncSession,
    slug: str,
    lang: str | None = Parameter(query="lang", required=False, default=None, max_length=20),
) -> Response[bytes]:
    """The 1200 × 630 PNG a shared link shows (``og:image``): title, dates, place, partners."""
    event = await services.load_event(db_session, slug, _settings(state))
    language = services.content_language(event, lang)
    return await conditional_file(
        request,
        fingerprint=fingerprint(event, "card", CARD_LAYOUT, language),
        last_modified=event.last_modified,
        media_type="image/png",
        filename=f"{event.slug}-{language}.png",
        body=lambda: render_card(card_from_event(event, language)),
        in_thread=True,
    )


routes = [
    programme_pdf,
    programme_calendar,
    session_calendar,
    schedule_json,
    schedule_xml,
    share_card,
]
