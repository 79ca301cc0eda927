"""Read-only check-in queries other areas may import (badges, certificates, outcomes)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events.checkin.models import EVENT_DOOR, CheckIn


async def checked_in_registration_ids(db: AsyncSession, event_id: int) -> set[int]:
    """Registrations admitted at the event's main door (undone check-ins do not count)."""
    rows = await db.scalars(
        select(CheckIn.registration_id).where(
            CheckIn.event_id == event_id,
            CheckIn.door == EVENT_DOOR,
            CheckIn.undone_at.is_(None),
        )
    )
    return set(rows.all())


async def first_checkins(db: AsyncSession, event_id: int) -> dict[int, datetime]:
    """Registration id -> when it was admitted at the event's main door (UTC)."""
    rows = await db.execute(
        select(CheckIn.registration_id, CheckIn.checked_in_at).where(
            CheckIn.event_id == event_id,
            CheckIn.door == EVENT_DOOR,
            CheckIn.undone_at.is_(None),
        )
    )
    return {int(registration_id): at for registration_id, at in rows}
