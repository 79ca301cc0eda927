"""Agenda conflicts: reported to organisers, never blocking.

:func:`find_conflicts` is a pure function from plain data (msgspec Structs) to a list of
conflicts, so it is tested without a database; :func:`events.agenda.services.event_conflicts`
loads an event and calls it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import msgspec

from events.i18n import gettext

ROOM_DOUBLE_BOOKED = "room_double_booked"
SPEAKER_DOUBLE_BOOKED = "speaker_double_booked"
OUTSIDE_EVENT_HOURS = "outside_event_hours"
OUTSIDE_EVENT_DAYS = "outside_event_days"


class PlannedSession(msgspec.Struct, frozen=True):
    """What the conflict check needs of a session (times are aware datetimes)."""

    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    room_id: int | None = None
    room_name: str | None = None
    speaker_ids: tuple[int, ...] = ()


class PlannedEvent(msgspec.Struct, frozen=True):
    starts_at: datetime
    ends_at: datetime
    timezone: str
    sessions: tuple[PlannedSession, ...] = ()
    speaker_names: dict[int, str] = {}


class AgendaConflict(msgspec.Struct, frozen=True):
    """One conflict: its code, the sessions involved (ids and titles) and a sentence."""

    code: str
    message: str
    session_ids: list[int]
    titles: list[str]
    room_id: int | None = None
    speaker_id: int | None = None


def _overlap(a: PlannedSession, b: PlannedSession) -> bool:
    # Touching sessions (one ends at 10:00, the next starts at 10:00) do not overlap.
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def _overlapping_pairs(
    sessions: list[PlannedSession],
) -> list[tuple[PlannedSession, PlannedSession]]:
    """Every overlapping pair, by a sweep over the sessions sorted by start."""
    ordered = sorted(sessions, key=lambda s: (s.starts_at, s.ends_at, s.id))
    pairs: list[tuple[PlannedSession, PlannedSession]] = []
    active: list[PlannedSession] = []
    for current in ordered:
        active = [s for s in active if s.ends_at > current.starts_at]
        pairs.extend((earlier, current) for earlier in active if _overlap(earlier, current))
        active.append(current)
    return pairs


def _hours_problem(event: PlannedEvent, session: PlannedSession) -> str | None:
    zone = ZoneInfo(event.timezone)
    first_day = event.starts_at.astimezone(zone).date()
    last_day = event.ends_at.astimezone(zone).date()
    local_start = session.starts_at.astimezone(zone)
    day = local_start.date()
    if day < first_day or day > last_day or session.ends_at.astimezone(zone).date() > last_day:
        return OUTSIDE_EVENT_DAYS
    opens_at = event.starts_at.astimezone(zone).time()
    closes_at = event.ends_at.astimezone(zone).time()
    day_opens = datetime.combine(day, opens_at, tzinfo=zone)
    day_closes = datetime.combine(day, closes_at, tzinfo=zone)
    if day_closes <= day_opens:  # an evening event running past midnight
        day_closes += timedelta(days=1)
    if session.starts_at < day_opens or session.ends_at > day_closes:
        return OUTSIDE_EVENT_HOURS
    return None


def find_conflicts(event: PlannedEvent) -> list[AgendaConflict]:
    """Room double bookings, speakers in two places at once, sessions outside the event's hours.

    Breaks count like any other session. The result is ordered: rooms, speakers, hours.
    """
    conflicts: list[AgendaConflict] = []
    by_room: dict[int, list[PlannedSession]] = defaultdict(list)
    by_speaker: dict[int, list[PlannedSession]] = defaultdict(list)
    for session in event.sessions:
        if session.room_id is not None:
            by_room[session.room_id].append(session)
        for speaker_id in dict.fromkeys(session.speaker_ids):
            by_speaker[speaker_id].append(session)

    for room_id in sorted(by_room):
        for a, b in _overlapping_pairs(by_room[room_id]):
            conflicts.append(
                AgendaConflict(
                    code=ROOM_DOUBLE_BOOKED,
                    message=gettext(
                        "%(room)s is booked for two sessions at once: “%(first)s” and "
                        "“%(second)s”.",
                        room=a.room_name or f"#{room_id}",
                        first=a.title,
                        second=b.title,
                    ),
                    session_ids=[a.id, b.id],
                    titles=[a.title, b.title],
                    room_id=room_id,
                )
            )
    for speaker_id in sorted(by_speaker):
        for a, b in _overlapping_pairs(by_speaker[speaker_id]):
            conflicts.append(
                AgendaConflict(
                    code=SPEAKER_DOUBLE_BOOKED,
                    message=gettext(
                        "%(speaker)s is in two sessions at once: “%(first)s” and “%(second)s”.",
                        speaker=event.speaker_names.get(speaker_id, f"#{speaker_id}"),
                        first=a.title,
                        second=b.title,
                    ),
                    session_ids=[a.id, b.id],
                    titles=[a.title, b.title],
                    speaker_id=speaker_id,
                )
            )
    for session in sorted(event.sessions, key=lambda s: (s.starts_at, s.id)):
        problem = _hours_problem(event, session)
        if problem == OUTSIDE_EVENT_HOURS:
            message = gettext(
                "“%(title)s” lies outside the event's hours of that day.", title=session.title
            )
        elif problem == OUTSIDE_EVENT_DAYS:
            message = gettext(
                "“%(title)s” lies outside the event's days (were the event's dates changed?).",
                title=session.title,
            )
        else:
            continue
        conflicts.append(
            AgendaConflict(
                code=problem,
                message=message,
                session_ids=[session.id],
                titles=[session.title],
                room_id=session.room_id,
            )
        )
    return conflicts
