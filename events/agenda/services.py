"""Agenda rules: organisations, events, partners, rooms, speakers, sessions and conflicts.

Each function takes an ``AsyncSession``, does one transaction's worth of work, flushes so the
database speaks up inside the service, and raises :mod:`events.errors` errors with a stable code
and the field at fault. Reads take ``include_drafts``: public callers pass False, so a draft event
(and everything in it) is "not found" for them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from msgspec import UNSET
from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from events.agenda import schemas
from events.agenda import validation as v
from events.agenda.conflicts import AgendaConflict, PlannedEvent, PlannedSession, find_conflicts
from events.agenda.models import (
    AgendaSession,
    Event,
    EventKind,
    EventPartner,
    EventStatus,
    Organisation,
    OrganisationKind,
    PartnerRole,
    PersonRole,
    Room,
    SessionKind,
    SessionPerson,
    Speaker,
)
from events.db.base import MAX_ID
from events.errors import Conflict, InvalidInput, NotFound
from events.i18n import gettext, pick

MAX_LIMIT = 100
# Reads refresh objects already in the session: deletes go through SQL (the database cascades),
# so an object loaded earlier in the same transaction could otherwise be stale.
_FRESH: dict[str, Any] = {"populate_existing": True}
# Ids are 64-bit: a larger number can name nothing (and would overflow the database driver).


# Longer events make no sense and would make every per-day rendering (schedule, PDF) huge.
MAX_EVENT_LENGTH = timedelta(days=366)


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


T = TypeVar("T")


@dataclass(slots=True)
class Page(Generic[T]):
    """One page of a list; the API turns it into a ``…Page`` Struct."""

    items: list[T]
    total: int
    limit: int
    offset: int


def _window(limit: int, offset: int) -> tuple[int, int]:
    if isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(
            "out_of_range", gettext("Give a limit from 1 to %(max)d.", max=MAX_LIMIT), field="limit"
        )
    if offset < 0:
        raise InvalidInput("out_of_range", gettext("Give an offset of 0 or more."), field="offset")
    return limit, offset


def _matches(query: str, *texts: Any) -> bool:
    """Unicode-aware, case-insensitive substring search (Жүрген, GROSS/Groß, Łukasz)."""
    needle = unicodedata.normalize("NFC", query).strip().casefold()
    for value in texts:
        if isinstance(value, dict):
            if any(
                needle in unicodedata.normalize("NFC", str(t)).casefold() for t in value.values()
            ):
                return True
        elif value and needle in unicodedata.normalize("NFC", str(value)).casefold():
            return True
    return False


async def _page(db: AsyncSession, statement: Select[tuple[T]], limit: int, offset: int) -> Page[T]:
    limit, offset = _window(limit, offset)
    total = await db.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    statement = statement.limit(limit).offset(offset).execution_options(**_FRESH)
    rows = (await db.scalars(statement)).unique().all()
    return Page(list(rows), int(total or 0), limit, offset)


def _page_in_python(items: Sequence[T], limit: int, offset: int) -> Page[T]:
    limit, offset = _window(limit, offset)
    return Page(list(items[offset : offset + limit]), len(items), limit, offset)


def _search_query(q: str | None) -> str | None:
    if q is None:
        return None
    cleaned = v.text(q, "q", max_length=200, required=False)
    return cleaned


# Organisations ------------------------------------------------------------------------------


async def list_organisations(
    db: AsyncSession,
    *,
    country: str | None = None,
    kind: str | None = None,
    q: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> Page[Organisation]:
    statement = select(Organisation).order_by(Organisation.name, Organisation.id)
    if country is not None:
        statement = statement.where(Organisation.country == v.country(country, "country"))
    if kind is not None:
        statement = statement.where(Organisation.kind == v.choice(kind, OrganisationKind, "kind"))
    query = _search_query(q)
    if query is None:
        return await _page(db, statement, limit, offset)
    rows = (await db.scalars(statement)).all()
    found = [o for o in rows if _matches(query, o.name, o.short_name)]
    return _page_in_python(found, limit, offset)


async def get_organisation(db: AsyncSession, organisation_id: int) -> Organisation:
    organisation = await db.get(Organisation, organisation_id) if _is_id(organisation_id) else None
    if organisation is None:
        raise NotFound("organisation", organisation_id)
    return organisation


def _organisation_values(data: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "name" in data:
        values["name"] = v.required_text(data["name"], "name", max_length=300)
    if "short_name" in data:
        values["short_name"] = v.text(
            data["short_name"], "short_name", max_length=60, required=False
        )
    if "country" in data:
        values["country"] = v.country(data["country"], "country")
    if "kind" in data:
        values["kind"] = v.choice(data["kind"], OrganisationKind, "kind")
    if "website" in data:
        values["website"] = v.website(data["website"])
    return values


async def create_organisation(db: AsyncSession, data: schemas.OrganisationCreate) -> Organisation:
    organisation = Organisation(**_organisation_values(_given(data)))
    db.add(organisation)
    await db.flush()
    return organisation


async def update_organisation(
    db: AsyncSession, organisation_id: int, data: schemas.OrganisationUpdate
) -> Organisation:
    organisation = await get_organisation(db, organisation_id)
    for key, value in _organisation_values(_given(data)).items():
        setattr(organisation, key, value)
    await db.flush()
    return organisation


async def delete_organisation(db: AsyncSession, organisation_id: int) -> None:
    organisation = await get_organisation(db, organisation_id)
    used = await db.scalar(
        select(func.count())
        .select_from(EventPartner)
        .where(EventPartner.organisation_id == organisation.id)
    )
    if used:
        raise Conflict(
            "organisation_in_use",
            gettext(
                "This organisation is a partner of %(count)d event(s); remove it from them first.",
                count=int(used),
            ),
            field="id",
        )
    await db.execute(delete(Organisation).where(Organisation.id == organisation.id))
    db.expunge(organisation)
    await db.flush()


def _given(data: Any) -> dict[str, Any]:
    """The fields a client sent: every field of a create Struct, the set ones of an update."""
    import msgspec

    return (
        {
            field: getattr(data, field)
            for field in data.__struct_fields__
            if getattr(data, field) is not UNSET
        }
        if isinstance(data, msgspec.Struct)
        else dict(data)
    )


# Events -------------------------------------------------------------------------------------


async def list_events(
    db: AsyncSession,
    *,
    include_drafts: bool,
    status: str | None = None,
    kind: str | None = None,
    q: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> Page[Event]:
    statement = select(Event).order_by(Event.starts_at.desc(), Event.id)
    if not include_drafts:
        statement = statement.where(Event.status != EventStatus.DRAFT.value)
    if status is not None:
        statement = statement.where(Event.status == v.choice(status, EventStatus, "status"))
    if kind is not None:
        statement = statement.where(Event.kind == v.choice(kind, EventKind, "kind"))
    query = _search_query(q)
    if query is None:
        return await _page(db, statement, limit, offset)
    rows = (await db.scalars(statement)).unique().all()
    found = [e for e in rows if _matches(query, e.slug, e.title, e.city, e.venue)]
    return _page_in_python(found, limit, offset)


async def get_event(db: AsyncSession, slug: str, *, include_drafts: bool) -> Event:
    if not isinstance(slug, str) or len(slug) > v.SLUG_MAX or not v.SLUG_PATTERN.fullmatch(slug):
        raise NotFound("event", "(invalid slug)")
    event = await db.scalar(select(Event).where(Event.slug == slug).execution_options(**_FRESH))
    if event is None or (not include_drafts and event.status == EventStatus.DRAFT.value):
        raise NotFound("event", slug)
    return event


async def _ensure_slug_free(db: AsyncSession, slug: str, event_id: int | None = None) -> None:
    statement = select(Event.id).where(Event.slug == slug)
    if event_id is not None:
        statement = statement.where(Event.id != event_id)
    if await db.scalar(statement) is not None:
        raise Conflict("slug_taken", gettext("Another event already uses this slug."), field="slug")


def _event_values(data: dict[str, Any], current: Event | None) -> dict[str, Any]:
    """Validates the merged state of an event (the current values overlaid with ``data``)."""

    def merged(key: str) -> Any:
        if key in data:
            return data[key]
        return getattr(current, key) if current is not None else None

    values: dict[str, Any] = {}
    values["slug"] = v.slug(merged("slug"))
    values["kind"] = v.choice(merged("kind"), EventKind, "kind")
    status = merged("status")
    values["status"] = v.choice(
        status if status is not None else EventStatus.DRAFT.value, EventStatus, "status"
    )
    zone = v.timezone(merged("timezone"))
    values["timezone"] = zone
    values["country"] = v.country(merged("country"), "country")
    languages = v.languages(
        list(merged("languages") or []) if merged("languages") is not None else None
    )
    values["languages"] = languages
    default = merged("default_language")
    if default not in languages:
        raise InvalidInput(
            "invalid_language",
            gettext(
                "The default language must be one of the event's languages (%(allowed)s).",
                allowed=", ".join(languages),
            ),
            field="default_language",
            allowed=languages,
        )
    values["default_language"] = default
    values["title"] = v.multilingual(
        merged("title"), "title", event_languages=languages, max_length=v.TITLE_MAX,
        multiline=False, required_language=default,
    )  # fmt: skip
    values["description"] = v.multilingual(
        merged("description"), "description", event_languages=languages,
        max_length=v.LONG_TEXT_MAX, multiline=True,
    )  # fmt: skip
    values["venue"] = v.text(merged("venue"), "venue", max_length=300, required=False)
    values["city"] = v.text(merged("city"), "city", max_length=120, required=False)
    values["partner_countries"] = v.countries(
        list(merged("partner_countries") or []), "partner_countries"
    )
    starts_at = (
        v.moment(merged("starts_at"), "starts_at", zone)
        if "starts_at" in data or current is None
        else current.starts_at
    )
    ends_at = (
        v.moment(merged("ends_at"), "ends_at", zone)
        if "ends_at" in data or current is None
        else current.ends_at
    )
    if ends_at <= starts_at:
        raise InvalidInput(
            "ends_before_start", gettext("The end must come after the start."), field="ends_at"
        )
    if ends_at - starts_at > MAX_EVENT_LENGTH:
        # Programmes, calendars and schedule files walk the event day by day.
        raise InvalidInput(
            "event_too_long",
            gettext("An event may last at most %(days)s days.", days=MAX_EVENT_LENGTH.days),
            field="ends_at",
        )
    values["starts_at"] = starts_at
    values["ends_at"] = ends_at
    return values


async def create_event(db: AsyncSession, data: schemas.EventCreate) -> Event:
    values = _event_values(_given(data), None)
    await _ensure_slug_free(db, values["slug"])
    event = Event(**values)
    db.add(event)
    await db.flush()
    return await _reload_event(db, event.id)


async def update_event(db: AsyncSession, slug: str, data: schemas.EventUpdate) -> Event:
    event = await get_event(db, slug, include_drafts=True)
    values = _event_values(_given(data), event)
    if values["slug"] != event.slug:
        await _ensure_slug_free(db, values["slug"], event.id)
    for key, value in values.items():
        if getattr(event, key) != value:
            setattr(event, key, value)
    await db.flush()
    return await _reload_event(db, event.id)


async def delete_event(db: AsyncSession, slug: str) -> None:
    event = await get_event(db, slug, include_drafts=True)
    # The database cascades to partners, rooms, speakers, sessions and their people.
    await db.execute(delete(Event).where(Event.id == event.id))
    db.expunge(event)
    await db.flush()


async def _reload_event(db: AsyncSession, event_id: int) -> Event:
    event = await db.scalar(
        select(Event).where(Event.id == event_id).execution_options(populate_existing=True)
    )
    assert event is not None
    return event


# Partners -----------------------------------------------------------------------------------


async def list_partners(
    db: AsyncSession, slug: str, *, include_drafts: bool, limit: int = 20, offset: int = 0
) -> Page[EventPartner]:
    event = await get_event(db, slug, include_drafts=include_drafts)
    statement = (
        select(EventPartner)
        .where(EventPartner.event_id == event.id)
        .order_by(EventPartner.position, EventPartner.id)
    )
    return await _page(db, statement, limit, offset)


async def _item_of_event(db: AsyncSession, model: type[T], what: str, event: Event, key: int) -> T:
    """The row ``key`` of ``model`` if it belongs to ``event``, else 404 ``<what>_not_found``."""
    if not _is_id(key):
        raise NotFound(what, key)
    row = await db.scalar(
        select(model)
        .where(model.id == key, model.event_id == event.id)  # type: ignore[attr-defined]
        .execution_options(**_FRESH)
    )
    if row is None:
        raise NotFound(what, key)
    return row


async def get_partner(
    db: AsyncSession, slug: str, partner_id: int, *, include_drafts: bool
) -> EventPartner:
    event = await get_event(db, slug, include_drafts=include_drafts)
    partner = await _item_of_event(db, EventPartner, "partner", event, partner_id)
    return partner


async def add_partner(db: AsyncSession, slug: str, data: schemas.PartnerCreate) -> EventPartner:
    event = await get_event(db, slug, include_drafts=True)
    organisation = (
        await db.get(Organisation, data.organisation_id) if _is_id(data.organisation_id) else None
    )
    if organisation is None:
        raise InvalidInput(
            "organisation_not_found",
            gettext("There is no organisation with this id."),
            field="organisation_id",
        )
    exists = await db.scalar(
        select(EventPartner.id).where(
            EventPartner.event_id == event.id, EventPartner.organisation_id == organisation.id
        )
    )
    if exists is not None:
        raise Conflict(
            "partner_exists",
            gettext("This organisation is already a partner of the event."),
            field="organisation_id",
        )
    partner = EventPartner(
        event_id=event.id,
        organisation_id=organisation.id,
        role=v.choice(data.role, PartnerRole, "role"),
        position=v.number(data.position, "position", required=True),
    )
    db.add(partner)
    await db.flush()
    return await _reload(db, EventPartner, partner.id)


async def update_partner(
    db: AsyncSession, slug: str, partner_id: int, data: schemas.PartnerUpdate
) -> EventPartner:
    partner = await get_partner(db, slug, partner_id, include_drafts=True)
    given = _given(data)
    if "role" in given:
        partner.role = v.choice(given["role"], PartnerRole, "role")
    if "position" in given:
        partner.position = v.number(given["position"], "position", required=True) or 0
    await db.flush()
    return await _reload(db, EventPartner, partner.id)


async def _agenda_changed(db: AsyncSession, event_id: int) -> None:
    """Mark the event as changed when something under it is deleted.

    Exports serve Last-Modified from the newest ``updated_at`` of the event's rows; a deleted row
    leaves no timestamp behind, so the event's own must move or clients keep a stale copy.
    """
    await db.execute(update(Event).where(Event.id == event_id).values(updated_at=datetime.now(UTC)))


async def delete_partner(db: AsyncSession, slug: str, partner_id: int) -> None:
    partner = await get_partner(db, slug, partner_id, include_drafts=True)
    await db.execute(delete(EventPartner).where(EventPartner.id == partner.id))
    await _agenda_changed(db, partner.event_id)
    db.expunge(partner)
    await db.flush()


async def _reload(db: AsyncSession, model: type[T], key: int) -> T:
    row = await db.scalar(
        select(model).where(model.id == key).execution_options(populate_existing=True)  # type: ignore[attr-defined]
    )
    assert row is not None
    return row


# Rooms --------------------------------------------------------------------------------------


async def list_rooms(
    db: AsyncSession, slug: str, *, include_drafts: bool, limit: int = 20, offset: int = 0
) -> Page[Room]:
    event = await get_event(db, slug, include_drafts=include_drafts)
    statement = select(Room).where(Room.event_id == event.id).order_by(Room.position, Room.id)
    return await _page(db, statement, limit, offset)


async def get_room(db: AsyncSession, slug: str, room_id: int, *, include_drafts: bool) -> Room:
    event = await get_event(db, slug, include_drafts=include_drafts)
    room = await _item_of_event(db, Room, "room", event, room_id)
    return room


async def _ensure_room_name_free(
    db: AsyncSession, event_id: int, name: str, room_id: int | None = None
) -> None:
    statement = select(Room.id).where(Room.event_id == event_id, Room.name == name)
    if room_id is not None:
        statement = statement.where(Room.id != room_id)
    if await db.scalar(statement) is not None:
        raise Conflict(
            "room_name_taken", gettext("The event already has a room of this name."), field="name"
        )


async def create_room(db: AsyncSession, slug: str, data: schemas.RoomCreate) -> Room:
    event = await get_event(db, slug, include_drafts=True)
    name = v.required_text(data.name, "name", max_length=120)
    await _ensure_room_name_free(db, event.id, name)
    room = Room(
        event_id=event.id,
        name=name,
        capacity=v.number(data.capacity, "capacity", minimum=1),
        position=v.number(data.position, "position", required=True),
    )
    db.add(room)
    await db.flush()
    return room


async def update_room(db: AsyncSession, slug: str, room_id: int, data: schemas.RoomUpdate) -> Room:
    room = await get_room(db, slug, room_id, include_drafts=True)
    given = _given(data)
    if "name" in given:
        name = v.required_text(given["name"], "name", max_length=120)
        await _ensure_room_name_free(db, room.event_id, name, room.id)
        room.name = name
    if "capacity" in given:
        room.capacity = v.number(given["capacity"], "capacity", minimum=1)
    if "position" in given:
        room.position = v.number(given["position"], "position", required=True) or 0
    await db.flush()
    return room


async def delete_room(db: AsyncSession, slug: str, room_id: int) -> None:
    room = await get_room(db, slug, room_id, include_drafts=True)
    # Sessions in the room stay in the agenda without a room (ON DELETE SET NULL).
    await db.execute(delete(Room).where(Room.id == room.id))
    await _agenda_changed(db, room.event_id)
    db.expunge(room)
    await db.flush()


# Speakers -----------------------------------------------------------------------------------


async def list_speakers(
    db: AsyncSession,
    slug: str,
    *,
    include_drafts: bool,
    q: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> Page[Speaker]:
    event = await get_event(db, slug, include_drafts=include_drafts)
    statement = (
        select(Speaker)
        .where(Speaker.event_id == event.id)
        .order_by(Speaker.family_name, Speaker.given_name, Speaker.id)
    )
    query = _search_query(q)
    if query is None:
        return await _page(db, statement, limit, offset)
    rows = (await db.scalars(statement)).unique().all()
    found = [
        s
        for s in rows
        if _matches(query, s.given_name, s.family_name, s.display_name, s.position,
                    s.organisation.name if s.organisation else None)
    ]  # fmt: skip
    return _page_in_python(found, limit, offset)


async def get_speaker(
    db: AsyncSession, slug: str, speaker_id: int, *, include_drafts: bool
) -> Speaker:
    event = await get_event(db, slug, include_drafts=include_drafts)
    speaker = await _item_of_event(db, Speaker, "speaker", event, speaker_id)
    return speaker


async def _speaker_values(db: AsyncSession, event: Event, data: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "given_name" in data:
        values["given_name"] = v.required_text(data["given_name"], "given_name", max_length=120)
    if "family_name" in data:
        values["family_name"] = v.required_text(data["family_name"], "family_name", max_length=120)
    if "honorific" in data:
        values["honorific"] = v.text(data["honorific"], "honorific", max_length=60, required=False)
    if "position" in data:
        values["position"] = v.text(data["position"], "position", max_length=300, required=False)
    if "country" in data:
        values["country"] = v.country(data["country"], "country", required=False)
    if "email" in data:
        values["email"] = v.email(data["email"])
    if "biography" in data:
        values["biography"] = v.multilingual(
            data["biography"], "biography", event_languages=list(event.languages),
            max_length=v.LONG_TEXT_MAX, multiline=True,
        )  # fmt: skip
    if "organisation_id" in data:
        organisation_id = data["organisation_id"]
        if organisation_id is not None and (
            not _is_id(organisation_id) or await db.get(Organisation, organisation_id) is None
        ):
            raise InvalidInput(
                "organisation_not_found",
                gettext("There is no organisation with this id."),
                field="organisation_id",
            )
        values["organisation_id"] = organisation_id
    return values


async def create_speaker(db: AsyncSession, slug: str, data: schemas.SpeakerCreate) -> Speaker:
    event = await get_event(db, slug, include_drafts=True)
    speaker = Speaker(event_id=event.id, **await _speaker_values(db, event, _given(data)))
    db.add(speaker)
    await db.flush()
    return await _reload(db, Speaker, speaker.id)


async def update_speaker(
    db: AsyncSession, slug: str, speaker_id: int, data: schemas.SpeakerUpdate
) -> Speaker:
    speaker = await get_speaker(db, slug, speaker_id, include_drafts=True)
    event = await get_event(db, slug, include_drafts=True)
    for key, value in (await _speaker_values(db, event, _given(data))).items():
        setattr(speaker, key, value)
    await db.flush()
    return await _reload(db, Speaker, speaker.id)


async def delete_speaker(db: AsyncSession, slug: str, speaker_id: int) -> None:
    speaker = await get_speaker(db, slug, speaker_id, include_drafts=True)
    # Their parts in sessions go with them (ON DELETE CASCADE).
    await db.execute(delete(SessionPerson).where(SessionPerson.speaker_id == speaker.id))
    await db.execute(delete(Speaker).where(Speaker.id == speaker.id))
    await _agenda_changed(db, speaker.event_id)
    db.expunge(speaker)
    await db.flush()


# Sessions -----------------------------------------------------------------------------------


async def list_sessions(
    db: AsyncSession,
    slug: str,
    *,
    include_drafts: bool,
    day: date | None = None,
    room_id: int | None = None,
    kind: str | None = None,
    track: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[Event, Page[AgendaSession]]:
    event = await get_event(db, slug, include_drafts=include_drafts)
    statement = (
        select(AgendaSession)
        .where(AgendaSession.event_id == event.id)
        .order_by(AgendaSession.starts_at, AgendaSession.id)
    )
    if day is not None:
        start, end = v.local_day_bounds(day, event.timezone)
        statement = statement.where(AgendaSession.starts_at >= start, AgendaSession.starts_at < end)
    if room_id is not None:
        statement = statement.where(AgendaSession.room_id == (room_id if _is_id(room_id) else 0))
    if kind is not None:
        statement = statement.where(AgendaSession.kind == v.choice(kind, SessionKind, "kind"))
    if track is not None:
        wanted = v.text(track, "track", max_length=120, required=False)
        statement = statement.where(AgendaSession.track == wanted)
    return event, await _page(db, statement, limit, offset)


async def get_session(
    db: AsyncSession, slug: str, session_id: int, *, include_drafts: bool
) -> tuple[Event, AgendaSession]:
    event = await get_event(db, slug, include_drafts=include_drafts)
    session = await _item_of_event(db, AgendaSession, "session", event, session_id)
    return event, session


def check_within_event_days(event: Event, starts_at: datetime, ends_at: datetime) -> None:
    """A session must lie between the first day's 00:00 and the last day's 24:00, local time."""
    zone = ZoneInfo(event.timezone)
    first_day = event.starts_at.astimezone(zone).date()
    last_day = event.ends_at.astimezone(zone).date()
    opens, _ = v.local_day_bounds(first_day, event.timezone)
    _, closes = v.local_day_bounds(last_day, event.timezone)
    if starts_at < opens:
        raise InvalidInput(
            "outside_event_days",
            gettext("The session must lie within the event's days (%(first)s to %(last)s).",
                    first=first_day.isoformat(), last=last_day.isoformat()),
            field="starts_at",
        )  # fmt: skip
    if ends_at > closes:
        raise InvalidInput(
            "outside_event_days",
            gettext("The session must lie within the event's days (%(first)s to %(last)s).",
                    first=first_day.isoformat(), last=last_day.isoformat()),
            field="ends_at",
        )  # fmt: skip


async def _session_values(
    db: AsyncSession, event: Event, data: dict[str, Any], current: AgendaSession | None
) -> dict[str, Any]:
    languages = list(event.languages)
    values: dict[str, Any] = {}
    if "title" in data or current is None:
        values["title"] = v.multilingual(
            data.get("title"), "title", event_languages=languages, max_length=v.TITLE_MAX,
            multiline=False, required_language=event.default_language,
        )  # fmt: skip
    if "abstract" in data:
        values["abstract"] = v.multilingual(
            data["abstract"], "abstract", event_languages=languages, max_length=v.LONG_TEXT_MAX,
            multiline=True,
        )  # fmt: skip
    if "kind" in data or current is None:
        values["kind"] = v.choice(data.get("kind"), SessionKind, "kind")
    starts_at = (
        v.moment(data["starts_at"], "starts_at", event.timezone)
        if "starts_at" in data or current is None
        else current.starts_at
    )
    ends_at = (
        v.moment(data["ends_at"], "ends_at", event.timezone)
        if "ends_at" in data or current is None
        else current.ends_at
    )
    if ends_at <= starts_at:
        raise InvalidInput(
            "ends_before_start", gettext("The end must come after the start."), field="ends_at"
        )
    if "starts_at" in data or "ends_at" in data or current is None:
        check_within_event_days(event, starts_at, ends_at)
        values["starts_at"] = starts_at
        values["ends_at"] = ends_at
    if "room_id" in data:
        room_id = data["room_id"]
        if room_id is not None:
            found = (
                await db.scalar(
                    select(Room.id).where(Room.id == room_id, Room.event_id == event.id)
                )
                if _is_id(room_id)
                else None
            )
            if found is None:
                raise InvalidInput(
                    "room_not_in_event",
                    gettext("This room does not belong to the event."),
                    field="room_id",
                )
        values["room_id"] = room_id
    if "track" in data:
        values["track"] = v.text(data["track"], "track", max_length=120, required=False)
    if "language" in data:
        language = data["language"]
        values["language"] = (
            None if language is None else v.content_language(language, "language", languages)
        )
    if "capacity" in data:
        values["capacity"] = v.number(data["capacity"], "capacity", minimum=1)
    if "requires_checkin" in data:
        values["requires_checkin"] = bool(data["requires_checkin"])
    return values


async def _session_people(
    db: AsyncSession, event: Event, people: list[schemas.PersonIn]
) -> list[SessionPerson]:
    if len(people) > 200:
        raise InvalidInput("too_many", gettext("A session has at most 200 people."), field="people")
    ids = {person.speaker_id for person in people if _is_id(person.speaker_id)}
    known: set[int] = set()
    if ids:
        statement = select(Speaker.id).where(Speaker.event_id == event.id, Speaker.id.in_(ids))
        known = set((await db.scalars(statement)).all())
    result: list[SessionPerson] = []
    seen: set[tuple[int, str]] = set()
    for index, person in enumerate(people):
        field = f"people[{index}]"
        if person.speaker_id not in known:
            raise InvalidInput(
                "speaker_not_in_event",
                gettext("This speaker does not belong to the event."),
                field=f"{field}.speaker_id",
            )
        role = v.choice(person.role, PersonRole, f"{field}.role")
        if (person.speaker_id, role) in seen:
            raise InvalidInput(
                "duplicate_person",
                gettext("This speaker is listed twice in the same role."),
                field=field,
            )
        seen.add((person.speaker_id, role))
        result.append(SessionPerson(speaker_id=person.speaker_id, role=role, position=index))
    return result


async def create_session(
    db: AsyncSession, slug: str, data: schemas.SessionCreate
) -> tuple[Event, AgendaSession]:
    event = await get_event(db, slug, include_drafts=True)
    given = _given(data)
    values = await _session_values(db, event, given, None)
    session = AgendaSession(event_id=event.id, **values)
    session.people = await _session_people(db, event, data.people)
    db.add(session)
    await db.flush()
    return event, await _reload(db, AgendaSession, session.id)


async def update_session(
    db: AsyncSession, slug: str, session_id: int, data: schemas.SessionUpdate
) -> tuple[Event, AgendaSession]:
    event, session = await get_session(db, slug, session_id, include_drafts=True)
    given = _given(data)
    for key, value in (await _session_values(db, event, given, session)).items():
        setattr(session, key, value)
    if "people" in given:
        people = await _session_people(db, event, given["people"])
        await db.execute(delete(SessionPerson).where(SessionPerson.session_id == session.id))
        for person in list(session.people):
            db.expunge(person)
        await db.flush()
        for person in people:
            person.session_id = session.id
            db.add(person)
    await db.flush()
    return event, await _reload(db, AgendaSession, session.id)


async def delete_session(db: AsyncSession, slug: str, session_id: int) -> None:
    _, session = await get_session(db, slug, session_id, include_drafts=True)
    await db.execute(delete(SessionPerson).where(SessionPerson.session_id == session.id))
    await db.execute(delete(AgendaSession).where(AgendaSession.id == session.id))
    await _agenda_changed(db, session.event_id)
    for person in list(session.people):
        db.expunge(person)
    db.expunge(session)
    await db.flush()


# Conflicts ----------------------------------------------------------------------------------


async def event_conflicts(
    db: AsyncSession, slug: str, *, include_drafts: bool
) -> list[AgendaConflict]:
    """Loads an event's agenda and reports its conflicts (see :mod:`events.agenda.conflicts`)."""
    event = await get_event(db, slug, include_drafts=include_drafts)
    sessions = (
        (await db.scalars(select(AgendaSession).where(AgendaSession.event_id == event.id)))
        .unique()
        .all()
    )
    speaker_names: dict[int, str] = {}
    planned: list[PlannedSession] = []
    for session in sessions:
        for person in session.people:
            speaker_names[person.speaker_id] = person.speaker.display_name
        planned.append(
            PlannedSession(
                id=session.id,
                title=pick(session.title, None, event.default_language),
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                room_id=session.room_id,
                room_name=session.room.name if session.room else None,
                speaker_ids=tuple(person.speaker_id for person in session.people),
            )
        )
    return find_conflicts(
        PlannedEvent(
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            timezone=event.timezone,
            sessions=tuple(planned),
            speaker_names=speaker_names,
        )
    )


