"""Shared pieces of the browser tests: the app under uvicorn on a free port, Chromium, sign-in.

The app runs in a background thread with a temporary SQLite file; Playwright drives Debian's
Chromium (``playwright install`` cannot download browsers here). The database is read and written
from another thread than Playwright's, whose sync API runs an event loop of its own.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import uvicorn
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from events.db.engine import create_engine
from events.db.models import metadata
from events.settings import Settings
from tests.conftest import make_settings

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip
T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_db(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``work`` on a fresh session (committed after) in its own thread and event loop."""

    async def _go() -> T:
        engine = create_engine(settings)
        try:
            async with async_sessionmaker(engine, expire_on_commit=False)() as session:
                result = await work(session)
                await session.commit()
                return result
        finally:
            await engine.dispose()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _go()).result()


def new_settings(data_dir: Path) -> tuple[Settings, int]:
    """Settings for a new SQLite database with the schema, and the port to serve on."""
    port = free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    settings = make_settings(f"sqlite+aiosqlite:///{data_dir / 'events.db'}", data_dir)
    settings = Settings(**{**settings.__dict__, "base_url": f"http://127.0.0.1:{port}"})

    async def _schema(session: AsyncSession) -> None:
        connection = await session.connection()
        await connection.run_sync(metadata.create_all)

    run_db(settings, _schema)
    return settings, port


@contextmanager
def live_server(settings: Settings, port: int) -> Iterator[str]:
    from events.app import create_app

    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def launch(playwright: Any, chromium_path: str) -> Any:
    return playwright.chromium.launch(
        executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
    )


def sign_in(page: Any, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("main button[type='submit']")
    page.wait_for_url(f"{base}/manage")
