"""The agenda's JSON API through HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

Client = AsyncTestClient  # type: ignore[type-arg]

EVENT: dict[str, Any] = {
    "slug": "german-kazakh-science-day-2023",
    "title": {"en": "German–Kazakh Science Day", "kk": "Қазақ-неміс ғылым күні"},
    "kind": "science_day",
    "status": "published",
    "starts_at": "2023-10-12T09:00:00",
    "ends_at": "2023-10-13T18:00:00+06:00",
    "timezone": "Asia/Almaty",
    "country": "kz",
    "city": "Алматы",
    "languages": ["en", "kk", "de"],
    "default_language": "en",
    "partner_countries": ["DE"],
}
BASE = "/api/v1/events/german-kazakh-science-day-2023"


async def create_event(client: Client, **overrides: Any) -> dict[str, Any]:
    response = await client.post("/api/v1/events", json={**EVENT, **overrides})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_events_crud_with_pagination_and_filters(
    client: Client, anonymous_client: Client
) -> None:
    created = await create_event(client)
    assert created["starts_at"] == "2023-10-12T03:00:00Z"
    assert created["country"] == "KZ"
    await create_event(client, slug="kariu-agh-round-table", kind="round_table", status="closed")
    await create_event(client, slug="hidden-draft", status="draft")

    # The admin sees the draft too; the public sees two events.
    assert (await client.get("/api/v1/events")).json()["total"] == 3
    assert (await client.get("/api/v1/events/hidden-draft")).status_code == 200
    public = anonymous_client
    listing = (await public.get("/api/v1/events", params={"limit": 1})).json()
    assert (listing["total"], listing["limit"], listing["offset"], len(listing["items"])) == (
        2,
        1,
        0,
        1,
    )
    second = (await public.get("/api/v1/events", params={"limit": 1, "offset": 1})).json()
    assert second["items"][0]["slug"] != listing["items"][0]["slug"]
    slugs = lambda r: [e["slug"] for e in r.json()["items"]]  # noqa: E731
    assert slugs(await client.get("/api/v1/events", params={"kind": "round_table"})) == [
        "kariu-agh-round-table"
    ]
    assert slugs(await public.get("/api/v1/events", params={"status": "published"})) == [
        EVENT["slug"]
    ]
    assert len(slugs(await public.get("/api/v1/events", params={"q": "ҒЫЛЫМ"}))) == 2
    # Drafts are neither listed nor readable by the public.
    assert (await public.get("/api/v1/events/hidden-draft")).status_code == 404
    assert (await public.get("/api/v1/events/hidden-draft/sessions")).status_code == 404

    response = await client.get(BASE)
    assert response.status_code == 200
    assert response.json()["title"]["kk"] == "Қазақ-неміс ғылым күні"

    response = await client.patch(BASE, json={"venue": "Rixos Almaty", "city": None})
    assert response.status_code == 200
    body = response.json()
    assert (body["venue"], body["city"], body["kind"]) == ("Rixos Almaty", None, "science_day")

    assert (await client.delete("/api/v1/events/kariu-agh-round-table")).status_code == 204
    response = await client.get("/api/v1/events/kariu-agh-round-table")
    assert response.status_code == 404
    assert response.json()["code"] == "event_not_found"


async def test_organisations_and_partners_crud(client: Client) -> None:
    await create_event(client)
    response = await client.post(
        "/api/v1/organisations",
        json={
            "name": "AGH University of Kraków",
            "short_name": "AGH",
            "country": "pl",
            "kind": "university",
            "website": "https://www.agh.edu.pl",
        },
    )
    assert response.status_code == 201
    agh = response.json()
    assert agh["country"] == "PL"
    await client.post(
        "/api/v1/organisations", json={"name": "BMBF", "country": "DE", "kind": "ministry"}
    )
    names = lambda r: [o["name"] for o in r.json()["items"]]  # noqa: E731
    assert names(await client.get("/api/v1/organisations", params={"country": "PL"})) == [
        agh["name"]
    ]
    assert names(await client.get("/api/v1/organisations", params={"kind": "ministry"})) == ["BMBF"]
    assert names(await client.get("/api/v1/organisations", params={"q": "kraków"})) == [agh["name"]]
    response = await client.patch(f"/api/v1/organisations/{agh['id']}", json={"short_name": None})
    assert response.json()["short_name"] is None
    assert (await client.get(f"/api/v1/organisations/{agh['id']}")).json()["name"] == agh["name"]

    response = await client.post(
        f"{BASE}/partners", json={"organisation_id": agh["id"], "role": "delegation", "position": 2}
    )
    assert response.status_code == 201
    partner = response.json()
    assert (partner["organisation_name"], partner["role"]) == (agh["name"], "delegation")
    response = await client.post(f"{BASE}/partners", json={"organisation_id": agh["id"]})
    assert (response.status_code, response.json()["code"]) == (409, "partner_exists")
    response = await client.patch(f"{BASE}/partners/{partner['id']}", json={"role": "co_host"})
    assert response.json()["role"] == "co_host"
    assert (await client.get(f"{BASE}/partners")).json()["total"] == 1
    assert (await client.get(BASE)).json()["partners"][0]["role"] == "co_host"

    response = await client.delete(f"/api/v1/organisations/{agh['id']}")
    assert (response.status_code, response.json()["code"]) == (409, "organisation_in_use")
    assert (await client.delete(f"{BASE}/partners/{partner['id']}")).status_code == 204
    assert (await client.delete(f"/api/v1/organisations/{agh['id']}")).status_code == 204
    response = await client.get(f"/api/v1/organisations/{agh['id']}")
    assert (response.status_code, response.json()["code"]) == (404, "organisation_not_found")


async def test_rooms_speakers_sessions_and_conflicts(client: Client) -> None:
    await create_event(client)
    room = (await client.post(f"{BASE}/rooms", json={"name": "Hall A", "capacity": 300})).json()
    other = (await client.post(f"{BASE}/rooms", json={"name": "Hall B"})).json()
    response = await client.post(f"{BASE}/rooms", json={"name": "Hall A"})
    assert (response.status_code, response.json()["code"]) == (409, "room_name_taken")
    response = await client.patch(f"{BASE}/rooms/{other['id']}", json={"capacity": 40})
    assert response.json() == {**other, "capacity": 40}
    assert (await client.get(f"{BASE}/rooms")).json()["total"] == 2

    response = await client.post(
        f"{BASE}/speakers",
        json={
            "given_name": "Айгерім",
            "family_name": "Сәрсенбаева",
            "email": "a@example.kz",
            "biography": {"kk": "Ғалым"},
            "country": "kz",
        },
    )
    assert response.status_code == 201
    speaker = response.json()
    assert speaker["email"] == "a@example.kz"  # the organiser who wrote it sees it
    # Public reads never carry the e-mail address.
    public = (await client.get(f"{BASE}/speakers/{speaker['id']}")).json()
    assert "email" not in public and public["display_name"] == "Айгерім Сәрсенбаева"
    listing = await client.get(f"{BASE}/speakers", params={"q": "сәрсен"})
    assert listing.json()["total"] == 1
    assert "email" not in listing.json()["items"][0]
    assert "a@example.kz" not in listing.text

    session = {
        "title": {"en": "Opening", "kk": "Ашылу"},
        "kind": "ceremony",
        "starts_at": "2023-10-12T09:00:00",
        "ends_at": "2023-10-12T10:00:00",
        "room_id": room["id"],
        "track": "Plenary",
        "language": "kk",
        "people": [{"speaker_id": speaker["id"], "role": "chair"}],
    }
    response = await client.post(f"{BASE}/sessions", json=session)
    assert response.status_code == 201, response.text
    first = response.json()
    assert (first["starts_at"], first["day"], first["room_name"]) == (
        "2023-10-12T03:00:00Z",
        "2023-10-12",
        "Hall A",
    )
    assert first["people"] == [
        {"speaker_id": speaker["id"], "name": "Айгерім Сәрсенбаева", "role": "chair", "position": 0}
    ]
    response = await client.post(
        f"{BASE}/sessions",
        json={
            **session,
            "title": {"en": "Coffee"},
            "kind": "break",
            "track": None,
            "starts_at": "2023-10-12T09:30:00+06:00",
            "ends_at": "2023-10-12T10:30:00+06:00",
        },
    )
    second = response.json()
    await client.post(
        f"{BASE}/sessions",
        json={
            "title": {"en": "Lab visit"},
            "kind": "lab_visit",
            "room_id": other["id"],
            "starts_at": "2023-10-13T11:00:00",
            "ends_at": "2023-10-13T12:00:00",
        },
    )

    response = await client.get(f"{BASE}/conflicts")
    assert response.status_code == 200
    conflicts = response.json()
    assert sorted(c["code"] for c in conflicts["items"]) == [
        "room_double_booked",
        "speaker_double_booked",
    ]
    assert conflicts["items"][0]["session_ids"] == [first["id"], second["id"]]
    assert conflicts["items"][0]["titles"] == ["Opening", "Coffee"]
    assert "Hall A" in conflicts["items"][0]["message"]

    total = lambda r: r.json()["total"]  # noqa: E731
    assert total(await client.get(f"{BASE}/sessions", params={"day": "2023-10-13"})) == 1
    assert total(await client.get(f"{BASE}/sessions", params={"room": room["id"]})) == 2
    assert total(await client.get(f"{BASE}/sessions", params={"kind": "break"})) == 1
    assert total(await client.get(f"{BASE}/sessions", params={"track": "Plenary"})) == 1
    page = (await client.get(f"{BASE}/sessions", params={"limit": 2, "offset": 2})).json()
    assert (page["total"], len(page["items"])) == (3, 1)

    response = await client.patch(
        f"{BASE}/sessions/{second['id']}",
        json={"starts_at": "2023-10-12T10:00:00", "ends_at": "2023-10-12T10:30:00"},
    )
    assert response.status_code == 200
    assert response.json()["title"] == {"en": "Coffee"}
    assert (await client.get(f"{BASE}/conflicts")).json() == {"items": [], "total": 0}

    assert (await client.get(f"{BASE}/sessions/{first['id']}")).json()["track"] == "Plenary"
    assert (await client.delete(f"{BASE}/sessions/{first['id']}")).status_code == 204
    assert (await client.get(f"{BASE}/sessions/{first['id']}")).status_code == 404
    assert (await client.delete(f"{BASE}/rooms/{room['id']}")).status_code == 204
    assert (await client.get(f"{BASE}/sessions/{second['id']}")).json()["room_id"] is None
    response = await client.patch(f"{BASE}/speakers/{speaker['id']}", json={"email": None})
    assert response.json()["email"] is None
    assert (await client.delete(f"{BASE}/speakers/{speaker['id']}")).status_code == 204
    response = await client.get(f"{BASE}/speakers/{speaker['id']}")
    assert (response.status_code, response.json()["code"]) == (404, "speaker_not_found")