# Moving, duplicating, people and photos (the organiser's agenda builder) --------------------


def local_moment(event: Event, day: date, at: time, field: str = "starts_at") -> datetime:
    """``day`` at ``at`` in the event's zone, as UTC; the day must be one of the event's days."""
    zone = ZoneInfo(event.timezone)
    first_day = event.starts_at.astimezone(zone).date()
    last_day = event.ends_at.astimezone(zone).date()
    if not first_day <= day <= last_day:
        raise InvalidInput(
            "outside_event_days",
            gettext("Choose one of the event's days (%(first)s to %(last)s).",
                    first=first_day.isoformat(), last=last_day.isoformat()),
            field="day",
        )  # fmt: skip
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


async def move_session(
    db: AsyncSession, slug: str, session_id: int, *, day: date, start: time, room_id: int | None
) -> tuple[Event, AgendaSession]:
    """Move a session to another day, start time or room; it keeps its duration."""
    event, session = await get_session(db, slug, session_id, include_drafts=True)
    duration = session.ends_at - session.starts_at
    starts_at = local_moment(event, day, start)
    return await update_session(
        db, slug, session.id,
        schemas.SessionUpdate(starts_at=starts_at, ends_at=starts_at + duration, room_id=room_id),
    )  # fmt: skip


async def duplicate_session(
    db: AsyncSession, slug: str, session_id: int
) -> tuple[Event, AgendaSession]:
    """A copy of a session (texts, kind, room, people) placed right after it.

    Where the copy would run past the event's last day it takes the original's time instead; the
    agenda then shows the room double booking until the organiser moves one of them.
    """
    event, original = await get_session(db, slug, session_id, include_drafts=True)
    duration = original.ends_at - original.starts_at
    starts_at, ends_at = original.ends_at, original.ends_at + duration
    try:
        check_within_event_days(event, starts_at, ends_at)
    except InvalidInput:
        starts_at, ends_at = original.starts_at, original.ends_at
    data = schemas.SessionCreate(
        title=dict(original.title or {}),
        abstract=dict(original.abstract or {}),
        kind=original.kind,
        starts_at=starts_at,
        ends_at=ends_at,
        room_id=original.room_id,
        track=original.track,
        language=original.language,
        capacity=original.capacity,
        people=[
            schemas.PersonIn(speaker_id=person.speaker_id, role=person.role)
            for person in original.people
        ],
    )
    return await create_session(db, slug, data)


