"""The calendar file for an event: a pure function from a Struct to .ics bytes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import icalendar
import msgspec


class CalendarEntry(msgspec.Struct, frozen=True):
    uid: str
    title: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    location: str = ""
    description: str = ""
    url: str = ""


@lru_cache(maxsize=64)
def _vtimezone(tzid: str, first_year: int, last_year: int) -> bytes:
    """The VTIMEZONE for the years around an event (building one costs ~15 ms: cache it)."""
    component = icalendar.Timezone.from_tzid(
        tzid, first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)
    )
    return bytes(component.to_ical())


def calendar_file(entry: CalendarEntry, stamp: datetime | None = None) -> bytes:
    """One VCALENDAR with one VEVENT in the event's own time zone (with its VTIMEZONE)."""
    zone = ZoneInfo(entry.timezone)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//events//registration//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    vevent = icalendar.Event()
    vevent.add("uid", entry.uid)
    vevent.add("dtstamp", (stamp or datetime.now(UTC)).astimezone(UTC))
    vevent.add("dtstart", entry.starts_at.astimezone(zone))
    vevent.add("dtend", entry.ends_at.astimezone(zone))
    vevent.add("summary", entry.title)
    if entry.location:
        vevent.add("location", entry.location)
    if entry.description:
        vevent.add("description", entry.description)
    if entry.url:
        vevent.add("url", entry.url)
    first, last = entry.starts_at.year - 1, entry.ends_at.year + 1
    calendar.add_component(icalendar.Timezone.from_ical(_vtimezone(entry.timezone, first, last)))
    calendar.add_component(vevent)
    return bytes(calendar.to_ical())
