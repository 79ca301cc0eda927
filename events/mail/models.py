"""The outbox: every e-mail is a row written in the same transaction as what caused it."""

from __future__ import annotations

import copy
import enum
from datetime import datetime
from typing import Any

from advanced_alchemy.types import DateTimeUTC, JsonB
from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.ext.mutable import MutableList
from sqlalchemy.orm import Mapped, mapped_column

from events.db.base import Base


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    # Rendered when sent, and by then about nothing (its registration erased): never sent, and
    # not a delivery failure for anyone to act on.
    DROPPED = "dropped"


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_due", "status", "next_attempt_at"),)

    to_address: Mapped[str] = mapped_column(String(320))
    to_name: Mapped[str] = mapped_column(String(300), default="")
    subject: Mapped[str] = mapped_column(String(500))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    # [{"filename": "event.ics", "content_type": "text/calendar", "data": "<base64>"}]
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(
        MutableList.as_mutable(copy.copy(JsonB)),  # type: ignore[arg-type]
        default=list,
    )
    language: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    # Set when one cause must give one mail at most (e.g. "confirmation:42:1").
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    # A mail rendered when it is sent (compose.DeferredMail): the subject and bodies are empty
    # until then, and hold what was sent afterwards. ``renderer``: "events.<module>:<function>".
    renderer: Mapped[str | None] = mapped_column(String(200))
    render_key: Mapped[str | None] = mapped_column(Text)
