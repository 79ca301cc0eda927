"""iCalendar (RFC 5545) files: the whole programme, or one session.

Times carry the event's zone (with its VTIMEZONE). UIDs are stable (``session-<id>@<host>``) and
SEQUENCE grows with every change of a session (seconds between its creation and its last update),
so a calendar application replaces an imported session instead of adding a second copy.
"""

from __future__ import annotations

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar import Event as VEvent

from events import i18n
from events.publishing.schemas import EventData, SessionData

PRODID = "-//events//programme//EN"


def host(event: EventData) -> str:
    return urlsplit(event.base_url).hostname or "events.invalid"


def session_uid(event: EventData, session: SessionData) -> str:
    return f"session-{session.id}@{host(event)}"


def sequence(session: SessionData) -> int:
    return max(0, int((session.updated_at - session.created_at).total_seconds()))


def _calendar(event: EventData, language: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", i18n.pick(event.title, language, event.default_language))
    calendar.add("x-wr-timezone", event.timezone)
    return calendar


def _vevent(event: EventData, session: SessionData, language: str) -> VEvent:
    zone = ZoneInfo(event.timezone)
    speakers = event.speakers_by_id()
    item = VEvent()
    item.add("uid", session_uid(event, session))
    item.add("sequence", sequence(session))
    item.add("dtstamp", session.updated_at)
    item.add("last-modified", session.updated_at)
    item.add("created", session.created_at)
    item.add("dtstart", session.starts_at.astimezone(zone))
    item.add("dtend", session.ends_at.astimezone(zone))
    item.add("summary", i18n.pick(session.title, language, event.default_language))
    names = [
        speakers[p.speaker_id].display_name for p in session.people if p.speaker_id in speakers
    ]
    description = i18n.pick(session.abstract, language, event.default_language)
    if names:
        description = "\n\n".join(part for part in (", ".join(names), description) if part)
    if description:
        item.add("description", description)
    location = ", ".join(p for p in (session.room, event.venue, event.city) if p)
    if location:
        item.add("location", location)
    item.add("url", event.url)
    item.add("categories", [session.kind])
    item.add("status", "CONFIRMED")
    item.add("transp", "TRANSPARENT" if session.kind == "break" else "OPAQUE")
    return item


def programme_ics(event: EventData, language: str | None = None) -> bytes:
    """Every session of the event in one calendar."""
    language = language or event.default_language
    calendar = _calendar(event, language)
    for session in event.sessions:
        calendar.add_component(_vevent(event, session, language))
    calendar.add_missing_timezones()
    ical: bytes = calendar.to_ical()
    return ical


def session_ics(event: EventData, session: SessionData, language: str | None = None) -> bytes:
    """One session as a calendar file."""
    language = language or event.default_language
    calendar = _calendar(event, language)
    calendar.add_component(_vevent(event, session, language))
    calendar.add_missing_timezones()
    ical: bytes = calendar.to_ical()
    return ical
