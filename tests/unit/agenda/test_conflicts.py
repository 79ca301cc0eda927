"""The conflict check is a pure function: plain Structs in, conflicts out, no database."""

from __future__ import annotations

from datetime import UTC, datetime

from events.agenda.conflicts import (
    OUTSIDE_EVENT_DAYS,
    OUTSIDE_EVENT_HOURS,
    ROOM_DOUBLE_BOOKED,
    SPEAKER_DOUBLE_BOOKED,
    PlannedEvent,
    PlannedSession,
    find_conflicts,
)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    # Almaty was UTC+6 in October 2023: 09:00 local is 03:00 UTC.
    return datetime(2023, 10, day, hour - 6, minute, tzinfo=UTC)


def event(*sessions: PlannedSession, names: dict[int, str] | None = None) -> PlannedEvent:
    return PlannedEvent(
        starts_at=at(12, 9),
        ends_at=at(13, 18),
        timezone="Asia/Almaty",
        sessions=sessions,
        speaker_names=names or {},
    )


def session(
    id: int, start: datetime, end: datetime, room: int | None = None, speakers: tuple[int, ...] = ()
) -> PlannedSession:
    return PlannedSession(
        id=id,
        title=f"S{id}",
        starts_at=start,
        ends_at=end,
        room_id=room,
        room_name="Hall A",
        speaker_ids=speakers,
    )


def test_a_clean_agenda_has_no_conflicts() -> None:
    agenda = event(
        session(1, at(12, 9), at(12, 10), room=1, speakers=(7,)),
        # Touching is not overlapping: 10:00 to 11:00 in the same room with the same speaker.
        session(2, at(12, 10), at(12, 11), room=1, speakers=(7,)),
        session(3, at(12, 9), at(12, 10), room=2, speakers=(8,)),
        session(4, at(13, 17), at(13, 18), room=1),
    )
    assert find_conflicts(agenda) == []


def test_two_overlapping_sessions_in_one_room_are_reported() -> None:
    conflicts = find_conflicts(
        event(session(1, at(12, 9), at(12, 11), room=1), session(2, at(12, 10), at(12, 12), room=1))
    )
    assert [c.code for c in conflicts] == [ROOM_DOUBLE_BOOKED]
    assert conflicts[0].session_ids == [1, 2]
    assert conflicts[0].titles == ["S1", "S2"]
    assert conflicts[0].room_id == 1
    assert "Hall A" in conflicts[0].message


def test_sessions_without_a_room_never_double_book() -> None:
    assert (
        find_conflicts(event(session(1, at(12, 9), at(12, 11)), session(2, at(12, 9), at(12, 11))))
        == []
    )


def test_a_speaker_in_two_places_at_once_is_reported_with_their_name() -> None:
    conflicts = find_conflicts(
        event(
            session(1, at(12, 9), at(12, 11), room=1, speakers=(5,)),
            session(2, at(12, 10, 30), at(12, 12), room=2, speakers=(5, 6)),
            session(3, at(12, 10, 45), at(12, 11), room=3, speakers=(6,)),
            names={5: "Айгерім Сәрсенбаева", 6: "Łukasz Wójcik"},
        )
    )
    assert [(c.code, c.speaker_id, c.session_ids) for c in conflicts] == [
        (SPEAKER_DOUBLE_BOOKED, 5, [1, 2]),
        (SPEAKER_DOUBLE_BOOKED, 6, [2, 3]),
    ]
    assert "Айгерім Сәрсенбаева" in conflicts[0].message


def test_a_nested_session_overlaps_every_session_around_it() -> None:
    conflicts = find_conflicts(
        event(
            session(1, at(12, 9), at(12, 17), room=1),
            session(2, at(12, 10), at(12, 11), room=1),
            session(3, at(12, 12), at(12, 13), room=1),
        )
    )
    assert sorted(c.session_ids for c in conflicts) == [[1, 2], [1, 3]]


def test_sessions_before_or_after_the_days_hours_are_reported_breaks_included() -> None:
    conflicts = find_conflicts(
        event(
            session(1, at(12, 8, 30), at(12, 9, 30)),  # starts before 09:00
            session(2, at(13, 17, 30), at(13, 18, 30)),  # ends after 18:00
            session(3, at(12, 9), at(12, 18)),  # exactly the hours: fine
        )
    )
    assert [(c.code, c.session_ids) for c in conflicts] == [
        (OUTSIDE_EVENT_HOURS, [1]),
        (OUTSIDE_EVENT_HOURS, [2]),
    ]


def test_a_session_left_outside_the_days_after_the_dates_moved_is_reported() -> None:
    conflicts = find_conflicts(event(session(1, at(14, 10), at(14, 11))))
    assert [c.code for c in conflicts] == [OUTSIDE_EVENT_DAYS]


def test_an_evening_event_past_midnight_keeps_its_late_sessions_inside() -> None:
    evening = PlannedEvent(
        starts_at=datetime(2023, 10, 12, 12, 0, tzinfo=UTC),  # 18:00 Almaty
        ends_at=datetime(2023, 10, 12, 20, 0, tzinfo=UTC),  # 02:00 Almaty next day
        timezone="Asia/Almaty",
        sessions=(
            PlannedSession(
                id=1,
                title="Late",
                starts_at=datetime(2023, 10, 12, 17, 0, tzinfo=UTC),
                ends_at=datetime(2023, 10, 12, 19, 0, tzinfo=UTC),
            ),
        ),
    )
    assert find_conflicts(evening) == []
