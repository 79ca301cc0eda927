"""Engine and session configuration for SQLite (embedded) and PostgreSQL."""

from __future__ import annotations

from typing import Any

from advanced_alchemy.extensions.litestar import (
    AsyncSessionConfig,
    EngineConfig,
    SQLAlchemyAsyncConfig,
)
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from events.settings import Settings


def _prepare_sqlite(engine: AsyncEngine) -> None:
    """WAL, a busy timeout and BEGIN IMMEDIATE, so concurrent writers queue instead of failing."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _engine_kwargs(settings: Settings) -> dict[str, Any]:
    if settings.is_sqlite:
        # One connection per session; SQLite serialises writers anyway.
        return {"poolclass": NullPool}
    # A connect attempt gives up after 5 s (asyncpg waits 60 s by default): while PostgreSQL
    # restarts, requests fail fast with 503 instead of queueing (events/errors_http.py).
    # Every connection of the pool is kept: an overflow connection, closed as soon as it is
    # returned, made a worker under load connect afresh many times a second (docs/DEPLOYING.md).
    return {
        "pool_size": settings.database_pool_size,
        "max_overflow": 5,
        "pool_pre_ping": True,
        "pool_timeout": 10,
        "connect_args": {"timeout": 5},
    }


def create_engine(settings: Settings) -> AsyncEngine:
    if settings.is_sqlite:
        _ensure_sqlite_dir(settings.database_url)
    engine = create_async_engine(
        settings.database_url, echo=settings.database_echo, **_engine_kwargs(settings)
    )
    if settings.is_sqlite:
        _prepare_sqlite(engine)
    return engine


def _ensure_sqlite_dir(url: str) -> None:
    from pathlib import Path

    from sqlalchemy.engine import make_url

    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def sqlalchemy_config(settings: Settings, engine: AsyncEngine) -> SQLAlchemyAsyncConfig:
    return SQLAlchemyAsyncConfig(
        engine_instance=engine,
        session_config=AsyncSessionConfig(expire_on_commit=False, autoflush=True),
        engine_config=EngineConfig(),
        # No commit in advanced-alchemy's hook: it would send the answer even when the commit
        # fails. events.db.commit commits first (2xx and 3xx: a form POST answers 303); this
        # default hook only closes the session, which rolls back whatever was not committed.
        before_send_handler=None,
        create_all=False,
    )
