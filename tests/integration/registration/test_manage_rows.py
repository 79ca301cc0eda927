"""The registration list's row actions: the same POST answers a redirect back to the list without
``HX-Request`` and, with it, the row with its new status and the totals (out of band); an action
the registration refuses comes back as the row with the error (422) and changes nothing."""

from __future__ import annotations

import re

from sqlalchemy.ext.asyncio import AsyncSession

from events.registration import services
from events.registration.models import RegistrationSettings
from events.settings import Settings
from tests.accounts_support import sign_in
from tests.integration.registration.test_manage_pages import (
    PAGES,
    SLUG,
    audit_actions,
    ids_by_email,
    seed,
    status_of,
)
from tests.unit.registration.factories import person

HX = {"HX-Request": "true"}


def totals(text: str) -> dict[str, int]:
    block = re.search(r'<ul id="registration-totals"[^>]*>(.*?)</ul>', text, re.S)
    assert block is not None
    return {k: int(v) for k, v in re.findall(r"<li>([^:<]+): <strong>(\d+)</strong>", block[1])}


async def pending_registration(db: AsyncSession, settings: Settings) -> int:
    from sqlalchemy import select

    rs = await db.scalar(select(RegistrationSettings).execution_options(populate_existing=True))
    assert rs is not None
    rs.approval_required = True
    await services.register(db, settings, SLUG, person(7))
    await db.commit()
    return (await ids_by_email(db))["aigerim7@example.kz"]


async def test_the_list_has_row_actions_that_work_without_javascript(
    client, db: AsyncSession, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    staff = await seed(db, settings, 2, capacity=5)
    pending = await pending_registration(db, settings)
    csrf = await sign_in(client, settings, staff.organiser)
    page = await client.get(PAGES, params={"status": "pending"})
    row = re.search(rf'<tr id="registration-{pending}">.*?</tr>', page.text, re.S)
    assert row is not None
    assert f'action="{PAGES.replace("{", "")}/{pending}/approve"' in row[0]
    assert f'hx-post="/manage/events/{SLUG}/registrations/{pending}/approve"' in row[0]
    assert 'name="back" value="status=pending"' in row[0]
    response = await client.post(
        f"{PAGES}/{pending}/approve",
        data={"csrf_token": csrf, "back": "status=pending&evil=1"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "HX-Request" in response.headers["vary"]
    # Back to the same list view (only its own parameters), with the message and the row.
    assert response.headers["location"] == (
        f"/manage/events/{SLUG}/registrations?status=pending&notice=approve#registration-{pending}"
    )
    assert await status_of(db, pending) == "confirmed"
    back = await client.get(response.headers["location"])
    assert "The registration was approved." in back.text


async def test_an_htmx_action_answers_the_row_and_the_totals(
    client, db: AsyncSession, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    staff = await seed(db, settings, 2, capacity=5)
    pending = await pending_registration(db, settings)
    csrf = await sign_in(client, settings, staff.organiser)
    before = totals((await client.get(PAGES)).text)
    assert before["Awaiting approval"] == 1 and before["Confirmed"] == 2
    response = await client.post(
        f"{PAGES}/{pending}/approve", data={"back": "status=pending"},
        headers={**HX, "X-CSRF-Token": csrf},
    )  # fmt: skip
    assert response.status_code == 200
    assert "HX-Request" in response.headers["vary"]
    text = response.text
    assert text.lstrip().startswith(f'<tr id="registration-{pending}">'), text[:200]
    assert "<html" not in text and "<table" not in text
    row = re.search(rf'<tr id="registration-{pending}">.*?</tr>', text, re.S)
    assert row is not None and "status-confirmed" in row[0]
    assert "/approve" not in row[0]  # nothing left to approve
    assert 'name="back" value="status=pending"' in row[0]
    assert 'hx-swap-oob="true"' in text
    after = totals(text)
    assert after["Awaiting approval"] == 0 and after["Confirmed"] == 3
    assert '<div id="registrations-status" hx-swap-oob="innerHTML"><p class="notice">' in text
    assert "The registration was approved." in text
    assert await status_of(db, pending) == "confirmed"
    cancelled = await client.post(
        f"{PAGES}/{pending}/cancel", data={"csrf_token": csrf}, headers=HX
    )
    assert cancelled.status_code == 200 and "The registration was cancelled." in cancelled.text
    assert totals(cancelled.text)["Cancelled"] == 1
    assert await status_of(db, pending) == "cancelled"
    assert [(a, d["to"]) for a, _t, d in await audit_actions(db)] == [
        ("registration.approve", "confirmed"), ("registration.cancel", "cancelled"),
    ]  # fmt: skip


async def test_a_refused_htmx_action_answers_the_row_with_the_error_and_changes_nothing(
    client, db: AsyncSession, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    staff = await seed(db, settings, 3, capacity=1)
    ids = await ids_by_email(db)
    waiting = ids["aigerim1@example.kz"]
    csrf = await sign_in(client, settings, staff.organiser)
    # No seat is free: promoting needs "even past capacity", which the row does not offer.
    full = await client.post(
        f"{PAGES}/{waiting}/promote", data={"csrf_token": csrf, "back": ""}, headers=HX
    )
    assert full.status_code == 422
    row = re.search(rf'<tr id="registration-{waiting}">.*?</tr>', full.text, re.S)
    assert row is not None
    assert 'class="field-error" role="alert"' in row[0] and "fully booked" in row[0]
    assert f'href="/manage/events/{SLUG}/registrations/{waiting}"' in row[0]
    assert "The registration was" not in full.text
    assert await status_of(db, waiting) == "waitlisted"
    # An action its status does not allow, and an unknown one.
    confirmed = ids["aigerim0@example.kz"]
    again = await client.post(f"{PAGES}/{confirmed}/approve", data={"csrf_token": csrf}, headers=HX)
    assert again.status_code == 422 and 'class="field-error"' in again.text
    unknown = await client.post(
        f"{PAGES}/{confirmed}/explode", data={"csrf_token": csrf}, headers=HX
    )
    assert unknown.status_code == 422 and "Unknown action." in unknown.text
    # Without the CSRF token, refused before anything happens.
    assert (await client.post(f"{PAGES}/{confirmed}/cancel", headers=HX)).status_code == 403
    assert await status_of(db, confirmed) == "confirmed"
    assert await audit_actions(db) == []
