"""Never oversold: 300 registrations at the same moment for 100 seats.

Each registration runs in its own session on its own pooled connection (asyncio.gather over a real
engine). The test first proves the race is real: with the lock replaced by a plain read and a pause
between counting and inserting, PostgreSQL oversells. With the lock, exactly 100 are confirmed.
"""

from __future__ import annotations

import asyncio
import itertools

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from events.db.engine import create_engine
from events.registration import services
from events.registration.models import Registration
from events.settings import Settings
from tests.unit.registration.factories import open_event, person

SEATS = 100
PEOPLE = 300


async def _register_all(settings: Settings, slug: str) -> None:
    # The application's engine setup, with a pool timeout long enough for 300 queued writers.
    engine = create_engine(settings)
    engine.pool._timeout = 300  # type: ignore[attr-defined]
    maker = async_sessionmaker(engine, expire_on_commit=False)

    async def one(number: int) -> None:
        async with maker() as session:
            await services.register(session, settings, slug, person(number))
            await session.commit()

    try:
        await asyncio.gather(*(one(n) for n in range(PEOPLE)))
    finally:
        await engine.dispose()


async def _statuses(engine: AsyncEngine) -> dict[str, int]:
    maker = async_sessionmaker(engine)
    async with maker() as session:
        rows = await session.execute(
            select(Registration.status, func.count()).group_by(Registration.status)
        )
        return {status: int(count) for status, count in rows}


_window_turn = itertools.count()


async def _race_window() -> None:
    # Uneven pauses: with equal ones, the pool's connections move in lock-step batches whose
    # counts can land exactly on the capacity (10, 20, ... 100) and hide the race.
    await asyncio.sleep(0.05 + 0.02 * (next(_window_turn) % 7))


async def _short_window() -> None:
    await asyncio.sleep(0.002)


async def _unlocked(session: AsyncSession, event_id: int) -> services.SeatRules | None:
    # The same rules, read without taking the lock.
    return await services.get_registration_settings(session, event_id)


# SQLite serialises every write transaction, so the race exists only on PostgreSQL.
@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_without_the_lock_postgres_oversells(
    backend: str, engine: AsyncEngine, db: AsyncSession, settings: Settings, monkeypatch
) -> None:
    await open_event(db, capacity=SEATS)
    monkeypatch.setattr(services, "lock_seat_rules", _unlocked)
    monkeypatch.setattr(services, "after_count_hook", _race_window)
    await _register_all(settings, "rare-earths-round-table")
    counts = await _statuses(engine)
    assert sum(counts.values()) == PEOPLE
    assert counts["confirmed"] > SEATS, counts


async def test_with_the_lock_exactly_the_capacity_is_confirmed(
    engine: AsyncEngine, db: AsyncSession, settings: Settings, monkeypatch
) -> None:
    await open_event(db, capacity=SEATS)
    # A widened window between count and insert: the lock, not luck, keeps the count right.
    monkeypatch.setattr(services, "after_count_hook", _short_window)
    await _register_all(settings, "rare-earths-round-table")
    assert await _statuses(engine) == {"confirmed": SEATS, "waitlisted": PEOPLE - SEATS}
