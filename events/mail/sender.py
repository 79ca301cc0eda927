"""Delivering the outbox: claim due messages, send them (SMTP or .eml files), retry with back-off.

Several workers may run at once (``events mail send`` processes and the in-app task of every web
worker): a message is claimed by moving it to ``sending`` with a lease, under
``FOR UPDATE SKIP LOCKED`` on PostgreSQL (on SQLite ``BEGIN IMMEDIATE`` serialises the claim).
A worker that dies mid-send leaves the lease to expire, and the message is claimed again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import smtplib
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from events.mail.compose import (
    Attachment,
    NothingToSend,
    RenderedMail,
    resolve_attachments,
    resolve_mail,
)
from events.mail.models import OutboxMessage, OutboxStatus
from events.settings import Settings

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
BASE_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=6)
LEASE = timedelta(minutes=5)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min, ... at most 6 h after the ``attempts``-th failure."""
    delay: timedelta = BASE_DELAY * (2 ** max(attempts - 1, 0))
    return min(delay, MAX_DELAY)


def sender_address(settings: Settings) -> str:
    if address := os.environ.get("EVENTS_MAIL_FROM"):
        return address
    host = urlsplit(settings.base_url).hostname or "localhost"
    if "." not in host or host.replace(".", "").isdigit():
        host = "localhost.localdomain"
    return f"events@{host}"


