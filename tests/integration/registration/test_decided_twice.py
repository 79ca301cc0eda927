"""A registration is written before the event's lock and decided again under it.

These run on PostgreSQL, where registrations really are in flight side by side (SQLite serialises
every write transaction, so nothing can happen between the two steps there).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from events.errors import Conflict
from events.mail.models import OutboxMessage
from events.registration import services
from events.registration.models import Registration
from events.settings import Settings
from tests.unit.registration.factories import open_event, person

pytestmark = pytest.mark.parametrize("backend", ["postgres"], indirect=True)
SLUG = "rare-earths-round-table"


async def _register(engine: AsyncEngine, settings: Settings, number: int, **changes: Any) -> Any:
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as session:
        outcome = await services.register(session, settings, SLUG, person(number, **changes))
        await session.commit()
        return outcome


def _before_the_lock(
    monkeypatch: pytest.MonkeyPatch, meanwhile: Callable[[], Awaitable[Any]]
) -> None:
    """Run ``meanwhile`` once, after the registration is written and before it takes the lock."""
    real_lock = services.lock_seat_rules
    done: list[int] = []

    async def lock(session: AsyncSession, event_id: int) -> Any:
        if not done:
            done.append(1)
            await meanwhile()
        return await real_lock(session, event_id)

    monkeypatch.setattr(services, "lock_seat_rules", lock)


async def test_the_last_seat_taken_meanwhile_puts_the_late_one_on_the_waiting_list(
    backend: str, engine: AsyncEngine, db: AsyncSession, settings: Settings, monkeypatch
) -> None:
    await open_event(db, capacity=1)
    # The first registration has written itself as confirmed (one seat was free); before it takes
    # the lock, a second one takes that seat and commits.
    _before_the_lock(monkeypatch, lambda: _register(engine, settings, 2))
    first = await _register(engine, settings, 1)

    assert first.registration.status == "waitlisted"
    assert first.registration.confirmed_at is None
    assert first.registration.waitlisted_at is not None
    rows = {r.email: r.status for r in await db.scalars(select(Registration))}
    assert rows == {"aigerim1@example.kz": "waitlisted", "aigerim2@example.kz": "confirmed"}
    # One mail each, and the late one's tells the waiting list, not a confirmation.
    mails = {m.to_address: m for m in await db.scalars(select(OutboxMessage))}
    assert len(mails) == 2
    assert mails["aigerim1@example.kz"].kind == "registration.waitlisted"
    assert mails["aigerim2@example.kz"].kind == "registration.confirmed"


async def test_a_seat_freed_meanwhile_goes_to_the_one_deciding(
    backend: str, engine: AsyncEngine, db: AsyncSession, settings: Settings, monkeypatch
) -> None:
    await open_event(db, capacity=1)
    await _register(engine, settings, 1)  # takes the only seat

    async def seat_freed() -> None:
        maker = async_sessionmaker(engine, expire_on_commit=False)
        async with maker() as other:
            holder = await other.scalar(select(Registration))
            assert holder is not None
            holder.status = "cancelled"
            await other.commit()

    _before_the_lock(monkeypatch, seat_freed)
    late = await _register(engine, settings, 2)
    assert late.registration.status == "confirmed"
    kinds = [m.kind for m in await db.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
    assert kinds == ["registration.confirmed", "registration.confirmed"]


async def test_fully_booked_meanwhile_without_waiting_list_writes_nothing(
    backend: str, engine: AsyncEngine, db: AsyncSession, settings: Settings, monkeypatch
) -> None:
    await open_event(db, capacity=1, waitlist_enabled=False)
    _before_the_lock(monkeypatch, lambda: _register(engine, settings, 2))
    with pytest.raises(Conflict) as refused:
        await _register(engine, settings, 1)
    assert refused.value.code == "capacity_full"
    assert await db.scalar(select(func.count()).select_from(Registration)) == 1
    assert await db.scalar(select(func.count()).select_from(OutboxMessage)) == 1


async def test_the_same_address_twice_at_once_is_registered_once(
    backend: str, engine: AsyncEngine, db: AsyncSession, settings: Settings
) -> None:
    await open_event(db, capacity=10)
    results = await asyncio.gather(
        *(_register(engine, settings, 1) for _ in range(6)), return_exceptions=True
    )
    created = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(created) == 1
    assert all(isinstance(r, Conflict) and r.code == "already_registered" for r in refused)
    assert await db.scalar(select(func.count()).select_from(Registration)) == 1
    assert await db.scalar(select(func.count()).select_from(OutboxMessage)) == 1


async def test_a_double_click_at_once_answers_both_with_one_registration(
    backend: str, engine: AsyncEngine, db: AsyncSession, settings: Settings
) -> None:
    await open_event(db, capacity=10)
    results = await asyncio.gather(
        *(_register(engine, settings, 1, idempotency_key="click-1") for _ in range(4))
    )
    assert len({r.registration.id for r in results}) == 1
    assert sorted(r.created for r in results) == [False, False, False, True]
    assert await db.scalar(select(func.count()).select_from(Registration)) == 1
    assert await db.scalar(select(func.count()).select_from(OutboxMessage)) == 1


async def test_awaiting_approval_takes_no_lock(
    backend: str, engine: AsyncEngine, db: AsyncSession, settings: Settings, monkeypatch
) -> None:
    await open_event(db, capacity=1, approval_required=True)

    async def no_lock(session: AsyncSession, event_id: int) -> services.SeatRules | None:
        raise AssertionError("a registration awaiting approval takes no seat")

    monkeypatch.setattr(services, "lock_seat_rules", no_lock)
    outcome = await _register(engine, settings, 1)
    assert outcome.registration.status == "pending"
