"""Queuing a mail in the outbox."""

from __future__ import annotations

from sqlalchemy import inspect, select
from sqlalchemy.ext.asyncio import AsyncSession

from events.mail import compose
from events.mail.models import OutboxMessage


def mail(subject: str) -> compose.RenderedMail:
    return compose.RenderedMail(subject=subject, text="Text <b>", html="<p>HTML</p>")


async def queue(db: AsyncSession, subject: str, key: str | None) -> OutboxMessage:
    return await compose.enqueue(
        db,
        to="aigerim@example.kz",
        to_name="Айгерім",
        language="kk",
        kind="registration.confirmed",
        mail=mail(subject),
        dedupe_key=key,
    )


async def test_a_mail_is_queued_once_per_dedupe_key(db: AsyncSession) -> None:
    first = await queue(db, "First", "registration:1:new")
    # The session's own object, every column loaded: reading one later needs no I/O.
    assert first.id is not None and inspect(first).persistent
    assert inspect(first).expired_attributes == set()
    assert (first.subject, first.status, first.attempts) == ("First", "pending", 0)

    again = await queue(db, "Second", "registration:1:new")
    assert again.id == first.id and again.subject == "First"
    other = await queue(db, "Other", "registration:2:new")
    unkeyed = [await queue(db, "No key", None) for _ in range(2)]
    await db.commit()

    rows = list(await db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    assert [r.subject for r in rows] == ["First", "Other", "No key", "No key"]
    assert {r.id for r in rows} == {first.id, other.id, *(m.id for m in unkeyed)}


async def test_a_deleted_mail_frees_its_key(db: AsyncSession) -> None:
    # A registration whose status changed under the lock deletes its first mail and queues
    # another with the same key, in one transaction.
    first = await queue(db, "Confirmed", "registration:7:new")
    await db.delete(first)
    await db.flush()
    second = await queue(db, "Waitlisted", "registration:7:new")
    await db.commit()
    assert second.subject == "Waitlisted"
    subjects = list(await db.scalars(select(OutboxMessage.subject)))
    assert subjects == ["Waitlisted"]
