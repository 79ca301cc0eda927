"""Outcomes of an event, its summary (narrative, photos, quotes) and certificate signatures."""

from __future__ import annotations

import enum
from datetime import date, datetime

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from events.agenda.models import Organisation
from events.db.base import Base, Multilingual


class OutcomeKind(enum.StrEnum):
    MEMORANDUM = "memorandum"
    AGREEMENT = "agreement"
    JOINT_PROJECT = "joint_project"
    DUAL_DEGREE = "dual_degree"
    FUNDING_CALL = "funding_call"
    OTHER = "other"


class SummaryStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Outcome(Base):
    """Something the event produced: a memorandum signed, a joint project agreed, a call opened."""

    __tablename__ = "outcomes"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[dict[str, str]] = mapped_column(Multilingual)
    description: Mapped[dict[str, str]] = mapped_column(Multilingual, default=dict)
    signed_on: Mapped[date | None] = mapped_column(Date)
    link: Mapped[str | None] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(Integer, default=0)

    parties: Mapped[list[OutcomeParty]] = relationship(
        back_populates="outcome",
        cascade="all, delete-orphan",
        order_by="OutcomeParty.position",
        lazy="selectin",
    )


class OutcomeParty(Base):
    """An institution that is party to an outcome."""

    __tablename__ = "outcome_parties"
    __table_args__ = (UniqueConstraint("outcome_id", "organisation_id"),)

    outcome_id: Mapped[int] = mapped_column(
        ForeignKey("outcomes.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    outcome: Mapped[Outcome] = relationship(back_populates="parties")
    organisation: Mapped[Organisation] = relationship(lazy="joined")


class Summary(Base):
    """The story of the event: a Markdown narrative per language, drafted then published."""

    __tablename__ = "summaries"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), unique=True, index=True
    )
    # Language -> Markdown source (rendered and sanitised when shown).
    narrative: Mapped[dict[str, str]] = mapped_column(Multilingual, default=dict)
    # Language -> one-sentence lead (feed entry, Open Graph description).
    lead: Mapped[dict[str, str]] = mapped_column(Multilingual, default=dict)
    status: Mapped[str] = mapped_column(String(16), default=SummaryStatus.DRAFT.value, index=True)
    published_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))


class SummaryPhoto(Base):
    """A photo of the event, resized and stripped of metadata, stored under the data directory."""

    __tablename__ = "summary_photos"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    # Path relative to the data directory.
    path: Mapped[str] = mapped_column(String(300))
    media_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    alt: Mapped[dict[str, str]] = mapped_column(Multilingual)
    caption: Mapped[dict[str, str]] = mapped_column(Multilingual, default=dict)
    # The organiser confirmed that everyone recognisable in the photo agreed to be shown.
    consent_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)

    people: Mapped[list[SummaryPhotoPerson]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )


class SummaryPhotoPerson(Base):
    """A registration shown in a photo (only registrations that consented to photos)."""

    __tablename__ = "summary_photo_people"
    __table_args__ = (UniqueConstraint("photo_id", "registration_id"),)

    photo_id: Mapped[int] = mapped_column(
        ForeignKey("summary_photos.id", ondelete="CASCADE"), index=True
    )
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )


class SummaryQuote(Base):
    """A voice from the event: what someone said, who, and in which role."""

    __tablename__ = "summary_quotes"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    person: Mapped[str] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)


class CertificateSignature(Base):
    """A signature printed on the event's certificates of attendance."""

    __tablename__ = "certificate_signatures"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(300))
    # PNG under the data directory (None: a line to sign by hand).
    image: Mapped[str | None] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)
