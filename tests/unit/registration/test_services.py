"""Registration rules on both databases, without HTTP."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession

from events.errors import Conflict, DomainError, Forbidden, InvalidInput
from events.mail import compose
from events.mail.models import OutboxMessage
from events.registration import services, tokens
from events.registration.models import Invitation, Question, Registration, RegistrationSettings
from events.registration.schemas import DetailsIn
from events.settings import Settings
from tests.unit.registration.factories import open_event, person


async def outbox(db: AsyncSession) -> list[OutboxMessage]:
    return list(await db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def test_register_confirms_and_writes_the_mail_in_the_same_transaction(
    db: AsyncSession, settings: Settings
) -> None:
    await open_event(db)
    outcome = await services.register(db, settings, "rare-earths-round-table", person())
    # Inserted through Core, the registration is then the session's with every column at hand:
    # none may be left to load later (I/O the async session forbids on attribute access).
    assert inspect(outcome.registration).expired_attributes == set()
    await db.commit()
    registration = outcome.registration
    assert registration.status == "confirmed"
    assert registration.given_name == "Айгерім"
    assert registration.consent_data_at is not None
    # The manage token is not stored; its hash is, and it finds the registration.
    assert outcome.manage_token not in (registration.manage_token_hash, registration.manage_seed)
    assert len(outcome.manage_token) >= 43
    found = await services.find_by_manage_token(db, outcome.manage_token)
    assert found.id == registration.id
    # The check-in token is a different, short, URL-safe secret.
    assert registration.checkin_token != outcome.manage_token
    assert len(registration.checkin_token) <= 40
    assert registration.checkin_token.replace("-", "").replace("_", "").isalnum()
    mails = await outbox(db)
    assert [m.to_address for m in mails] == ["aigerim1@example.kz"]
    assert mails[0].language == "kk"
    # Rendered when sent, from the registration as it is then.
    assert mails[0].renderer is not None and mails[0].text_body == ""
    assert outcome.manage_token in (await compose.resolve_mail(db, mails[0])).text


async def test_names_are_nfc_and_email_is_lower_case(db: AsyncSession, settings: Settings) -> None:
    await open_event(db)
    decomposed = unicodedata.normalize("NFD", "Łukasz")
    outcome = await services.register(
        db,
        settings,
        "rare-earths-round-table",
        person(given_name=decomposed, family_name="Wójcik", email="  Lukasz.W@AGH.edu.PL "),
    )
    assert outcome.registration.given_name == "Łukasz"
    assert unicodedata.is_normalized("NFC", outcome.registration.given_name)
    assert outcome.registration.email == "lukasz.w@agh.edu.pl"


async def test_rolled_back_registration_leaves_no_mail(
    db: AsyncSession, settings: Settings
) -> None:
    await open_event(db)
    await services.register(db, settings, "rare-earths-round-table", person())
    await db.rollback()
    assert await outbox(db) == []
    assert await db.scalar(select(func.count()).select_from(Registration)) == 0


async def test_same_email_twice_is_refused_clearly(db: AsyncSession, settings: Settings) -> None:
    await open_event(db)
    await services.register(db, settings, "rare-earths-round-table", person())
    with pytest.raises(Conflict) as caught:
        await services.register(
            db, settings, "rare-earths-round-table", person(email="AIGERIM1@example.kz")
        )
    assert caught.value.code == "already_registered"
    assert caught.value.field == "email"
    assert "already registered" in caught.value.message


async def test_same_email_on_a_fully_booked_event_hears_it_is_registered(
    db: AsyncSession, settings: Settings
) -> None:
    await open_event(db, capacity=1, waitlist_enabled=False)
    await services.register(db, settings, "rare-earths-round-table", person())
    with pytest.raises(Conflict) as caught:
        await services.register(db, settings, "rare-earths-round-table", person())
    assert caught.value.code == "already_registered"
    with pytest.raises(Conflict) as full:
        await services.register(db, settings, "rare-earths-round-table", person(2))
    assert full.value.code == "capacity_full"
    assert await db.scalar(select(func.count()).select_from(Registration)) == 1
    assert len(await outbox(db)) == 1


async def test_cancelled_address_may_register_again(db: AsyncSession, settings: Settings) -> None:
    await open_event(db)
    first = await services.register(db, settings, "rare-earths-round-table", person())
    await services.cancel(db, settings, first.registration)
    again = await services.register(db, settings, "rare-earths-round-table", person())
    assert again.registration.status == "confirmed"


async def test_double_submit_with_one_key_creates_one_registration(
    db: AsyncSession, settings: Settings
) -> None:
    await open_event(db)
    first = await services.register(
        db, settings, "rare-earths-round-table", person(idempotency_key="form-abc")
    )
    second = await services.register(
        db, settings, "rare-earths-round-table", person(idempotency_key="form-abc")
    )
    assert second.created is False
    assert second.registration.id == first.registration.id
    assert second.manage_token == first.manage_token
    assert await db.scalar(select(func.count()).select_from(Registration)) == 1
    assert len(await outbox(db)) == 1


async def test_every_field_at_fault_is_named(db: AsyncSession, settings: Settings) -> None:
    await open_event(db, questions=True)
    with pytest.raises(InvalidInput) as caught:
        await services.register(
            db,
            settings,
            "rare-earths-round-table",
            person(
                given_name=" ",
                email="not-an-address",
                country="XX",
                category="speaker",
                consent=False,
                answers={},
            ),
        )
    errors = caught.value.extra["errors"]
    assert set(errors) >= {"given_name", "email", "country", "category", "consent"}
    question = await db.scalar(select(Question).where(Question.required.is_(True)))
    assert question is not None
    assert f"answers.{question.id}" in errors


async def test_answers_are_checked_against_the_options(
    db: AsyncSession, settings: Settings
) -> None:
    await open_event(db, questions=True)
    questions = await services.questions_of(
        db, (await services.get_event(db, "rare-earths-round-table")).id
    )
    single, yes_no = questions
    with pytest.raises(InvalidInput) as caught:
        await services.register(
            db,
            settings,
            "rare-earths-round-table",
            person(answers={str(single.id): "astrology", str(yes_no.id): "maybe"}),
        )
    assert set(caught.value.extra["errors"]) == {f"answers.{single.id}", f"answers.{yes_no.id}"}
    outcome = await services.register(
        db,
        settings,
        "rare-earths-round-table",
        person(answers={str(single.id): "policy", str(yes_no.id): "yes"}),
    )
    assert outcome.registration.answers == {str(single.id): "policy", str(yes_no.id): True}


async def test_window_and_invitation_only(db: AsyncSession, settings: Settings) -> None:
    later = datetime.now(UTC) + timedelta(days=1)
    await open_event(db, opens_at=later)
    with pytest.raises(DomainError) as caught:
        await services.register(db, settings, "rare-earths-round-table", person())
    assert caught.value.code == "registration_not_open"

    await open_event(db, "closed", closes_at=datetime.now(UTC) - timedelta(minutes=1))
    with pytest.raises(DomainError) as caught:
        await services.register(db, settings, "closed", person())
    assert caught.value.code == "registration_closed"

    event = await open_event(db, "invited", invitation_only=True)
    with pytest.raises(Forbidden) as forbidden:
        await services.register(db, settings, "invited", person())
    assert forbidden.value.code == "invitation_required"
    db.add(
        Invitation(
            event_id=event.id,
            email="guest@example.de",
            category="speaker",
            token=tokens.new_invitation_token(),
        )
    )
    await db.flush()
    invitation = await db.scalar(select(Invitation))
    assert invitation is not None
    outcome = await services.register(
        db, settings, "invited", person(invitation=invitation.token, category="participant")
    )
    assert outcome.registration.category == "speaker"
    assert invitation.used_at is not None
    with pytest.raises(Conflict):
        await services.register(db, settings, "invited", person(2, invitation=invitation.token))


async def test_full_event_waitlists_and_cancel_promotes_the_first(
    db: AsyncSession, settings: Settings
) -> None:
    await open_event(db, capacity=1)
    slug = "rare-earths-round-table"
    first = await services.register(db, settings, slug, person(1))
    second = await services.register(db, settings, slug, person(2))
    third = await services.register(db, settings, slug, person(3))
    assert [first.registration.status, second.registration.status, third.registration.status] == [
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]
    promoted = await services.cancel(db, settings, first.registration)
    assert [r.id for r in promoted] == [second.registration.id]
    assert second.registration.status == "confirmed"
    assert third.registration.status == "waitlisted"
    kinds = [(m.to_address, m.kind) for m in await outbox(db)]
    assert ("aigerim1@example.kz", "registration.cancelled") in kinds
    assert ("aigerim2@example.kz", "registration.promoted") in kinds


async def test_no_waitlist_means_capacity_full(db: AsyncSession, settings: Settings) -> None:
    await open_event(db, capacity=1, waitlist_enabled=False)
    await services.register(db, settings, "rare-earths-round-table", person(1))
    with pytest.raises(Conflict) as caught:
        await services.register(db, settings, "rare-earths-round-table", person(2))
    assert caught.value.code == "capacity_full"


async def test_category_capacity(db: AsyncSession, settings: Settings) -> None:
    await open_event(db, capacity=10, category_capacity={"press": 1})
    slug = "rare-earths-round-table"
    press1 = await services.register(db, settings, slug, person(1, category="press"))
    press2 = await services.register(db, settings, slug, person(2, category="press"))
    other = await services.register(db, settings, slug, person(3))
    assert (press1.registration.status, press2.registration.status) == ("confirmed", "waitlisted")
    assert other.registration.status == "confirmed"


async def test_approval_flow(db: AsyncSession, settings: Settings) -> None:
    await open_event(db, capacity=1, approval_required=True)
    slug = "rare-earths-round-table"
    a = await services.register(db, settings, slug, person(1))
    b = await services.register(db, settings, slug, person(2))
    c = await services.register(db, settings, slug, person(3))
    assert a.registration.status == "pending"
    assert await services.approve(db, settings, a.registration) == "confirmed"
    assert await services.approve(db, settings, b.registration) == "waitlisted"
    await services.reject(db, settings, c.registration)
    assert c.registration.status == "rejected"
    with pytest.raises(Conflict):
        await services.promote(db, settings, b.registration)
    await services.promote(db, settings, b.registration, force=True)
    assert b.registration.status == "confirmed"


async def test_update_details_and_resend_link(db: AsyncSession, settings: Settings) -> None:
    await open_event(db)
    outcome = await services.register(db, settings, "rare-earths-round-table", person())
    await services.update_details(
        db, settings, outcome.registration, DetailsIn(family_name="Groß", language="de")
    )
    assert outcome.registration.family_name == "Groß"
    with pytest.raises(InvalidInput) as caught:
        await services.update_details(db, settings, outcome.registration, DetailsIn(country="ZZ"))
    assert caught.value.field == "country"
    before = len(await outbox(db))
    await services.resend_link(db, settings, "rare-earths-round-table", "nobody@example.com")
    assert len(await outbox(db)) == before
    await services.resend_link(db, settings, "rare-earths-round-table", "AIGERIM1@example.kz")
    mails = await outbox(db)
    assert len(mails) == before + 1
    assert mails[-1].language == "de"
    assert outcome.manage_token in (await compose.resolve_mail(db, mails[-1])).text


async def test_no_settings_means_not_open(db: AsyncSession, settings: Settings) -> None:
    event = await open_event(db)
    await db.delete(await db.scalar(select(RegistrationSettings)))
    await db.flush()
    with pytest.raises(DomainError) as caught:
        await services.register(db, settings, event.slug, person())
    assert caught.value.code == "registration_not_open"


async def test_seats_taken_count_only_the_confirmed(db: AsyncSession, settings: Settings) -> None:
    event = await open_event(db, capacity=2)
    outcomes = [await services.register(db, settings, event.slug, person(n)) for n in range(4)]
    assert [o.registration.status for o in outcomes] == ["confirmed"] * 2 + ["waitlisted"] * 2
    everyone = await services.seat_counts(db, event.id)
    assert everyone == {"confirmed": {"participant": 2}, "waitlisted": {"participant": 2}}
    first = outcomes[0].registration.id
    taken = await services.seat_counts(db, event.id, confirmed_only=True)
    assert taken == {"confirmed": {"participant": 2}}
    taken = await services.seat_counts(db, event.id, without=first, confirmed_only=True)
    assert taken == {"confirmed": {"participant": 1}}
