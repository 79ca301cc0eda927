"""``/health``: 200 when the database answers, 503 when it does not."""

from __future__ import annotations

import asyncio

from litestar import get
from litestar.datastructures import State
from litestar.response import Response
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


@get("/health", include_in_schema=True, tags=["system"], cache=False, opt={"access": "public"})
async def health(state: State) -> Response[dict[str, str]]:
    # Our own key: advanced-alchemy renames its state keys when several apps share a process.
    engine: AsyncEngine = state.engine
    try:
        async with asyncio.timeout(3):
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database means "not healthy"
        return Response({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return Response({"status": "ok", "database": "ok"})


routes = [health]
