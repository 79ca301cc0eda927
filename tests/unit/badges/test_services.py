"""Badge services: filters, print records, re-issue revoking the old token, the mail attachment."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events.accounts.models import AuditEntry
from events.agenda.models import Event
from events.badges import data, services
from events.badges.models import BadgePrint
from events.badges.services import BadgeFilter
from events.documents.badges import CHECKIN_TOKEN
from events.errors import Conflict, InvalidInput
from events.mail.compose import resolve_attachments, resolve_mail
from events.mail.models import OutboxMessage
from events.registration import services as registrations
from events.registration.models import Registration
from events.settings import Settings
from tests.unit.registration.factories import open_event, person

SLUG = "rare-earths-round-table"


async def _people(db: AsyncSession, settings: Settings) -> tuple[Event, list[Registration]]:
    """Three confirmed (two participants, one press), one on the waiting list."""
    event = await open_event(db, capacity=3)
    people = [
        person(1, family_name="Ахметов", category="participant"),
        person(2, family_name="Bauer", category="participant", language="de"),
        person(3, family_name="Čech", category="press"),
        person(4, family_name="Dosmagambetov", category="participant"),
    ]
    found = [(await registrations.register(db, settings, SLUG, p)).registration for p in people]
    await db.commit()
    return event, found


async def test_filters_by_category_status_and_not_printed(
    db: AsyncSession, settings: Settings
) -> None:
    event, people = await _people(db, settings)
    assert [p.status for p in people] == ["confirmed"] * 3 + ["waitlisted"]
    assert await services.count(db, event, BadgeFilter()) == 3
    assert await services.count(db, event, BadgeFilter(category="participant")) == 2
    assert await services.count(db, event, BadgeFilter(category="press")) == 1
    assert await services.count(db, event, BadgeFilter(status="waitlisted")) == 1

    await services.mark_printed(db, event.id, [people[0].id], "a6")
    await db.commit()
    assert await services.count(db, event, BadgeFilter(not_printed=True)) == 2
    rows = await services.matching(db, event, BadgeFilter(category="participant"))
    assert [r.id for r in rows] == [people[1].id, people[0].id]  # Bauer before Ахметов
    assert rows[1].printed_at is not None and rows[0].printed_at is None

    _badge_event, badges, ids = await services.load_badges(
        db, event, BadgeFilter(not_printed=True), "kk"
    )
    assert ids == [people[1].id, people[2].id]
    assert badges[0].checkin_token == people[1].checkin_token
    assert badges[0].country == "Қазақстан"  # the country's name in the badge's language
    assert badges[1].category == "Баспасөз"  # "Press" in Kazakh
    assert badges[1].category_colour == "#dc2626"  # the event's own colour for press


async def test_bad_filters_and_layouts_name_the_field(db: AsyncSession, settings: Settings) -> None:
    event, _ = await _people(db, settings)
    for filters, field in [
        (BadgeFilter(category="vip"), "category"),
        (BadgeFilter(status="everyone"), "status"),
    ]:
        with pytest.raises(InvalidInput) as caught:
            await services.count(db, event, filters)
        assert caught.value.field == field
    with pytest.raises(InvalidInput) as caught:
        await services.print_batch(db, None, event, BadgeFilter(), "poster", "en")
    assert caught.value.field == "layout"
    with pytest.raises(InvalidInput) as caught:
        await services.print_batch(db, None, event, BadgeFilter(category="guest"), "a6", "en")
    assert caught.value.code == "no_badges"


async def test_batch_print_records_prints_and_audits(db: AsyncSession, settings: Settings) -> None:
    event, people = await _people(db, settings)
    outcome = await services.print_batch(db, None, event, BadgeFilter(), "card8", "en")
    await db.commit()
    assert outcome.count == 3 and outcome.pdf.startswith(b"%PDF")
    prints = list(await db.scalars(select(BadgePrint).order_by(BadgePrint.registration_id)))
    assert [p.registration_id for p in prints] == [p.id for p in people[:3]]
    assert {p.layout for p in prints} == {"card8"}
    again = await services.print_batch(db, None, event, BadgeFilter(category="press"), "a6", "en")
    await db.commit()
    assert again.count == 1
    press = await db.scalar(select(BadgePrint).where(BadgePrint.registration_id == people[2].id))
    assert press is not None and press.print_count == 2
    entries = list(await db.scalars(select(AuditEntry).where(AuditEntry.action == "badges.print")))
    assert sorted(e.details["count"] for e in entries) == [1, 3]
    # Not marking leaves the records alone.
    await services.print_batch(db, None, event, BadgeFilter(), "a6", "en", mark=False)
    assert await services.count(db, event, BadgeFilter(not_printed=True)) == 0


async def test_reissue_revokes_the_old_token(db: AsyncSession, settings: Settings) -> None:
    event, people = await _people(db, settings)
    target = people[0]
    old, target_id = target.checkin_token, target.id
    await services.mark_printed(db, event.id, [target_id], "a6")
    await services.reissue(db, None, event, target_id)
    await db.commit()
    db.expire_all()
    assert await db.scalar(select(Registration).where(Registration.checkin_token == old)) is None
    fresh = await db.get(Registration, target_id)
    assert fresh is not None and fresh.checkin_token != old
    assert CHECKIN_TOKEN.fullmatch(fresh.checkin_token)
    found = await db.scalar(
        select(Registration).where(Registration.checkin_token == fresh.checkin_token)
    )
    assert found is not None and found.id == target_id
    # The new badge is not printed yet, and the re-issue is in the audit log.
    assert await services.count(db, event, BadgeFilter(not_printed=True)) == 3
    entry = await db.scalar(select(AuditEntry).where(AuditEntry.action == "badges.reissue"))
    assert entry is not None and entry.target == f"registration:{target_id}"


async def test_only_confirmed_people_get_a_desk_or_own_badge(
    db: AsyncSession, settings: Settings
) -> None:
    event, people = await _people(db, settings)
    with pytest.raises(Conflict) as caught:
        await services.desk_badge(db, None, event, people[3].id, None)
    assert caught.value.code == "badge_not_available"
    token = registrations.manage_token_of(settings, people[3])
    with pytest.raises(Conflict):
        await services.attendee_badge(db, token)
    mine = await services.attendee_badge(db, registrations.manage_token_of(settings, people[0]))
    assert mine.pdf.startswith(b"%PDF") and mine.filename.endswith(f"-{people[0].id}.pdf")


async def test_confirmation_mail_carries_the_badge_and_the_waitlist_mail_does_not(
    db: AsyncSession, settings: Settings
) -> None:
    _event, people = await _people(db, settings)
    messages = list(await db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    kinds = [(m.kind, [a["content_type"] for a in m.attachments]) for m in messages]
    assert kinds[0] == (
        "registration.confirmed",
        ["text/calendar; charset=utf-8", "application/pdf"],
    )
    assert kinds[3] == ("registration.waitlisted", ["text/calendar; charset=utf-8"])
    assert data.mail_note("kk") in (await resolve_mail(db, messages[0])).text
    assert data.mail_note("kk") not in (await resolve_mail(db, messages[3])).text
    # Rendered when sent: the PDF holds the registration's token as it is then.
    resolved = await resolve_attachments(db, messages[0].attachments)
    assert [a["content_type"] for a in resolved][1] == "application/pdf"
    # A registration cancelled before the mail goes out gets no badge.
    await registrations.cancel(db, settings, people[0], notify=False)
    await db.commit()
    assert len(await resolve_attachments(db, messages[0].attachments)) == 1
    # ...and its text no longer speaks of one.
    assert data.mail_note("kk") not in (await resolve_mail(db, messages[0])).text
    # The person promoted into the freed seat gets their badge with the promotion mail.
    promoted = await db.scalar(
        select(OutboxMessage).where(OutboxMessage.kind == "registration.promoted")
    )
    assert promoted is not None
    assert [a["content_type"] for a in promoted.attachments][-1] == "application/pdf"


async def test_a_mail_queued_without_a_badge_never_speaks_of_one(
    db: AsyncSession, settings: Settings
) -> None:
    _event, people = await _people(db, settings)
    waiting = people[3]
    # Queued while waiting (no badge with it), confirmed before it goes out.
    updated = await registrations.mail_registration(db, settings, waiting, "updated")
    waiting.status = "confirmed"
    await db.commit()
    assert [a["content_type"] for a in updated.attachments] == ["text/calendar; charset=utf-8"]
    assert data.mail_note("kk") not in (await resolve_mail(db, updated)).text
