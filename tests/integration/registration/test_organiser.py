"""The organiser's registration API: lists, actions, exports, imports, invitations, settings."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events.agenda.models import Event
from events.mail.models import OutboxMessage
from events.registration import admin, services
from events.registration.models import Registration
from events.settings import Settings
from tests.unit.registration.factories import open_event, person

SLUG = "rare-earths-round-table"
API = f"/api/v1/events/{SLUG}"


async def seed(db: AsyncSession, settings: Settings, count: int = 3, **options) -> None:  # type: ignore[no-untyped-def]
    await open_event(db, **options)
    for n in range(count):
        await services.register(db, settings, SLUG, person(n))
    await db.commit()


async def test_list_search_filter(client, db: AsyncSession, settings: Settings) -> None:
    await seed(db, settings, 3, capacity=2)
    everyone = (await client.get(f"{API}/registrations")).json()
    assert len(everyone) == 3
    waiting = (await client.get(f"{API}/registrations", params={"status": "waitlisted"})).json()
    assert [r["email"] for r in waiting] == ["aigerim2@example.kz"]
    found = (await client.get(f"{API}/registrations", params={"q": "АЙГЕРІМ"})).json()
    assert len(found) == 3
    found = (await client.get(f"{API}/registrations", params={"q": "aigerim1@"})).json()
    assert [r["email"] for r in found] == ["aigerim1@example.kz"]


async def test_actions(client, db: AsyncSession, settings: Settings) -> None:
    await seed(db, settings, 3, capacity=1)
    regs = (await client.get(f"{API}/registrations")).json()
    by_email = {r["email"]: r["id"] for r in regs}
    full = await client.post(f"{API}/registrations/{by_email['aigerim2@example.kz']}/promote")
    assert full.status_code == 409 and full.json()["code"] == "capacity_full"
    forced = await client.post(
        f"{API}/registrations/{by_email['aigerim2@example.kz']}/promote", params={"force": "true"}
    )
    assert forced.status_code == 200 and forced.json()["status"] == "confirmed"
    cancelled = await client.post(f"{API}/registrations/{by_email['aigerim0@example.kz']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    rejected = await client.post(f"{API}/registrations/{by_email['aigerim1@example.kz']}/reject")
    assert rejected.json()["status"] == "rejected"
    resend = await client.post(f"{API}/registrations/{by_email['aigerim2@example.kz']}/resend")
    assert resend.status_code == 200
    not_pending = await client.post(
        f"{API}/registrations/{by_email['aigerim2@example.kz']}/approve"
    )
    assert not_pending.status_code == 409
    data = await client.get(f"{API}/registrations/{by_email['aigerim2@example.kz']}/data")
    assert data.json()["email"] == "aigerim2@example.kz"
    assert data.json()["event"] == SLUG
    assert (await client.get(f"{API}/registrations/999999")).status_code == 404


async def test_exports_neutralise_formulas(client, db: AsyncSession, settings: Settings) -> None:
    await open_event(db)
    await services.register(db, settings, SLUG, person(1, organisation='=HYPERLINK("x")'))
    await services.register(db, settings, SLUG, person(2, given_name="+Jürgen", family_name="Groß"))
    await db.commit()
    text = (await client.get(f"{API}/registrations.csv")).content.decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert {r["organisation"] for r in table} >= {'\'=HYPERLINK("x")'}
    assert {r["given_name"] for r in table} >= {"'+Jürgen"}
    assert "Groß" in text
    response = await client.get(f"{API}/registrations.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert '\'=HYPERLINK("x")' in values and "'+Jürgen" in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)


async def test_import_dry_run_reports_every_bad_row(client, db: AsyncSession) -> None:
    await open_event(db, capacity=2)
    body = (
        "given_name,family_name,email,organisation,country,category\n"
        "Jürgen,Groß,jurgen@example.de,TU Berlin,DE,speaker\n"
        ",Wójcik,not-an-email,AGH,PL,participant\n"
        "Айгерім,Сәрсенбаева,aigerim@example.kz,KarIU,QQ,astronaut\n"
        "Anna,Nowak,anna@agh.edu.pl,AGH,PL,participant\n"
        "Ivan,Petrov,ivan@example.ru,MSU,RU,guest\n"
    )
    report = (await client.post(f"{API}/registrations/import?dry_run=true", content=body)).json()
    problems = {(p["line"], p["field"]) for p in report["problems"]}
    assert problems == {(3, "given_name"), (3, "email"), (4, "country"), (4, "category")}
    assert report["imported"] == 0
    refused = (await client.post(f"{API}/registrations/import?dry_run=false", content=body)).json()
    assert refused["imported"] == 0
    good = "\n".join(line for i, line in enumerate(body.splitlines()) if i not in (2, 3)) + "\n"
    done = (await client.post(f"{API}/registrations/import?dry_run=false", content=good)).json()
    assert done["imported"] == 3 and done["problems"] == []
    statuses = sorted(r["status"] for r in (await client.get(f"{API}/registrations")).json())
    assert statuses == ["confirmed", "confirmed", "waitlisted"]
    broken = await client.post(f"{API}/registrations/import", content="name\nx\n")
    assert broken.status_code == 422 and broken.json()["field"] == "file"


async def test_invitations(client, db: AsyncSession, settings: Settings) -> None:
    await open_event(db, invitation_only=True)
    created = await client.post(
        f"{API}/invitations",
        json={
            "email": "Minister@Gov.kz",
            "given_name": "Асқар",
            "category": "guest",
            "language": "kk",
        },
    )
    assert created.status_code == 201, created.text
    url = created.json()["url"]
    assert "invitation=" in url
    again = await client.post(f"{API}/invitations", json={"email": "minister@gov.kz"})
    assert again.status_code == 409
    report = (
        await client.post(
            f"{API}/invitations/import?dry_run=false",
            content="email,given_name,category,language\nrector@agh.edu.pl,Jerzy,delegation,en\n",
        )
    ).json()
    assert report["imported"] == 1
    bad = (
        await client.post(
            f"{API}/invitations/import?dry_run=true", content="email\nbroken\nok@example.org\n"
        )
    ).json()
    assert [(p["line"], p["field"]) for p in bad["problems"]] == [(2, "email")]
    assert (await client.post(f"{API}/invitations/remind")).json() == {"reminded": 2}
    listed = (await client.get(f"{API}/invitations")).json()
    assert len(listed) == 2
    # The invitation link lets the invited person register although registration is invite-only.
    token = url.split("invitation=")[1].split("&")[0]
    form = {"form_token": "t", "given_name": "Асқар", "family_name": "Сейіт"}
    form |= {"email": "minister@gov.kz", "country": "KZ", "language": "kk", "consent": "1"}
    form["invitation"] = token
    response = await client.post(f"/e/{SLUG}/register", data=form, follow_redirects=False)
    assert response.status_code == 303
    mails = list(await db.scalars(select(OutboxMessage.kind)))
    assert mails.count("invitation.invitation") == 2 and mails.count("invitation.reminder") == 2


async def test_settings_crud_and_capacity_growth_promotes(
    client, db: AsyncSession, settings: Settings
) -> None:
    await seed(db, settings, 3, capacity=1)
    current = (await client.get(f"{API}/registration-settings")).json()
    assert (current["confirmed"], current["waitlisted"]) == (1, 2)
    body = {
        "capacity": 2,
        "public_categories": {"participant": "#2563eb"},
        "privacy_notice": {"en": "Notice", "kk": "Хабарлама"},
        "questions": [
            {"kind": "text", "label": {"en": "Topic?"}, "required": True},
            {
                "kind": "single",
                "label": {"en": "Day?"},
                "options": [{"value": "1", "label": {"en": "One"}}],
            },
        ],
    }
    updated = await client.put(f"{API}/registration-settings", json=body)
    assert updated.status_code == 200, updated.text
    assert (updated.json()["confirmed"], updated.json()["waitlisted"]) == (2, 1)
    assert [q["kind"] for q in updated.json()["questions"]] == ["text", "single"]
    bad = await client.put(
        f"{API}/registration-settings",
        json={
            **body,
            "capacity": -1,
            "privacy_notice": {},
            "questions": [{"kind": "x", "label": {}}],
        },
    )
    assert bad.status_code == 422
    assert {"capacity", "privacy_notice", "questions.0.kind"} <= set(bad.json()["extra"]["errors"])
    assert (await client.delete(f"{API}/registration-settings")).status_code == 204
    closed = await client.get(f"/e/{SLUG}/register")
    assert "not open" in closed.text


async def test_purge_anonymises_an_ended_event(db: AsyncSession, settings: Settings) -> None:
    await seed(db, settings, 2)
    event = await db.scalar(select(Event))
    assert event is not None
    import pytest

    from events.errors import DomainError

    with pytest.raises(DomainError):
        await admin.purge(db, SLUG, 30)
    event.ends_at = datetime.now(UTC) - timedelta(days=40)
    await db.flush()
    assert await admin.purge(db, SLUG, 30) == 2
    await db.commit()
    for r in await db.scalars(select(Registration)):
        assert r.email.endswith("@invalid") and r.given_name == "—" and r.anonymised_at
    assert list(await db.scalars(select(OutboxMessage))) == []


@pytest.fixture
async def client(admin_client):  # type: ignore[no-untyped-def]
    """These are organiser actions: the client carries an admin's bearer token."""
    return admin_client


async def test_the_organiser_api_refuses_anonymous_callers(app) -> None:  # type: ignore[no-untyped-def]
    from litestar.testing import AsyncTestClient

    async with AsyncTestClient(app=app, base_url="http://testserver.local") as anonymous:
        response = await anonymous.get("/api/v1/events/any-event/registrations")
    assert response.status_code == 401
