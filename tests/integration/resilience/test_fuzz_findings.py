"""Bugs schemathesis found, each pinned by a test of its own (the fuzzer is not deterministic
across schema changes, these are)."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from tests.integration.agenda.test_api import BASE, EVENT, create_event

Client = AsyncTestClient  # type: ignore[type-arg]


@pytest.fixture
async def client(admin_client):  # type: ignore[no-untyped-def]
    return admin_client


async def test_an_event_of_centuries_is_refused_not_rendered_day_by_day(client: Client) -> None:
    # Found: ends_at in the year 3664 was accepted, and schedule.json then walked 600,000 days.
    response = await client.post("/api/v1/events", json={**EVENT, "ends_at": "3664-02-01T10:00:00"})
    assert (response.status_code, response.json()["field"]) == (422, "ends_at")
    assert response.json()["code"] == "event_too_long"
    await create_event(client)
    response = await client.patch(BASE, json={"ends_at": "3664-02-01T10:00:00"})
    assert (response.status_code, response.json()["code"]) == (422, "event_too_long")


async def test_a_nul_character_in_a_filter_answers_400_not_500(
    client: Client, backend: str
) -> None:
    # Found: ?status=%00 reached PostgreSQL, which refuses NUL in text, and answered 500.
    await create_event(client)
    response = await client.get(f"{BASE}/registrations", params={"status": "\x00x"})
    assert response.status_code in (200, 400)  # SQLite stores NUL; PostgreSQL refuses it
    if backend == "postgres":
        assert response.json()["code"] == "invalid_value"


async def test_schedule_json_is_described_as_a_json_object(client: Client) -> None:
    # Found: the schema said the JSON schedule was a string.
    schema = (await client.get("/schema/openapi.json")).json()
    answer = schema["paths"]["/e/{slug}/schedule.json"]["get"]["responses"]["200"]
    assert answer["content"]["application/json"]["schema"]["type"] == "object"


async def test_validation_errors_carry_code_message_and_field(client: Client) -> None:
    # Found: Litestar's own 400 lacked the code and message the schema promises.
    response = await client.post("/api/v1/organisations", json={"name": 5, "country": "DE"})
    body = response.json()
    assert response.status_code == 400
    assert body["code"] == "bad_request" and body["field"] and body["message"]
