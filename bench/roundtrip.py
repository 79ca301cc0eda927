"""What one statement costs the worker: a round trip through SQLAlchemy's async layer against the
bare asyncpg driver, on the same connection and in the same transaction.

No targets: it explains the CPU-per-request figures (docs/PERFORMANCE.md, "Not met yet").

Run: ``.venv/bin/python -m bench.roundtrip`` (PostgreSQL at 127.0.0.1:5432).
"""

from __future__ import annotations

import asyncio
import sys
import time

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from bench.stack import PG_ADMIN, Row, print_table

STATEMENTS = 3000


async def measure() -> dict[str, float]:
    engine = create_async_engine(PG_ADMIN.replace("postgresql://", "postgresql+asyncpg://"))
    statement = text("SELECT CAST(:a AS int) + 1 AS x")
    costs: dict[str, float] = {}
    try:
        async with AsyncSession(engine) as session:
            connection = await session.connection()
            driver = (await connection.get_raw_connection()).driver_connection
            assert driver is not None
            for _round in range(2):  # the second round, warm, is the one kept
                began = time.process_time()
                for n in range(STATEMENTS):
                    (await connection.execute(statement, {"a": n})).one()
                costs["SQLAlchemy (Core on the session's connection)"] = (
                    (time.process_time() - began) / STATEMENTS * 1e6
                )
                began = time.process_time()
                for n in range(STATEMENTS):
                    await driver.fetchrow("SELECT $1::int + 1 AS x", n)
                costs["asyncpg alone"] = (time.process_time() - began) / STATEMENTS * 1e6
        began = time.process_time()
        for _ in range(500):
            async with AsyncSession(engine) as session:
                await (await session.connection()).execute(statement, {"a": 1})
                await session.commit()
        costs["a session: check-out with ping, BEGIN, one statement, COMMIT"] = (
            (time.process_time() - began) / 500 * 1e6
        )
    finally:
        await engine.dispose()
    return costs


def main() -> int:
    costs = asyncio.run(measure())
    rows = [Row(f"{name}: CPU µs", f"{us:.0f}", "-", True) for name, us in costs.items()]
    print_table("One round trip, client CPU (this process), PostgreSQL on loopback", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
