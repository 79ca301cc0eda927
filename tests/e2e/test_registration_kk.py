"""A Kazakh-speaking attendee registers for the last seat, cancels, and the waiting list moves up.

The app runs under uvicorn in a background thread on a free port with a temporary SQLite file; a
real Chromium (Debian's, driven by Playwright) fills in the form without any help from JavaScript.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from events import i18n
from events.agenda.models import Event
from events.db.engine import create_engine
from events.db.models import metadata
from events.mail import compose
from events.mail.models import OutboxMessage
from events.registration import services
from events.registration.demo import configure_demo_registration
from events.registration.models import Question, Registration, RegistrationSettings
from events.settings import Settings
from tests.conftest import make_settings
from tests.unit.registration.factories import person

SLUG = "rare-earths-round-table"
pytestmark = pytest.mark.browser
KK = i18n.translations("kk").gettext


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _prepare(settings: Settings) -> int:
    engine = create_engine(settings)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    async with async_sessionmaker(engine, expire_on_commit=False)() as session:
        start = datetime.now(UTC) + timedelta(days=30)
        event = Event(
            slug=SLUG,
            title={"en": "Rare Earths Round Table", "kk": "Сирек жер металдары дөңгелек үстелі"},
            description={"en": "Critical raw materials."},
            kind="round_table",
            status="published",
            starts_at=start,
            ends_at=start + timedelta(hours=8),
            timezone="Asia/Almaty",
            venue="D. Serikbayev East Kazakhstan Technical University",
            city="Öskemen",
            country="KZ",
            languages=["en", "kk", "ru", "de"],
            default_language="en",
        )
        session.add(event)
        await session.flush()
        await configure_demo_registration(session, event)
        reg_settings = await session.scalar(select(RegistrationSettings))
        assert reg_settings is not None
        reg_settings.capacity = 2
        await session.commit()
        # One seat taken: one left for our attendee.
        required = await session.scalar(select(Question.id).where(Question.required.is_(True)))
        assert required is not None
        await services.register(
            session, settings, SLUG, person(1, language="ru", answers={str(required): "policy"})
        )
        await session.commit()
    await engine.dispose()
    return int(required)


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Settings, int]]:
    monkeypatch.setenv("EVENTS_MAIL_IN_APP", "0")  # the outbox is read as the requests left it
    port = free_port()
    data_dir = tmp_path / "var"
    data_dir.mkdir()
    settings = make_settings(f"sqlite+aiosqlite:///{data_dir / 'events.db'}", data_dir)
    settings = Settings(**{**settings.__dict__, "base_url": f"http://127.0.0.1:{port}"})
    question = asyncio.run(_prepare(settings))

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
    yield f"http://127.0.0.1:{port}", settings, question
    uv.should_exit = True
    thread.join(timeout=10)


async def _read(settings: Settings) -> tuple[list[Registration], list[OutboxMessage]]:
    engine = create_engine(settings)
    async with async_sessionmaker(engine, expire_on_commit=False)() as session:
        registrations = list(await session.scalars(select(Registration).order_by(Registration.id)))
        mails = list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        # Each mail as the sender renders it (registration mails are rendered when sent).
        sent = [await compose.resolve_mail(session, mail) for mail in mails]
        session.expunge_all()
    for mail, rendered in zip(mails, sent, strict=True):
        mail.subject, mail.text_body, mail.html_body = (
            rendered.subject,
            rendered.text,
            rendered.html,
        )
    await engine.dispose()
    return registrations, mails


def read(settings: Settings) -> tuple[list[Registration], list[OutboxMessage]]:
    # Playwright's sync API runs an event loop in this thread: read the database from another one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _read(settings)).result()


def test_kazakh_attendee_registers_cancels_and_the_waiting_list_moves_up(
    server: tuple[str, Settings, int], chromium_path: str
) -> None:
    from playwright.sync_api import sync_playwright

    base, settings, question = server
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path,
            headless=True,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        )  # fmt: skip
        context = browser.new_context(
            java_script_enabled=False, viewport={"width": 390, "height": 844}
        )
        page = context.new_page()
        page.goto(f"{base}/e/{SLUG}/register?lang=kk")
        assert page.locator("html").get_attribute("lang") == "kk"
        assert KK("Register") != "Register"
        assert page.locator("h1").inner_text().startswith(KK("Register"))
        page.select_option("#honorific", "Dr")
        page.fill("#given_name", "Айгерім")
        page.fill("#family_name", "Сәрсенбаева")
        page.fill("#email", "Aigerim.Sarsenbayeva@KarIU.kz")
        page.fill("#organisation", "Қарағанды индустриялық университеті")
        page.select_option("#country", "KZ")
        assert page.locator("#country option[value='KZ']").inner_text() == "Қазақстан"
        page.select_option("#category", "participant")
        assert page.locator("#language").input_value() == "kk"
        page.check(f"input[name='q_{question}'][value='processing']")
        page.check("input[name='consent']")
        page.click("button[type='submit']")

        status = page.locator("[data-status]").first
        assert status.get_attribute("data-status") == "confirmed"
        assert KK("Confirmed") != "Confirmed"
        assert KK("Confirmed") in page.locator("main").inner_text()
        manage = page.locator("a.manage-link")
        manage_href = manage.get_attribute("href")
        assert manage_href and manage_href.startswith("/r/")

        # Someone else registers now: no seat is left, so they wait.
        waiting = context.new_page()
        waiting.goto(f"{base}/e/{SLUG}/register?lang=de")
        waiting.fill("#given_name", "Jürgen")
        waiting.fill("#family_name", "Groß")
        waiting.fill("#email", "juergen.gross@tu-berlin.de")
        waiting.select_option("#country", "DE")
        waiting.select_option("#language", "de")
        waiting.check(f"input[name='q_{question}'][value='policy']")
        waiting.check("input[name='consent']")
        waiting.click("button[type='submit']")
        assert waiting.locator("[data-status]").first.get_attribute("data-status") == "waitlisted"

        registrations, mails = read(settings)
        mine = [m for m in mails if m.to_address == "aigerim.sarsenbayeva@kariu.kz"]
        assert len(mine) == 1 and mine[0].language == "kk"
        assert "Сирек жер металдары" in mine[0].subject
        assert (
            KK("Your registration is confirmed. We look forward to seeing you.")
            in mine[0].text_body
        )
        assert mine[0].attachments and mine[0].attachments[0]["filename"].endswith(".ics")

        # The attendee opens the personal link and cancels, confirming once more.
        page.click("a.manage-link")
        assert "Сәрсенбаева" in page.locator("main").inner_text()
        page.click("a.button.danger")
        page.click("button.danger")
        assert KK("Your registration has been cancelled. Thank you for letting us know.") in (
            page.locator("main").inner_text()
        )
        browser.close()

    registrations, mails = read(settings)
    statuses = {r.email: r.status for r in registrations}
    assert statuses["aigerim.sarsenbayeva@kariu.kz"] == "cancelled"
    assert statuses["juergen.gross@tu-berlin.de"] == "confirmed"
    promoted = [m for m in mails if m.kind == "registration.promoted"]
    assert [m.to_address for m in promoted] == ["juergen.gross@tu-berlin.de"]
    assert promoted[0].language == "de"
