"""Registration models: per-event settings, the event's questions, registrations, invitations."""

from __future__ import annotations

import copy
import enum
from datetime import datetime
from typing import Any

from advanced_alchemy.types import DateTimeUTC, JsonB
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.ext.mutable import MutableDict, MutableList
from sqlalchemy.orm import Mapped, mapped_column, relationship

from events.agenda.models import Event
from events.db.base import Base, Multilingual

JsonDict = MutableDict.as_mutable(copy.copy(JsonB))  # type: ignore[arg-type]
JsonList = MutableList.as_mutable(copy.copy(JsonB))  # type: ignore[arg-type]


class RegistrationStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    PENDING = "pending"
    CANCELLED = "cancelled"
    REJECTED = "rejected"


class Category(enum.StrEnum):
    PARTICIPANT = "participant"
    DELEGATION = "delegation"
    SPEAKER = "speaker"
    PRESS = "press"
    GUEST = "guest"


class QuestionKind(enum.StrEnum):
    TEXT = "text"
    SINGLE = "single"
    MULTIPLE = "multiple"
    YES_NO = "yes_no"


class RegistrationSettings(Base):
    """How registration works for one event. Its row is the lock taken around count + insert."""

    __tablename__ = "registration_settings"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), unique=True, index=True
    )
    opens_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    closes_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    # None: unlimited.
    capacity: Mapped[int | None] = mapped_column(Integer)
    # Category code -> seats for that category (absent: only the event's capacity applies).
    category_capacity: Mapped[dict[str, int]] = mapped_column(JsonDict, default=dict)
    waitlist_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    approval_required: Mapped[bool] = mapped_column(Boolean, default=False)
    invitation_only: Mapped[bool] = mapped_column(Boolean, default=False)
    # Categories open to the public: code -> badge colour ("#1d4ed8").
    public_categories: Mapped[dict[str, str]] = mapped_column(JsonDict, default=dict)
    privacy_notice: Mapped[dict[str, str]] = mapped_column(Multilingual, default=dict)

    event: Mapped[Event] = relationship(lazy="joined")


class Question(Base):
    """One of the event's own questions on the form."""

    __tablename__ = "registration_questions"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    label: Mapped[dict[str, str]] = mapped_column(Multilingual)
    # For single/multiple: [{"value": "a", "label": {"en": "...", "kk": "..."}}, ...]
    options: Mapped[list[dict[str, Any]]] = mapped_column(JsonList, default=list)
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Invitation(Base):
    """A personal invitation: its link lets the invited person register (also when invite-only)."""

    __tablename__ = "registration_invitations"
    __table_args__ = (UniqueConstraint("event_id", "email"),)

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(320))
    given_name: Mapped[str] = mapped_column(String(120), default="")
    family_name: Mapped[str] = mapped_column(String(120), default="")
    category: Mapped[str] = mapped_column(String(32), default=Category.GUEST.value)
    language: Mapped[str] = mapped_column(String(8), default="en")
    token: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    reminded_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))


class Registration(Base):
    __tablename__ = "registrations"
    __table_args__ = (
        # One live registration per address and event; cancelled ones do not count.
        Index(
            "uq_registrations_event_email_live",
            "event_id",
            "email",
            unique=True,
            sqlite_where=text("status != 'cancelled'"),
            postgresql_where=text("status != 'cancelled'"),
        ),
        UniqueConstraint("event_id", "idempotency_key", name="uq_registrations_idempotency"),
        Index("ix_registrations_event_status", "event_id", "status"),
    )

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    honorific: Mapped[str | None] = mapped_column(String(60))
    given_name: Mapped[str] = mapped_column(String(120))
    family_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(320))
    organisation: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[str | None] = mapped_column(String(300))
    country: Mapped[str] = mapped_column(String(2))
    category: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8))
    visa_letter: Mapped[bool] = mapped_column(Boolean, default=False)
    dietary: Mapped[str | None] = mapped_column(Text)
    accessibility: Mapped[str | None] = mapped_column(Text)
    consent_data: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_data_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    consent_photos: Mapped[bool] = mapped_column(Boolean, default=False)
    answers: Mapped[dict[str, Any]] = mapped_column(JsonDict, default=dict)
    # SHA-256 of the manage token; the token itself is HMAC(secret key, manage_seed).
    manage_token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    manage_seed: Mapped[str] = mapped_column(String(64))
    # Opaque, random, URL-safe: all a badge's QR code holds.
    checkin_token: Mapped[str] = mapped_column(String(40), unique=True, index=True)
    # Waiting-list order: when the registration joined the list (ties broken by id).
    waitlisted_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    anonymised_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration_invitations.id", ondelete="SET NULL")
    )
    source: Mapped[str] = mapped_column(String(16), default="form")

    event: Mapped[Event] = relationship(lazy="joined")

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.honorific, self.given_name, self.family_name) if p)
