"""Rate limits kept in the database, so they hold across every worker.

``rate_limit(db_session, key, limit, window)`` counts one hit of ``key`` in the current fixed window
of ``window`` seconds with one atomic upsert (SQLite and PostgreSQL) and raises ``RateLimited``
(answered 429 with ``Retry-After``) once ``limit`` hits are exceeded. The hit is written in the
caller's transaction.

Login uses the same table for its back-off: consecutive failures per account and per address,
with a lockout that doubles after each failure past the threshold.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from functools import cache

from sqlalchemy import Table, TextualSelect, bindparam, delete, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from events import i18n
from events.accounts.models import RateLimitBucket
from events.accounts.security import utcnow
from events.db.statements import (
    dialect_of,
    driver_connection,
    driver_values,
    execute_core,
    id_column,
)
from events.errors import DomainError

# Login back-off: after this many consecutive failures the key is locked for
# LOCKOUT_BASE * 2**(failures - threshold) seconds, at most LOCKOUT_MAX.
LOGIN_ACCOUNT_THRESHOLD = 5
LOGIN_ADDRESS_THRESHOLD = 20
LOCKOUT_BASE = 30
LOCKOUT_MAX = 3600
# Failures are counted in this window (one day), reset by a successful login of the account.
FAILURE_WINDOW = 86400

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class RateLimited(DomainError):
    status_code = 429

    def __init__(self, retry_after: int, key: str = "") -> None:
        self.retry_after = max(1, int(retry_after))
        super().__init__(
            "rate_limited",
            i18n.gettext(
                "Too many attempts. Please try again in %(seconds)s seconds.",
                seconds=self.retry_after,
            ),
            retry_after=self.retry_after,
        )


def window_start(now: datetime, window: int) -> datetime:
    seconds = int((now - _EPOCH).total_seconds())
    return _EPOCH + timedelta(seconds=seconds - seconds % window)


@cache
def _hit_statement(dialect: str) -> TextualSelect:
    """Count a hit: insert the window's row or add one to it, in one statement (db.statements)."""
    table = RateLimitBucket.__table__
    assert isinstance(table, Table)
    id_name, id_value = id_column(dialect, table)
    # Names from the models only, never from input; every value is a bound parameter.
    statement = (
        f"INSERT INTO {table.name} ({id_name}key, window_start, count, last_hit_at, created_at, "  # noqa: S608
        f"updated_at) VALUES ({id_value}:key, :window_start, 1, :now, :now, :now) "
        "ON CONFLICT (key, window_start) DO UPDATE SET count = "
        f"{table.name}.count + 1, last_hit_at = :now, updated_at = :now RETURNING count"
    )
    return (
        text(statement)
        .bindparams(
            bindparam("key", type_=table.c.key.type),
            bindparam("window_start", type_=table.c.window_start.type),
            bindparam("now", type_=table.c.last_hit_at.type),
        )
        .columns(table.c["count"])
    )


async def hit(db: AsyncSession, key: str, window: int, now: datetime | None = None) -> int:
    """Count one hit of ``key`` in its current window; return the count after it (atomic)."""
    now = now or utcnow()
    result = await execute_core(
        db,
        _hit_statement(dialect_of(db)),
        {"key": key, "window_start": window_start(now, window), "now": now},
    )
    return int(result.scalar_one())


async def rate_limit(
    db: AsyncSession, key: str, limit: int, window: int, *, now: datetime | None = None
) -> None:
    """Allow ``limit`` hits of ``key`` per ``window`` seconds; raise RateLimited beyond that."""
    now = now or utcnow()
    _refuse_beyond(await hit(db, key, window, now), key, limit, window, now)


async def rate_limit_apart(
    engine: AsyncEngine,
    db: AsyncSession,
    key: str,
    limit: int,
    window: int,
    *,
    now: datetime | None = None,
) -> None:
    """:func:`rate_limit` counted in its own short transaction (PostgreSQL).

    Counting in the request's transaction keeps the counter's row locked until that transaction
    ends, so every request with the same key waits for the one before: all the people registering
    from one campus address would queue behind each other for the whole registration. Apart, the
    row is locked only for the moment of counting, and a refused request still counts. SQLite runs
    one writer at a time anyway (and a second connection would wait for the request's own), so
    there it counts in the request's transaction.

    When the request's own connection has no transaction open yet (someone not signed in), the
    hit is sent there, straight to the driver, as one statement that is its own transaction: the
    same short lock, without taking and checking a second connection of the pool.
    """
    if dialect_of(db) != "postgresql":
        await rate_limit(db, key, limit, window, now=now)
        return
    now = now or utcnow()
    params = {"key": key, "window_start": window_start(now, window), "now": now}
    driver = await driver_connection(db)
    if not driver.is_in_transaction():
        sql, values = driver_values(db.bind.dialect, _hit_statement("postgresql"), params)
        count = int(await driver.fetchval(sql, *values))
        _refuse_beyond(count, key, limit, window, now)
        return
    async with engine.connect() as connection:
        # One statement, committed on its own: no BEGIN and COMMIT round trips around it.
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        result = await connection.execute(_hit_statement("postgresql"), params)
        count = int(result.scalar_one())
    _refuse_beyond(count, key, limit, window, now)


def _refuse_beyond(count: int, key: str, limit: int, window: int, now: datetime) -> None:
    if count > limit:
        raise refusal(key, window, now)


def refusal(key: str, window: int, now: datetime) -> RateLimited:
    """The 429 of ``key`` beyond its limit, retried when its window of ``window`` seconds ends
    (for a hit counted elsewhere: the scan's, inside its PostgreSQL function)."""
    end = window_start(now, window) + timedelta(seconds=window)
    return RateLimited(math.ceil((end - now).total_seconds()), key)


def lockout_seconds(failures: int, threshold: int) -> int:
    if failures < threshold:
        return 0
    return int(min(LOCKOUT_MAX, LOCKOUT_BASE * 2 ** (failures - threshold)))


async def locked_for(
    db: AsyncSession, key: str, threshold: int, now: datetime | None = None
) -> int:
    """Seconds ``key`` is still locked out (0 when it is not)."""
    now = now or utcnow()
    bucket = await db.scalar(
        select(RateLimitBucket).where(
            RateLimitBucket.key == key,
            RateLimitBucket.window_start == window_start(now, FAILURE_WINDOW),
        )
    )
    if bucket is None:
        return 0
    until = bucket.last_hit_at + timedelta(seconds=lockout_seconds(bucket.count, threshold))
    return max(0, math.ceil((until - now).total_seconds()))


async def record_failure(db: AsyncSession, key: str, now: datetime | None = None) -> int:
    return await hit(db, key, FAILURE_WINDOW, now)


async def clear(db: AsyncSession, key: str) -> None:
    await db.execute(delete(RateLimitBucket).where(RateLimitBucket.key == key))


async def purge(
    db: AsyncSession, older_than: timedelta = timedelta(days=2), *, now: datetime | None = None
) -> int:
    """Delete buckets nobody has hit for a while (events.accounts.housekeeping calls this)."""
    now = now or utcnow()
    result = await db.execute(
        delete(RateLimitBucket).where(RateLimitBucket.last_hit_at < now - older_than)
    )
    return int(getattr(result, "rowcount", 0) or 0)
