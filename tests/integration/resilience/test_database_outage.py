"""While PostgreSQL cannot be reached, requests answer 503 with a clear message, never 500."""

from __future__ import annotations

from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.exc import DataError, OperationalError

from events import errors_http
from events.app import create_app
from tests.conftest import make_settings
from tests.unit.mail.test_sender import free_port


@pytest.fixture
async def down_client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The app pointed at a PostgreSQL port where nothing listens (a server being restarted)."""
    monkeypatch.setenv("EVENTS_MAIL_IN_APP", "0")
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/events"
    app = create_app(make_settings(url, tmp_path))
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        yield client


async def test_api_answers_503_with_code_message_and_retry_after(down_client) -> None:  # type: ignore[no-untyped-def]
    response = await down_client.post(
        "/api/v1/events/some-event/registrations",
        json={"given_name": "A", "family_name": "B", "email": "a@example.org"},
    )
    assert response.status_code == 503
    assert response.headers["retry-after"] == "2"
    body = response.json()
    assert body["code"] == "database_unavailable"
    assert "Nothing was saved" in body["message"]

    response = await down_client.get("/api/v1/events")
    assert response.status_code == 503


async def test_pages_answer_503_in_the_reader_language(down_client) -> None:  # type: ignore[no-untyped-def]
    response = await down_client.get("/e/some-event", headers={"Accept-Language": "de"})
    assert response.status_code == 503
    assert "Datenbank ist gerade nicht erreichbar" in response.text
    assert (await down_client.get("/health")).status_code == 503


def test_only_connection_failures_count_as_unavailable() -> None:
    assert errors_http._is_unavailable(OperationalError("SELECT 1", {}, Exception("gone")))
    assert errors_http._is_unavailable(ConnectionRefusedError(111, "refused"))
    # A value the database refused is a bug, not an outage: it must not hide as 503.
    assert not errors_http._is_unavailable(DataError("INSERT", {}, Exception("too long")))
    assert not errors_http._is_unavailable(FileNotFoundError("cache"))


def test_a_connection_the_driver_cannot_use_counts_as_unavailable() -> None:
    import asyncpg.exceptions as pg  # type: ignore[import-untyped]

    # What a statement sent straight to asyncpg met during a restart (bench.faults.pg_restart).
    lost = pg.InternalClientError("cannot switch to state 12; another operation (2) is in progress")
    assert errors_http._is_unavailable(lost)


@pytest.mark.parametrize(
    ("raised", "status"),
    [("driver", 503), ("bug", 500)],
)
async def test_every_error_is_answered_and_a_bug_is_logged_with_its_traceback(
    client,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    raised: str,
    status: int,
) -> None:  # type: ignore[no-untyped-def]
    import asyncpg.exceptions as pg  # type: ignore[import-untyped]

    from events.agenda import services

    async def failing(*_args: object, **_kwargs: object) -> None:
        if raised == "driver":
            raise pg.InternalClientError("cannot switch to state 12; another operation (2)")
        raise RuntimeError("a bug")

    monkeypatch.setattr(services, "list_events", failing)
    response = await client.get("/api/v1/events")
    assert response.status_code == status
    if raised == "driver":
        assert response.json()["code"] == "database_unavailable"
        assert response.headers["retry-after"] == "2"
    else:
        assert "a bug" not in response.text  # nothing of the inside goes out...
        logged = [r for r in caplog.records if r.levelname == "ERROR"]
        assert logged and logged[-1].exc_info is not None  # ...but the log has it all