def build_message(
    row: OutboxMessage,
    sender: str,
    attachments: list[dict[str, Any]] | None = None,
    mail: RenderedMail | None = None,
) -> EmailMessage:
    """The message of an outbox row; ``mail``: its subject and bodies as rendered at sending
    time (a deferred mail's), else the row's own."""
    mail = mail or RenderedMail(subject=row.subject, text=row.text_body, html=row.html_body)
    message = EmailMessage()
    message["Subject"] = mail.subject
    message["From"] = sender
    # An Address object, not a formatted string: a display name full of quotes and angle brackets
    # (someone's "name") must not be parsed back as another address.
    # Python's header folding does not quote every display name safely (a long name with quotes,
    # commas or brackets folds into text that parses as other addresses), so the display name
    # keeps only letters, digits, spaces and . - ' (it is a courtesy; the address is what counts).
    kept = "".join(c if c.isalnum() or c in ".-'" else " " for c in row.to_name)
    name = " ".join(kept.split())
    # A long non-ASCII name folds into several RFC 2047 encoded words; the whitespace between them
    # is not part of the name (RFC 2047 6.2), though Python 3.11's policy.default parser reads it
    # as a space (CPython gh-128110). Clients decode it exactly; see test_sender.py.
    message["To"] = Address(display_name=name, addr_spec=row.to_address)
    message["Message-ID"] = make_msgid(idstring=f"outbox-{row.id}")
    message["Content-Language"] = row.language
    message.set_content(mail.text, subtype="plain", charset="utf-8")
    message.add_alternative(mail.html, subtype="html", charset="utf-8")
    for item in (row.attachments or []) if attachments is None else attachments:
        attachment = Attachment.from_json(item)
        maintype, _, subtype = attachment.content_type.partition(";")[0].partition("/")
        message.add_attachment(
            attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return message


class Transport(Protocol):
    async def send(self, message: EmailMessage) -> None: ...


@dataclass
class SmtpTransport:
    """``smtp://user:password@host:port`` (``?starttls=1`` to upgrade) or ``smtps://`` (TLS)."""

    url: str
    timeout: float = 30.0

    def _send(self, message: EmailMessage) -> None:
        parts = urlsplit(self.url)
        query = parse_qs(parts.query)
        host = parts.hostname or "localhost"
        secure = parts.scheme == "smtps"
        port = parts.port or (465 if secure else 25)
        client: smtplib.SMTP
        if secure:
            client = smtplib.SMTP_SSL(
                host, port, timeout=self.timeout, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(host, port, timeout=self.timeout)
        with client:
            if not secure and query.get("starttls", ["0"])[0] in ("1", "true", "yes"):
                client.starttls(context=ssl.create_default_context())
            if parts.username:
                client.login(unquote(parts.username), unquote(parts.password or ""))
            client.send_message(message)

    async def send(self, message: EmailMessage) -> None:
        await asyncio.to_thread(self._send, message)


@dataclass
class FileTransport:
    """Without SMTP: every mail becomes an .eml file in ``directory``."""

    directory: Path

    def _write(self, message: EmailMessage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        ident = str(message["Message-ID"]).strip("<>").split("@")[0]
        path = self.directory / f"{stamp}-{ident}.eml"
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(bytes(message))
        temporary.replace(path)

    async def send(self, message: EmailMessage) -> None:
        await asyncio.to_thread(self._write, message)


def transport_for(settings: Settings) -> Transport:
    if settings.smtp_url:
        return SmtpTransport(settings.smtp_url)
    return FileTransport(settings.data_dir / "outbox")


@dataclass
class Report:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    dropped: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed + self.dropped


async def claim(
    maker: async_sessionmaker[AsyncSession], limit: int, now: datetime
) -> list[OutboxMessage]:
    """Move up to ``limit`` due messages to ``sending`` under a lease, in one short transaction."""
    async with maker() as session, session.begin():
        due = or_(
            OutboxMessage.status == OutboxStatus.PENDING.value,
            OutboxMessage.status == OutboxStatus.SENDING.value,  # a lease that ran out
        )
        rows = list(
            await session.scalars(
                select(OutboxMessage)
                .where(due, OutboxMessage.next_attempt_at <= now)
                .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )
        for row in rows:
            row.status = OutboxStatus.SENDING.value
            row.next_attempt_at = now + LEASE
    return rows


async def _record(
    maker: async_sessionmaker[AsyncSession],
    message_id: int,
    error: str | None,
    *,
    sent: RenderedMail | None = None,
    dropped: bool = False,
) -> str:
    """Record a try: sent (with what was sent, for a mail rendered at sending time), dropped
    (nothing to send any more), or failed: retried later, or for good after ``MAX_ATTEMPTS``."""
    now = datetime.now(UTC)
    async with maker() as session, session.begin():
        row = await session.get(OutboxMessage, message_id, with_for_update=True)
        if row is None:
            return "gone"
        row.attempts += 1
        if error is None:
            row.status = OutboxStatus.SENT.value
            row.sent_at = now
            row.last_error = None
            if sent is not None:
                row.subject, row.text_body, row.html_body = sent.subject, sent.text, sent.html
            return "sent"
        row.last_error = error[:2000]
        if dropped:
            row.status = OutboxStatus.DROPPED.value
            return "dropped"
        if row.attempts >= MAX_ATTEMPTS:
            row.status = OutboxStatus.FAILED.value
            return "failed"
        row.status = OutboxStatus.PENDING.value
        row.next_attempt_at = now + backoff(row.attempts)
        return "retried"


async def deliver_due(
    engine: AsyncEngine,
    settings: Settings,
    *,
    transport: Transport | None = None,
    limit: int = 50,
    now: datetime | None = None,
) -> Report:
    """Send what is due now; one pass. A failure is recorded and retried later with back-off."""
    maker = async_sessionmaker(engine, expire_on_commit=False)
    transport = transport or transport_for(settings)
    sender = sender_address(settings)
    report = Report()
    for row in await claim(maker, limit, now or datetime.now(UTC)):
        error: str | None = None
        dropped = False
        mail: RenderedMail | None = None
        try:
            async with maker() as session:
                mail = await resolve_mail(session, row)
                attachments = await resolve_attachments(session, row.attachments or [])
            await transport.send(build_message(row, sender, attachments, mail))
        except NothingToSend as exc:
            error, dropped = f"nothing to send: {exc}", True
            log.warning("mail %s to %s dropped: %s", row.id, row.to_address, exc)
        except (OSError, smtplib.SMTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"
            log.warning("mail %s to %s not sent: %s", row.id, row.to_address, error)
        except Exception as exc:  # a renderer's fault: tried again later, never lost silently
            error = f"{type(exc).__name__}: {exc}"
            log.exception("mail %s to %s could not be rendered", row.id, row.to_address)
        sent = mail if row.renderer is not None else None
        outcome = await _record(maker, row.id, error, sent=sent, dropped=dropped)
        if outcome == "sent":
            report.sent += 1
        elif outcome == "retried":
            report.retried += 1
        elif outcome == "failed":
            report.failed += 1
        elif outcome == "dropped":
            report.dropped += 1
    return report


async def run(
    engine: AsyncEngine,
    settings: Settings,
    *,
    once: bool = False,
    interval: float = 5.0,
    stop: asyncio.Event | None = None,
    transport: Transport | None = None,
    limit: int = 50,
) -> Report:
    """Deliver until ``stop`` is set (or, with ``once``, until nothing is due). Returns the totals.

    A pass claims at most one batch; ``once`` goes on while batches come back full of work, so
    ``events mail send --once`` after a burst sends every mail that is due, not only the first 50.
    """
    total = Report()
    stop = stop or asyncio.Event()
    while True:
        report = await deliver_due(engine, settings, limit=limit, transport=transport)
        total.sent += report.sent
        total.retried += report.retried
        total.failed += report.failed
        total.dropped += report.dropped
        if report.handled:
            continue
        if once:
            return total
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)
        if stop.is_set():
            return total


def in_app_enabled() -> bool:
    """``EVENTS_MAIL_IN_APP=0`` turns the web process's own sender off (``events mail send``)."""
    return os.environ.get("EVENTS_MAIL_IN_APP", "1") not in ("0", "false", "no")


@contextlib.asynccontextmanager
async def background_sender(
    engine: AsyncEngine, settings: Settings, interval: float = 5.0
) -> AsyncIterator[None]:
    """Run the sender as a task of the web process for as long as the context is open."""
    if not in_app_enabled():
        yield
        return
    stop = asyncio.Event()

    async def loop() -> None:
        while not stop.is_set():
            try:
                await run(engine, settings, interval=interval, stop=stop)
            except Exception:  # keep the web process alive; the next pass retries
                log.exception("the in-app mail sender failed; retrying")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=interval)

    task = asyncio.create_task(loop(), name="events-mail-sender")
    try:
        yield
    finally:
        stop.set()
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(task, timeout=10)


def summary(report: Report) -> str:
    summary = f"sent {report.sent}, to retry {report.retried}, failed {report.failed}"
    return summary + (f", dropped {report.dropped}" if report.dropped else "")
