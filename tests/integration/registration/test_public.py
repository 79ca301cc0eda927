"""The public registration form, the manage link and the JSON endpoint, over HTTP."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events.mail.models import OutboxMessage
from events.registration.models import Registration
from tests.unit.registration.factories import open_event

SLUG = "rare-earths-round-table"


def form(**changes: str) -> dict[str, str]:
    values = {
        "form_token": "tok-1",
        "given_name": "Айгерім",
        "family_name": "Сәрсенбаева",
        "email": "aigerim@example.kz",
        "organisation": "Karaganda Industrial University",
        "country": "KZ",
        "category": "participant",
        "language": "kk",
        "consent": "1",
    }
    values.update(changes)
    return values


async def post(client, url: str, **kwargs):  # type: ignore[no-untyped-def]
    return await client.post(url, follow_redirects=False, **kwargs)


async def rows(db: AsyncSession, model: type) -> list:  # type: ignore[type-arg]
    db.expire_all()
    result = list(await db.scalars(select(model).order_by(model.id)))
    await db.commit()
    return result


async def test_form_in_kazakh_with_countries_and_organisations(client, db: AsyncSession) -> None:
    await open_event(db, questions=True)
    response = await client.get(f"/e/{SLUG}/register?lang=kk")
    assert response.status_code == 200
    html = response.text
    assert 'lang="kk"' in html
    assert "Қазақстан" in html  # Babel's Kazakh name for Kazakhstan
    assert 'name="form_token"' in html
    assert "<datalist" in html
    assert "Қай сессия?" in html
    assert "We keep your data until the event ends." in html


async def test_submit_confirms_redirects_and_double_submit_makes_one(
    client, db: AsyncSession
) -> None:
    await open_event(db)
    first = await post(client, f"/e/{SLUG}/register?lang=kk", data=form())
    second = await post(client, f"/e/{SLUG}/register?lang=kk", data=form())
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert len(await rows(db, Registration)) == 1
    done = await client.get(first.headers["location"])
    assert done.status_code == 200
    assert 'data-status="confirmed"' in done.text
    token = re.search(r"/r/([A-Za-z0-9_-]+)/done", first.headers["location"]).group(1)
    assert f"/r/{token}" in done.text
    mails = await rows(db, OutboxMessage)
    assert len(mails) == 1 and mails[0].language == "kk"


async def test_errors_are_shown_next_to_each_field(client, db: AsyncSession) -> None:
    await open_event(db)
    response = await post(
        client, f"/e/{SLUG}/register", data=form(email="nope", consent="", given_name="")
    )
    assert response.status_code == 422
    for field in ("email", "consent", "given_name"):
        assert f'id="{field}-error"' in response.text
    assert await rows(db, Registration) == []
    # What was typed stays in the form, escaped.
    response = await post(
        client, f"/e/{SLUG}/register", data=form(organisation='"><script>x</script>', country="")
    )
    assert "<script>x</script>" not in response.text
    assert "&#34;&gt;&lt;script&gt;" in response.text or "&quot;&gt;&lt;script&gt;" in response.text


async def test_duplicate_address_gets_a_clear_message(client, db: AsyncSession) -> None:
    await open_event(db)
    await post(client, f"/e/{SLUG}/register", data=form())
    again = await post(client, f"/e/{SLUG}/register", data=form(form_token="tok-2"))
    assert again.status_code == 409
    assert "already registered" in again.text
    assert f"/e/{SLUG}/register/link" in again.text


async def test_manage_link_shows_corrects_cancels_and_promotes(client, db: AsyncSession) -> None:
    await open_event(db, capacity=1)
    first = await post(client, f"/e/{SLUG}/register", data=form())
    await post(
        client,
        f"/e/{SLUG}/register",
        data=form(form_token="t2", email="jurgen@example.de", language="de"),
    )
    token = first.headers["location"].split("/")[2]
    page = await client.get(f"/r/{token}?lang=en")
    assert page.status_code == 200 and "Сәрсенбаева" in page.text
    saved = await post(
        client, f"/r/{token}", data={**form(), "family_name": "Groß", "language": "de"}
    )
    assert saved.status_code == 303
    calendar = await client.get(f"/r/{token}/calendar.ics")
    assert calendar.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in calendar.text and "TZID=Asia/Almaty" in calendar.text
    confirm = await client.get(f"/r/{token}/cancel?lang=kk")
    assert confirm.status_code == 200 and 'method="post"' in confirm.text
    cancelled = await post(client, f"/r/{token}/cancel")
    assert cancelled.status_code == 303
    registrations = await rows(db, Registration)
    assert [(r.family_name, r.status) for r in registrations] == [
        ("Groß", "cancelled"),
        ("Сәрсенбаева", "confirmed"),
    ]
    kinds = [(m.to_address, m.kind) for m in await rows(db, OutboxMessage)]
    assert ("jurgen@example.de", "registration.promoted") in kinds
    assert (await client.get("/r/not-a-real-token")).status_code == 404


async def test_send_my_link_again_says_the_same_either_way(client, db: AsyncSession) -> None:
    await open_event(db)
    await post(client, f"/e/{SLUG}/register", data=form())
    known = await post(client, f"/e/{SLUG}/register/link", data={"email": "aigerim@example.kz"})
    unknown = await post(client, f"/e/{SLUG}/register/link", data={"email": "x@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert known.text == unknown.text
    mails = await rows(db, OutboxMessage)
    assert [m.kind for m in mails] == ["registration.confirmed", "registration.link"]


async def test_json_registration_contract(client, db: AsyncSession) -> None:
    await open_event(db, capacity=1)
    body = {
        "given_name": "Łukasz",
        "family_name": "Wójcik",
        "email": "lukasz@agh.edu.pl",
        "organisation": "AGH",
        "country": "PL",
        "category": "participant",
        "language": "en",
        "consent": True,
        "answers": {},
        "idempotency_key": "k1",
    }
    created = await post(client, f"/api/v1/events/{SLUG}/registrations", json=body)
    assert created.status_code == 201, created.text
    answer = created.json()
    assert answer["status"] == "confirmed"
    assert answer["manage_url"].startswith("http://testserver.local/r/")
    replay = await post(client, f"/api/v1/events/{SLUG}/registrations", json=body)
    assert replay.status_code == 200 and replay.json()["manage_url"] == answer["manage_url"]
    duplicate = await post(
        client, f"/api/v1/events/{SLUG}/registrations", json={**body, "idempotency_key": "k2"}
    )
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "already_registered"
    waiting = await post(
        client,
        f"/api/v1/events/{SLUG}/registrations",
        json={**body, "email": "other@agh.edu.pl", "idempotency_key": None},
    )
    assert waiting.status_code == 201 and waiting.json()["status"] == "waitlisted"
    bad = await post(
        client,
        f"/api/v1/events/{SLUG}/registrations",
        json={**body, "email": "x", "consent": False, "idempotency_key": None},
    )
    assert bad.status_code == 422
    assert set(bad.json()["extra"]["errors"]) == {"email", "consent"}
    missing = await post(client, f"/api/v1/events/{SLUG}/registrations", json={"email": "a@b.cd"})
    assert missing.status_code == 400
    unknown = await post(client, "/api/v1/events/nope/registrations", json=body)
    assert unknown.status_code == 404


async def test_public_registration_is_rate_limited_per_address(
    client, db: AsyncSession, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from events.registration import pages

    monkeypatch.setitem(pages.RATE_LIMITS, "register", 2)
    await open_event(db, capacity=10)

    def body(n: int) -> dict[str, object]:
        return {
            "given_name": "Jürgen", "family_name": f"Groß {n}", "email": f"j{n}@example.de",
            "organisation": "KIT", "country": "DE", "category": "participant",
            "language": "de", "consent": True, "answers": {},
        }  # fmt: skip

    url = f"/api/v1/events/{SLUG}/registrations"
    assert (await post(client, url, json=body(1))).status_code == 201
    assert (await post(client, url, json=body(2))).status_code == 201
    limited = await post(client, url, json=body(3))
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) > 0
    assert len(await rows(db, Registration)) == 2
