"""Desk staff for the check-in integration tests."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from events.accounts import services as accounts
from events.accounts.models import User
from events.settings import Settings
from tests.accounts_support import PASSWORD_HASH, api_token
from tests.unit.checkin.factories import Crowd, crowd


@dataclass
class Staff:
    crowd: Crowd
    desk: User
    other_desk: User
    organiser: User
    desk_token: str
    other_token: str


async def staff(db: AsyncSession, settings: Settings) -> Staff:
    c = await crowd(db)
    desk = await accounts.create_user(db, "desk@example.org")
    await accounts.grant_role(db, desk, "desk", c.event.id)
    other_desk = await accounts.create_user(db, "desk-other@example.org")
    await accounts.grant_role(db, other_desk, "desk", c.other.id)
    organiser = await accounts.create_user(db, "organiser@example.org")
    await accounts.grant_role(db, organiser, "organiser", c.event.id)
    for user in (desk, other_desk, organiser):
        user.password_hash = PASSWORD_HASH
    await db.commit()
    return Staff(
        c, desk, other_desk, organiser,
        await api_token(settings, desk), await api_token(settings, other_desk),
    )  # fmt: skip
