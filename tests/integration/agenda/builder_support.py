"""Helpers for the agenda builder's page tests: an event with rooms, speakers, signed-in clients."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from events.accounts.models import User
from events.agenda.models import AgendaSession, Room, SessionPerson, Speaker
from events.settings import Settings
from tests.accounts_support import People, make_people, sign_in

SLUG = "kariu-agh-round-table"


def at(hour: int, minute: int = 0, day: int = 14) -> datetime:
    """Almaty local time (UTC+5 in 2030) on 14 or 15 May 2030, as UTC."""
    return datetime(2030, 5, day, hour - 5, minute, tzinfo=UTC)


async def build(db: AsyncSession) -> tuple[People, dict[str, int]]:
    """Two days (14-15 May 2030, 09:00-17:00 Almaty), two rooms, two speakers, two sessions."""
    people = await make_people(db)
    event = people.event_a
    event.ends_at = at(17, day=15)
    hall, lab = (
        Room(event_id=event.id, name="Hall A", position=0),
        Room(event_id=event.id, name="Lab 2", position=1),
    )
    aigerim = Speaker(event_id=event.id, given_name="Айгерім", family_name="Сәрсенбаева")
    lukasz = Speaker(event_id=event.id, given_name="Łukasz", family_name="Wójcik")
    db.add_all([hall, lab, aigerim, lukasz])
    await db.flush()
    opening = AgendaSession(
        event_id=event.id, title={"en": "Opening", "kk": "Ашылу"}, kind="ceremony",
        starts_at=at(9), ends_at=at(10), room_id=hall.id,
    )  # fmt: skip
    opening.people = [SessionPerson(speaker_id=aigerim.id, role="speaker", position=0)]
    panel = AgendaSession(
        event_id=event.id, title={"en": "Critical minerals"}, kind="panel",
        starts_at=at(11), ends_at=at(12), room_id=lab.id,
    )  # fmt: skip
    db.add_all([opening, panel])
    await db.commit()
    ids = {
        "hall": hall.id, "lab": lab.id, "aigerim": aigerim.id, "lukasz": lukasz.id,
        "opening": opening.id, "panel": panel.id,
    }  # fmt: skip
    return people, ids


@asynccontextmanager
async def signed_in(
    settings: Settings, user: User | None
) -> AsyncIterator[tuple[AsyncTestClient, str]]:  # type: ignore[type-arg]
    """A client on its own app, signed in as ``user`` (anonymous for None), and its CSRF token."""
    from events.app import create_app

    async with AsyncTestClient(app=create_app(settings), base_url="http://testserver.local") as c:
        csrf = await sign_in(c, settings, user) if user is not None else ""
        yield c, csrf


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match
    return match.group(1)
