"""The outbox sender against a real SMTP server (aiosmtpd) started in the test."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from events.mail import compose, sender
from events.mail.models import OutboxMessage
from events.registration import services
from events.settings import Settings
from tests.unit.registration.factories import open_event, person


class Inbox(Message):
    def __init__(self) -> None:
        super().__init__(email.message.EmailMessage)
        self.received: list[EmailMessage] = []

    def handle_message(self, message: email.message.Message) -> None:
        parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append(parsed)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Controller, Inbox]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def with_smtp(settings: Settings, port: int) -> Settings:
    from dataclasses import replace

    return replace(settings, smtp_url=f"smtp://127.0.0.1:{port}")


async def outbox(db: AsyncSession) -> list[OutboxMessage]:
    # Read in a transaction of its own and end it: on SQLite an open one blocks the sender.
    db.expire_all()
    rows = list(await db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    await db.commit()
    return rows


def parts(message: EmailMessage) -> tuple[str, str, list[EmailMessage]]:
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    attachments = list(message.iter_attachments())
    return text.get_content(), html.get_content(), attachments  # type: ignore[attr-defined]


async def test_confirmation_goes_out_in_kazakh_with_calendar_and_escaping(
    db: AsyncSession, engine: AsyncEngine, settings: Settings, smtp
) -> None:
    controller, inbox = smtp
    settings = with_smtp(settings, controller.port)
    await open_event(db)
    outcome = await services.register(
        db,
        settings,
        "rare-earths-round-table",
        person(organisation="<script>alert(1)</script> & Co", given_name="Айгерім"),
    )
    await db.commit()
    report = await sender.deliver_due(engine, settings)
    assert (report.sent, report.retried, report.failed) == (1, 0, 0)
    assert len(inbox.received) == 1
    received = inbox.received[0]
    assert received["To"].addresses[0].addr_spec == "aigerim1@example.kz"
    assert "Сирек жер металдары" in received["Subject"]
    text, html, attachments = parts(received)
    manage = f"http://testserver.local/r/{outcome.manage_token}"
    assert manage in text and manage in html
    assert "Айгерім" in text and "Айгерім" in html
    # What was typed appears verbatim in the text part and escaped in the HTML part.
    assert "<script>alert(1)</script> & Co" in text
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
    calendar, badge = attachments  # the badge (events.badges) is rendered when the mail is sent
    assert calendar.get_content_type() == "text/calendar"
    assert badge.get_content_type() == "application/pdf"
    assert badge.get_content().startswith(b"%PDF")
    ics = calendar.get_content()
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert ics.count("BEGIN:VEVENT") == 1
    assert "TZID:Asia/Almaty" in ics
    assert "DTSTART;TZID=Asia/Almaty:" in ics
    rows = await outbox(db)
    assert rows[0].status == "sent" and rows[0].sent_at is not None
    # Rendered when sent (not in the registration's request); the row keeps what was sent.
    assert rows[0].renderer is not None
    assert rows[0].subject == received["Subject"] and manage in rows[0].text_body
    assert "&lt;script&gt;" in rows[0].html_body


@pytest.mark.parametrize("erased", ["anonymised", "deleted"])
async def test_a_mail_about_an_erased_registration_is_never_sent(
    db: AsyncSession, engine: AsyncEngine, settings: Settings, smtp, erased: str
) -> None:
    controller, inbox = smtp
    settings = with_smtp(settings, controller.port)
    await open_event(db)
    outcome = await services.register(db, settings, "rare-earths-round-table", person())
    await db.commit()
    if erased == "anonymised":
        outcome.registration.anonymised_at = datetime.now(UTC)
    else:
        await db.delete(outcome.registration)
    await db.commit()
    report = await sender.deliver_due(engine, settings)
    assert (report.sent, report.retried, report.failed, report.dropped) == (0, 0, 0, 1)
    assert sender.summary(report) == "sent 0, to retry 0, failed 0, dropped 1"
    assert inbox.received == []
    # Dropped, not failed: no delivery failure for the organisers to act on, never tried again.
    (row,) = await outbox(db)
    assert row.status == "dropped" and row.attempts == 1
    assert row.last_error is not None and row.last_error.startswith("nothing to send")
    assert row.text_body == ""
    assert (await sender.deliver_due(engine, settings)).handled == 0


async def test_a_renderer_outside_the_package_is_never_called(
    db: AsyncSession, engine: AsyncEngine, settings: Settings, smtp
) -> None:
    controller, inbox = smtp
    settings = with_smtp(settings, controller.port)
    mail = compose.DeferredMail(renderer="os:system", key="touch /tmp/owned")
    await compose.enqueue(db, to="a@example.org", to_name="A", language="en", kind="x", mail=mail)
    await db.commit()
    report = await sender.deliver_due(engine, settings)
    assert (report.sent, report.dropped) == (0, 1) and inbox.received == []
    (row,) = await outbox(db)
    assert row.last_error == "nothing to send: no renderer 'os:system'"
    missing = compose.DeferredMail(renderer="events.nowhere:render", key="")
    await compose.enqueue(
        db, to="b@example.org", to_name="B", language="en", kind="x", mail=missing
    )
    await db.commit()
    assert (await sender.deliver_due(engine, settings)).dropped == 1


async def test_a_rolled_back_registration_sends_nothing(
    db: AsyncSession, engine: AsyncEngine, settings: Settings, smtp
) -> None:
    controller, inbox = smtp
    settings = with_smtp(settings, controller.port)
    await open_event(db)
    await services.register(db, settings, "rare-earths-round-table", person())
    await db.rollback()
    report = await sender.deliver_due(engine, settings)
    assert report.handled == 0
    assert inbox.received == []


async def test_smtp_outage_keeps_mail_pending_until_the_server_returns(
    db: AsyncSession, engine: AsyncEngine, settings: Settings
) -> None:
    port = free_port()
    settings = with_smtp(settings, port)
    await open_event(db)
    await services.register(db, settings, "rare-earths-round-table", person())
    await db.commit()

    # No server listens: the attempt fails and is scheduled again with back-off.
    report = await sender.deliver_due(engine, settings)
    assert (report.sent, report.retried) == (0, 1)
    (row,) = await outbox(db)
    assert row.status == "pending" and row.attempts == 1 and row.last_error
    assert row.next_attempt_at > datetime.now(UTC) + timedelta(seconds=20)
    # Not due yet: nothing is tried.
    assert (await sender.deliver_due(engine, settings)).handled == 0

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        later = datetime.now(UTC) + timedelta(minutes=1)
        report = await sender.deliver_due(engine, settings, now=later)
    finally:
        controller.stop()
    assert report.sent == 1
    assert len(inbox.received) == 1
    (row,) = await outbox(db)
    assert row.status == "sent" and row.attempts == 2


async def test_gives_up_after_the_last_attempt(
    db: AsyncSession, engine: AsyncEngine, settings: Settings
) -> None:
    settings = with_smtp(settings, free_port())
    await open_event(db)
    await services.register(db, settings, "rare-earths-round-table", person())
    await db.commit()
    moment = datetime.now(UTC)
    for _ in range(sender.MAX_ATTEMPTS):
        moment += sender.MAX_DELAY + timedelta(seconds=1)
        await sender.deliver_due(engine, settings, now=moment)
    (row,) = await outbox(db)
    assert row.status == "failed" and row.attempts == sender.MAX_ATTEMPTS


def test_backoff_grows_exponentially_and_is_capped() -> None:
    delays = [sender.backoff(n) for n in range(1, 6)]
    assert delays == [timedelta(seconds=30 * 2**i) for i in range(5)]
    assert sender.backoff(40) == sender.MAX_DELAY


LONG_NAMES = [
    "Айгерім Сәрсенбаева-Нұрмағамбетова Қалиқызы Жақсылықова",
    "Ұлықбек Әбілқайырұлы Тоқтарбекұлы Мұхаммедқалиев",
    "Нұрмағамбетова" * 6,
    "Małgorzata Brzęczyszczykiewicz-Źdźbło Łukasiewicz Żółtowska",
    "Jürgen Groß-Müller von Äschenbach-Überlingen zu Öhringen",
    "Jan O'Neill-Kowalski Jan O'Neill-Kowalski Jan O'Neill-Kowalski Jan Kowalski",
]


@pytest.mark.parametrize("name", LONG_NAMES)
def test_a_long_display_name_comes_back_exactly_after_folding(name: str) -> None:
    """The To: header of a long name in any script: folded into RFC 2047 encoded words that
    decode, per the RFC, to exactly the name; the address intact; no line too long."""
    import re
    from email.header import decode_header, make_header
    from email.utils import getaddresses

    row = OutboxMessage(
        id=7, to_address="aigerim@example.kz", to_name=name, subject=f"Тіркелу: {name}",
        text_body="x", html_body="<p>x</p>", attachments=[], language="kk",
    )  # fmt: skip
    raw = bytes(sender.build_message(row, "events@example.org", []))
    head = raw.split(b"\n\n", 1)[0].decode("ascii")
    assert all(len(line.rstrip("\r")) <= 78 for line in head.split("\n")), head
    # Every encoded word decodes on its own: no character is split between two of them.
    for word in re.findall(r"=\?[^?]+\?[bqBQ]\?[^?]*\?=", head):
        str(make_header(decode_header(word)))

    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    (address,) = parsed["To"].addresses
    assert address.addr_spec == "aigerim@example.kz"
    assert str(parsed["Subject"]) == f"Тіркелу: {name}"
    # RFC 2047 (6.2): the whitespace that folding puts between two encoded words is not part of
    # the text. Python 3.11's policy.default keeps it in address headers (CPython gh-128110, an
    # extra space where a fold fell inside a word); mail clients and the RFC's own decoding don't.
    folded = email.message_from_bytes(raw, policy=email.policy.compat32)["To"]
    ((encoded_name, addr_spec),) = getaddresses([folded])
    assert addr_spec == "aigerim@example.kz"
    assert str(make_header(decode_header(encoded_name))) == name
    assert "".join(address.display_name.split()) == "".join(name.split())


async def test_without_smtp_mails_become_eml_files(
    db: AsyncSession, engine: AsyncEngine, settings: Settings
) -> None:
    await open_event(db)
    await services.register(db, settings, "rare-earths-round-table", person())
    await db.commit()
    assert settings.smtp_url is None
    report = await sender.deliver_due(engine, settings)
    assert report.sent == 1
    files = list(Path(settings.data_dir / "outbox").glob("*.eml"))
    assert len(files) == 1
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert parsed["To"].addresses[0].addr_spec == "aigerim1@example.kz"


async def test_two_workers_never_send_one_message_twice(
    db: AsyncSession, engine: AsyncEngine, settings: Settings, smtp
) -> None:
    import asyncio

    controller, inbox = smtp
    settings = with_smtp(settings, controller.port)
    await open_event(db, capacity=None)
    for n in range(12):
        await services.register(db, settings, "rare-earths-round-table", person(n))
    await db.commit()
    reports = await asyncio.gather(
        *(sender.deliver_due(engine, settings, limit=5) for _ in range(4))
    )
    rest = await sender.deliver_due(engine, settings)
    assert sum(r.sent for r in reports) + rest.sent == 12
    addresses = sorted(m["To"].addresses[0].addr_spec for m in inbox.received)
    assert addresses == sorted(f"aigerim{n}@example.kz" for n in range(12))


async def test_once_sends_every_due_mail_not_only_the_first_batch(
    db: AsyncSession, engine: AsyncEngine, settings: Settings
) -> None:
    await open_event(db, capacity=None)
    for n in range(7):
        await services.register(db, settings, "rare-earths-round-table", person(n))
    await db.commit()
    report = await sender.run(engine, settings, once=True, limit=3)
    assert report.sent == 7
    assert len(list(Path(settings.data_dir / "outbox").glob("*.eml"))) == 7
    assert (await sender.run(engine, settings, once=True, limit=3)).handled == 0
