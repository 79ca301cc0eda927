"""Public HTML pages: the event list, an event, its programme, and a speaker.

Handlers load through ``events.agenda.queries`` and turn rows into small view objects here, so a
template only reads plain attributes (and never triggers a lazy load).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from typing import Any, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from babel import Locale
from litestar import Request, get
from litestar.enums import MediaType
from litestar.response import Response, Template
from sqlalchemy.ext.asyncio import AsyncSession

from events import i18n, web
from events.accounts.access import current_user
from events.agenda import queries
from events.agenda.models import AgendaSession, Event, EventStatus, Speaker
from events.documents import card
from events.web import RowId

LANG_COOKIE_MAX_AGE = 365 * 24 * 3600


def N_(message: str) -> str:
    """Mark a string for translation; it is translated when shown."""
    return message


EVENT_KINDS = {
    "science_day": N_("Science day"),
    "round_table": N_("Round table"),
    "conference": N_("Conference"),
    "opening": N_("Opening"),
    "workshop": N_("Workshop"),
}
SESSION_KINDS = {
    "keynote": N_("Keynote"),
    "talk": N_("Talk"),
    "panel": N_("Panel"),
    "round_table": N_("Round table"),
    "workshop": N_("Workshop"),
    "break": N_("Break"),
    "ceremony": N_("Ceremony"),
    "networking": N_("Networking"),
    "lab_visit": N_("Lab visit"),
}
PARTNER_ROLES = {
    "host": N_("Hosts"),
    "co_host": N_("Co-hosts"),
    "partner": N_("Partners"),
    "sponsor": N_("Sponsors"),
    "delegation": N_("Delegations"),
}
PERSON_ROLES = {
    "speaker": N_("Speaker"),
    "moderator": N_("Moderator"),
    "panelist": N_("Panelist"),
    "chair": N_("Chair"),
}


def label(labels: dict[str, str], value: str) -> str:
    message = labels.get(value)
    return i18n.gettext(message) if message else value


class Text(NamedTuple):
    """A piece of content and the language it is actually written in (for ``lang=``)."""

    text: str
    lang: str

    @property
    def paragraphs(self) -> list[str]:
        return [part.strip() for part in self.text.split("\n\n") if part.strip()]


def ml(values: dict[str, str] | None, language: str, default: str) -> Text:
    values = values or {}
    for code in (language, default):
        if values.get(code):
            return Text(values[code], code)
    for code, text in values.items():
        if text:
            return Text(text, code)
    return Text("", default)


@cache
def _territories(ui_lang: str) -> dict[str, str]:
    try:
        return dict(Locale.parse(ui_lang).territories)
    except (ValueError, LookupError):
        return {}


def country_name(code: str | None, ui_lang: str) -> str:
    if not code:
        return ""
    return str(_territories(ui_lang).get(code.upper(), code))


def zone_label(event: Event) -> str:
    """'Asia/Almaty, UTC+06:00': the zone and its offset during the event."""
    offset = event.starts_at.astimezone(ZoneInfo(event.timezone)).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"{event.timezone}, UTC{sign}{hours:02d}:{rest:02d}"


@dataclass
class PersonView:
    id: int
    name: str
    role: str
    role_label: str
    organisation: str


@dataclass
class SessionView:
    id: int
    starts_at: datetime
    ends_at: datetime
    kind: str
    kind_label: str
    title: Text
    abstract: Text
    room: str | None
    people: list[PersonView]

    @property
    def is_break(self) -> bool:
        return self.kind == "break"


@dataclass
class RowView:
    starts_at: datetime
    plenary: list[SessionView] = field(default_factory=list)
    cells: list[list[SessionView]] = field(default_factory=list)

    @property
    def has_cells(self) -> bool:
        return any(self.cells)


@dataclass
class DayView:
    day: date
    starts_at: datetime
    sessions: list[SessionView]
    rooms: list[str]
    rows: list[RowView]


@dataclass
class EventCard:
    slug: str
    title: Text
    kind_label: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    city: str
    country: str


@dataclass
class PartnerView:
    name: str
    short_name: str | None
    country: str
    website: str | None


def _session_view(item: AgendaSession, language: str, default: str) -> SessionView:
    people = [
        PersonView(
            id=person.speaker.id,
            name=person.speaker.display_name,
            role=person.role,
            role_label=label(PERSON_ROLES, person.role),
            organisation=(
                person.speaker.organisation.short_name or person.speaker.organisation.name
                if person.speaker.organisation
                else ""
            ),
        )
        for person in item.people
    ]
    return SessionView(
        id=item.id,
        starts_at=item.starts_at,
        ends_at=item.ends_at,
        kind=item.kind,
        kind_label=label(SESSION_KINDS, item.kind),
        title=ml(item.title, language, default),
        abstract=ml(item.abstract, language, default),
        room=item.room.name if item.room else None,
        people=people,
    )


def programme_days(event: Event, sessions: Sequence[AgendaSession], language: str) -> list[DayView]:
    """Sessions grouped by local day; each day also as a grid of start times by rooms."""
    zone = ZoneInfo(event.timezone)
    room_order = {room.name: index for index, room in enumerate(event.rooms)}
    by_day: dict[date, list[SessionView]] = {}
    for item in sessions:
        view = _session_view(item, language, event.default_language)
        by_day.setdefault(item.starts_at.astimezone(zone).date(), []).append(view)
    days: list[DayView] = []
    for day in sorted(by_day):
        views = by_day[day]
        rooms = sorted({v.room for v in views if v.room}, key=lambda r: room_order.get(r, 999))
        rows: dict[datetime, RowView] = {}
        for view in views:
            row = rows.setdefault(
                view.starts_at, RowView(view.starts_at, cells=[[] for _ in rooms])
            )
            if view.room is None:
                row.plenary.append(view)
            else:
                row.cells[rooms.index(view.room)].append(view)
        days.append(
            DayView(
                day=day,
                starts_at=views[0].starts_at,
                sessions=views,
                rooms=rooms,
                rows=[rows[key] for key in sorted(rows)],
            )
        )
    return days


def _event_card(event: Event, request: Request[Any, Any, Any], ui_lang: str) -> EventCard:
    language = web.content_language(request, event.languages, event.default_language)
    return EventCard(
        slug=event.slug,
        title=ml(event.title, language, event.default_language),
        kind_label=label(EVENT_KINDS, event.kind),
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        timezone=event.timezone,
        city=event.city or "",
        country=country_name(event.country, ui_lang),
    )


def _page(
    request: Request[Any, Any, Any], template: str, status_code: int = 200, **context: Any
) -> Template:
    """Render, and remember a language picked with ``?lang=`` in a cookie."""
    return _remember_language(
        request, web.render(request, template, status_code=status_code, **context)
    )


AnyResponse = TypeVar("AnyResponse", Template, Response[str])


def _remember_language(request: Request[Any, Any, Any], response: AnyResponse) -> AnyResponse:
    requested = request.query_params.get("lang")
    if requested and requested in i18n.CONTENT_LANGUAGES:
        response.set_cookie(
            "lang", requested, max_age=LANG_COOKIE_MAX_AGE, path="/", samesite="lax",
            httponly=True,
        )  # fmt: skip
    return response


class RenderedPages:
    """Public programme pages as rendered, kept by each worker (the most read page of an event).

    Keyed by the agenda's stamp (``queries.programme_stamp``: the newest change and the row count
    of everything the page shows) and the two languages, so an edit on any worker shows on every
    worker's next answer: nothing is shared, a worker that never saw the page renders it afresh.
    Only for visitors who are not signed in: a signed-in page carries the user's CSRF token.
    """

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._pages: OrderedDict[tuple[object, ...], str] = OrderedDict()
        self._making: dict[tuple[object, ...], asyncio.Lock] = {}

    async def get_or_make(
        self, key: tuple[object, ...], make: Callable[[], Awaitable[str | None]]
    ) -> str | None:
        """The kept page, or one made now; visitors arriving while it is made wait for that one
        instead of each rendering it (right after a change, everyone misses at once)."""
        html = self.get(key)
        if html is not None:
            return html
        lock = self._making.setdefault(key, asyncio.Lock())
        async with lock:
            html = self.get(key)
            if html is None:
                html = await make()
                if html is not None:
                    self.put(key, html)
        self._making.pop(key, None)
        return html

    def get(self, key: tuple[object, ...]) -> str | None:
        html = self._pages.get(key)
        if html is not None:
            self._pages.move_to_end(key)
        return html

    def put(self, key: tuple[object, ...], html: str) -> None:
        self._pages[key] = html
        self._pages.move_to_end(key)
        while len(self._pages) > self.size:
            self._pages.popitem(last=False)


def rendered_pages(request: Request[Any, Any, Any]) -> RenderedPages:
    state = request.app.state
    pages: RenderedPages | None = state.get("agenda_rendered_programmes")
    if pages is None:
        pages = RenderedPages()
        state.agenda_rendered_programmes = pages
    return pages


def _not_found(request: Request[Any, Any, Any]) -> Template:
    return _page(request, "public/not_found.html", status_code=404)


def _event_context(request: Request[Any, Any, Any], event: Event, ui_lang: str) -> dict[str, Any]:
    language = web.content_language(request, event.languages, event.default_language)
    return {
        "event": event,
        "content_lang": language,
        "title": ml(event.title, language, event.default_language),
        "kind_label": label(EVENT_KINDS, event.kind),
        "zone_label": zone_label(event),
        "country": country_name(event.country, ui_lang),
    }


def social(
    request: Request[Any, Any, Any],
    event: Event,
    language: str,
    *,
    title: str,
    description: str,
    path: str,
) -> dict[str, Any]:
    """Open Graph and Twitter card values (templates/_social.html), with the share card image.

    A draft has no card (it answers 404), so its preview carries no image.
    """
    base_url = str(request.app.state.settings.base_url).rstrip("/")
    summary = " ".join(description.split())
    values: dict[str, Any] = {
        "title": title,
        "description": summary[:297] + "…" if len(summary) > 300 else summary,
        "url": f"{base_url}{path}?lang={language}",
        "type": "website",
        "locale": language,
        "site_name": "events",
    }
    if event.status != EventStatus.DRAFT.value:
        dates = card.dates_line(event.starts_at, event.ends_at, event.timezone, language)
        place = card.place_line(event.venue, event.city, event.country, language)
        values.update(
            image=f"{base_url}/e/{event.slug}/card.png?lang={language}",
            image_type="image/png",
            image_width=card.WIDTH,
            image_height=card.HEIGHT,
            # The card shows the event's title, dates and place: so does its description.
            image_alt=" — ".join(
                part
                for part in (ml(event.title, language, event.default_language).text, dates, place)
                if part
            ),
        )
    return values


@get("/", opt={"access": "public"}, include_in_schema=False, name="public:index")
async def index(request: Request[Any, Any, Any], db_session: AsyncSession) -> Template:
    ui_lang = web.ui_language(request)
    i18n.set_language(ui_lang)
    now = datetime.now(UTC)
    events = await queries.public_events(db_session)
    cards = [(event, _event_card(event, request, ui_lang)) for event in events]
    upcoming = [card for event, card in cards if event.ends_at >= now]
    past = [card for event, card in reversed(cards) if event.ends_at < now]
    return _page(request, "public/index.html", ui_lang=ui_lang, upcoming=upcoming, past=past)


@get("/e/{slug:str}", opt={"access": "public"}, include_in_schema=False, name="public:event")
async def event_page(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
) -> Template:
    ui_lang = web.ui_language(request)
    i18n.set_language(ui_lang)
    event = await queries.public_event(db_session, slug)
    if event is None:
        return _not_found(request)
    return await event_page_for(request, db_session, event, ui_lang)


async def event_page_for(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    event: Event,
    ui_lang: str,
    **extra: Any,
) -> Template:
    """The public page of ``event`` (also the organiser's preview of a draft, with ``extra``)."""
    context = _event_context(request, event, ui_lang)
    language = context["content_lang"]
    groups: dict[str, list[PartnerView]] = {}
    for partner in event.partners:
        org = partner.organisation
        groups.setdefault(partner.role, []).append(
            PartnerView(org.name, org.short_name, country_name(org.country, ui_lang), org.website)
        )
    partner_groups = [
        (label(PARTNER_ROLES, role), groups[role])
        for role in [*PARTNER_ROLES, *sorted(set(groups) - set(PARTNER_ROLES))]
        if role in groups
    ]
    sessions = await queries.programme(db_session, event.id)
    description = ml(event.description, language, event.default_language)
    return _page(
        request,
        "public/event.html",
        ui_lang=ui_lang,
        og=social(
            request,
            event,
            language,
            title=context["title"].text,
            description=description.paragraphs[0] if description.paragraphs else "",
            path=f"/e/{event.slug}",
        ),
        description=description,
        partner_groups=partner_groups,
        days=programme_days(event, sessions, language),
        content_languages=[(code, i18n.language_name(code)) for code in event.languages],
        **context,
        **extra,
    )


@get(
    "/e/{slug:str}/programme",
    opt={"access": "public"},
    include_in_schema=False,
    name="public:programme",
)
async def programme_page(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
) -> Template | Response[str]:
    ui_lang = web.ui_language(request)
    i18n.set_language(ui_lang)
    if current_user(request) is not None:
        event = await queries.public_event(db_session, slug)
        if event is None:
            return _not_found(request)
        return await programme_page_for(request, db_session, event, ui_lang)
    stamp = await queries.programme_stamp(db_session, slug)
    if stamp is None:
        return _not_found(request)
    language = web.content_language(request, stamp.languages, stamp.default_language)
    key = (stamp.event_id, stamp.version, ui_lang, language)

    async def make() -> str | None:
        event = await queries.public_event(db_session, slug)
        if event is None:  # unpublished since the stamp was read
            return None
        return web.html_of(request, await programme_page_for(request, db_session, event, ui_lang))

    html = await rendered_pages(request).get_or_make(key, make)
    if html is None:
        return _not_found(request)
    return _remember_language(request, Response(html, media_type=MediaType.HTML))


async def programme_page_for(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    event: Event,
    ui_lang: str,
    **extra: Any,
) -> Template:
    """The public programme of ``event`` (also the organiser's preview of a draft)."""
    context = _event_context(request, event, ui_lang)
    language = context["content_lang"]
    sessions = await queries.programme(db_session, event.id)
    description = ml(event.description, language, event.default_language)
    return _page(
        request,
        "public/programme.html",
        ui_lang=ui_lang,
        og=social(
            request,
            event,
            language,
            title=f"{i18n.gettext('Programme')} — {context['title'].text}",
            description=description.paragraphs[0] if description.paragraphs else "",
            path=f"/e/{event.slug}/programme",
        ),
        days=programme_days(event, sessions, language),
        **context,
        **extra,
    )


@get(
    "/e/{slug:str}/speakers/{speaker_id:int}",
    opt={"access": "public"},
    include_in_schema=False,
    name="public:speaker",
)
async def speaker_page(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str, speaker_id: RowId
) -> Template:
    ui_lang = web.ui_language(request)
    i18n.set_language(ui_lang)
    event = await queries.public_event(db_session, slug)
    if event is None:
        return _not_found(request)
    speaker: Speaker | None = await queries.event_speaker(db_session, event.id, speaker_id)
    if speaker is None:
        return _not_found(request)
    context = _event_context(request, event, ui_lang)
    language = context["content_lang"]
    sessions = await queries.speaker_sessions(db_session, speaker.id)
    return _page(
        request,
        "public/speaker.html",
        ui_lang=ui_lang,
        speaker=speaker,
        speaker_country=country_name(speaker.country, ui_lang),
        biography=ml(speaker.biography, language, event.default_language),
        sessions=[_session_view(item, language, event.default_language) for item in sessions],
        **context,
    )


routes = [index, event_page, programme_page, speaker_page]
