"""Check-in rules on SQLite and PostgreSQL: outcomes, nonces, offline scans, undo, walk-ins."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from events.accounts.models import AuditEntry
from events.checkin import queries, services
from events.checkin.models import CheckIn, Scan
from events.checkin.schemas import WalkInIn
from events.checkin.services import Decision
from events.errors import Conflict, Forbidden, InvalidInput
from events.i18n import set_language
from events.registration.models import Registration
from events.settings import Settings
from tests.unit.checkin.factories import crowd, scan


async def _count(db: AsyncSession, model: type) -> int:
    return int(await db.scalar(select(func.count()).select_from(model)) or 0)


async def test_outcomes_of_every_kind_of_badge(db: AsyncSession) -> None:
    c = await crowd(db)
    cases = [
        (c.confirmed[0].checkin_token, "ok"),
        (c.confirmed[0].checkin_token, "already_checked_in"),
        ("no-such-token", "unknown"),
        (c.cancelled.checkin_token, "cancelled"),
        (c.waitlisted.checkin_token, "waitlisted"),
        (c.pending.checkin_token, "pending"),
        (c.foreign.checkin_token, "wrong_event"),
    ]
    for token, status in cases:
        decision = await services.decide_scan(db, c.event, scan(token), None)
        assert decision.answer["status"] == status, token
    await db.commit()
    # Every scan is a row, failed ones too; one check-in.
    assert await _count(db, Scan) == len(cases)
    assert await _count(db, CheckIn) == 1
    # Another event's badge reveals nobody.
    wrong = await db.scalar(select(Scan).where(Scan.outcome == "wrong_event"))
    assert wrong is not None and wrong.answer["registration"] is None


async def test_ok_then_amber_names_the_first_desk_and_time(db: AsyncSession) -> None:
    c = await crowd(db)
    token = c.confirmed[0].checkin_token
    first = await services.decide_scan(db, c.event, scan(token, desk="Desk 2"), None)
    second = await services.decide_scan(db, c.event, scan(token, desk="Desk 5"), None)
    assert first.answer["undo_until"] is not None
    assert second.answer["status"] == "already_checked_in"
    assert second.answer["first_desk"] == "Desk 2"
    assert second.answer["first_checked_in_at"] == first.answer["first_checked_in_at"]
    assert second.answer["undo_until"] is None
    set_language("de")
    out = services.answer_out(second.answer, c.event.timezone)
    assert "Desk 2" in out.message and "bereits" in out.message
    set_language("en")


async def test_search_path_checks_in_by_registration_id(db: AsyncSession) -> None:
    c = await crowd(db)
    ok = await services.decide_scan(db, c.event, scan(registration_id=c.confirmed[1].id), None)
    assert ok.answer["status"] == "ok"
    foreign = await services.decide_scan(db, c.event, scan(registration_id=c.foreign.id), None)
    assert foreign.answer["status"] == "unknown"
    with pytest.raises(InvalidInput) as both:
        await services.decide_scan(db, c.event, scan("x", registration_id=1), None)
    assert both.value.field == "token"
    with pytest.raises(InvalidInput):
        await services.decide_scan(db, c.event, scan(None), None)


async def test_a_repeated_nonce_answers_as_the_first_time_and_records_nothing(
    db: AsyncSession,
) -> None:
    c = await crowd(db)
    data = scan(c.confirmed[0].checkin_token)
    first = await services.decide_scan(db, c.event, data, None)
    await db.commit()
    again = await services.decide_scan(db, c.event, data, None)
    await db.commit()
    assert again.answer == first.answer and not again.created
    assert again.answer["status"] == "ok"
    assert await _count(db, Scan) == 1


async def test_sessions_that_require_a_scan_have_their_own_door(db: AsyncSession) -> None:
    c = await crowd(db)
    token = c.confirmed[0].checkin_token
    at_door = await services.decide_scan(db, c.event, scan(token), None)
    in_session = await services.decide_scan(
        db, c.event, scan(token, session_id=c.round_table.id), None
    )
    assert at_door.answer["status"] == in_session.answer["status"] == "ok"
    again = await services.decide_scan(db, c.event, scan(token, session_id=c.round_table.id), None)
    assert again.answer["status"] == "already_checked_in"
    with pytest.raises(InvalidInput) as no_scan:
        await services.decide_scan(db, c.event, scan(token, session_id=c.lecture.id), None)
    assert no_scan.value.field == "session_id"
    await db.commit()
    assert await queries.checked_in_registration_ids(db, c.event.id) == {c.confirmed[0].id}
    attendance = await services.session_attendance(db, c.event.id)
    assert [(a.session.id, a.checked_in) for a in attendance] == [(c.round_table.id, 1)]


async def test_offline_scans_the_earliest_wins_and_a_double_admission_is_flagged(
    db: AsyncSession,
) -> None:
    c = await crowd(db)
    token = c.confirmed[0].checkin_token
    nine = (datetime.now(UTC) - timedelta(hours=1)).replace(microsecond=0)
    # Desk 2 was offline and admitted the person at 09:00; desk 1, online, admitted them later.
    online = await services.decide_scan(db, c.event, scan(token, desk="Desk 1"), None)
    assert online.answer["status"] == "ok"
    offline = await services.decide_scan(
        db, c.event, scan(token, desk="Desk 2", offline=True, scanned_at=nine), None
    )
    assert offline.answer["status"] == "ok"
    assert offline.answer["first_desk"] == "Desk 2"
    assert offline.scan.double_admission
    # A later offline scan of a third desk: amber, also flagged; its own desk's repeat is not.
    later = await services.decide_scan(
        db, c.event,
        scan(token, desk="Desk 3", offline=True, scanned_at=nine + timedelta(minutes=5)), None,
    )  # fmt: skip
    same = await services.decide_scan(
        db, c.event,
        scan(token, desk="Desk 2", offline=True, scanned_at=nine + timedelta(minutes=7)), None,
    )  # fmt: skip
    assert later.answer["status"] == same.answer["status"] == "already_checked_in"
    assert later.scan.double_admission and not same.scan.double_admission
    await db.commit()
    assert (await queries.first_checkins(db, c.event.id)) == {c.confirmed[0].id: nine}
    flagged = await services.double_admissions(db, c.event.id)
    assert [f.scan.desk for f in flagged] == ["Desk 2", "Desk 3"]
    audited = await db.scalar(
        select(func.count()).where(AuditEntry.action == "checkin.double_admission")
    )
    assert audited == 2


async def test_only_an_offline_device_that_admitted_the_person_is_flagged(
    db: AsyncSession,
) -> None:
    c = await crowd(db)
    both, amber, old = (r.checkin_token for r in c.confirmed[:3])
    nine = (datetime.now(UTC) - timedelta(hours=1)).replace(microsecond=0)

    async def offline(token: str, desk: str, minutes: int, shown: str | None) -> Decision:
        data = scan(token, desk=desk, offline=True, scanned_at=nine + timedelta(minutes=minutes))
        data.shown = shown  # type: ignore[assignment]
        return await services.decide_scan(db, c.event, data, None)

    # Two offline desks both showed green: the later one is flagged, whichever arrives first.
    assert not (await offline(both, "Desk 1", 5, "admitted")).scan.double_admission
    earlier = await offline(both, "Desk 2", 1, "admitted")
    assert earlier.scan.double_admission and earlier.answer["status"] == "ok"
    # The device's list already knew the person was in and it showed amber: nobody let in twice.
    ten = nine + timedelta(minutes=10)
    await services.decide_scan(db, c.event, scan(amber, desk="Desk 1"), None, now=ten)
    already = await offline(amber, "Desk 2", 30, "already")
    assert not already.scan.double_admission
    assert already.answer["status"] == "already_checked_in"
    assert already.answer["first_desk"] == "Desk 1"
    # An offline device that showed red did not admit anybody either.
    refused = await offline(amber, "Desk 3", 31, "refused")
    assert not refused.scan.double_admission
    # Earliest scan wins also for a scan that showed amber (its device time is the earlier one).
    early_amber = await offline(amber, "Desk 4", -30, "already")
    assert not early_amber.scan.double_admission and early_amber.answer["first_desk"] == "Desk 4"
    # Older desks send no ``shown``: counted as an admission, flagged as before.
    await services.decide_scan(db, c.event, scan(old, desk="Desk 1"), None, now=ten)
    assert (await offline(old, "Desk 2", 40, None)).scan.double_admission
    await db.commit()
    flagged = await services.double_admissions(db, c.event.id)
    assert [(f.scan.desk, f.registration and f.registration.id) for f in flagged] == [
        ("Desk 2", c.confirmed[0].id),
        ("Desk 2", c.confirmed[2].id),
    ]
    audits = list(
        await db.scalars(select(AuditEntry).where(AuditEntry.action == "checkin.double_admission"))
    )
    assert sorted(str(a.details.get("shown")) for a in audits) == ["", "admitted"]


async def test_undo_same_desk_within_ten_minutes(db: AsyncSession) -> None:
    c = await crowd(db)
    token = c.confirmed[0].checkin_token
    ok = await services.decide_scan(db, c.event, scan(token, desk="Desk 1"), None)
    checkin_id = ok.answer["checkin_id"]
    with pytest.raises(Forbidden) as other:
        await services.undo(db, c.event, checkin_id, "Desk 2", None)
    assert other.value.code == "other_desk"
    late = datetime.now(UTC) + timedelta(minutes=11)
    with pytest.raises(Conflict) as expired:
        await services.undo(db, c.event, checkin_id, "Desk 1", None, now=late)
    assert expired.value.code == "undo_expired"
    await services.undo(db, c.event, checkin_id, "Desk 1", None)
    with pytest.raises(Conflict):
        await services.undo(db, c.event, checkin_id, "Desk 1", None)
    await db.commit()
    assert await queries.checked_in_registration_ids(db, c.event.id) == set()
    # The log keeps both; the person can be checked in again.
    outcomes = (await db.scalars(select(Scan.outcome).order_by(Scan.id))).all()
    assert outcomes == ["ok", "undone"]
    again = await services.decide_scan(db, c.event, scan(token), None)
    assert again.answer["status"] == "ok"
    assert await db.scalar(select(func.count()).where(AuditEntry.action == "checkin.undo")) == 1


async def test_walk_in_is_confirmed_and_checked_in_in_one_go(
    db: AsyncSession, settings: Settings
) -> None:
    c = await crowd(db)
    data = WalkInIn(
        given_name="Ұлжан", family_name="Әбенова", organisation="KazNU", country="kz",
        category="guest", desk="Desk 1", nonce="walkin-0001",
    )  # fmt: skip
    result = await services.walk_in(db, settings, c.event, data, None)
    await db.commit()
    assert result.registration.status == "confirmed"
    assert result.registration.source == "desk"
    assert result.registration.country == "KZ"
    assert result.decision.answer["status"] == "ok"
    assert result.registration.id in await queries.checked_in_registration_ids(db, c.event.id)
    # The same nonce again: the same walk-in, nobody new.
    again = await services.walk_in(db, settings, c.event, data, None)
    await db.commit()
    assert again.registration.id == result.registration.id
    walk_ins = await db.scalar(select(func.count()).where(Registration.source == "desk"))
    assert walk_ins == 1


async def test_a_bad_walk_in_writes_nothing(db: AsyncSession, settings: Settings) -> None:
    c = await crowd(db)
    before = await _count(db, Registration)
    data = WalkInIn(
        given_name=" ", family_name="X", country="XX", category="vip", desk="Desk 1",
        nonce="walkin-0002",
    )  # fmt: skip
    with pytest.raises(InvalidInput) as bad:
        await services.walk_in(db, settings, c.event, data, None)
    await db.rollback()
    assert set(bad.value.extra["errors"]) == {"given_name", "country", "category"}
    assert await _count(db, Registration) == before


async def test_counts_by_category_and_country(db: AsyncSession) -> None:
    c = await crowd(db)
    for person in c.confirmed[:3]:
        await services.decide_scan(db, c.event, scan(person.checkin_token), None)
    await db.commit()
    counts = await services.counts(db, c.event.id)
    assert (counts.confirmed, counts.checked_in) == (4, 3)
    assert counts.by_category["participant"].confirmed == 3
    assert counts.by_category["press"].checked_in == 1
    assert (counts.by_country["PL"].confirmed, counts.by_country["PL"].checked_in) == (1, 1)
    assert counts.by_country["KZ"].checked_in == 2


async def test_search_by_name_or_organisation_in_any_script(db: AsyncSession) -> None:
    c = await crowd(db)
    assert [r.id for r in await services.search(db, c.event, "kowal")] == [c.confirmed[1].id]
    assert [r.id for r in await services.search(db, c.event, "agh")] == [c.confirmed[1].id]
    found = await services.search(db, c.event, "сәрсенбаева 3")
    assert [r.id for r in found] == [c.confirmed[3].id]
    assert await services.search(db, c.event, "100%") == []
    assert len(await services.search(db, c.event, "Karaganda")) <= 20


async def test_checkin_list_has_no_private_data(db: AsyncSession) -> None:
    c = await crowd(db)
    await services.decide_scan(db, c.event, scan(c.confirmed[0].checkin_token), None)
    await db.commit()
    listing = await services.checkin_list(db, c.event, "en")
    assert {r.id for r in listing.registrations} == {
        *(p.id for p in c.confirmed), c.cancelled.id, c.waitlisted.id, c.pending.id,
    }  # fmt: skip
    item = next(r for r in listing.registrations if r.id == c.confirmed[0].id)
    assert item.checked_in_at is not None and item.desk == "Desk 1"
    assert "email" not in item.__struct_fields__
    assert [s.requires_checkin for s in listing.sessions] == [True, False]
