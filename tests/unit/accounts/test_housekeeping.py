"""Expired sessions, old rate-limit rows and spent links are purged: a pass, the timer, the CLI."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from events.accounts import housekeeping, ratelimit, services
from events.accounts.models import RateLimitBucket, SetPasswordToken, WebSession
from events.accounts.security import utcnow
from events.cli import main


async def _count(db: AsyncSession, model: type) -> int:
    return int(await db.scalar(select(func.count()).select_from(model)) or 0)


async def seed(db: AsyncSession) -> None:
    """Per table: rows that must go and rows that must stay."""
    now = utcnow()
    user = await services.create_user(db, "someone@example.org")
    await services.create_session(db, user, now=now)  # live
    await services.create_session(db, user, now=now - timedelta(hours=3))  # idle too long
    old = await services.create_session(db, user, now=now - timedelta(hours=13))
    old[1].last_seen_at = now  # active, but past the absolute timeout
    await ratelimit.hit(db, "login:address:10.0.0.1", 600, now - timedelta(days=3))  # old
    await ratelimit.hit(db, "login:address:10.0.0.2", 600, now)  # recent
    await services.new_set_password_link(db, user, "http://x", now=now)  # valid
    await services.new_set_password_link(db, user, "http://x", now=now - timedelta(days=30))
    await db.commit()


async def test_a_pass_deletes_only_what_expired(db: AsyncSession) -> None:
    await seed(db)
    purged = await housekeeping.purge(db)
    await db.commit()
    assert (purged.sessions, purged.rate_limits, purged.links) == (2, 1, 1)
    assert await _count(db, WebSession) == 1
    assert await _count(db, RateLimitBucket) == 1
    assert await _count(db, SetPasswordToken) == 1
    again = await housekeeping.purge(db)
    assert (again.sessions, again.rate_limits, again.links) == (0, 0, 0)


async def test_the_background_task_purges_at_start(db: AsyncSession, engine) -> None:  # type: ignore[no-untyped-def]
    await seed(db)
    passed = asyncio.Event()
    async with housekeeping.background_housekeeping(engine, interval=3600, after_pass=passed):
        await asyncio.wait_for(passed.wait(), timeout=30)
    db.expire_all()
    assert await _count(db, WebSession) == 1
    assert await _count(db, RateLimitBucket) == 1


async def test_the_background_task_can_be_turned_off(
    db: AsyncSession, engine, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("EVENTS_HOUSEKEEPING_IN_APP", "0")
    await seed(db)
    passed = asyncio.Event()
    async with housekeeping.background_housekeeping(engine, after_pass=passed):
        pass
    assert not passed.is_set()
    assert await _count(db, WebSession) == 3


async def test_events_cleanup_command(db: AsyncSession, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    await seed(db)
    monkeypatch.setattr("events.accounts.cli.settings", lambda: settings)
    # The command runs its own event loop: run it in a thread, as a shell would in a process.
    result = await asyncio.to_thread(CliRunner().invoke, main, ["cleanup"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "deleted 2 expired sessions, 1 old rate-limit rows, 1 spent set-password links" in (
        result.output
    )
    db.expire_all()
    assert await _count(db, WebSession) == 1
