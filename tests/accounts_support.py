"""Shared helpers for the accounts tests: events, people with roles, signing in a test client."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from events.accounts import services
from events.accounts.models import User
from events.accounts.security import SESSION_COOKIE, hash_password
from events.agenda.models import Event
from events.db.engine import create_engine
from events.settings import Settings

PASSWORD = "correct horse battery"
# Hashed once for every test user (Argon2 is slow on purpose).
PASSWORD_HASH = hash_password(PASSWORD)


def new_event(slug: str, title: str = "Round table") -> Event:
    return Event(
        slug=slug,
        title={"en": title, "kk": "Дөңгелек үстел"},
        kind="round_table",
        status="published",
        starts_at=datetime(2030, 5, 14, 4, 0, tzinfo=UTC),
        ends_at=datetime(2030, 5, 14, 12, 0, tzinfo=UTC),
        timezone="Asia/Almaty",
        country="KZ",
        languages=["en", "kk"],
        default_language="en",
    )


@dataclass
class People:
    event_a: Event
    event_b: Event
    admin: User
    organiser_a: User
    desk_a: User
    organiser_b: User
    organiser_all: User


async def make_people(db: AsyncSession) -> People:
    event_a, event_b = new_event("kariu-agh-round-table"), new_event("other-event", "Other")
    db.add_all([event_a, event_b])
    await db.flush()
    admin = await services.create_user(db, "admin@example.org", is_admin=True)
    organiser_a = await services.create_user(db, "org-a@example.org")
    await services.grant_role(db, organiser_a, "organiser", event_a.id)
    desk_a = await services.create_user(db, "desk-a@example.org")
    await services.grant_role(db, desk_a, "desk", event_a.id)
    organiser_b = await services.create_user(db, "org-b@example.org")
    await services.grant_role(db, organiser_b, "organiser", event_b.id)
    organiser_all = await services.create_user(db, "org-all@example.org")
    await services.grant_role(db, organiser_all, "organiser", None)
    for user in (admin, organiser_a, desk_a, organiser_b, organiser_all):
        user.password_hash = PASSWORD_HASH
    await db.commit()
    return People(event_a, event_b, admin, organiser_a, desk_a, organiser_b, organiser_all)


async def open_session(
    settings: Settings, user: User, now: datetime | None = None
) -> tuple[str, str]:
    """(cookie value, csrf token) of a new session for ``user``."""
    engine = create_engine(settings)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as db:
            secret, session = await services.create_session(db, user, now=now)
            await db.commit()
            return secret, session.csrf_token
    finally:
        await engine.dispose()


async def sign_in(client, settings: Settings, user: User, now: datetime | None = None) -> str:  # type: ignore[no-untyped-def]
    """Put a session cookie for ``user`` into ``client``; returns the session's CSRF token."""
    secret, csrf = await open_session(settings, user, now)
    client.cookies.set(SESSION_COOKIE, secret)
    return csrf


async def api_token(settings: Settings, user: User, event_id: int | None = None) -> str:
    engine = create_engine(settings)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as db:
            value, _row = await services.create_token(db, user, event_id=event_id)
            await db.commit()
            return value
    finally:
        await engine.dispose()
