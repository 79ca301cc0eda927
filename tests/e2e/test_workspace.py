"""Issue 7 as a new organiser would try it, in Chromium: sign in, create a German–Kazakh round
table from nothing (German and Kazakh), add two partner institutions and two rooms, see and fill a
missing translation, build six sessions over two days with four speakers, see a speaker
double-booked and fix it, preview the draft, publish it, and read the public page and programme in
both languages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events.accounts import services as accounts
from events.accounts.models import AuditEntry
from events.accounts.security import hash_password
from events.agenda.models import Event
from tests.e2e.support import launch, live_server, new_settings, run_db, sign_in

pytestmark = pytest.mark.browser
EMAIL, PASSWORD = "organiser@kariu.kz", "correct horse battery"
SLUG = "de-kz-rohstoffe-2030"
TITLE_DE = "Deutsch-kasachischer Runder Tisch: Rohstoffe"
TITLE_KK = "Қазақ-неміс дөңгелек үстелі: шикізат"


async def _organiser(session: AsyncSession) -> None:
    user = await accounts.create_user(session, EMAIL, display_name="Гүлнар Әбенова")
    user.password_hash = hash_password(PASSWORD)
    await accounts.grant_role(session, user, "organiser", None)


async def _state(session: AsyncSession) -> tuple[Any, list[str]]:
    event = await session.scalar(select(Event).where(Event.slug == SLUG))
    actions = list((await session.scalars(select(AuditEntry.action))).all())
    return event, actions


def test_an_organiser_builds_publishes_and_the_public_reads(
    tmp_path: Path, chromium_path: str
) -> None:
    from playwright.sync_api import expect, sync_playwright

    settings, port = new_settings(tmp_path / "var")
    run_db(settings, _organiser)
    with live_server(settings, port) as base, sync_playwright() as playwright:
        browser = launch(playwright, chromium_path)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        sign_in(page, base, EMAIL, PASSWORD)

        # A new event from nothing.
        page.click("text=New event")
        page.fill("#slug", SLUG)
        page.select_option("#kind", "round_table")
        page.uncheck("input[name='languages'][value='en']")
        page.check("input[name='languages'][value='de']")
        page.check("input[name='languages'][value='kk']")
        page.select_option("#default_language", "de")
        # One tab per ticked language (JavaScript); the English tab went with its tick.
        tabs = page.locator("[role='tab']")
        assert tabs.count() == 2
        assert page.locator("#tab-en").count() == 0
        page.click("#tab-de")
        page.fill("#title-de", TITLE_DE)
        page.fill("#description-de", "Kritische Rohstoffe und gemeinsame Forschung.")
        assert not page.locator("#title-kk").is_visible()
        page.click("#tab-kk")
        page.fill("#title-kk", TITLE_KK)
        page.fill("#timezone", "Asia/Almaty")
        page.fill("#starts_at", "2030-09-16T09:00")
        page.fill("#ends_at", "2030-09-17T17:00")
        page.fill("#venue", "Қарағанды индустриялық университеті, бас ғимарат")
        page.fill("#city", "Temirtau")
        page.fill("#country", "KZ")
        page.fill("#partner_countries", "DE, KZ")
        page.click("text=Create the event")
        page.wait_for_url(f"{base}/manage/events/{SLUG}/edit?created=1")

        # The Kazakh description is missing, and marked so.
        assert page.locator("#tab-kk .missing").count() == 1
        page.click("#tab-kk")
        page.fill("#description-kk", "Сындарлы шикізат және бірлескен зерттеулер.")
        page.click("text=Save the event")
        page.wait_for_url(f"{base}/manage/events/{SLUG}/edit?saved=1")
        assert page.locator(".missing").count() == 0

        # Two partner institutions, created inline.
        # htmx swaps the partners section in place (without JavaScript the form posts and
        # comes back to the editor: tests/e2e/test_htmx.py and the integration tests cover that).
        for count, (name, short, country, kind, role) in enumerate(
            [
                ("Karaganda Industrial University", "KarIU", "KZ", "university", "host"),
                ("TU Bergakademie Freiberg", "TUBAF", "DE", "university", "partner"),
            ],
            start=1,
        ):
            page.fill("#org_name", name)
            page.fill("#org_short_name", short)
            page.fill("#org_country", country)
            page.select_option("#org_kind", kind)
            page.select_option("#partner_role", role)
            page.click("text=Add the partner")
            expect(page.locator("#partners + table tbody tr")).to_have_count(count)

        # Two rooms; a third with a taken name is refused next to its field.
        for count, (name, capacity) in enumerate([("Senate hall", "80"), ("Зертхана 2", "20")], 1):
            page.fill("#room_name", name)
            page.fill("#room_capacity", capacity)
            page.click("text=Add the room")
            expect(page.locator("#rooms + table tbody tr")).to_have_count(count)
        page.fill("#room_name", "Senate hall")
        page.click("text=Add the room")
        expect(page.locator("#room_name-error")).to_be_visible()
        assert page.locator("#room_name").get_attribute("aria-invalid") == "true"

        # Four speakers (agenda builder pages).
        speakers = [
            ("Айгерім", "Сәрсенбаева"), ("Jürgen", "Groß"), ("Ерлан", "Құлмағамбетов"),
            ("Łukasz", "Wójcik"),
        ]  # fmt: skip
        for given, family in speakers:
            page.goto(f"{base}/manage/events/{SLUG}/speakers/new")
            page.fill("#f-given_name", given)
            page.fill("#f-family_name", family)
            page.click("text=Create the speaker")
            expect(page.locator("[role=status] .notice")).to_contain_text("speaker was created")

        # Six sessions over two days, each from the link of an empty slot.
        agenda = f"{base}/manage/events/{SLUG}/agenda"
        sessions = [
            ("2030-09-16", "09:00", "Senate hall", "10:00", "Eröffnung", "Ашылу", 0),
            ("2030-09-16", "09:30", "Зертхана 2", "10:30", "Laborführung", "Зертханаға саяхат", 0),
            ("2030-09-16", "11:00", "Senate hall", "12:30", "Podium: Seltene Erden",
             "Панель: сирек жер металдары", 1),
            ("2030-09-17", "09:00", "Senate hall", "10:00", "Rohstoffpolitik",
             "Шикізат саясаты", 2),
            ("2030-09-17", "11:00", "Зертхана 2", "12:00", "Werkstatt", "Шеберхана", 3),
            ("2030-09-17", "14:00", "Senate hall", "15:00", "Unterzeichnung des Memorandums",
             "Меморандумға қол қою", 1),
        ]  # fmt: skip
        for day, start, room, end, title_de, title_kk, speaker in sessions:
            page.goto(agenda)
            page.get_by_role("link", name=f"Add a session at {start} on {day}, {room}").click()
            page.fill("#f-title_de", title_de)
            page.fill("#f-title_kk", title_kk)
            page.fill("#f-end", end)
            page.select_option("#person_speaker_0", label=" ".join(speakers[speaker]))
            page.click("text=Create the session")
            expect(page.locator("#agenda-status")).to_contain_text("The session was created.")
        expect(page.locator("#day-2030-09-17")).to_be_visible()

        # Айгерім is in two places at once: seen on the overview and on the grid, then fixed.
        page.goto(f"{base}/manage/events/{SLUG}")
        expect(page.locator(".conflicts")).to_contain_text("Айгерім Сәрсенбаева")
        page.goto(agenda)
        expect(page.locator("article.has-conflict")).to_have_count(2)
        tour = page.locator("article:has(h3:text-is('Laborführung'))")
        tour.locator("a.move-link").click()  # htmx opens the move form above the grid
        expect(page.locator("#panel-heading")).to_contain_text("Laborführung")
        page.locator("#f-start").fill("10:00")
        page.locator("#f-start").press("Enter")
        expect(page.locator("#agenda-status")).to_contain_text("The session was moved.")
        expect(page.locator(".no-conflicts")).to_be_visible()
        page.goto(f"{base}/manage")
        assert "agenda conflict" not in page.locator("main").inner_text()

        # Still a draft: the public does not see it; the organiser previews it.
        public = browser.new_context().new_page()
        assert public.goto(f"{base}/e/{SLUG}").status == 404  # type: ignore[union-attr]
        page.goto(f"{base}/manage/events/{SLUG}")
        page.click("main >> text=Preview the public page")
        assert page.locator(".preview-banner").is_visible()
        main = page.locator("main").inner_text()
        assert TITLE_DE in main and "Karaganda Industrial University" in main
        page.click(".preview-banner >> text=Preview the programme")
        assert page.locator(".preview-banner").is_visible()

        page.goto(f"{base}/manage/events/{SLUG}/preview/programme")
        assert "Rohstoffpolitik" in page.locator("main").inner_text()

        # Publish.
        page.goto(f"{base}/manage/events/{SLUG}")
        page.click("button:has-text('Publish')")
        assert "/e/" + SLUG in page.locator(".notice").inner_text()

        # The public page, in German and in Kazakh.
        public.goto(f"{base}/e/{SLUG}?lang=de")
        assert public.locator("h1").inner_text() == TITLE_DE
        assert "TU Bergakademie Freiberg" in public.locator("main").inner_text()
        public.goto(f"{base}/e/{SLUG}?lang=kk")
        assert public.locator("h1").inner_text() == TITLE_KK
        assert "Сындарлы шикізат" in public.locator("main").inner_text()
        public.goto(f"{base}/e/{SLUG}/programme?lang=de")
        programme = public.locator("main").inner_text()
        assert "Laborführung" in programme and "Unterzeichnung des Memorandums" in programme
        assert "Łukasz Wójcik" in programme
        public.goto(f"{base}/e/{SLUG}/programme?lang=kk")
        programme = public.locator("main").inner_text()
        assert "Зертханаға саяхат" in programme and "Меморандумға қол қою" in programme
        browser.close()

    event, actions = run_db(settings, _state)
    assert event.status == "published" and event.languages == ["de", "kk"]
    for action in ["event.create", "event.update", "partner.add", "room.add", "event.publish"]:
        assert action in actions, action
