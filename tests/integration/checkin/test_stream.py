"""Live counts: an open stream on one app instance ("worker") hears a check-in made through
another instance. The stream's app is served by uvicorn on a free port (the test client would
wait for the endless response to end); the check-in goes through a second app's test client."""

from __future__ import annotations

import asyncio
import json
import socket
import uuid
from datetime import UTC, datetime

import httpx
import pytest
import uvicorn
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from events.app import create_app
from events.settings import Settings
from tests.integration.checkin.support import staff

BASE = "/api/v1/events/rare-earths-round-table"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _next_counts(lines, timeout: float = 15.0) -> dict:  # type: ignore[no-untyped-def]
    async def read() -> dict:  # type: ignore[type-arg]
        event = None
        async for line in lines:
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:") and event == "counts":
                return dict(json.loads(line.split(":", 1)[1]))
        raise AssertionError("the stream ended")

    return await asyncio.wait_for(read(), timeout)


async def test_a_checkin_on_another_worker_reaches_an_open_stream(
    backend: str, db: AsyncSession, settings: Settings
) -> None:
    s = await staff(db, settings)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:
            await asyncio.sleep(0.05)
        headers = {"Authorization": f"Bearer {s.desk_token}"}
        web = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", headers=headers)
        async with web, web.stream("GET", f"{BASE}/checkin-stream", timeout=30) as stream:
            assert stream.status_code == 200
            assert stream.headers["content-type"].startswith("text/event-stream")
            lines = stream.aiter_lines()
            first = await _next_counts(lines)
            assert (first["confirmed"], first["checked_in"]) == (4, 0)
            async with AsyncTestClient(app=create_app(settings)) as other_worker:
                answer = await other_worker.post(
                    f"{BASE}/checkins",
                    headers=headers,
                    json={
                        "token": s.crowd.confirmed[1].checkin_token,
                        "nonce": uuid.uuid4().hex,
                        "scanned_at": datetime.now(UTC).isoformat(),
                        "desk": "Desk 7",
                    },
                )
                assert answer.json()["status"] == "ok"
            update = await _next_counts(lines)
            assert update["checked_in"] == 1
            assert update["by_country"]["PL"] == {"confirmed": 1, "checked_in": 1}
        # The client went away: the stream ends and its listening connection is closed.
        anonymous = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}")
        async with anonymous:
            assert (await anonymous.get(f"{BASE}/checkin-stream")).status_code == 401
    finally:
        server.should_exit = True
        await asyncio.wait_for(serving, 20)


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_the_listening_connection_is_closed_when_the_client_leaves(
    backend: str, db: AsyncSession, settings: Settings, monkeypatch
) -> None:
    from events.checkin import live

    opened: list[object] = []
    real = live._listen_connection

    async def tracked(url: str):  # type: ignore[no-untyped-def]
        connection = await real(url)
        opened.append(connection)
        return connection

    monkeypatch.setattr(live, "_listen_connection", tracked)
    s = await staff(db, settings)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:
            await asyncio.sleep(0.05)
        headers = {"Authorization": f"Bearer {s.desk_token}"}
        web = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", headers=headers)
        async with web, web.stream("GET", f"{BASE}/checkin-stream", timeout=30) as stream:
            await _next_counts(stream.aiter_lines())
        for _ in range(100):
            if opened and opened[0].is_closed():  # type: ignore[attr-defined]
                break
            await asyncio.sleep(0.05)
        assert len(opened) == 1 and opened[0].is_closed()  # type: ignore[attr-defined]
    finally:
        server.should_exit = True
        await asyncio.wait_for(serving, 20)
