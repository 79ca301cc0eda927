"""Statements for the hot paths: inserts that a unique index may refuse, rows through the driver."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from events.db.statements import driver_connection, fetch_rows, insert_instance_or_nothing
from events.mail.models import OutboxMessage
from tests.statements_support import statements_seen

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


def message(key: str | None, subject: str = "Subject") -> OutboxMessage:
    return OutboxMessage(
        to_address="jan@example.pl",
        to_name="Jan Kowalski",
        subject=subject,
        text_body="Treść",
        html_body="<p>Treść</p>",
        attachments=[{"filename": "event.ics", "renderer": "x:y", "key": '{"a": 1}'}],
        language="pl",
        kind="registration.confirmed",
        status="pending",
        attempts=0,
        next_attempt_at=NOW,
        dedupe_key=key,
    )


async def count(engine: AsyncEngine) -> int:
    async with async_sessionmaker(engine)() as other:
        return int(await other.scalar(select(func.count()).select_from(OutboxMessage)) or 0)


async def test_an_insert_is_never_committed_on_its_own(
    db: AsyncSession, engine: AsyncEngine
) -> None:
    # The first statement of the session: no transaction open yet on its connection.
    assert await insert_instance_or_nothing(db, message("first"), NOW)
    await db.rollback()
    assert await count(engine) == 0


async def test_inserted_values_come_back_as_given(db: AsyncSession, engine: AsyncEngine) -> None:
    async with statements_seen(engine) as seen:
        # A transaction is open: on PostgreSQL the driver's path.
        await db.execute(text("SELECT 1"))
        created = message("mail:1")
        assert await insert_instance_or_nothing(db, created, NOW)
        # A second row with the same key is refused, and nothing of it is written.
        assert not await insert_instance_or_nothing(db, message("mail:1", "Other"), NOW)
    assert len([s for s in seen if s.startswith("INSERT INTO outbox_messages")]) == 2
    await db.commit()
    created_id, attachments = created.id, created.attachments
    db.expire_all()
    stored = await db.get(OutboxMessage, created_id)
    assert stored is not None and stored.subject == "Subject"
    assert stored.attachments == attachments and stored.next_attempt_at == NOW
    assert stored.created_at == NOW and stored.last_error is None
    await db.commit()  # on SQLite the read holds the database
    assert await count(engine) == 1


async def test_fetch_rows_reads_columns_by_name(db: AsyncSession) -> None:
    assert await insert_instance_or_nothing(db, message("mail:2", "Rows"), NOW)
    statement = select(OutboxMessage.id, OutboxMessage.subject, OutboxMessage.attempts).where(
        OutboxMessage.dedupe_key == "mail:2"
    )
    rows = await fetch_rows(db, statement, {})
    assert [(r["subject"], r["attempts"]) for r in rows] == [("Rows", 0)]


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_an_expanding_in_is_refused_for_the_driver(db: AsyncSession) -> None:
    statement = select(OutboxMessage.id).where(OutboxMessage.status.in_(["pending", "sent"]))
    with pytest.raises(ValueError, match="one parameter per value"):
        await fetch_rows(db, statement, {})


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_a_lock_read_first_is_held_until_commit(
    db: AsyncSession, engine: AsyncEngine, backend: str
) -> None:
    assert await insert_instance_or_nothing(db, message("mail:3"), NOW)
    await db.commit()
    locking = select(OutboxMessage.id).where(OutboxMessage.dedupe_key == "mail:3").with_for_update()
    # The first statement of the session: it must open the transaction that keeps the lock.
    assert len(await fetch_rows(db, locking, {}, in_transaction=True)) == 1
    async with async_sessionmaker(engine)() as other:
        with pytest.raises(DBAPIError, match="could not obtain lock"):
            await other.execute(locking.with_for_update(nowait=True))
    await db.commit()


async def test_a_column_left_to_its_default_is_loaded_and_tracks_changes(
    db: AsyncSession,
) -> None:
    queued = message("mail:4")
    del queued.attachments  # left to its default, an empty list
    assert await insert_instance_or_nothing(db, queued, NOW)
    # Every column has its value without a load, and the object holds no pending change.
    assert queued.attachments == [] and queued.kind == "registration.confirmed"
    assert queued not in db.dirty
    # A JSON column changed in place is still written at the next flush.
    queued.attachments.append({"filename": "badge.pdf"})
    await db.commit()
    db.expire_all()
    stored = await db.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == "mail:4"))
    assert stored is not None and stored.attachments == [{"filename": "badge.pdf"}]


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_the_driver_connection_is_the_session_s_for_each_transaction(
    db: AsyncSession, engine: AsyncEngine, backend: str
) -> None:
    async def under_session() -> object:
        return (await (await db.connection()).get_raw_connection()).driver_connection

    first = await driver_connection(db)
    assert first is await under_session() and await driver_connection(db) is first
    await db.commit()
    # A new transaction may hold another connection of the pool: asked again, not remembered.
    # Another session takes the connection this one gave back, so this one gets a second.
    async with async_sessionmaker(engine)() as other:
        await other.execute(text("SELECT 1"))
        second = await driver_connection(db)
        assert second is not first and second is await under_session()
    await db.rollback()
