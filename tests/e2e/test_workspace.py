"""Issue 7 as a new organiser would try it, in Chromium: sign in, create a German–Kazakh round
table from nothing (German and Kazakh), add two partner institutions and two rooms, see and fill a
missing translation, preview the draft, publish it, and read the public page in both languages."""

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
    from playwright.sync_api import sync_playwright

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
        for name, short, country, kind, role in [
            ("Karaganda Industrial University", "KarIU", "KZ", "university", "host"),
            ("TU Bergakademie Freiberg", "TUBAF", "DE", "university", "partner"),
        ]:
            page.fill("#org_name", name)
            page.fill("#org_short_name", short)
            page.fill("#org_country", country)
            page.select_option("#org_kind", kind)
            page.select_option("#partner_role", role)
            page.click("text=Add the partner")
            page.wait_for_url(f"{base}/manage/events/{SLUG}/edit?saved=1#partners")
        assert page.locator("#partners + table tbody tr").count() == 2

        # Two rooms; a third with a taken name is refused next to its field.
        for name, capacity in [("Senate hall", "80"), ("Зертхана 2", "20")]:
            page.fill("#room_name", name)
            page.fill("#room_capacity", capacity)
            page.click("text=Add the room")
            page.wait_for_url(f"{base}/manage/events/{SLUG}/edit?saved=1#rooms")
        page.fill("#room_name", "Senate hall")
        page.click("text=Add the room")
        assert page.locator("#room_name-error").is_visible()
        assert page.locator("#room_name").get_attribute("aria-invalid") == "true"

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
        browser.close()

    event, actions = run_db(settings, _state)
    assert event.status == "published" and event.languages == ["de", "kk"]
    for action in ["event.create", "event.update", "partner.add", "room.add", "event.publish"]:
        assert action in actions, action
