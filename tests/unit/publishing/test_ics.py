from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sqlalchemy.ext.asyncio import AsyncSession

from events.agenda.models import AgendaSession
from events.publishing import ics, services
from events.publishing.schemas import EventData
from events.settings import Settings
from tests.unit.publishing.factory import SLUG

ALMATY = ZoneInfo("Asia/Almaty")


def events_of(data: bytes) -> list:  # type: ignore[type-arg]
    calendar = Calendar.from_ical(data)
    return list(calendar.walk("VEVENT"))


async def test_the_programme_calendar_has_local_times_and_the_time_zone(
    event_data: EventData,
) -> None:
    data = ics.programme_ics(event_data)
    calendar = Calendar.from_ical(data)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Almaty"]
    items = events_of(data)
    assert len(items) == len(event_data.sessions)
    opening = items[0]
    start = opening.decoded("DTSTART")
    assert start.tzinfo is not None
    assert start.astimezone(ALMATY).replace(tzinfo=None) == datetime(2023, 10, 12, 9, 0)
    assert start.utcoffset().total_seconds() == 6 * 3600
    assert b"DTSTART;TZID=Asia/Almaty:20231012T090000" in data
    assert str(opening["SUMMARY"]) == "Eröffnung und Grußworte"
    assert str(opening["UID"]) == f"session-{event_data.sessions[0].id}@testserver.local"
    assert "Prof. Dr. Айгерім Сәрсенбаева" in str(opening["DESCRIPTION"])


async def test_the_kazakh_calendar_falls_back_to_german_where_a_title_is_missing(
    event_data: EventData,
) -> None:
    summaries = [str(e["SUMMARY"]) for e in events_of(ics.programme_ics(event_data, "kk"))]
    assert "Ашылу және құттықтау сөздер" in summaries
    assert "Зертханаларға экскурсия" in summaries


async def test_an_update_keeps_the_uid_and_raises_the_sequence(
    db: AsyncSession, settings: Settings, event_data: EventData
) -> None:
    first = event_data.sessions[0]
    before = events_of(ics.session_ics(event_data, first))[0]
    await asyncio.sleep(1.1)  # SEQUENCE counts seconds since the session was created
    row = await db.get(AgendaSession, first.id)
    assert row is not None
    row.ends_at = row.ends_at.replace(minute=45)
    await db.commit()
    updated = await services.load_event(db, SLUG, settings)
    session = next(s for s in updated.sessions if s.id == first.id)
    after = events_of(ics.session_ics(updated, session))[0]
    assert after["UID"] == before["UID"]
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("DTEND").astimezone(ALMATY).strftime("%H:%M") == "09:45"
