"""Fault: the SMTP server is down for a while. Mails wait in the outbox, then all go, none twice."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

from aiosmtpd.controller import Controller
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from events.mail import sender
from events.registration import services
from events.settings import Settings
from tests.unit.mail.test_sender import Inbox, free_port, outbox, with_smtp
from tests.unit.registration.factories import open_event, person

PEOPLE = 8


async def test_mails_queued_while_smtp_is_down_all_go_once_when_it_returns(
    db: AsyncSession, engine: AsyncEngine, settings: Settings
) -> None:
    port = free_port()
    settings = with_smtp(settings, port)
    await open_event(db, capacity=None)
    for n in range(PEOPLE):
        await services.register(db, settings, "rare-earths-round-table", person(n))
    await db.commit()

    # The server is down: two passes, a while apart, both fail; every mail waits with its error.
    moment = datetime.now(UTC)
    for _ in range(2):
        report = await sender.deliver_due(engine, settings, now=moment)
        assert (report.sent, report.failed) == (0, 0)
        moment += sender.MAX_DELAY + timedelta(seconds=1)
    rows = await outbox(db)
    assert len(rows) == PEOPLE
    assert all(r.status == "pending" and r.attempts == 2 and r.last_error for r in rows)

    # The server returns; several senders (web workers and `events mail send`) race for the mail.
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        reports = await asyncio.gather(
            *(sender.deliver_due(engine, settings, limit=3, now=moment) for _ in range(4))
        )
        rest = await sender.deliver_due(engine, settings, now=moment)
        # Nothing is left for a later pass.
        later = await sender.deliver_due(engine, settings, now=moment + timedelta(days=1))
    finally:
        controller.stop()

    assert sum(r.sent for r in reports) + rest.sent == PEOPLE
    assert later.handled == 0
    received = Counter(m["To"].addresses[0].addr_spec for m in inbox.received)
    assert received == Counter(f"aigerim{n}@example.kz" for n in range(PEOPLE))  # each once
    rows = await outbox(db)
    assert all(r.status == "sent" and r.attempts == 3 and r.sent_at for r in rows)
