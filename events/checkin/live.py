"""Live check-in counts for the organiser's page, from every worker.

PostgreSQL: each check-in, undo and walk-in runs ``pg_notify`` in its transaction (delivered on
commit); a stream holds its own asyncpg connection that LISTENs on the channel, recomputes the
counts when its event is named, and closes the connection when the client goes away.
SQLite (one process): the stream reads the counts once a second and sends them when they change.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import msgspec
from litestar.response import ServerSentEventMessage
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from events.checkin import services

KEEP_ALIVE_SECONDS = 15.0
POLL_SECONDS = 1.0


async def counts_json(engine: AsyncEngine, event_id: int) -> str:
    async with async_sessionmaker(engine, expire_on_commit=False)() as db:
        counts = await services.counts(db, event_id)
    return msgspec.json.encode(counts).decode()


async def _listen_connection(database_url: str) -> Any:
    import asyncpg  # type: ignore[import-untyped]

    url = make_url(database_url)
    return await asyncpg.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username,
        password=url.password,
        database=url.database,
    )


async def stream(
    engine: AsyncEngine, database_url: str, event_id: int
) -> AsyncIterator[ServerSentEventMessage]:
    """``counts`` events: one on connect, then one after every change."""
    if engine.dialect.name == "postgresql":
        async for message in _listen(engine, database_url, event_id):
            yield message
    else:
        async for message in _poll(engine, event_id):
            yield message


async def _listen(
    engine: AsyncEngine, database_url: str, event_id: int
) -> AsyncIterator[ServerSentEventMessage]:
    changed: asyncio.Queue[str] = asyncio.Queue()

    def on_notify(_connection: Any, _pid: int, _channel: str, payload: str) -> None:
        if payload == str(event_id):
            changed.put_nowait(payload)

    connection = await _listen_connection(database_url)
    try:
        # Listen before the first read, so no change between the two is missed.
        await connection.add_listener(services.NOTIFY_CHANNEL, on_notify)
        last = await counts_json(engine, event_id)
        yield ServerSentEventMessage(event="counts", data=last)
        while True:
            try:
                await asyncio.wait_for(changed.get(), timeout=KEEP_ALIVE_SECONDS)
            except TimeoutError:
                yield ServerSentEventMessage(comment="keep-alive")
                continue
            while not changed.empty():  # a burst of check-ins: one update
                changed.get_nowait()
            current = await counts_json(engine, event_id)
            if current != last:
                last = current
                yield ServerSentEventMessage(event="counts", data=current)
    finally:
        with contextlib.suppress(Exception):
            await connection.close(timeout=2)


async def _poll(engine: AsyncEngine, event_id: int) -> AsyncIterator[ServerSentEventMessage]:
    last = await counts_json(engine, event_id)
    yield ServerSentEventMessage(event="counts", data=last)
    quiet = 0.0
    while True:
        await asyncio.sleep(POLL_SECONDS)
        current = await counts_json(engine, event_id)
        if current != last:
            last, quiet = current, 0.0
            yield ServerSentEventMessage(event="counts", data=current)
        else:
            quiet += POLL_SECONDS
            if quiet >= KEEP_ALIVE_SECONDS:
                quiet = 0.0
                yield ServerSentEventMessage(comment="keep-alive")
