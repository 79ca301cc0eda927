"""Every statement an app's engine sends while a block runs, through SQLAlchemy or the driver."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


@asynccontextmanager
async def statements_seen(engine: AsyncEngine) -> AsyncIterator[list[str]]:
    """Statements sent on connections checked out inside the block, whitespace folded.

    Hot paths send some straight through asyncpg (events.db.statements.driver_connection), which
    SQLAlchemy's events do not see: asyncpg's own query logger does, soon after each statement
    (``call_soon`` on the app's event loop, which for a test client is another thread's): the
    block's end waits until that loop has run what it had scheduled. Only connections made inside
    the block are seen by SQLAlchemy's events: start the session's work inside it.
    """
    seen: list[str] = []
    loops: set[asyncio.AbstractEventLoop] = set()

    def sqlalchemy_statement(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()))

    def driver_statement(record: Any) -> None:
        seen.append(" ".join(record.query.split()))

    def checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        driver = getattr(dbapi_connection, "driver_connection", None)
        if driver is not None and hasattr(driver, "add_query_logger"):
            driver.add_query_logger(driver_statement)
            loops.add(asyncio.get_running_loop())

    def checkin(dbapi_connection: Any, _record: Any) -> None:
        driver = getattr(dbapi_connection, "driver_connection", None)
        if driver is not None and hasattr(driver, "remove_query_logger"):
            driver.remove_query_logger(driver_statement)

    sync = engine.sync_engine
    event.listen(sync, "before_cursor_execute", sqlalchemy_statement)
    event.listen(sync.pool, "checkout", checkout)
    event.listen(sync.pool, "checkin", checkin)
    try:
        yield seen
        for loop in loops:
            # Callbacks run in the order scheduled: once this one has, the loggers' have.
            done: concurrent.futures.Future[None] = concurrent.futures.Future()
            loop.call_soon_threadsafe(done.set_result, None)
            await asyncio.wrap_future(done)
    finally:
        event.remove(sync, "before_cursor_execute", sqlalchemy_statement)
        event.remove(sync.pool, "checkout", checkout)
        event.remove(sync.pool, "checkin", checkin)
