"""htmx on the organiser pages, in Chromium: moving a session (drag and drop, and the move form),
adding and deleting one, and approving a registration change only the part of the page that
changed, without reloading it (a marker set on ``window`` survives), and the change is stored.
The same actions with JavaScript turned off still work through their forms and redirects."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events.accounts import services as accounts
from events.accounts.security import hash_password
from events.agenda.models import AgendaSession, Room
from events.registration import services as registration
from events.registration.models import Registration
from events.settings import Settings
from tests.e2e.support import launch, live_server, new_settings, run_db, sign_in
from tests.unit.registration.factories import open_event, person

pytestmark = pytest.mark.browser
SLUG = "rare-earths-round-table"
EMAIL, PASSWORD = "organiser@ektu.kz", "correct horse battery"


def at(hour: int, minute: int = 0) -> datetime:
    """Öskemen local time (UTC+5) on 14 May 2030, as UTC."""
    return datetime(2030, 5, 14, hour - 5, minute, tzinfo=UTC)


async def _prepare(db: AsyncSession, settings: Settings) -> dict[str, int]:
    """Event 14 May 2030, 09:00-17:00 in Öskemen; two rooms, two sessions; two registrations
    awaiting approval; an organiser of the event."""
    event = await open_event(db, SLUG, capacity=10, approval_required=True, commit=False)
    event.starts_at, event.ends_at = at(9), at(17)
    hall = Room(event_id=event.id, name="Hall A", position=0)
    lab = Room(event_id=event.id, name="Lab 2", position=1)
    db.add_all([hall, lab])
    await db.flush()
    opening = AgendaSession(
        event_id=event.id, title={"en": "Opening"}, kind="ceremony",
        starts_at=at(9), ends_at=at(10), room_id=hall.id,
    )  # fmt: skip
    panel = AgendaSession(
        event_id=event.id, title={"en": "Critical minerals"}, kind="panel",
        starts_at=at(11), ends_at=at(12), room_id=lab.id,
    )  # fmt: skip
    db.add_all([opening, panel])
    user = await accounts.create_user(db, EMAIL)
    user.password_hash = hash_password(PASSWORD)
    await accounts.grant_role(db, user, "organiser", event.id)
    await db.commit()
    ids = {"event": event.id, "hall": hall.id, "lab": lab.id, "opening": opening.id,
           "panel": panel.id}  # fmt: skip
    for number in (1, 2):
        await registration.register(db, settings, SLUG, person(number))
    await db.commit()
    return ids


async def _state(db: AsyncSession) -> dict[str, Any]:
    sessions = {
        s.title["en"]: (s.starts_at, s.room_id) for s in await db.scalars(select(AgendaSession))
    }
    statuses = {r.email: r.status for r in await db.scalars(select(Registration))}
    return {"sessions": sessions, "registrations": statuses}


def test_htmx_swaps_the_board_and_the_row_without_reloading_the_page(
    tmp_path: Path, chromium_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("EVENTS_MAIL_IN_APP", "0")
    settings, port = new_settings(tmp_path / "var")
    ids = run_db(settings, lambda db: _prepare(db, settings))
    with live_server(settings, port) as base, sync_playwright() as playwright:
        browser = launch(playwright, chromium_path)
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        # Script errors, and anything the Content-Security-Policy refused (an inline style or an
        # eval by htmx would be). The 422 of the refused move is logged too, and expected.
        problems: list[str] = []
        page.on(
            "console",
            lambda m: (
                problems.append(m.text)
                if m.type == "error" and "Failed to load resource" not in m.text
                else None
            ),
        )
        page.on("pageerror", lambda e: problems.append(str(e)))
        sign_in(page, base, EMAIL, PASSWORD)
        agenda = f"{base}/manage/events/{SLUG}/agenda"
        page.goto(agenda)
        page.wait_for_function("window.htmx !== undefined")
        page.evaluate("window.__marker = 1")

        # Drag the opening onto 09:30 in Lab 2: the board changes, the page stays.
        target = page.locator(
            f'td[data-drop-day="2030-05-14"][data-drop-start="09:30"][data-drop-room="{ids["lab"]}"]'
        )
        page.locator(f"#session-{ids['opening']}").drag_to(target)
        expect(page.locator("#agenda-status")).to_contain_text("The session was moved.")
        assert page.evaluate("window.__marker") == 1
        assert run_db(settings, _state)["sessions"]["Opening"] == (at(9, 30), ids["lab"])

        # The move form, opened in place: a time outside the event's hours is refused next to
        # its field, then a good one is taken.
        page.locator(f"#session-{ids['panel']} a.move-link").click()
        expect(page.locator("#panel-heading")).to_contain_text("Move “Critical minerals”")
        page.fill("#f-start", "25:00")
        page.click("text=Move the session")
        expect(page.locator("#f-start-error")).to_be_visible()
        assert page.locator("#f-start").get_attribute("aria-invalid") == "true"
        assert run_db(settings, _state)["sessions"]["Critical minerals"] == (at(11), ids["lab"])
        page.fill("#f-start", "14:30")
        page.select_option("#f-room", str(ids["hall"]))
        page.click("text=Move the session")
        expect(page.locator("#agenda-status")).to_contain_text("The session was moved.")
        expect(page.locator("#panel-heading")).to_have_text("Add a session")
        assert run_db(settings, _state)["sessions"]["Critical minerals"] == (
            at(14, 30),
            ids["hall"],
        )

        # Add one from the panel, then delete it after the browser's own confirmation.
        page.fill("#f-title_en", "Lab tour")
        page.fill("#f-start", "15:00")
        page.fill("#f-end", "16:00")
        page.click("text=Create the session")
        expect(page.locator("#agenda-status")).to_contain_text("The session was created.")
        tour = page.locator("article:has(h3:text-is('Lab tour'))")
        expect(tour).to_have_count(1)
        page.once("dialog", lambda dialog: dialog.accept())
        tour.get_by_role("link", name="Delete").click()
        expect(page.locator("#agenda-status")).to_contain_text("The session was deleted.")
        expect(tour).to_have_count(0)
        assert "Lab tour" not in run_db(settings, _state)["sessions"]
        assert page.evaluate("window.__marker") == 1

        # Approve a registration on the list: its row and the totals change, the page stays.
        page.goto(f"{base}/manage/events/{SLUG}/registrations")
        page.wait_for_function("window.htmx !== undefined")
        page.evaluate("window.__marker = 2")
        row = page.locator("tr:has-text('aigerim1@example.kz')")
        expect(row).to_contain_text("Awaiting approval")
        expect(page.locator("#registration-totals")).to_contain_text("Awaiting approval: 2")
        row.get_by_role("button", name="Approve").click()
        expect(row).to_contain_text("Confirmed")
        expect(page.locator("#registration-totals")).to_contain_text("Awaiting approval: 1")
        expect(page.locator("#registrations-status")).to_contain_text(
            "The registration was approved."
        )
        assert page.evaluate("window.__marker") == 2
        assert run_db(settings, _state)["registrations"]["aigerim1@example.kz"] == "confirmed"
        assert run_db(settings, _state)["registrations"]["aigerim2@example.kz"] == "pending"
        assert not problems, problems
        browser.close()


def test_without_javascript_the_same_actions_post_and_redirect(
    tmp_path: Path, chromium_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("EVENTS_MAIL_IN_APP", "0")
    settings, port = new_settings(tmp_path / "var")
    ids = run_db(settings, lambda db: _prepare(db, settings))
    with live_server(settings, port) as base, sync_playwright() as playwright:
        browser = launch(playwright, chromium_path)
        page = browser.new_context(java_script_enabled=False).new_page()
        sign_in(page, base, EMAIL, PASSWORD)
        page.goto(f"{base}/manage/events/{SLUG}/agenda")
        page.locator(f"#session-{ids['opening']} a.move-link").click()
        page.wait_for_url(f"**/agenda/sessions/{ids['opening']}/move")
        page.fill("#f-start", "13:00")
        page.click("text=Move the session")
        page.wait_for_url("**/agenda?done=moved*")
        expect(page.locator("#agenda-status")).to_contain_text("The session was moved.")
        page.fill("#f-title_en", "Lab tour")
        page.fill("#f-start", "15:00")
        page.fill("#f-end", "16:00")
        page.click("text=Create the session")
        page.wait_for_url("**/agenda?done=created*")
        # Delete: the link opens the confirmation page, which says what goes with the session.
        page.locator("article:has(h3:text-is('Lab tour'))").get_by_role(
            "link", name="Delete"
        ).click()
        expect(page.locator("h1")).to_contain_text("Delete “Lab tour”?")
        page.click("text=Delete the session")
        page.wait_for_url("**/agenda?done=deleted")
        state = run_db(settings, _state)
        assert state["sessions"]["Opening"] == (at(13), ids["hall"])
        assert "Lab tour" not in state["sessions"]

        page.goto(f"{base}/manage/events/{SLUG}/registrations?status=pending")
        page.locator("tr:has-text('aigerim1@example.kz')").get_by_role(
            "button", name="Approve"
        ).click()
        page.wait_for_url("**/registrations?status=pending&notice=approve*")
        expect(page.locator("#registrations-status")).to_contain_text(
            "The registration was approved."
        )
        assert run_db(settings, _state)["registrations"]["aigerim1@example.kz"] == "confirmed"

        page.goto(f"{base}/manage/events/{SLUG}/edit")
        page.fill("#room_name", "Аудитория 101")
        page.click("text=Add the room")
        page.wait_for_url("**/edit?saved=1#rooms")
        expect(page.locator("#rooms + table tbody tr")).to_have_count(3)
        browser.close()
