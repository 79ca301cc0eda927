"""The desk without JavaScript: desk name in a cookie, typed tokens, search, walk-ins."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events.checkin.queries import checked_in_registration_ids
from events.registration import services
from events.registration.models import Registration
from events.settings import Settings
from tests.accounts_support import make_people, sign_in
from tests.unit.registration.factories import open_event, person

pytestmark = pytest.mark.usefixtures("backend")
SLUG = "rare-earths-round-table"


async def _setup(client, db: AsyncSession, settings: Settings) -> tuple[str, Registration, int]:  # type: ignore[no-untyped-def]
    people = await make_people(db)
    event = await open_event(db, SLUG, capacity=None)
    await services.register(db, settings, SLUG, person(1, given_name="Dana"))
    await db.commit()
    registration = await db.scalar(select(Registration))
    assert registration is not None
    await db.commit()  # SQLite: no transaction of ours may stay open while the app writes
    csrf = await sign_in(client, settings, people.admin)
    return csrf, registration, event.id


async def test_typed_token_without_javascript(  # type: ignore[no-untyped-def]
    client, db: AsyncSession, settings: Settings
) -> None:
    csrf, registration, event_id = await _setup(client, db, settings)
    form = {"csrf_token": csrf, "nonce": "nonce-no-js-1", "token": registration.checkin_token}
    # No desk name yet: refused, naming the field.
    refused = await client.post(f"/desk/{SLUG}/scan", data=form)
    assert refused.status_code == 422
    named = await client.post(
        f"/desk/{SLUG}/desk-name", data={"csrf_token": csrf, "desk": "Desk <2>"},
        follow_redirects=False,
    )  # fmt: skip
    assert named.status_code == 303
    page = await client.get(f"/desk/{SLUG}")
    assert 'value="Desk &lt;2&gt;"' in page.text

    first = await client.post(f"/desk/{SLUG}/scan", data=form)
    assert first.status_code == 200
    assert 'data-kind="ok"' in first.text and "Welcome" in first.text and "Dana" in first.text
    # The same form posted again answers the same and records nothing new.
    again = await client.post(f"/desk/{SLUG}/scan", data=form)
    assert 'data-kind="ok"' in again.text
    second = await client.post(f"/desk/{SLUG}/scan", data={**form, "nonce": "nonce-no-js-2"})
    assert 'data-kind="warn"' in second.text
    assert "Desk &lt;2&gt;" in second.text and "Desk <2>" not in second.text
    unknown = await client.post(
        f"/desk/{SLUG}/scan", data={**form, "nonce": "nonce-no-js-3", "token": "nobody"}
    )
    assert 'data-kind="bad"' in unknown.text and 'data-status="unknown"' in unknown.text
    await db.rollback()
    assert await checked_in_registration_ids(db, event_id) == {registration.id}


async def test_search_and_walk_in_without_javascript(  # type: ignore[no-untyped-def]
    client, db: AsyncSession, settings: Settings
) -> None:
    csrf, registration, event_id = await _setup(client, db, settings)
    await client.post(f"/desk/{SLUG}/desk-name", data={"csrf_token": csrf, "desk": "North"})
    found = await client.get(f"/desk/{SLUG}", params={"q": "Dana"})
    assert "Dana" in found.text
    assert f'name="registration_id" value="{registration.id}"' in found.text
    nonce = re.search(r'name="nonce" value="([^"]+)"', found.text)
    assert nonce
    checked = await client.post(
        f"/desk/{SLUG}/scan",
        data={
            "csrf_token": csrf,
            "nonce": nonce.group(1) + "x",
            "registration_id": registration.id,
        },
    )
    assert 'data-kind="ok"' in checked.text

    walk_in = await client.post(
        f"/desk/{SLUG}/walk-in",
        data={
            "csrf_token": csrf, "nonce": "walk-in-no-js-1", "given_name": "Jürgen",
            "family_name": "Groß", "organisation": "=cmd|x", "country": "DE",
            "category": "participant", "email": "",
        },
    )  # fmt: skip
    assert walk_in.status_code == 200
    assert 'data-kind="ok"' in walk_in.text and "Jürgen Groß" in walk_in.text
    badge = re.search(rf'href="(/desk/{SLUG}/badges/\d+\.pdf)"', walk_in.text)
    assert badge
    pdf = await client.get(badge.group(1))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    await db.rollback()
    assert len(await checked_in_registration_ids(db, event_id)) == 2
    await db.rollback()

    missing = await client.post(
        f"/desk/{SLUG}/walk-in",
        data={"csrf_token": csrf, "nonce": "walk-in-no-js-2", "given_name": "A"},
    )
    assert missing.status_code in (400, 422)
