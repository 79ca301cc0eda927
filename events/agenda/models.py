"""Agenda models. Times are stored in UTC and shown in the event's IANA time zone."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from events.db.base import Base, Multilingual, StringList


class OrganisationKind(enum.StrEnum):
    UNIVERSITY = "university"
    MINISTRY = "ministry"
    FUNDING_AGENCY = "funding_agency"
    RESEARCH_INSTITUTE = "research_institute"
    COMPANY = "company"
    EMBASSY = "embassy"
    OTHER = "other"


class EventKind(enum.StrEnum):
    SCIENCE_DAY = "science_day"
    ROUND_TABLE = "round_table"
    CONFERENCE = "conference"
    OPENING = "opening"
    WORKSHOP = "workshop"


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"
    ARCHIVED = "archived"


class PartnerRole(enum.StrEnum):
    HOST = "host"
    CO_HOST = "co_host"
    PARTNER = "partner"
    SPONSOR = "sponsor"
    DELEGATION = "delegation"


class SessionKind(enum.StrEnum):
    KEYNOTE = "keynote"
    TALK = "talk"
    PANEL = "panel"
    ROUND_TABLE = "round_table"
    WORKSHOP = "workshop"
    BREAK = "break"
    CEREMONY = "ceremony"
    NETWORKING = "networking"
    LAB_VISIT = "lab_visit"


class PersonRole(enum.StrEnum):
    SPEAKER = "speaker"
    MODERATOR = "moderator"
    PANELIST = "panelist"
    CHAIR = "chair"


class Organisation(Base):
    __tablename__ = "organisations"

    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str | None] = mapped_column(String(60))
    country: Mapped[str] = mapped_column(String(2))
    kind: Mapped[str] = mapped_column(String(32), default=OrganisationKind.OTHER.value)
    website: Mapped[str | None] = mapped_column(String(500))
    # Path of the stored logo under the data directory (set by the upload service).
    logo: Mapped[str | None] = mapped_column(String(300))


class Event(Base):
    __tablename__ = "events"

    slug: Mapped[str] = mapped_column(String(80), unique=True, index=True)
    title: Mapped[dict[str, str]] = mapped_column(Multilingual)
    description: Mapped[dict[str, str]] = mapped_column(Multilingual, default=dict)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default=EventStatus.DRAFT.value, index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    timezone: Mapped[str] = mapped_column(String(64))
    venue: Mapped[str | None] = mapped_column(String(300))
    city: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2))
    languages: Mapped[list[str]] = mapped_column(StringList)
    default_language: Mapped[str] = mapped_column(String(8))
    partner_countries: Mapped[list[str]] = mapped_column(StringList, default=list)

    partners: Mapped[list[EventPartner]] = relationship(
        back_populates="event",
        cascade="all, delete-orphan",
        order_by="EventPartner.position",
        lazy="selectin",
    )
    rooms: Mapped[list[Room]] = relationship(
        back_populates="event",
        cascade="all, delete-orphan",
        order_by="Room.position",
        lazy="selectin",
    )
    sessions: Mapped[list[AgendaSession]] = relationship(
        back_populates="event", cascade="all, delete-orphan", lazy="noload"
    )
    speakers: Mapped[list[Speaker]] = relationship(
        back_populates="event", cascade="all, delete-orphan", lazy="noload"
    )

    def text(self, field: str, language: str | None) -> str:
        """The field in ``language`` if the event has it, else in the default language."""
        values: dict[str, Any] = getattr(self, field) or {}
        if language and values.get(language):
            return str(values[language])
        return str(values.get(self.default_language) or next(iter(values.values()), ""))


class EventPartner(Base):
    """An institution taking part in an event, with its role (host, partner, delegation...)."""

    __tablename__ = "event_partners"
    __table_args__ = (UniqueConstraint("event_id", "organisation_id"),)

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer, default=0)

    event: Mapped[Event] = relationship(back_populates="partners")
    organisation: Mapped[Organisation] = relationship(lazy="joined")


class Room(Base):
    __tablename__ = "rooms"
    __table_args__ = (UniqueConstraint("event_id", "name"),)

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    capacity: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)

    event: Mapped[Event] = relationship(back_populates="rooms")


class Speaker(Base):
    __tablename__ = "speakers"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    honorific: Mapped[str | None] = mapped_column(String(60))
    given_name: Mapped[str] = mapped_column(String(120))
    family_name: Mapped[str] = mapped_column(String(120))
    position: Mapped[str | None] = mapped_column(String(300))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    country: Mapped[str | None] = mapped_column(String(2))
    biography: Mapped[dict[str, str]] = mapped_column(Multilingual, default=dict)
    photo: Mapped[str | None] = mapped_column(String(300))
    # Never shown publicly: organisers use it to reach the speaker.
    email: Mapped[str | None] = mapped_column(String(320))

    event: Mapped[Event] = relationship(back_populates="speakers")
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")

    @property
    def display_name(self) -> str:
        parts = [self.honorific, self.given_name, self.family_name]
        return " ".join(p for p in parts if p)


class AgendaSession(Base):
    """An agenda item: a talk, a panel, a break (named so to stay clear of SQLAlchemy's Session)."""

    __tablename__ = "sessions"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    title: Mapped[dict[str, str]] = mapped_column(Multilingual)
    abstract: Mapped[dict[str, str]] = mapped_column(Multilingual, default=dict)
    kind: Mapped[str] = mapped_column(String(32))
    starts_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    room_id: Mapped[int | None] = mapped_column(
        ForeignKey("rooms.id", ondelete="SET NULL"), index=True
    )
    track: Mapped[str | None] = mapped_column(String(120))
    language: Mapped[str | None] = mapped_column(String(8))
    capacity: Mapped[int | None] = mapped_column(Integer)
    # A round table with limited seats: attendance is scanned at its own door.
    requires_checkin: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=text("false")
    )

    event: Mapped[Event] = relationship(back_populates="sessions")
    room: Mapped[Room | None] = relationship(lazy="joined")
    people: Mapped[list[SessionPerson]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        order_by="SessionPerson.position",
        lazy="selectin",
    )


class SessionPerson(Base):
    """A speaker's part in a session (speaker, moderator, panelist, chair), in order."""

    __tablename__ = "session_people"
    __table_args__ = (UniqueConstraint("session_id", "speaker_id", "role"),)

    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    speaker_id: Mapped[int] = mapped_column(
        ForeignKey("speakers.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16), default=PersonRole.SPEAKER.value)
    position: Mapped[int] = mapped_column(Integer, default=0)

    session: Mapped[AgendaSession] = relationship(back_populates="people")
    speaker: Mapped[Speaker] = relationship(lazy="joined")
