"""An organiser builds a two-day agenda in Chromium, sees a speaker double-booked, and fixes it
once with the keyboard and the move form, once by drag and drop.

The app runs under uvicorn in a background thread with a temporary SQLite file, as in
test_registration_kk.py; the browser is Debian's Chromium driven by Playwright.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from events.accounts import services as accounts
from events.accounts.security import hash_password
from events.agenda.models import AgendaSession, Event, Room
from events.db.engine import create_engine
from events.db.models import metadata
from events.settings import Settings
from tests.conftest import make_settings
from tests.e2e.test_registration_kk import free_port

SLUG = "kariu-agh-round-table"
PASSWORD = "correct horse battery staple"
pytestmark = pytest.mark.browser


async def _prepare(settings: Settings) -> dict[str, int]:
    engine = create_engine(settings)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    async with async_sessionmaker(engine, expire_on_commit=False)() as db:
        event = Event(
            slug=SLUG,
            title={"en": "KarIU–AGH round table", "kk": "ҚарИУ–AGH дөңгелек үстелі"},
            kind="round_table", status="draft",
            starts_at=datetime(2030, 5, 14, 4, 0, tzinfo=UTC),  # 09:00 in Karaganda (UTC+5)
            ends_at=datetime(2030, 5, 15, 12, 0, tzinfo=UTC),  # 17:00 the next day
            timezone="Asia/Almaty", country="KZ", languages=["en", "kk"], default_language="en",
        )  # fmt: skip
        db.add(event)
        await db.flush()
        hall = Room(event_id=event.id, name="Hall A", position=0)
        lab = Room(event_id=event.id, name="Lab 2", position=1)
        db.add_all([hall, lab])
        organiser = await accounts.create_user(db, "organiser@kariu.kz")
        organiser.password_hash = hash_password(PASSWORD)
        await accounts.grant_role(db, organiser, "organiser", event.id)
        await db.commit()
        ids = {"hall": hall.id, "lab": lab.id}
    await engine.dispose()
    return ids


@pytest.fixture
def server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, Settings, dict[str, int]]]:
    monkeypatch.setenv("EVENTS_MAIL_IN_APP", "0")
    port = free_port()
    data_dir = tmp_path / "var"
    data_dir.mkdir()
    settings = make_settings(f"sqlite+aiosqlite:///{data_dir / 'events.db'}", data_dir)
    settings = Settings(**{**settings.__dict__, "base_url": f"http://127.0.0.1:{port}"})
    ids = asyncio.run(_prepare(settings))

    from events.app import create_app

    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", settings, ids
    uv.should_exit = True
    thread.join(timeout=10)


async def _sessions(settings: Settings) -> dict[str, tuple[datetime, int | None]]:
    engine = create_engine(settings)
    async with async_sessionmaker(engine, expire_on_commit=False)() as db:
        rows = list(await db.scalars(select(AgendaSession)))
    await engine.dispose()
    return {row.title["en"]: (row.starts_at, row.room_id) for row in rows}


def sessions(settings: Settings) -> dict[str, tuple[datetime, int | None]]:
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _sessions(settings)).result()


def test_an_organiser_builds_two_days_sees_a_double_booking_and_fixes_it_two_ways(
    server: tuple[str, Settings, dict[str, int]], chromium_path: str
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, settings, ids = server
    agenda = f"{base}/manage/events/{SLUG}/agenda"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path,
            headless=True,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        )  # fmt: skip
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(agenda)
        page.fill("#email", "organiser@kariu.kz")
        page.fill("#password", PASSWORD)
        page.click("button[type='submit']")
        page.wait_for_url(agenda)

        # Two speakers.
        for given, family in (("Айгерім", "Сәрсенбаева"), ("Łukasz", "Wójcik")):
            page.goto(f"{base}/manage/events/{SLUG}/speakers/new")
            page.fill("#f-given_name", given)
            page.fill("#f-family_name", family)
            page.fill("#f-biography_kk", "Ғалым.")
            page.click("text=Create the speaker")
            expect(page.locator("[role=status] .notice")).to_contain_text("speaker was created")

        # Three sessions over two days, each from the link of an empty slot.
        def create(day: str, start: str, room: str, title: str, title_kk: str, end: str,
                   speaker: str) -> None:  # fmt: skip
            page.goto(agenda)
            page.get_by_role("link", name=f"Add a session at {start} on {day}, {room}").click()
            expect(page.locator("#f-start")).to_have_value(start)
            page.fill("#f-title_en", title)
            page.fill("#f-title_kk", title_kk)
            page.fill("#f-end", end)
            page.select_option("#person_speaker_0", label=speaker)
            page.click("text=Create the session")
            expect(page.locator("#agenda-status")).to_contain_text("The session was created.")

        create("2030-05-14", "09:00", "Hall A", "Opening", "Ашылу", "10:00", "Айгерім Сәрсенбаева")
        create("2030-05-14", "09:30", "Lab 2", "Lab tour", "Зертханаға саяхат", "10:30",
               "Айгерім Сәрсенбаева")  # fmt: skip
        create("2030-05-15", "11:00", "Hall A", "Memorandum", "Меморандум", "12:00",
               "Łukasz Wójcik")  # fmt: skip
        expect(page.locator("#day-2030-05-15")).to_be_visible()

        # The double booking is marked on both sessions and listed at the top.
        summary = page.locator(".conflict-summary")
        expect(summary).to_contain_text("Айгерім Сәрсенбаева is in two sessions at once")
        expect(page.locator("article.has-conflict")).to_have_count(2)
        tour = page.locator("article:has(h3:text-is('Lab tour'))")
        expect(tour.locator(".conflict-note")).to_contain_text("two sessions at once")

        # Fix it with the keyboard: focus the tour's Move link, Enter, fill the form, submit.
        tour.locator("a.move-link").focus()
        page.keyboard.press("Enter")  # htmx opens the move form above the grid, focused
        expect(page.locator("#panel-heading")).to_contain_text("Move “Lab tour”")
        expect(page.locator("#f-day")).to_be_focused()
        page.locator("#f-start").fill("10:00")
        page.locator("#f-start").press("Enter")
        expect(page.locator("#agenda-status")).to_contain_text("The session was moved.")
        expect(page.locator(".no-conflicts")).to_be_visible()
        expect(page.locator("article.has-conflict")).to_have_count(0)
        assert sessions(settings)["Lab tour"] == (
            datetime(2030, 5, 14, 5, 0, tzinfo=UTC),
            ids["lab"],
        )

        # A new clash: the opening is stretched to 10:30 by editing it.
        page.locator("article:has(h3:text-is('Opening'))").get_by_role("link", name="Edit").click()
        page.fill("#f-end", "10:30")
        page.click("text=Save the session")
        expect(page.locator("article.has-conflict")).to_have_count(2)

        # Fix it by drag and drop: the tour goes to 11:00 in Hall A.
        target = page.locator(
            f'td[data-drop-day="2030-05-14"][data-drop-start="11:00"][data-drop-room="{ids["hall"]}"]'
        )
        page.locator("article:has(h3:text-is('Lab tour'))").drag_to(target)
        expect(page.locator("#agenda-status")).to_contain_text("The session was moved.")
        expect(page.locator(".no-conflicts")).to_be_visible()
        moved = sessions(settings)["Lab tour"]
        assert moved == (datetime(2030, 5, 14, 6, 0, tzinfo=UTC), ids["hall"])
        assert sessions(settings)["Memorandum"][0] == datetime(2030, 5, 15, 6, 0, tzinfo=UTC)
        assert not [e for e in errors if "Content Security Policy" in e]
        browser.close()
