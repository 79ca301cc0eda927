"""Load the demo events into the database. Idempotent: what exists is left exactly as it is.

Organisations are looked up by name, events by slug; an event that already exists is skipped whole
(its rooms, speakers and sessions included), so a second run writes nothing.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from events.agenda.models import (
    AgendaSession,
    Event,
    EventPartner,
    Organisation,
    Room,
    SessionPerson,
    Speaker,
)
from events.demo import data
from events.registration.demo import configure_demo_registration
from events.summary.demo import configure_demo_summaries


@dataclass
class DemoResult:
    created_events: list[str] = field(default_factory=list)
    skipped_events: list[str] = field(default_factory=list)
    created_organisations: int = 0


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _ml(values: dict[str, str]) -> dict[str, str]:
    return {lang: _nfc(text) for lang, text in values.items()}


def event_dates(event: data.EventData, today: date) -> list[date]:
    if event.dates:
        return list(event.dates)
    return [today + timedelta(days=offset) for offset in event.days_from_today]


def _at(day: date, hhmm: str, zone: ZoneInfo) -> datetime:
    """A local wall-clock time on ``day`` in ``zone``, as an aware UTC datetime."""
    hours, minutes = (int(part) for part in hhmm.split(":"))
    local = datetime.combine(day, time(hours, minutes), tzinfo=zone)
    return local.astimezone(ZoneInfo("UTC"))


REGISTRATION_OPEN = ("rare-earths-round-table",)


async def count_events(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Event)) or 0)


async def _organisations(session: AsyncSession, result: DemoResult) -> dict[str, Organisation]:
    by_key: dict[str, Organisation] = {}
    for org in data.ORGANISATIONS:
        name = _nfc(org.name)
        existing = await session.scalar(select(Organisation).where(Organisation.name == name))
        if existing is None:
            existing = Organisation(
                name=name,
                short_name=_nfc(org.short_name) if org.short_name else None,
                country=org.country,
                kind=org.kind,
                website=org.website,
            )
            session.add(existing)
            result.created_organisations += 1
        by_key[org.key] = existing
    await session.flush()
    return by_key


async def _load_event(
    session: AsyncSession,
    spec: data.EventData,
    organisations: dict[str, Organisation],
    today: date,
) -> Event:
    zone = ZoneInfo(spec.timezone)
    days = event_dates(spec, today)
    event = Event(
        slug=spec.slug,
        title=_ml(spec.title),
        description=_ml(spec.description),
        kind=spec.kind,
        status=spec.status,
        starts_at=_at(days[0], spec.opens, zone),
        ends_at=_at(days[-1], spec.closes, zone),
        timezone=spec.timezone,
        venue=_nfc(spec.venue),
        city=_nfc(spec.city),
        country=spec.country,
        languages=list(spec.languages),
        default_language=spec.default_language,
        partner_countries=list(spec.partner_countries),
    )
    event.partners = [
        EventPartner(organisation=organisations[key], role=role, position=index)
        for index, (key, role) in enumerate(spec.partners)
    ]
    rooms = {
        name: Room(name=_nfc(name), capacity=capacity, position=index)
        for index, (name, capacity) in enumerate(spec.rooms)
    }
    event.rooms = list(rooms.values())
    session.add(event)
    await session.flush()

    speakers: dict[str, Speaker] = {}
    for person in spec.speakers:
        speaker = Speaker(
            event_id=event.id,
            honorific=_nfc(person.honorific) if person.honorific else None,
            given_name=_nfc(person.given_name),
            family_name=_nfc(person.family_name),
            position=_nfc(person.position) if person.position else None,
            organisation_id=organisations[person.organisation].id if person.organisation else None,
            country=person.country,
            biography=_ml(person.biography),
        )
        session.add(speaker)
        speakers[person.key] = speaker
    await session.flush()

    for item in spec.sessions:
        day = days[item.day]
        agenda_item = AgendaSession(
            event_id=event.id,
            title=_ml(item.title),
            abstract=_ml(item.abstract),
            kind=item.kind,
            starts_at=_at(day, item.starts, zone),
            ends_at=_at(day, item.ends, zone),
            room_id=rooms[item.room].id if item.room else None,
            language=item.language,
        )
        agenda_item.people = [
            SessionPerson(speaker_id=speakers[key].id, role=role, position=index)
            for index, (key, role) in enumerate(item.people)
        ]
        session.add(agenda_item)
    await session.flush()
    return event


async def load_demo(
    session: AsyncSession, *, today: date | None = None, if_empty: bool = False
) -> DemoResult:
    """Add whatever part of the demo is missing; with ``if_empty``, only into an empty database.

    The caller commits.
    """
    result = DemoResult()
    if if_empty and await count_events(session) > 0:
        result.skipped_events = [spec.slug for spec in data.EVENTS]
        return result
    today = today or datetime.now(ZoneInfo("Asia/Almaty")).date()
    organisations = await _organisations(session, result)
    for spec in data.EVENTS:
        exists = await session.scalar(select(Event.id).where(Event.slug == spec.slug))
        if exists is not None:
            result.skipped_events.append(spec.slug)
            continue
        await _load_event(session, spec, organisations, today)
        result.created_events.append(spec.slug)
    # The upcoming round table takes registrations (idempotent: existing settings are kept).
    for slug in REGISTRATION_OPEN:
        event = await session.scalar(select(Event).where(Event.slug == slug))
        if event is not None:
            await configure_demo_registration(session, event)
    await configure_demo_summaries(session)
    return result
