"""schedule.json and schedule.xml in the frab/c3voc format that conference apps read.

Both are valid against the c3voc schemas (tests/fixtures/schedule/). GUIDs are uuid5 values in a
namespace derived from the installation's EVENTS_BASE_URL, so they are stable across exports and
distinct between installations. Times are in the event's zone with its UTC offset
("2023-10-12T09:00:00+06:00" for the 2023 science day in Almaty).
"""

from __future__ import annotations

import json
import re
import uuid
import xml.etree.ElementTree as ET
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from events import i18n
from events.publishing.schemas import EventData, SessionData
from events.publishing.text import ascii_slug, clean

GENERATOR = "events"
TIMESLOT = "00:05"
_ZONE_NAME = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")


def namespace(base_url: str) -> uuid.UUID:
    """The installation's GUID namespace: uuid5(NAMESPACE_URL, EVENTS_BASE_URL)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, base_url.rstrip("/"))


def session_guid(event: EventData, session: SessionData) -> str:
    return str(uuid.uuid5(namespace(event.base_url), f"session:{session.id}"))


def speaker_guid(event: EventData, speaker_id: int) -> str:
    return str(uuid.uuid5(namespace(event.base_url), f"speaker:{speaker_id}"))


def room_guid(event: EventData, room_id: int | None) -> str:
    key = f"room:{room_id}" if room_id is not None else f"room:event-{event.id}"
    return str(uuid.uuid5(namespace(event.base_url), key))


def acronym(slug: str) -> str:
    """The slug as a c3voc acronym: ``german_kazakh_science_day_2023`` (at least 4 characters)."""
    value = re.sub(r"[^a-z0-9_]+", "_", slug.lower()).strip("_") or "event"
    return value if len(value) >= 4 else value + "_" * (4 - len(value))


def session_slug(event: EventData, session: SessionData) -> str:
    title = ascii_slug(i18n.pick(session.title, "en", event.default_language), 40) or "session"
    return f"{acronym(event.slug)}-{session.id}-{title}"


def _iso(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def _duration(session: SessionData) -> str:
    minutes = max(0, int((session.ends_at - session.starts_at).total_seconds() // 60))
    hours, minutes = divmod(min(minutes, 99 * 60 + 59), 60)
    return f"{hours:02d}:{minutes:02d}"


def _room_name(event: EventData, session: SessionData) -> str:
    return clean(session.room) or clean(event.venue) or "—"


def _days(event: EventData) -> list[date]:
    zone = ZoneInfo(event.timezone)
    first = event.starts_at.astimezone(zone).date()
    last = max(first, event.ends_at.astimezone(zone).date())
    days = {first + timedelta(days=n) for n in range((last - first).days + 1)}
    days |= {s.starts_at.astimezone(zone).date() for s in event.sessions}
    return sorted(days)


class _Item:
    """One session, prepared once for both formats."""

    def __init__(self, event: EventData, session: SessionData, language: str) -> None:
        zone = ZoneInfo(event.timezone)
        speakers = event.speakers_by_id()
        start = session.starts_at.astimezone(zone)
        self.session = session
        self.day = start.date()
        self.room = _room_name(event, session)
        self.fields: dict[str, Any] = {
            "id": session.id,
            "guid": session_guid(event, session),
            "date": _iso(start),
            "start": start.strftime("%H:%M"),
            "end": _iso(session.ends_at.astimezone(zone)),
            "duration": _duration(session),
            "room": self.room,
            "slug": session_slug(event, session),
            "url": f"{event.url}/programme#session-{session.id}",
            "title": clean(i18n.pick(session.title, language, event.default_language)),
            "subtitle": "",
            "track": clean(session.track) or None,
            "type": session.kind,
            "language": session.language or event.default_language,
            "abstract": clean(i18n.pick(session.abstract, language, event.default_language)),
            "description": None,
            "persons": [
                {
                    "id": person.speaker_id,
                    "guid": speaker_guid(event, person.speaker_id),
                    "name": clean(speakers[person.speaker_id].display_name),
                    "biography": clean(
                        i18n.pick(
                            speakers[person.speaker_id].biography, language, event.default_language
                        )
                    )
                    or None,
                }
                for person in session.people
                if person.speaker_id in speakers
            ],
            "links": [],
        }


def _prepare(event: EventData, language: str | None) -> dict[str, Any]:
    language = language or event.default_language
    zone = ZoneInfo(event.timezone)
    items = [_Item(event, s, language) for s in event.sessions]
    room_names = [clean(r.name) for r in event.rooms]
    extra = sorted({i.room for i in items} - set(room_names))
    rooms: list[dict[str, Any]] = [
        {"name": clean(r.name), "guid": room_guid(event, r.id), "capacity": r.capacity}
        for r in event.rooms
    ]
    rooms += [{"name": name, "guid": room_guid(event, None), "capacity": None} for name in extra]
    order: list[str] = [r["name"] for r in rooms]
    days = []
    for index, day in enumerate(_days(event), start=1):
        day_items = [i for i in items if i.day == day]
        by_room: dict[str, list[dict[str, Any]]] = {}
        for name in order:
            here = [i.fields for i in day_items if i.room == name]
            if here:
                by_room[name] = here
        days.append(
            {
                "index": index,
                "date": day.isoformat(),
                "day_start": _iso(datetime.combine(day, time(0, 0), zone)),
                "day_end": _iso(datetime.combine(day, time(23, 59), zone)),
                "rooms": by_room,
            }
        )
    start, end = days[0]["date"], days[-1]["date"]
    return {
        "language": language,
        "title": clean(i18n.pick(event.title, language, event.default_language)),
        "description": clean(i18n.pick(event.description, language, event.default_language)),
        "acronym": acronym(event.slug),
        "start": start,
        "end": end,
        "days": days,
        "rooms": rooms,
        "tracks": sorted({i.fields["track"] for i in items if i.fields["track"]}),
        "version": event.last_modified.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%d %H:%M:%S"),
    }


def schedule_json(event: EventData, language: str | None = None) -> bytes:
    data = _prepare(event, language)
    conference: dict[str, Any] = {
        "acronym": data["acronym"],
        "title": data["title"],
        "description": data["description"],
        "start": data["start"],
        "end": data["end"],
        "daysCount": len(data["days"]),
        "timeslot_duration": TIMESLOT,
        "url": event.url,
        "rooms": data["rooms"],
        "tracks": [{"name": name} for name in data["tracks"]],
        "days": data["days"],
    }
    if _ZONE_NAME.search(event.timezone):
        conference["time_zone_name"] = event.timezone
    document = {
        "$schema": "https://c3voc.de/schedule/schema.json",
        "generator": {"name": GENERATOR, "url": event.base_url},
        "schedule": {
            "version": data["version"],
            "base_url": event.base_url + "/",
            "conference": conference,
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def _sub(parent: ET.Element, tag: str, text: object = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = str(text)
    return element


def schedule_xml(event: EventData, language: str | None = None) -> bytes:
    data = _prepare(event, language)
    root = ET.Element("schedule")
    _sub(root, "generator", name=GENERATOR, system=event.base_url)
    _sub(root, "url", f"{event.url}/schedule.xml")
    _sub(root, "version", data["version"])
    conference = _sub(root, "conference")
    _sub(conference, "title", data["title"])
    _sub(conference, "acronym", data["acronym"])
    _sub(conference, "start", data["start"])
    _sub(conference, "end", data["end"])
    _sub(conference, "days", len(data["days"]))
    _sub(conference, "timeslot_duration", TIMESLOT)
    _sub(conference, "base_url", event.base_url + "/")
    _sub(conference, "url", event.url)
    _sub(conference, "time_zone_name", event.timezone)
    for track in data["tracks"]:
        _sub(conference, "track", name=track)
    for day in data["days"]:
        day_element = _sub(
            root,
            "day",
            index=str(day["index"]),
            date=day["date"],
            start=day["day_start"],
            end=day["day_end"],
        )
        for room in data["rooms"]:
            sessions = day["rooms"].get(room["name"])
            if not sessions:
                continue
            room_element = _sub(day_element, "room", name=room["name"], guid=room["guid"])
            for fields in sessions:
                item = _sub(room_element, "event", id=str(fields["id"]), guid=fields["guid"])
                for tag in (
                    "room",
                    "title",
                    "subtitle",
                    "type",
                    "date",
                    "start",
                    "duration",
                    "abstract",
                    "slug",
                ):
                    _sub(item, tag, fields[tag])
                _sub(item, "track", fields["track"] or "")
                persons = _sub(item, "persons")
                for person in fields["persons"]:
                    _sub(
                        persons, "person", person["name"], id=str(person["id"]), guid=person["guid"]
                    )
                _sub(item, "language", fields["language"])
                _sub(item, "url", fields["url"])
                _sub(item, "links")
    ET.indent(root, space=" ")
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body + b"\n"
