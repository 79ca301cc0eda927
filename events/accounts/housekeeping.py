"""Housekeeping: delete expired sessions, old rate-limit rows and spent set-password links.

Runs on a timer inside every web process (like the mail sender; harmless when several workers run
it at once: each pass is one idempotent DELETE per table) and as ``events cleanup``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from events.accounts import ratelimit, services
from events.accounts.models import SetPasswordToken
from events.accounts.security import utcnow

log = logging.getLogger(__name__)

# Rate-limit rows nobody has hit for this long are gone (the longest window, login failures, is
# one day).
RATE_LIMIT_RETENTION = timedelta(days=2)
# Used or expired set-password links are kept this long (to answer "link no longer valid").
LINK_RETENTION = timedelta(days=7)
INTERVAL_SECONDS = 3600.0


@dataclass
class Purged:
    sessions: int = 0
    rate_limits: int = 0
    links: int = 0

    def __str__(self) -> str:
        return (
            f"deleted {self.sessions} expired sessions, {self.rate_limits} old rate-limit rows, "
            f"{self.links} spent set-password links"
        )


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


async def purge(db: AsyncSession, now: datetime | None = None) -> Purged:
    """One pass, in the caller's transaction."""
    now = now or utcnow()
    sessions = await services.purge_sessions(db, now)
    buckets = await ratelimit.purge(db, RATE_LIMIT_RETENTION, now=now)
    links = await db.execute(
        delete(SetPasswordToken).where(
            (SetPasswordToken.expires_at < now - LINK_RETENTION)
            | (SetPasswordToken.used_at < now - LINK_RETENTION)
        )
    )
    return Purged(sessions, buckets, _count(links))


async def run_once(engine: AsyncEngine, now: datetime | None = None) -> Purged:
    async with async_sessionmaker(engine, expire_on_commit=False)() as db:
        purged = await purge(db, now)
        await db.commit()
    return purged


def in_app_enabled() -> bool:
    """``EVENTS_HOUSEKEEPING_IN_APP=0`` stops the web process's timer (run ``events cleanup``)."""
    return os.environ.get("EVENTS_HOUSEKEEPING_IN_APP", "1") not in ("0", "false", "no")


@contextlib.asynccontextmanager
async def background_housekeeping(
    engine: AsyncEngine,
    interval: float = INTERVAL_SECONDS,
    *,
    after_pass: asyncio.Event | None = None,
) -> AsyncIterator[None]:
    """Purge once at start-up and then every ``interval`` seconds while the app runs.

    ``after_pass`` is set after each pass (tests wait on it instead of sleeping).
    """
    if not in_app_enabled():
        yield
        return
    stop = asyncio.Event()

    async def loop() -> None:
        while not stop.is_set():
            try:
                purged = await run_once(engine)
                log.info("housekeeping: %s", purged)
            except Exception:  # keep the web process alive; the next pass retries
                log.exception("housekeeping failed; retrying later")
            if after_pass is not None:
                after_pass.set()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=interval)

    task = asyncio.create_task(loop(), name="events-housekeeping")
    try:
        yield
    finally:
        stop.set()
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(task, timeout=10)
