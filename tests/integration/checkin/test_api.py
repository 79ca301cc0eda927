"""The check-in API as the contract gives it, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from events.checkin.models import CheckIn, Scan
from events.settings import Settings
from tests.accounts_support import sign_in
from tests.integration.checkin.support import staff
from tests.statements_support import statements_seen

BASE = "/api/v1/events/rare-earths-round-table"
ANSWER_KEYS = {
    "status", "registration", "first_checked_in_at", "first_desk", "checkin_id", "scan_id",
    "undo_until", "message",
}  # fmt: skip
PERSON_KEYS = {"id", "given_name", "family_name", "organisation", "country", "category", "status"}


def body(token: str | None = None, **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "token": token,
        "nonce": uuid.uuid4().hex,
        "scanned_at": datetime.now(UTC).isoformat(),
        "desk": "Desk 1",
    }
    values.update(changes)
    return values


async def rows(db: AsyncSession, model: type) -> int:
    """Count rows, then end the transaction (on SQLite it holds the write lock)."""
    count = int(await db.scalar(select(func.count()).select_from(model)) or 0)
    await db.commit()
    return count


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_access_anonymous_other_event_desk_and_organiser(
    client, db: AsyncSession, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    s = await staff(db, settings)
    token = s.crowd.confirmed[0].checkin_token
    assert (await client.post(f"{BASE}/checkins", json=body(token))).status_code == 401
    assert (await client.get(f"{BASE}/checkin-list")).status_code == 401
    other = await client.post(f"{BASE}/checkins", json=body(token), headers=bearer(s.other_token))
    assert other.status_code == 403
    for path in ("checkin-list", "checkin-counts", "checkin-search?q=a"):
        answer = await client.get(f"{BASE}/{path}", headers=bearer(s.other_token))
        assert answer.status_code == 403, path
    assert await rows(db, Scan) == 0
    # A desk user of the event, by cookie session and CSRF header.
    csrf = await sign_in(client, settings, s.desk)
    no_csrf = await client.post(f"{BASE}/checkins", json=body(token))
    assert no_csrf.status_code == 403
    ok = await client.post(f"{BASE}/checkins", json=body(token), headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 200, ok.text
    assert ok.json()["status"] == "ok"


async def test_green_then_amber_with_the_contract_fields(
    client, db: AsyncSession, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    s = await staff(db, settings)
    client.headers.update(bearer(s.desk_token))
    token = s.crowd.confirmed[0].checkin_token
    first = await client.post(f"{BASE}/checkins", json=body(token, desk="Desk 2"))
    assert first.status_code == 200
    green = first.json()
    assert set(green) == ANSWER_KEYS and set(green["registration"]) == PERSON_KEYS
    assert green["status"] == "ok" and green["undo_until"] and green["checkin_id"]
    assert green["registration"]["family_name"] == "Сәрсенбаева 0"
    second = await client.post(f"{BASE}/checkins?lang=ru", json=body(token, desk="Desk 3"))
    amber = second.json()
    assert amber["status"] == "already_checked_in"
    assert amber["first_desk"] == "Desk 2"
    assert amber["first_checked_in_at"] == green["first_checked_in_at"]
    assert "уже" in amber["message"]
    red = await client.post(
        f"{BASE}/checkins", json=body(s.crowd.foreign.checkin_token),
        headers={"Accept-Language": "kk"},
    )  # fmt: skip
    assert red.status_code == 200
    assert red.json()["status"] == "wrong_event" and red.json()["registration"] is None
    assert "басқа" in red.json()["message"]


async def test_bad_input_names_the_field(client, db: AsyncSession, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    s = await staff(db, settings)
    client.headers.update(bearer(s.desk_token))
    token = s.crowd.confirmed[0].checkin_token
    cases = [
        (body(token, nonce="short"), "nonce"),
        (body(token, nonce="has spaces in it"), "nonce"),
        (body(token, desk=""), "desk"),
        (body(token, scanned_at="yesterday"), "scanned_at"),
        (body(None), "token"),
        (body(token, registration_id=1), "token"),
        (body(token, session_id=s.crowd.lecture.id), "session_id"),
        (body(token, session_id=2**63), "session_id"),
        (body(token, offline=True, shown="green"), "shown"),
    ]
    for payload, field in cases:
        answer = await client.post(f"{BASE}/checkins", json=payload)
        assert 400 <= answer.status_code < 500, (field, answer.text)
        assert field in answer.text, (field, answer.text)
    assert await rows(db, Scan) == 0


async def test_offline_scans_say_what_the_device_showed(
    client, db: AsyncSession, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    s = await staff(db, settings)
    client.headers.update(bearer(s.desk_token))
    both, amber, old = (r.checkin_token for r in s.crowd.confirmed[:3])

    async def send(token: str, desk: str, minute: int, **extra: Any) -> dict[str, Any]:
        at = f"2020-01-01T09:{minute:02d}:00+05:00"
        answer = await client.post(
            f"{BASE}/checkins", json=body(token, desk=desk, offline=True, scanned_at=at, **extra)
        )
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    # Two offline desks both showed green; the amber desk's list already knew; an old client.
    await send(both, "Desk 1", 0, shown="admitted")
    await send(both, "Desk 2", 5, shown="admitted")
    await send(amber, "Desk 1", 0, shown="admitted")
    assert (await send(amber, "Desk 2", 5, shown="already"))["status"] == "already_checked_in"
    await send(old, "Desk 1", 0)
    await send(old, "Desk 2", 5)
    flagged = {
        (desk, registration_id)
        for desk, registration_id in (
            await db.execute(
                select(Scan.desk, Scan.registration_id).where(Scan.double_admission.is_(True))
            )
        ).all()
    }
    await db.commit()
    ids = [r.id for r in s.crowd.confirmed]
    assert flagged == {("Desk 2", ids[0]), ("Desk 2", ids[2])}


async def test_a_repeated_nonce_answers_the_same(
    client, db: AsyncSession, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    s = await staff(db, settings)
    client.headers.update(bearer(s.desk_token))
    payload = body(s.crowd.confirmed[0].checkin_token)
    first = await client.post(f"{BASE}/checkins", json=payload)
    again = await client.post(f"{BASE}/checkins", json=payload)
    assert first.json() == again.json()
    assert again.json()["status"] == "ok"
    assert await rows(db, Scan) == 1


async def test_undo_by_the_same_desk(client, db: AsyncSession, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    s = await staff(db, settings)
    client.headers.update(bearer(s.desk_token))
    green = (
        await client.post(f"{BASE}/checkins", json=body(s.crowd.confirmed[0].checkin_token))
    ).json()
    url = f"{BASE}/checkins/{green['checkin_id']}/undo"
    other = await client.post(url, json={"desk": "Desk 9"})
    assert other.status_code == 403 and other.json()["code"] == "other_desk"
    done = await client.post(url, json={"desk": "Desk 1"})
    assert done.status_code == 200 and done.json() == {"status": "undone"}
    assert (await client.post(url, json={"desk": "Desk 1"})).status_code == 409
    missing = await client.post(f"{BASE}/checkins/999999/undo", json={"desk": "Desk 1"})
    assert missing.status_code == 404
    counts = (await client.get(f"{BASE}/checkin-counts")).json()
    assert counts["checked_in"] == 0


async def test_walk_in_list_search_and_counts(client, db: AsyncSession, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    s = await staff(db, settings)
    client.headers.update(bearer(s.desk_token))
    walk_in = {
        "given_name": "Ұлжан", "family_name": "Әбенова", "organisation": "=HYPERLINK(1)",
        "country": "KZ", "category": "guest", "email": None, "desk": "Desk 1",
        "nonce": "walk-in-0001",
    }  # fmt: skip
    created = await client.post(f"{BASE}/walk-ins", json=walk_in)
    assert created.status_code == 201, created.text
    answer = created.json()
    new_id = answer["registration"]["id"]
    assert answer["registration"]["status"] == "confirmed"
    assert answer["checkin"]["status"] == "ok"
    assert answer["badge_url"] == f"/desk/rare-earths-round-table/badges/{new_id}.pdf"
    bad = await client.post(
        f"{BASE}/walk-ins", json={**walk_in, "country": "XX", "nonce": "walk-in-0002"}
    )
    assert bad.status_code == 422 and bad.json()["field"] == "country"

    listing = (await client.get(f"{BASE}/checkin-list")).json()
    assert set(listing) == {"event", "generated_at", "sessions", "registrations"}
    assert listing["event"]["timezone"] == "Asia/Almaty"
    item = next(r for r in listing["registrations"] if r["id"] == new_id)
    assert set(item) == {
        "id", "token", "given_name", "family_name", "organisation", "country", "category",
        "status", "checked_in_at", "desk",
    }  # fmt: skip
    assert item["desk"] == "Desk 1" and item["checked_in_at"]
    assert "email" not in created.text + str(listing)
    assert [x["requires_checkin"] for x in listing["sessions"]] == [True, False]

    found = (await client.get(f"{BASE}/checkin-search", params={"q": "kowalski"})).json()
    assert [r["id"] for r in found["results"]] == [s.crowd.confirmed[1].id]
    assert "token" not in found["results"][0]
    by_id = await client.post(
        f"{BASE}/checkins", json=body(None, registration_id=s.crowd.confirmed[1].id)
    )
    assert by_id.json()["status"] == "ok"

    counts = (await client.get(f"{BASE}/checkin-counts")).json()
    assert counts["confirmed"] == 5 and counts["checked_in"] == 2
    assert counts["by_category"]["guest"] == {"confirmed": 1, "checked_in": 1}
    assert counts["by_country"]["PL"] == {"confirmed": 1, "checked_in": 1}


async def test_rate_limit_per_desk(
    client, db: AsyncSession, settings: Settings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from events.checkin import services

    monkeypatch.setitem(services.RATE_LIMITS, "scan", 3)
    # A window of days: the test never straddles two windows.
    monkeypatch.setattr(services, "RATE_WINDOW_SECONDS", 10**6)
    s = await staff(db, settings)
    client.headers.update(bearer(s.desk_token))
    token = s.crowd.confirmed[0].checkin_token
    for _ in range(3):
        assert (await client.post(f"{BASE}/checkins", json=body(token))).status_code == 200
    limited = await client.post(f"{BASE}/checkins", json=body(token))
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert limited.json()["code"] == "rate_limited"
    # Refused before anything is recorded: the three scans allowed, and no fourth.
    assert await rows(db, Scan) == 3
    # Another desk of the same user has its own budget.
    assert (
        await client.post(f"{BASE}/checkins", json=body(token, desk="Desk 2"))
    ).status_code == 200


async def test_organiser_page_shows_counts_and_double_admissions(
    client, db: AsyncSession, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    s = await staff(db, settings)
    token = s.crowd.confirmed[0].checkin_token
    page_url = "/manage/events/rare-earths-round-table/checkin"
    await sign_in(client, settings, s.desk)
    assert (await client.get(page_url)).status_code == 403
    client.headers.update(bearer(s.desk_token))
    await client.post(f"{BASE}/checkins", json=body(token, desk="Desk <1>"))
    await client.post(
        f"{BASE}/checkins",
        json=body(token, desk="Desk 2", offline=True, scanned_at="2020-01-01T09:00:00+05:00"),
    )
    await client.post(f"{BASE}/checkins", json=body(token, session_id=s.crowd.round_table.id))
    del client.headers["Authorization"]
    await sign_in(client, settings, s.organiser)
    page = await client.get(page_url)
    assert page.status_code == 200
    html = page.text
    assert 'data-count="checked_in">1<' in html and 'data-count="confirmed">4<' in html
    assert "Desk 2" in html and "Сәрсенбаева 0" in html
    assert "<script>" not in html and "/static/js/checkin-live.js" in html
    assert "Round table" in html
    assert (await client.get("/static/js/checkin-live.js")).status_code == 200
    german = await client.get(page_url + "?lang=de")
    assert "Doppelte Einlässe" in german.text
    assert await rows(db, CheckIn) == 2


async def test_a_scan_looks_its_event_up_once(client, db: AsyncSession, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    s = await staff(db, settings)
    client.headers.update(bearer(s.desk_token))
    async with statements_seen(client.app.state.engine) as statements:
        answer = await client.post(
            f"{BASE}/checkins", json=body(s.crowd.confirmed[1].checkin_token)
        )
    assert answer.json()["status"] == "ok"
    assert len([s for s in statements if "FROM events WHERE" in s]) == 1, statements
