"""When a registration's badge was printed (by organisers or at the desk)."""

from __future__ import annotations

from datetime import datetime

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from events.db.base import Base


class BadgePrint(Base):
    """One row per registration whose current badge has been printed.

    Re-issuing the badge (a new check-in token) deletes the row: the new badge is not printed yet.
    """

    __tablename__ = "badge_prints"

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), unique=True, index=True
    )
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    first_printed_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    printed_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    print_count: Mapped[int] = mapped_column(Integer, default=1)
    layout: Mapped[str] = mapped_column(String(16))
