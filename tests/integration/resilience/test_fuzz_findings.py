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
