from __future__ import annotations

from pathlib import Path

from litestar.testing import AsyncTestClient

from tests.conftest import make_settings


async def test_health_answers_200_when_the_database_answers(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


async def test_health_answers_503_when_the_database_is_unreachable(tmp_path: Path) -> None:
    from events.app import create_app

    # A port nobody listens on: the database is "down".
    settings = make_settings("postgresql+asyncpg://postgres@127.0.0.1:1/none", tmp_path)
    async with AsyncTestClient(app=create_app(settings)) as client:
        response = await client.get("/health")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
