"""Bad and hostile input through HTTP: always a 4xx naming the field, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from tests.integration.agenda.test_api import BASE, EVENT, create_event

Client = AsyncTestClient  # type: ignore[type-arg]


def field_of_400(body: dict[str, Any]) -> str:
    return " ".join(f"{e.get('key')} {e.get('message')}" for e in body.get("extra", []))


async def test_wrong_types_missing_and_unknown_fields_answer_400_naming_the_field(
    client: Client,
) -> None:
    response = await client.post("/api/v1/events", json={**EVENT, "languages": "en"})
    assert response.status_code == 400
    assert "languages" in field_of_400(response.json())
    body = {k: v for k, v in EVENT.items() if k != "timezone"}
    response = await client.post("/api/v1/events", json=body)
    assert response.status_code == 400
    assert "timezone" in field_of_400(response.json())
    response = await client.post("/api/v1/events", json={**EVENT, "colour": "red"})
    assert response.status_code == 400
    assert "colour" in field_of_400(response.json())
    response = await client.post("/api/v1/events", json={**EVENT, "starts_at": "tomorrow"})
    assert response.status_code == 400
    assert "starts_at" in field_of_400(response.json())
    response = await client.get("/api/v1/events", params={"limit": 101})
    assert response.status_code == 400
    assert "limit" in field_of_400(response.json())
    response = await client.get("/api/v1/events", params={"offset": -1})
    assert response.status_code == 400


async def test_rule_violations_answer_422_with_code_and_field(client: Client) -> None:
    response = await client.post("/api/v1/events", json={**EVENT, "title": {"en": "x", "pl": "y"}})
    assert response.status_code == 422
    body = response.json()
    assert (body["code"], body["field"]) == ("invalid_language", "title.pl")
    assert body["message"] and body["detail"] == body["message"]
    response = await client.post("/api/v1/events", json={**EVENT, "kind": "party"})
    assert response.json()["field"] == "kind"
    assert "science_day" in response.json()["message"]
    assert (await client.get("/api/v1/events", params={"status": "nope"})).status_code == 422

    await create_event(client)
    response = await client.post(
        f"{BASE}/sessions",
        json={
            "title": {"en": "Late"},
            "kind": "talk",
            "starts_at": "2023-10-14T10:00:00",
            "ends_at": "2023-10-14T11:00:00",
        },
    )
    assert (response.status_code, response.json()["field"]) == (422, "ends_at")
    assert response.json()["code"] == "outside_event_days"
    # Nothing half-written: the failed request left no session behind.
    assert (await client.get(f"{BASE}/sessions")).json()["total"] == 0


async def test_a_taken_slug_answers_409(client: Client) -> None:
    await create_event(client)
    response = await client.post("/api/v1/events", json=EVENT)
    assert (response.status_code, response.json()["code"]) == (409, "slug_taken")
    assert response.json()["field"] == "slug"


async def test_unknown_ids_and_slugs_answer_404_with_a_code(client: Client) -> None:
    response = await client.get("/api/v1/events/no-such-event")
    assert (response.status_code, response.json()["code"]) == (404, "event_not_found")
    response = await client.patch("/api/v1/events/no-such-event", json={"city": "x"})
    assert response.status_code == 404
    await create_event(client)
    for resource, code in [
        ("rooms", "room_not_found"),
        ("speakers", "speaker_not_found"),
        ("sessions", "session_not_found"),
        ("partners", "partner_not_found"),
    ]:
        response = await client.get(f"{BASE}/{resource}/424242")
        assert (response.status_code, response.json()["code"]) == (404, code)
        assert (await client.delete(f"{BASE}/{resource}/424242")).status_code == 404
    assert (await client.delete("/api/v1/organisations/424242")).status_code == 404


async def test_a_body_that_is_not_json_answers_415(client: Client) -> None:
    response = await client.post("/api/v1/events", data={"slug": "form-post"})
    assert response.status_code == 415
    response = await client.post(
        "/api/v1/organisations", content=b"name=x", headers={"content-type": "text/plain"}
    )
    assert response.status_code == 415


async def test_a_body_over_the_limit_answers_413(client: Client) -> None:
    huge = b'{"name": "' + b"x" * (11 * 1024 * 1024) + b'"}'
    response = await client.post(
        "/api/v1/organisations", content=huge, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


HOSTILE_STRINGS = [
    "\x00",
    "x" * 10_000,
    "<script>alert(1)</script>",
    "\ud800"[:0] + "\u202e",
    "'; DROP TABLE events; --",
]
HOSTILE_VALUES: list[Any] = [
    None,
    1,
    -1,
    2**70,
    1.5,
    True,
    [],
    {},
    {"en": {"x": 1}},
    *HOSTILE_STRINGS,
]


@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=lambda v: repr(v)[:20])
async def test_hostile_values_in_every_field_never_give_a_500(client: Client, value: Any) -> None:
    await create_event(client)
    bodies: list[tuple[str, dict[str, Any]]] = [
        ("/api/v1/events", {**EVENT, "slug": "other-slug"}),
        ("/api/v1/organisations", {"name": "AGH", "country": "PL", "kind": "university"}),
        (f"{BASE}/rooms", {"name": "Hall", "capacity": 10}),
        (f"{BASE}/speakers", {"given_name": "A", "family_name": "B", "biography": {"en": "x"}}),
        (
            f"{BASE}/sessions",
            {
                "title": {"en": "T"},
                "kind": "talk",
                "starts_at": "2023-10-12T10:00:00",
                "ends_at": "2023-10-12T11:00:00",
                "people": [{"speaker_id": 1}],
            },
        ),
    ]
    for url, body in bodies:
        for field in body:
            response = await client.post(url, json={**body, field: value})
            assert response.status_code < 500, (url, field, response.text)
            if response.status_code == 201 and isinstance(value, str) and "<script>" in value:
                # Stored as typed; escaping is the job of whatever renders it.
                assert value in response.text or "\\u003c" in response.text
    for url in [
        "/api/v1/events",
        "/api/v1/organisations",
        f"{BASE}/speakers",
        f"{BASE}/sessions",
    ]:
        for key in ["q", "kind", "status", "country", "day", "room", "track", "limit"]:
            if isinstance(value, str | int):
                response = await client.get(url, params={key: str(value)})
                assert response.status_code < 500, (url, key, response.text)
    for path in [
        "/api/v1/events/%00",
        "/api/v1/events/" + "x" * 5000,
        f"{BASE}/sessions/%3Cscript%3E",
    ]:
        assert (await client.get(path)).status_code in {404, 400}


async def test_malformed_json_answers_400(client: Client) -> None:
    response = await client.post(
        "/api/v1/events", content=b'{"slug": ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    response = await client.post(
        "/api/v1/events", content=b"[1, 2]", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
