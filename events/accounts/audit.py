"""The audit log: who changed what, when, from where. Written in the caller's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events.accounts.access import CurrentUser
from events.accounts.models import AuditEntry, User
from events.accounts.security import utcnow


async def record(
    db: AsyncSession,
    actor: CurrentUser | User | None,
    action: str,
    event_id: int | None = None,
    target: str = "",
    details: dict[str, Any] | None = None,
    *,
    ip: str | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Add one entry. ``action`` is a stable dotted code such as ``team.invite`` or ``checkin``."""
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        actor_label=(actor.email if actor is not None else ""),
        event_id=event_id,
        action=action,
        target=target[:300],
        details=dict(details or {}),
        at=at or utcnow(),
        ip=ip,
    )
    db.add(entry)
    await db.flush()
    return entry


async def entries(
    db: AsyncSession, event_id: int | None, *, limit: int = 200, offset: int = 0
) -> list[AuditEntry]:
    """Newest first; ``event_id=None`` lists the entries of no event (account-wide actions)."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    query = query.where(
        AuditEntry.event_id == event_id if event_id is not None else AuditEntry.event_id.is_(None)
    )
    return list((await db.scalars(query.limit(limit).offset(offset))).all())
