"""After the round table, as a new organiser would: record the memorandum, write the story with a
photo, preview, publish; the public page, the PDF and the feed show it with the right figures; an
attendee downloads a certificate and its code verifies. Chromium runs without JavaScript.

Check-ins are written as the check-in area's rows (its services were not merged when this was
written); everything else goes through the browser.
"""

from __future__ import annotations

import asyncio
import io
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
import uvicorn
from sqlalchemy.ext.asyncio import async_sessionmaker

from events.db.engine import create_engine
from events.db.models import metadata
from events.settings import Settings
from tests.accounts_support import PASSWORD, PASSWORD_HASH
from tests.conftest import make_settings
from tests.e2e.test_registration_kk import free_port
from tests.summary_support import SLUG, World, build_world, jpeg

pytestmark = pytest.mark.browser


async def _prepare(settings: Settings) -> World:
    engine = create_engine(settings)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    async with async_sessionmaker(engine, expire_on_commit=False)() as session:
        world = await build_world(session, settings)
        world.organiser.password_hash = PASSWORD_HASH
        await session.commit()
    await engine.dispose()
    return world


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, World, Path]]:
    monkeypatch.setenv("EVENTS_MAIL_IN_APP", "0")
    port = free_port()
    data_dir = tmp_path / "var"
    data_dir.mkdir()
    settings = make_settings(f"sqlite+aiosqlite:///{data_dir / 'events.db'}", data_dir)
    settings = Settings(**{**settings.__dict__, "base_url": f"http://127.0.0.1:{port}"})
    world = asyncio.run(_prepare(settings))
    photo = tmp_path / "delegation.jpg"
    photo.write_bytes(jpeg((2000, 1300)))

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
    yield f"http://127.0.0.1:{port}", world, photo
    uv.should_exit = True
    thread.join(timeout=10)


def test_outcome_summary_publish_and_certificate(
    server: tuple[str, World, Path], chromium_path: str
) -> None:
    from playwright.sync_api import sync_playwright

    base, world, photo = server
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )  # fmt: skip
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(f"{base}/login?next=/manage/events/{SLUG}/summary")
        page.fill("#email", "org@example.org")
        page.fill("#password", PASSWORD)
        page.click("button[type='submit']")
        assert page.url.endswith(f"/manage/events/{SLUG}/summary")
        assert (
            page.locator("nav.event-nav a[aria-current='page']").get_attribute("href")
            == f"/manage/events/{SLUG}/summary"
        )

        # The memorandum.
        page.select_option("#kind", "memorandum")
        page.fill("#title_en", "Memorandum of cooperation between KarIU and AGH")
        page.fill("#title_pl", "Memorandum o współpracy między KarIU a AGH")
        page.select_option("#party_ids", [str(world.kariu.id), str(world.agh.id)])
        page.fill("#signed_on", "2025-05-15")
        page.click("#outcomes button[type='submit']:has-text('Record the outcome')")
        assert (
            "Memorandum of cooperation between KarIU and AGH"
            in page.locator("#outcomes").inner_text()
        )

        # The story, then a photo of two people who agreed to photos.
        page.fill("#lead_en", "Kraków and Karaganda sign a memorandum.")
        page.fill(
            "#narrative_en", "The delegation from **AGH** met KarIU.\n\nA memorandum was signed."
        )
        page.fill("#narrative_kk", "AGH делегациясы ҚарИУ-да болды.")
        page.click("#text button[type='submit']")
        page.set_input_files("#photo", str(photo))
        page.fill("#alt_en", "The two delegations at the round table")
        page.check(f"input[name='registration_ids'][value='{world.registrations[0].id}']")
        page.click("#photos button[type='submit']:has-text('Add the photo')")
        assert page.locator("#photos img.thumb").count() == 1

        # Preview, then publish.
        page.click("a:has-text('Preview')")
        assert "Preview: only organisers see this draft." in page.locator("main").inner_text()
        page.goto(f"{base}/manage/events/{SLUG}/summary")
        page.click("button[value='publish']")
        assert "/e/" in page.locator(".summary-status").inner_text()

        public = context.new_page()
        public.goto(f"{base}/e/{SLUG}/summary")
        text = public.locator("main").inner_text()
        assert "Memorandum of cooperation between KarIU and AGH" in text
        assert "A memorandum was signed." in text
        numbers = public.locator(".figure-numbers").inner_text()
        assert "7" in numbers and "6" in numbers  # registered, attended
        assert public.locator("svg rect").count() >= 2
        image = public.locator(".summary-photo-lead img")
        assert image.get_attribute("alt") == "The two delegations at the round table"
        assert public.locator("meta[property='og:image']").get_attribute("content")

        pdf = public.request.get(f"{base}/e/{SLUG}/summary.pdf?lang=kk")
        assert pdf.ok
        pdf_text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.body())).pages)
        assert "AGH делегациясы ҚарИУ-да болды." in pdf_text
        feed = public.request.get(f"{base}/feed.atom").text()
        assert f"{base}/e/{SLUG}/summary" in feed

        # An attendee downloads the certificate and checks its code.
        attendee = world.registrations[3]
        certificate = public.request.get(f"{base}/r/{world.tokens[attendee.id]}/certificate.pdf")
        assert certificate.ok and certificate.headers["content-type"] == "application/pdf"
        cert_text = "".join(
            p.extract_text() for p in pypdf.PdfReader(io.BytesIO(certificate.body())).pages
        )
        code = re.search(r"C\d+-[A-Z2-7]{16}", cert_text)
        assert code and "Әсел Қасымова" in cert_text
        public.goto(f"{base}/verify/{code.group(0)}")
        assert public.locator(".verify-name").inner_text() == "Әсел Қасымова"
        public.goto(f"{base}/verify/{code.group(0)[:-1]}A")
        if code.group(0).endswith("A"):
            public.goto(f"{base}/verify/{code.group(0)[:-1]}B")
        assert public.locator(".verify-invalid").count() == 1
        browser.close()
