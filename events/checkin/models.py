"""Check-in models: one check-in per registration per door, and every scan as the check-in log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import (
    DDL,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from events.checkin import in_database
from events.db.base import Base
from events.registration.models import JsonDict

# The door of the event itself; a session that requires its own scan is "session:<id>".
EVENT_DOOR = "event"


def door_key(session_id: int | None) -> str:
    """A non-null key for the door (NULLs in unique constraints are distinct on both databases)."""
    return EVENT_DOOR if session_id is None else f"session:{session_id}"


class ScanOutcome:
    OK = "ok"
    ALREADY = "already_checked_in"
    UNKNOWN = "unknown"
    CANCELLED = "cancelled"
    WAITLISTED = "waitlisted"
    PENDING = "pending"
    WRONG_EVENT = "wrong_event"
    # Not a scan answer: the row that records an undo in the log.
    UNDONE = "undone"


class CheckIn(Base):
    """A registration admitted at a door: one live (not undone) row per registration and door."""

    __tablename__ = "checkins"
    __table_args__ = (
        Index(
            "uq_checkins_registration_door_live",
            "registration_id",
            "door",
            unique=True,
            sqlite_where=text("undone_at IS NULL"),
            postgresql_where=text("undone_at IS NULL"),
        ),
        Index("ix_checkins_event_door", "event_id", "door"),
    )

    # Indexed first in ix_checkins_event_door: an index of its own would only cost every insert.
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    door: Mapped[str] = mapped_column(String(32))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    # When the person was admitted: the server's time for online scans, the device's for offline.
    checked_in_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    desk: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The scan that admitted the person (plain id: scans and check-ins reference each other).
    scan_id: Mapped[int | None] = mapped_column(BigInteger)
    undone_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    undone_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Scan(Base):
    """Every scan (failed ones too) and every undo: the event's check-in log."""

    __tablename__ = "checkin_scans"
    __table_args__ = (
        # Idempotency: a repeated nonce within an event answers as the first time.
        UniqueConstraint("event_id", "nonce", name="uq_checkin_scans_event_nonce"),
        Index("ix_checkin_scans_event_flagged", "event_id", "double_admission"),
    )

    # Indexed first by the nonce's unique constraint and ix_checkin_scans_event_flagged.
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL"), index=True
    )
    checkin_id: Mapped[int | None] = mapped_column(
        ForeignKey("checkins.id", ondelete="SET NULL"), index=True
    )
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id", ondelete="SET NULL"))
    door: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(24))
    # The scanned token as sent (never personal data), for unknown badges.
    token: Mapped[str | None] = mapped_column(String(80))
    desk: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    nonce: Mapped[str | None] = mapped_column(String(64))
    scanned_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    offline: Mapped[bool] = mapped_column(Boolean, default=False)
    double_admission: Mapped[bool] = mapped_column(Boolean, default=False)
    # The answer given (without the localised message), repeated for a repeated nonce.
    answer: Mapped[dict[str, Any]] = mapped_column(JsonDict, default=dict)


# The scan's decision function (in_database) comes and goes with the scans' table, on PostgreSQL
# only; migrations create it themselves (0007, 0008).
event.listen(
    Scan.__table__,
    "after_create",
    DDL(in_database.FUNCTION_SQL).execute_if(dialect="postgresql"),  # type: ignore[no-untyped-call]
)
event.listen(
    Scan.__table__,
    "before_drop",
    DDL(in_database.DROP_SQL).execute_if(dialect="postgresql"),  # type: ignore[no-untyped-call]
)