async def attach_speaker(
    db: AsyncSession,
    slug: str,
    speaker_id: int,
    session_id: int,
    *,
    role: str,
    order: int | None = None,
) -> tuple[Event, AgendaSession]:
    """Give a speaker a part in a session, at place ``order`` (1 = first; None = last)."""
    speaker = await get_speaker(db, slug, speaker_id, include_drafts=True)
    _, session = await get_session(db, slug, session_id, include_drafts=True)
    role = v.choice(role, PersonRole, "role")
    people = [schemas.PersonIn(speaker_id=p.speaker_id, role=p.role) for p in session.people]
    if any(p.speaker_id == speaker.id and p.role == role for p in people):
        raise Conflict(
            "duplicate_person",
            gettext("This speaker already has this role in the session."),
            field="role",
        )
    index = len(people)
    if order is not None:
        place = v.number(order, "order", minimum=1, maximum=200, required=True)
        assert place is not None
        index = min(place - 1, len(people))
    people.insert(index, schemas.PersonIn(speaker_id=speaker.id, role=role))
    return await update_session(db, slug, session.id, schemas.SessionUpdate(people=people))


async def detach_speaker(
    db: AsyncSession, slug: str, speaker_id: int, session_id: int, *, role: str
) -> tuple[Event, AgendaSession]:
    """Take a speaker's part ``role`` out of a session (the speaker stays)."""
    speaker = await get_speaker(db, slug, speaker_id, include_drafts=True)
    _, session = await get_session(db, slug, session_id, include_drafts=True)
    people = [
        schemas.PersonIn(speaker_id=p.speaker_id, role=p.role)
        for p in session.people
        if not (p.speaker_id == speaker.id and p.role == role)
    ]
    if len(people) == len(session.people):
        raise NotFound("session_person", f"{speaker.id}/{role}")
    return await update_session(db, slug, session.id, schemas.SessionUpdate(people=people))


