"""Hostile input into every public form and API field: a 4xx naming the field or a clean success,
nothing stored on failure, and wherever an accepted value is shown it is inert."""

from __future__ import annotations

import email
import email.policy
import re
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from events.mail import sender
from events.mail.compose import resolve_attachments
from events.mail.models import OutboxMessage
from events.registration.models import Registration
from tests.integration.registration.test_public import SLUG, form, post
from tests.unit.registration.factories import open_event

API = f"/api/v1/events/{SLUG}/registrations"

SCRIPT = "<script>alert(1)</script>"
HOSTILE: dict[str, str] = {
    "long": "Ж" * 20000,
    "control": "a\x01b\x07c\x1bd",
    "nul": "Ай\x00гер",
    "rtl": "abc\u202egpj.exe",
    "emoji": "Айгерім 👩‍🔬🇰🇿",
    "html": f'"><img src=x onerror=alert(1)>{SCRIPT}',
    "sql": "Robert'); DROP TABLE registrations;--",
    "formula": '=HYPERLINK("http://evil","x")',
    "formula_plus": "+cmd|' /C calc'!A0",
}
TEXT_FIELDS = ["given_name", "family_name", "organisation", "position", "dietary"]


@pytest.fixture(autouse=True)
def _no_in_app_sender(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTS_MAIL_IN_APP", "0")


async def count(db: AsyncSession, model: type) -> int:  # type: ignore[type-arg]
    db.expire_all()
    number = int(await db.scalar(select(func.count()).select_from(model)) or 0)
    await db.commit()
    return number


def inert_html(html: str) -> None:
    assert SCRIPT not in html
    assert "<img src=x" not in html
    assert "\x00" not in html and "\x01" not in html and "\u202e" not in html


def api_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "given_name": "Айгерім", "family_name": "Сәрсенбаева", "email": "a@example.kz",
        "organisation": "KIU", "country": "KZ", "category": "participant", "language": "kk",
        "consent": True, "answers": {},
    }  # fmt: skip
    body.update(changes)
    return body


async def test_api_refuses_bad_values_naming_the_field_and_stores_nothing(
    client, db: AsyncSession
) -> None:
    await open_event(db, capacity=None)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"email": "a\x00b@example.kz"}, "email"),
        ({"email": "a@example.kz\r\nBcc: x@evil.org"}, "email"),
        ({"email": f"{SCRIPT}@example.kz"}, "email"),
        ({"country": "'; DROP TABLE x;--"}, "country"),
        ({"language": "\u202ekk"}, "language"),
        ({"category": "=1+1"}, "category"),
        ({"given_name": "\x00\x01"}, "given_name"),
        ({"given_name": 5}, "given_name"),
        ({"consent": "yes please"}, "consent"),
        ({"answers": ["not", "a", "map"]}, "answers"),
    ]
    for changes, field in cases:
        response = await client.post(API, json=api_body(**changes))
        assert 400 <= response.status_code < 500, (changes, response.text)
        body = response.json()
        named = f"{body.get('field')} {body.get('message')} {body.get('extra')}"
        assert field in named, (changes, body)
    huge = await client.post(API, content=b'{"given_name": "' + b"x" * (11 * 2**20) + b'"}',
                             headers={"Content-Type": "application/json"})  # fmt: skip
    assert huge.status_code == 413
    assert await count(db, Registration) == 0
    assert await count(db, OutboxMessage) == 0


@pytest.mark.parametrize("kind", sorted(HOSTILE))
async def test_accepted_values_are_inert_wherever_shown(
    client, admin_client, db: AsyncSession, kind: str
) -> None:
    await open_event(db, capacity=None)
    value = HOSTILE[kind]
    response = await post(
        client, f"/e/{SLUG}/register?lang=en",
        data=form(**dict.fromkeys(TEXT_FIELDS, value), email=f"{kind}@example.kz"),
    )  # fmt: skip
    assert response.status_code == 303, response.text[:500]
    token = re.search(r"/r/([A-Za-z0-9_-]+)/done", response.headers["location"]).group(1)

    (registration,) = list(await db.scalars(select(Registration)))
    await db.commit()
    for name in TEXT_FIELDS:
        stored = getattr(registration, name)
        assert "\x00" not in stored and "\x01" not in stored and "\u202e" not in stored
        assert len(stored) <= 2000

    inert_html((await client.get(f"/r/{token}")).text)
    inert_html((await client.get(response.headers["location"])).text)

    csv = (await admin_client.get(f"{API}.csv")).text
    for cell in re.split(r"[,\n]", csv):
        assert not cell.strip('"').startswith(("=", "+", "@")), cell

    (mail,) = list(await db.scalars(select(OutboxMessage)))
    await db.commit()
    inert_html(mail.html_body)
    assert "\n" not in mail.subject and "\r" not in mail.to_name and "\n" not in mail.to_name
    # The .eml as sent: the name cannot smuggle headers or another address.
    attachments = await resolve_attachments(db, mail.attachments or [])
    eml = bytes(sender.build_message(mail, "events@example.org", attachments))
    parsed = email.message_from_bytes(eml, policy=email.policy.default)
    assert [a.addr_spec for a in parsed["To"].addresses] == [f"{kind}@example.kz"]
    assert parsed["Bcc"] is None and b"\x00" not in eml


async def test_lost_link_login_and_manage_token_pages_take_hostile_input(client, db) -> None:  # type: ignore[no-untyped-def]
    await open_event(db)
    for value in HOSTILE.values():
        response = await post(client, f"/e/{SLUG}/register/link", data={"email": value})
        assert response.status_code in (200, 400, 429), response.status_code
        inert_html(response.text)
        login = await post(client, "/login", data={"email": value, "password": value})
        assert 200 <= login.status_code < 500 and login.status_code != 303
        inert_html(login.text)
    for token in ("%00", "x" * 5000, "<script>", "'%20OR%201=1--", "\u202e"):
        page = await client.get(f"/r/{token}")
        assert page.status_code in (400, 404), (token, page.status_code)
        inert_html(page.text)
    assert await count(db, OutboxMessage) == 0


async def test_agenda_writes_as_organiser_answer_4xx_or_store_inert_text(
    admin_client, client
) -> None:
    from tests.integration.agenda.test_api import BASE, create_event

    await create_event(admin_client)
    for value in HOSTILE.values():
        response = await admin_client.post(
            f"{BASE}/speakers", json={"given_name": value, "family_name": value}
        )
        assert response.status_code in (200, 201, 400, 422), (value[:20], response.text[:300])
        if response.status_code >= 400:
            assert response.json().get("field") or response.json().get("extra")
    page = await admin_client.get("/e/german-kazakh-science-day-2023/programme")
    if page.status_code == 200:
        inert_html(page.text)
