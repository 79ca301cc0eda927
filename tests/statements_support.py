"""Every statement an app's engine sends while a block runs, through SQLAlchemy or the driver."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


@asynccontextmanager
async def statements_seen(engine: AsyncEngine) -> AsyncIterator[list[str]]:
    """Statements sent on connections checked out inside the block, whitespace folded.

    Hot paths send some straight through asyncpg (events.db.statements.driver_connection), which
    SQLAlchemy's events do not see: asyncpg's own query logger does (on the event loop's next
    turn, which the block's end waits for). Only connections made inside the block are seen by
    SQLAlchemy's events: start the session's work inside it.
    """
    seen: list[str] = []

    def sqlalchemy_statement(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()))

    def driver_statement(record: Any) -> None:
        seen.append(" ".join(record.query.split()))

    def checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        driver = getattr(dbapi_connection, "driver_connection", None)
        if driver is not None and hasattr(driver, "add_query_logger"):
            driver.add_query_logger(driver_statement)

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
        await asyncio.sleep(0)  # asyncpg calls its loggers soon, not at once
    finally:
        event.remove(sync, "before_cursor_execute", sqlalchemy_statement)
        event.remove(sync.pool, "checkout", checkout)
        event.remove(sync.pool, "checkin", checkin)
