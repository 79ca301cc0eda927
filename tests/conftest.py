"""Shared fixtures: every database test runs on SQLite and, where a server answers, PostgreSQL.

- ``backend``: "sqlite" or "postgres" (parametrised; PostgreSQL is skipped when no server answers,
  unless EVENTS_REQUIRE_POSTGRES=1, which turns the skip into a failure).
- ``settings``: Settings for a fresh, empty database with the whole schema (create_all).
- ``db``: an AsyncSession on that database.
- ``app`` / ``client``: the application and an httpx-style AsyncTestClient against it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from events.db.engine import create_engine
from events.db.models import metadata
from events.settings import Settings

PG_ADMIN_URL = os.environ.get(
    "EVENTS_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("EVENTS_REQUIRE_POSTGRES") == "1"
REQUIRE_BROWSER = os.environ.get("EVENTS_REQUIRE_BROWSER") == "1"
CHROMIUM = "/usr/bin/chromium"


def _postgres_answers() -> bool:
    if os.environ.get("EVENTS_TEST_POSTGRES_URL"):
        return True
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def _with_database(url: str, database: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=database).render_as_string(hide_password=False)


async def _admin_execute(statement: str) -> None:
    import asyncpg
    from sqlalchemy.engine import make_url

    url = make_url(PG_ADMIN_URL)
    connection = await asyncpg.connect(
        host=url.host, port=url.port or 5432, user=url.username, password=url.password,
        database=url.database,
    )  # fmt: skip
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def make_settings(database_url: str, data_dir: Path) -> Settings:
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        secret_key="test-secret-key-" + "x" * 32,
        base_url="http://testserver.local",
        smtp_url=None,
        host="127.0.0.1",
        port=8000,
        debug=os.environ.get("EVENTS_TEST_DEBUG") == "1",
    )


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str | None]:
    """One PostgreSQL database per test process, with the schema; dropped at the end."""
    if not _postgres_answers():
        yield None
        return
    name = f"events_test_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin_execute(f'CREATE DATABASE "{name}"'))
    url = _with_database(PG_ADMIN_URL, name)
    settings = make_settings(url, Path("/tmp"))

    async def _create() -> None:
        engine = create_engine(settings)
        async with engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
        await engine.dispose()

    asyncio.run(_create())
    try:
        yield url
    finally:
        asyncio.run(_admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres" and request.getfixturevalue("postgres_database") is None:
        if REQUIRE_POSTGRES:
            pytest.fail("EVENTS_REQUIRE_POSTGRES=1 but no PostgreSQL server answers")
        pytest.skip("no PostgreSQL server answers on 127.0.0.1:5432")
    return str(request.param)


async def _truncate_all(engine: AsyncEngine) -> None:
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    async with engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
async def settings(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[Settings]:
    data_dir = tmp_path / "var"
    data_dir.mkdir()
    if backend == "sqlite":
        settings = make_settings(f"sqlite+aiosqlite:///{data_dir / 'events.db'}", data_dir)
        engine = create_engine(settings)
        async with engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
        await engine.dispose()
        yield settings
        return
    url = request.getfixturevalue("postgres_database")
    settings = make_settings(url, data_dir)
    yield settings
    engine = create_engine(settings)
    await _truncate_all(engine)
    await engine.dispose()


@pytest.fixture
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(settings)
    yield engine
    await engine.dispose()


@pytest.fixture
async def db(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as session:
        yield session


@pytest.fixture
async def app(settings: Settings):  # type: ignore[no-untyped-def]
    from events.app import create_app

    return create_app(settings)


@pytest.fixture
async def client(app):  # type: ignore[no-untyped-def]
    from litestar.testing import AsyncTestClient

    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        yield client


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if REQUIRE_BROWSER:
            pytest.fail("EVENTS_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing")
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    return CHROMIUM


async def create_admin_token(settings: Settings) -> str:
    """An admin and an API token for them; the plain token is returned."""
    from events.accounts import services as accounts

    engine = create_engine(settings)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as session:
        admin = await accounts.create_user(
            session, f"admin-{uuid.uuid4().hex[:6]}@example.org", is_admin=True
        )
        token, _row = await accounts.create_token(session, admin, name="tests")
        await session.commit()
    await engine.dispose()
    return token


@pytest.fixture
async def admin_client(settings: Settings):  # type: ignore[no-untyped-def]
    """A client authorised as an admin by bearer token (no CSRF needed).

    It gets its own app instance: two test clients on one app would share a connection pool
    across their two event loops.
    """
    from litestar.testing import AsyncTestClient

    from events.app import create_app

    token = await create_admin_token(settings)
    async with AsyncTestClient(
        app=create_app(settings), base_url="http://testserver.local"
    ) as client:
        client.headers["Authorization"] = f"Bearer {token}"
        yield client