async def set_speaker_photo(
    db: AsyncSession, slug: str, speaker_id: int, photo: str | None
) -> Speaker:
    """Record the stored photo's file name (see :mod:`events.agenda.photos`), or remove it."""
    speaker = await get_speaker(db, slug, speaker_id, include_drafts=True)
    speaker.photo = photo
    await db.flush()
    return await _reload(db, Speaker, speaker.id)


def session_snapshot(session: AgendaSession) -> dict[str, Any]:
    """Every field of a session as plain JSON: what the audit log keeps before and after."""
    return {
        "title": dict(session.title or {}),
        "abstract": dict(session.abstract or {}),
        "kind": session.kind,
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "room_id": session.room_id,
        "track": session.track,
        "language": session.language,
        "capacity": session.capacity,
        "requires_checkin": session.requires_checkin,
        "people": [
            {"speaker_id": p.speaker_id, "role": p.role, "position": p.position}
            for p in session.people
        ],
    }


def speaker_snapshot(speaker: Speaker) -> dict[str, Any]:
    """Every field of a speaker as plain JSON, for the audit log."""
    return {
        "honorific": speaker.honorific,
        "given_name": speaker.given_name,
        "family_name": speaker.family_name,
        "position": speaker.position,
        "organisation_id": speaker.organisation_id,
        "country": speaker.country,
        "biography": dict(speaker.biography or {}),
        "email": speaker.email,
        "photo": speaker.photo,
    }
