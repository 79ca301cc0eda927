"""The calendar file for an event: a pure function from a Struct to .ics bytes."""

from __future__ import annotations

from datetime import UTC, datetime
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
    calendar.add_component(vevent)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
