"""Concurrent scans of one badge record exactly one check-in.

Each scan runs in its own session on its own pooled connection (asyncio.gather over a real engine).
On PostgreSQL the test first proves the race is real: without the partial unique index several
scans each insert a check-in. With the index (the schema as migrated), exactly one does; the others
answer already_checked_in. PostgreSQL decides a scan inside one function call
(``checkin.in_database``), so the pause ``before_insert_hook`` adds between the steps widens the
window only where Python takes the steps (SQLite, which serialises writers anyway).
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from events.checkin import services
from events.checkin.models import CheckIn
from events.checkin.schemas import ScanIn
from events.db.engine import create_engine
from events.settings import Settings
from tests.unit.checkin.factories import crowd

SCANS = 20


async def _scan_all(settings: Settings, slug: str, token: str) -> list[str]:
    engine = create_engine(settings)
    engine.pool._timeout = 120  # type: ignore[attr-defined]
    maker = async_sessionmaker(engine, expire_on_commit=False)

    async def one(number: int) -> str:
        async with maker() as session:
            event = await services.get_event(session, slug)
            data = ScanIn(
                token=token, nonce=uuid.uuid4().hex, scanned_at=datetime.now(UTC),
                desk=f"Desk {number}",
            )  # fmt: skip
            decision = await services.decide_scan(session, event, data, None)
            await session.commit()
            return str(decision.answer["status"])

    try:
        return list(await asyncio.gather(*(one(n) for n in range(SCANS))))
    finally:
        await engine.dispose()


async def _checkins(engine: AsyncEngine) -> int:
    async with async_sessionmaker(engine)() as session:
        return int(await session.scalar(select(func.count()).select_from(CheckIn)) or 0)


async def _race_window() -> None:
    await asyncio.sleep(0.1)


# SQLite serialises every write transaction, so the race exists only on PostgreSQL.
@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_without_the_unique_index_postgres_admits_twice(
    backend: str, engine: AsyncEngine, db: AsyncSession, settings: Settings, monkeypatch
) -> None:
    c = await crowd(db)
    async with engine.begin() as connection:
        await connection.execute(text("DROP INDEX uq_checkins_registration_door_live"))
    monkeypatch.setattr(services, "before_insert_hook", _race_window)
    try:
        statuses = await _scan_all(settings, c.event.slug, c.confirmed[0].checkin_token)
        assert statuses.count("ok") > 1, statuses
        assert await _checkins(engine) > 1
    finally:
        async with engine.begin() as connection:
            await connection.execute(text("DELETE FROM checkin_scans"))
            await connection.execute(text("DELETE FROM checkins"))
            await connection.execute(
                text(
                    "CREATE UNIQUE INDEX uq_checkins_registration_door_live ON checkins "
                    "(registration_id, door) WHERE undone_at IS NULL"
                )
            )


async def test_concurrent_scans_of_one_badge_record_one_checkin(
    engine: AsyncEngine, db: AsyncSession, settings: Settings, monkeypatch
) -> None:
    c = await crowd(db)
    # The same widened window: the index, not luck, keeps it to one.
    monkeypatch.setattr(services, "before_insert_hook", _race_window)
    statuses = await _scan_all(settings, c.event.slug, c.confirmed[0].checkin_token)
    assert statuses.count("ok") == 1, statuses
    assert statuses.count("already_checked_in") == SCANS - 1
    assert await _checkins(engine) == 1
