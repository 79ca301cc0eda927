"""axe-core in Chromium on the main public and organiser pages: no serious or critical violation.

axe-core is vendored under tests/e2e/vendor/axe-core (its licence beside it;
``sh tests/e2e/vendor/update-axe.sh VERSION`` refreshes it from npm). To check a new page, add
its path to PUBLIC_PAGES or STAFF_PAGES below ({slug}, {room} are filled in); a page that needs
a state first (a form with errors) goes into STATES with the steps that reach it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events.accounts import services as accounts
from events.accounts.security import hash_password
from events.agenda.models import Event, Room
from events.demo.loader import load_demo
from tests.e2e.support import launch, live_server, new_settings, run_db, sign_in

pytestmark = pytest.mark.browser
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SLUG = "rare-earths-round-table"
ADMIN, PASSWORD = "admin@example.org", "correct horse battery"
BLOCKING = {"serious", "critical"}

# Pages anyone may see.
PUBLIC_PAGES = [
    "/",
    "/e/{slug}",
    "/e/{slug}/programme",
    "/e/{slug}/register",
    "/login",
]
# Pages for signed-in staff (the test signs in as an admin).
STAFF_PAGES = [
    "/manage",
    "/manage/events/new",
    "/manage/events/{slug}",
    "/manage/events/{slug}/edit",
    "/manage/events/{slug}/delete",
    "/manage/events/{slug}/rooms/{room}/delete",
    "/manage/events/{slug}/preview",
    "/manage/events/{slug}/preview/programme",
    "/manage/events/{slug}/agenda",
    "/manage/events/{slug}/agenda/sessions/new",
    "/manage/events/{slug}/speakers",
    "/manage/events/{slug}/speakers/new",
    "/manage/events/{slug}/checkin",
    "/manage/events/{slug}/registrations",
    "/manage/events/{slug}/registrations/settings",
    "/manage/events/{slug}/badges",
    "/manage/events/{slug}/summary",
    "/desk/{slug}",
    "/manage/events/{slug}/team",
    "/manage/events/{slug}/audit",
]


def _event_form_with_errors(page: Any, base: str, ids: dict[str, Any]) -> None:
    page.goto(f"{base}/manage/events/{ids['slug']}/edit")
    page.fill("#slug", "Not A Slug!")
    page.click("form.event-form button[type='submit']")


def _registration_with_errors(page: Any, base: str, ids: dict[str, Any]) -> None:
    page.goto(f"{base}/e/{ids['slug']}/register")
    page.click("main form button[type='submit']")


# (name, signed in?, steps): pages in a state reached by acting on them.
STATES: list[tuple[str, bool, Callable[[Any, str, dict[str, Any]], None]]] = [
    ("event form with errors", True, _event_form_with_errors),
    ("registration form with errors", False, _registration_with_errors),
]


async def _seed(session: AsyncSession) -> dict[str, Any]:
    await load_demo(session)
    admin = await accounts.create_user(session, ADMIN, is_admin=True)
    admin.password_hash = hash_password(PASSWORD)
    event = await session.scalar(select(Event).where(Event.slug == SLUG))
    assert event is not None
    room = await session.scalar(select(Room).where(Room.event_id == event.id))
    if room is None:
        room = Room(event_id=event.id, name="Hall")
        session.add(room)
        await session.flush()
    # The new-event page must not be the only draft: make one so drafts show on the dashboard.
    start = datetime.now(UTC) + timedelta(days=90)
    session.add(
        Event(
            slug="draft-event", title={"en": "A draft"}, kind="workshop", status="draft",
            starts_at=start, ends_at=start + timedelta(hours=3), timezone="Europe/Berlin",
            country="DE", languages=["en", "de"], default_language="en",
        )
    )  # fmt: skip
    return {"slug": SLUG, "room": room.id}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    settings, port = new_settings(tmp_path_factory.mktemp("a11y") / "var")
    ids = run_db(settings, _seed)
    with live_server(settings, port) as base, sync_playwright() as playwright:
        browser = launch(playwright, chromium_path)
        # bypass_csp lets the test inject axe; the pages themselves keep their policy.
        anonymous = browser.new_context(bypass_csp=True)
        staff = browser.new_context(bypass_csp=True)
        sign_in(staff.new_page(), base, ADMIN, PASSWORD)
        yield base, ids, anonymous, staff
        browser.close()


def violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:5])
        for v in result
        if v.get("impact") in BLOCKING
    ]


def _check(context: Any, url: str) -> None:
    page = context.new_page()
    try:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        assert violations(page) == [], url
    finally:
        page.close()


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page(site: Any, path: str) -> None:
    base, ids, anonymous, _staff = site
    _check(anonymous, base + path.format(**ids))


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_page(site: Any, path: str) -> None:
    base, ids, _anonymous, staff = site
    _check(staff, base + path.format(**ids))


@pytest.mark.parametrize(("name", "signed_in", "steps"), STATES, ids=[s[0] for s in STATES])
def test_page_in_a_state(site: Any, name: str, signed_in: bool, steps: Any) -> None:
    base, ids, anonymous, staff = site
    page = (staff if signed_in else anonymous).new_page()
    try:
        steps(page, base, ids)
        assert page.locator("[aria-invalid='true']").count() > 0, name
        assert violations(page) == [], name
    finally:
        page.close()


def test_the_check_finds_a_known_violation(site: Any) -> None:
    """Guard against a silent harness: an unlabelled field and poor contrast are reported."""
    base, _ids, anonymous, _staff = site
    page = anonymous.new_page()
    try:
        page.goto(base + "/login")
        page.evaluate(
            """() => {
                const main = document.querySelector('main');
                const field = document.createElement('input');
                field.type = 'text';
                main.appendChild(field);
                const faint = document.createElement('p');
                faint.textContent = 'faint text';
                faint.style.color = '#eeeeee';
                main.appendChild(faint);
            }"""
        )
        found = " ".join(violations(page))
        assert "label" in found and "color-contrast" in found
    finally:
        page.close()
