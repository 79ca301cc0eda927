"""Rendering e-mails (HTML + plain text, in the recipient's language) into the outbox."""

from __future__ import annotations

import base64
import importlib
import logging
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from typing import Any

import jinja2
import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events import i18n, templating
from events.db.statements import insert_instance_or_nothing
from events.mail.models import OutboxMessage, OutboxStatus
from events.settings import PROJECT_ROOT

log = logging.getLogger(__name__)


class Attachment(msgspec.Struct, frozen=True):
    filename: str
    content_type: str
    data: bytes

    def to_json(self) -> dict[str, str]:
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "data": base64.b64encode(self.data).decode("ascii"),
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Attachment:
        return cls(
            filename=str(value["filename"]),
            content_type=str(value["content_type"]),
            data=base64.b64decode(value["data"]),
        )


class DeferredAttachment(msgspec.Struct, frozen=True):
    """An attachment made when the mail is sent, not when it is queued.

    For documents too slow to render inside the transaction that queues the mail (a badge PDF
    while the registration lock is held). ``renderer`` names an async function
    ``(session, key) -> bytes | None`` inside the ``events`` package as ``"module:function"``;
    None leaves the attachment out (e.g. the registration was cancelled meanwhile).
    """

    filename: str
    content_type: str
    renderer: str
    key: str

    def to_json(self) -> dict[str, str]:
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "renderer": self.renderer,
            "key": self.key,
        }


Renderer = Callable[[AsyncSession, str], Awaitable[bytes | None]]


def _renderer(path: str) -> Callable[..., Any] | None:
    """The function named ``"events.<module>:<function>"``; None for anything outside the
    package (the name comes from a database row)."""
    module, _, name = path.partition(":")
    if not module.startswith("events.") or not name:
        return None
    try:
        found: Callable[..., Any] | None = getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None
    return found


async def resolve_attachments(
    session: AsyncSession, items: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The attachments as sent: deferred ones rendered now (and dropped when they give None)."""
    resolved: list[dict[str, Any]] = []
    for item in items:
        if "renderer" not in item:
            resolved.append(item)
            continue
        try:
            renderer: Renderer | None = _renderer(str(item["renderer"]))
            if renderer is None:
                continue
            data = await renderer(session, str(item["key"]))
        except Exception:  # a broken attachment must not keep the mail from being sent
            log.exception("attachment %s of a mail could not be made", item.get("filename"))
            continue
        if data is not None:
            attachment = Attachment(str(item["filename"]), str(item["content_type"]), data)
            resolved.append(attachment.to_json())
    return resolved


class RenderedMail(msgspec.Struct, frozen=True):
    subject: str
    text: str
    html: str


class DeferredMail(msgspec.Struct, frozen=True):
    """A mail rendered when it is sent, not inside the request that queues it.

    ``renderer`` names an async function ``(session, key) -> RenderedMail | None`` inside the
    ``events`` package as ``"module:function"``; None means there is nothing to send any more
    (the registration was erased meanwhile). The outbox row keeps what was sent.
    """

    renderer: str
    key: str


MailRenderer = Callable[[AsyncSession, str], Awaitable[RenderedMail | None]]


class NothingToSend(Exception):
    """A deferred mail's renderer found nothing to send (or no such renderer exists)."""


async def resolve_mail(session: AsyncSession, row: OutboxMessage) -> RenderedMail:
    """The subject and bodies of an outbox row as sent: its own, or rendered now when deferred.

    Raises :class:`NothingToSend` when a deferred mail has nothing to send any more.
    """
    if row.renderer is None:
        return RenderedMail(subject=row.subject, text=row.text_body, html=row.html_body)
    renderer: MailRenderer | None = _renderer(row.renderer)
    if renderer is None:
        raise NothingToSend(f"no renderer {row.renderer!r}")
    mail = await renderer(session, row.render_key or "")
    if mail is None:
        raise NothingToSend("what this mail was about no longer exists")
    return mail


@cache
def environment() -> jinja2.Environment:
    """Autoescaping for .html, none for .txt: plain text shows what people typed verbatim."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PROJECT_ROOT / "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals.update(
        {"_": i18n.gettext, "ngettext": i18n.ngettext, "language_name": i18n.language_name}
    )
    env.filters.update(
        {
            "local_date": templating.date_filter,
            "local_time": templating.time_filter,
            "local_datetime": templating.datetime_filter,
            "pick": templating.pick_filter,
        }
    )
    return env


def warm_up() -> int:
    """Compile the mails' templates at a worker's start, not during the first registration."""
    return templating.warm_up(environment(), lambda name: name.startswith("emails/"))


@contextmanager
def in_language(language: str) -> Iterator[None]:
    previous = i18n.current_language()
    i18n.set_language(language)
    try:
        yield
    finally:
        i18n.set_language(previous)


def render(template: str, language: str, subject: str, context: dict[str, Any]) -> RenderedMail:
    """Render ``<template>.html`` and ``<template>.txt``; ``subject`` is translated here."""
    env = environment()
    with in_language(language):
        full = {**context, "ui_lang": language, "subject": i18n.gettext(subject, **context)}
        return RenderedMail(
            subject=full["subject"],
            text=env.get_template(f"{template}.txt").render(full),
            html=env.get_template(f"{template}.html").render(full),
        )


async def enqueue(
    session: AsyncSession,
    *,
    to: str,
    to_name: str,
    language: str,
    kind: str,
    mail: RenderedMail | DeferredMail,
    attachments: Sequence[Attachment | DeferredAttachment] = (),
    dedupe_key: str | None = None,
    now: datetime | None = None,
) -> OutboxMessage:
    """Write the mail into the outbox in the caller's transaction: sent only if that commits.

    A :class:`DeferredMail` is rendered by the sender (:func:`resolve_mail`).

    A mail whose ``dedupe_key`` is already in the outbox is not queued again: the one there is
    returned. Inserted through Core, not the ORM's unit of work, which cost a registration more
    than the rest of its mail (docs/PERFORMANCE.md); the message is then the session's, as if
    loaded.
    """
    now = now or datetime.now(UTC)
    if isinstance(mail, DeferredMail):
        rendered, renderer, key = RenderedMail("", "", ""), mail.renderer, mail.key
    else:
        rendered, renderer, key = mail, None, None
    message = OutboxMessage(
        to_address=to,
        to_name=to_name,
        subject=rendered.subject,
        text_body=rendered.text,
        html_body=rendered.html,
        renderer=renderer,
        render_key=key,
        attachments=[a.to_json() for a in attachments],
        language=language,
        kind=kind,
        status=OutboxStatus.PENDING.value,
        attempts=0,
        next_attempt_at=now,
        dedupe_key=dedupe_key,
    )
    while not await insert_instance_or_nothing(session, message, now):
        queued = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key)
        )
        if queued is not None:
            return queued
        # The mail that held the key was deleted in between: queue this one after all.
    return message
