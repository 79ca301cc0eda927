"""The agenda builder's rules: move keeps the duration, duplicate copies after, people in order."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from events.agenda import schemas, services
from events.agenda.conflicts import SPEAKER_DOUBLE_BOOKED
from events.errors import Conflict, InvalidInput, NotFound
from tests.unit.agenda.test_services import event_data, session_data

SLUG = "german-kazakh-science-day"


async def agenda(db: AsyncSession) -> dict[str, int]:
    """12-13 October 2023 in Almaty (UTC+6 then), two rooms, a speaker, a session at 09:00."""
    await services.create_event(db, event_data())
    hall = await services.create_room(db, SLUG, schemas.RoomCreate(name="Hall"))
    lab = await services.create_room(db, SLUG, schemas.RoomCreate(name="Lab", position=1))
    speaker = await services.create_speaker(
        db, SLUG, schemas.SpeakerCreate(given_name="Айгерім", family_name="Сәрсенбаева")
    )
    other = await services.create_speaker(
        db, SLUG, schemas.SpeakerCreate(given_name="Jürgen", family_name="Groß")
    )
    _, session = await services.create_session(
        db, SLUG,
        session_data(room_id=hall.id, people=[schemas.PersonIn(speaker_id=speaker.id)],
                     starts_at=datetime(2023, 10, 12, 9, 0),
                     ends_at=datetime(2023, 10, 12, 10, 30)),
    )  # fmt: skip
    await db.commit()
    return {"hall": hall.id, "lab": lab.id, "speaker": speaker.id, "other": other.id,
            "session": session.id}  # fmt: skip


async def test_a_move_changes_day_time_and_room_and_keeps_the_duration(db: AsyncSession) -> None:
    ids = await agenda(db)
    _, moved = await services.move_session(
        db, SLUG, ids["session"], day=date(2023, 10, 13), start=time(14, 15), room_id=ids["lab"]
    )
    assert moved.starts_at == datetime(2023, 10, 13, 8, 15, tzinfo=UTC)  # 14:15 in Almaty
    assert moved.ends_at == datetime(2023, 10, 13, 9, 45, tzinfo=UTC)
    assert moved.room_id == ids["lab"]
    assert [p.speaker_id for p in moved.people] == [ids["speaker"]]
    _, unroomed = await services.move_session(
        db, SLUG, ids["session"], day=date(2023, 10, 13), start=time(9, 0), room_id=None
    )
    assert unroomed.room_id is None


async def test_a_move_outside_the_event_days_or_to_a_foreign_room_is_refused(
    db: AsyncSession,
) -> None:
    ids = await agenda(db)
    with pytest.raises(InvalidInput) as caught:
        await services.move_session(
            db, SLUG, ids["session"], day=date(2023, 10, 14), start=time(9), room_id=None
        )
    assert caught.value.field == "day"
    with pytest.raises(InvalidInput) as caught:
        await services.move_session(
            db, SLUG, ids["session"], day=date(2023, 10, 12), start=time(9), room_id=10**6
        )
    assert caught.value.field == "room_id"
    with pytest.raises(NotFound):
        await services.move_session(
            db, SLUG, 10**6, day=date(2023, 10, 12), start=time(9), room_id=None
        )


async def test_a_duplicate_follows_the_original_with_its_texts_room_and_people(
    db: AsyncSession,
) -> None:
    ids = await agenda(db)
    _, copy = await services.duplicate_session(db, SLUG, ids["session"])
    assert copy.id != ids["session"]
    assert copy.title == {"en": "Opening", "kk": "Ашылу"}
    assert copy.starts_at == datetime(2023, 10, 12, 4, 30, tzinfo=UTC)  # 10:30, right after
    assert copy.ends_at == datetime(2023, 10, 12, 6, 0, tzinfo=UTC)
    assert copy.room_id == ids["hall"]
    assert [(p.speaker_id, p.role) for p in copy.people] == [(ids["speaker"], "speaker")]
    conflicts = await services.event_conflicts(db, SLUG, include_drafts=True)
    assert conflicts == []


async def test_a_duplicate_that_would_leave_the_last_day_takes_the_original_time(
    db: AsyncSession,
) -> None:
    await agenda(db)
    _, late = await services.create_session(
        db, SLUG, session_data(starts_at=datetime(2023, 10, 13, 22, 0),
                               ends_at=datetime(2023, 10, 13, 23, 30)),
    )  # fmt: skip
    _, copy = await services.duplicate_session(db, SLUG, late.id)
    assert (copy.starts_at, copy.ends_at) == (late.starts_at, late.ends_at)


async def test_attach_places_a_speaker_in_order_and_detach_takes_them_out(
    db: AsyncSession,
) -> None:
    ids = await agenda(db)
    _, session = await services.attach_speaker(
        db, SLUG, ids["other"], ids["session"], role="moderator", order=1
    )
    assert [(p.speaker_id, p.role, p.position) for p in session.people] == [
        (ids["other"], "moderator", 0),
        (ids["speaker"], "speaker", 1),
    ]
    with pytest.raises(Conflict):
        await services.attach_speaker(db, SLUG, ids["other"], ids["session"], role="moderator")
    with pytest.raises(InvalidInput) as caught:
        await services.attach_speaker(db, SLUG, ids["other"], ids["session"], role="boss")
    assert caught.value.field == "role"
    _, session = await services.detach_speaker(
        db, SLUG, ids["other"], ids["session"], role="moderator"
    )
    assert [p.speaker_id for p in session.people] == [ids["speaker"]]
    with pytest.raises(NotFound):
        await services.detach_speaker(db, SLUG, ids["other"], ids["session"], role="moderator")


async def test_moving_a_session_fixes_a_speaker_double_booking(db: AsyncSession) -> None:
    ids = await agenda(db)
    _, clash = await services.create_session(
        db, SLUG,
        session_data(title={"en": "Panel"}, kind="panel", room_id=ids["lab"],
                     starts_at=datetime(2023, 10, 12, 10, 0), ends_at=datetime(2023, 10, 12, 11, 0),
                     people=[schemas.PersonIn(speaker_id=ids["speaker"], role="panelist")]),
    )  # fmt: skip
    codes = [c.code for c in await services.event_conflicts(db, SLUG, include_drafts=True)]
    assert codes == [SPEAKER_DOUBLE_BOOKED]
    await services.move_session(
        db, SLUG, clash.id, day=date(2023, 10, 12), start=time(10, 30), room_id=ids["lab"]
    )
    assert await services.event_conflicts(db, SLUG, include_drafts=True) == []


async def test_snapshots_hold_every_field_as_plain_json(db: AsyncSession) -> None:
    import json

    ids = await agenda(db)
    _, session = await services.get_session(db, SLUG, ids["session"], include_drafts=True)
    snapshot = services.session_snapshot(session)
    assert json.loads(json.dumps(snapshot)) == snapshot
    assert snapshot["people"] == [{"speaker_id": ids["speaker"], "role": "speaker", "position": 0}]
    assert snapshot["starts_at"] == "2023-10-12T03:00:00+00:00"
    speaker = await services.get_speaker(db, SLUG, ids["speaker"], include_drafts=True)
    assert services.speaker_snapshot(speaker)["family_name"] == "Сәрсенбаева"
