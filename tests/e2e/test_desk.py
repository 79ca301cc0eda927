"""The check-in desk in a real Chromium, as desk staff use it.

The app runs under uvicorn in a background thread on a free port with a temporary SQLite file.
An attendee's badge PDF is rendered to an image and fed to Chromium's fake camera (a .y4m file);
the desk page decodes it with the vendored zxing-wasm and shows green, then amber. The handheld
path types the token and Enter. With the network cut in the browser, three scans are decided on
the device and queue; back online they reach the server and the live count shows them.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from PIL import Image
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from events.accounts import services as accounts
from events.accounts.security import SESSION_COOKIE
from events.db.engine import create_engine
from events.db.models import metadata
from events.documents.badges import Badge, BadgeEvent, render_badges
from events.registration import services
from events.registration.models import Registration
from events.settings import Settings
from tests.conftest import make_settings
from tests.unit.registration.factories import open_event, person

SLUG = "rare-earths-round-table"
DESK = "Desk 2"
pytestmark = pytest.mark.browser
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip


@dataclass
class Server:
    base: str
    settings: Settings
    session_secret: str
    people: list[dict[str, Any]]  # id, token, given_name, family_name of confirmed registrations


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _prepare(settings: Settings) -> tuple[str, list[dict[str, Any]]]:
    engine = create_engine(settings)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    async with async_sessionmaker(engine, expire_on_commit=False)() as session:
        event = await open_event(session, SLUG, capacity=None)
        for number in range(1, 7):
            await services.register(
                session, settings, SLUG, person(number, given_name=f"Айгерім{number}")
            )
            await session.commit()
        desk = await accounts.create_user(session, "desk@example.kz")
        await accounts.grant_role(session, desk, "desk", event.id)
        secret, _row = await accounts.create_session(session, desk)
        await session.commit()
        rows = await session.scalars(select(Registration).order_by(Registration.id))
        people = [
            {
                "id": r.id, "token": r.checkin_token, "given_name": r.given_name,
                "family_name": r.family_name, "status": r.status,
            }
            for r in rows
        ]  # fmt: skip
    await engine.dispose()
    assert all(p["status"] == "confirmed" for p in people)
    return secret, people


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    monkeypatch.setenv("EVENTS_MAIL_IN_APP", "0")
    port = free_port()
    data_dir = tmp_path / "var"
    data_dir.mkdir()
    settings = make_settings(f"sqlite+aiosqlite:///{data_dir / 'events.db'}", data_dir)
    settings = Settings(**{**settings.__dict__, "base_url": f"http://127.0.0.1:{port}"})
    secret, people = asyncio.run(_prepare(settings))

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
    yield Server(f"http://127.0.0.1:{port}", settings, secret, people)
    uv.should_exit = True
    thread.join(timeout=10)


def run_async(coroutine: Any) -> Any:
    # Playwright's sync API runs an event loop in this thread: use the database from another one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def badge_image(token: str, given_name: str, family_name: str) -> Image.Image:
    """The attendee's badge as printed: the PDF of the badges document, rendered to pixels."""
    import pypdfium2

    pdf = render_badges(
        BadgeEvent(title="Rare Earths Round Table"),
        [Badge(given_name=given_name, family_name=family_name, checkin_token=token)],
    )
    document = pypdfium2.PdfDocument(pdf)
    try:
        image: Image.Image = document[0].render(scale=2).to_pil().convert("RGB")
    finally:
        document.close()
    return image


def write_y4m(image: Image.Image, path: Path, width: int = 640, height: int = 480) -> Path:
    """A still picture as a YUV4MPEG2 (4:2:0) clip, the format of Chromium's fake camera."""
    frame = Image.new("RGB", (width, height), "white")
    picture = image.copy()
    picture.thumbnail((width - 20, height - 20))
    frame.paste(picture, ((width - picture.width) // 2, (height - picture.height) // 2))
    y, cb, cr = frame.convert("YCbCr").split()
    half = (width // 2, height // 2)
    planes = y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()
    header = f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + (b"FRAME\n" + planes) * 2)
    return path


def desk_browser(playwright: Any, chromium_path: str, video: Path | None = None) -> Any:
    args = list(CHROMIUM_ARGS)
    if video is not None:
        args += [
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
            "--use-fake-ui-for-media-stream",
        ]
    return playwright.chromium.launch(executable_path=chromium_path, headless=True, args=args)


def desk_context(browser: Any, server: Server) -> Any:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    context.grant_permissions(["camera"], origin=server.base)
    context.add_cookies(
        [{"name": SESSION_COOKIE, "value": server.session_secret, "url": server.base}]
    )
    return context


def open_desk(context: Any, server: Server) -> Any:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server.base}/desk/{SLUG}")
    page.wait_for_selector("body[data-desk-ready='true']")
    if page.locator("#settings-panel").is_visible():
        page.fill("#desk-name", DESK)
        page.click("#settings-form button[type='submit']")
    assert page.locator("#desk-label").inner_text() == DESK
    page.desk_errors = errors  # type: ignore[attr-defined]
    return page


def test_desk_page_opens_offline_from_its_service_worker(
    server: Server, chromium_path: str
) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = desk_browser(playwright, chromium_path)
        context = desk_context(browser, server)
        page = open_desk(context, server)
        # The worker's scope is the desk page itself, thanks to Service-Worker-Allowed.
        scope = page.evaluate(
            "navigator.serviceWorker.ready.then((r) => new URL(r.scope).pathname)"
        )
        assert scope == f"/desk/{SLUG}"
        page.reload()
        page.wait_for_selector("body[data-desk-ready='true']")
        assert page.evaluate("navigator.serviceWorker.controller !== null")
        # The desk name is remembered on the device.
        assert page.locator("#desk-label").inner_text() == DESK

        context.set_offline(True)
        page.reload()
        page.wait_for_selector("body[data-desk-ready='true']")
        assert page.locator("#net-status").get_attribute("data-online") == "false"
        assert page.locator("#scan-input").is_visible()
        assert page.evaluate("typeof globalThis.ZXingWASM.readBarcodes") == "function"
        assert page.desk_errors == []  # type: ignore[attr-defined]
        browser.close()


async def _admitted(settings: Settings) -> set[int]:
    from events.checkin.queries import checked_in_registration_ids

    engine = create_engine(settings)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as session:
            event = await services.get_event(session, SLUG)
            return await checked_in_registration_ids(session, event.id)
    finally:
        await engine.dispose()


def scan_typed(page: Any, token: str) -> None:
    page.fill("#scan-input", token)
    page.press("#scan-input", "Enter")


def test_camera_green_then_amber_handheld_and_offline_queue(
    server: Server, chromium_path: str, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    first, second, *others = server.people
    video = write_y4m(
        badge_image(first["token"], first["given_name"], first["family_name"]),
        tmp_path / "badge.y4m",
    )
    with sync_playwright() as playwright:
        browser = desk_browser(playwright, chromium_path, video)
        context = desk_context(browser, server)
        page = open_desk(context, server)
        live = page.locator("#live-count")
        expect(live).to_have_attribute("data-checked-in", "0")
        result = page.locator("#result")

        # The camera reads the printed badge: green, with the name.
        page.click("#btn-camera")
        expect(result).to_have_attribute("data-kind", "ok", timeout=20_000)
        expect(result).to_have_attribute("data-status", "ok")
        expect(page.locator("#result-name")).to_have_text(
            f"{first['given_name']} {first['family_name']}"
        )
        expect(page.locator("#announce")).to_contain_text("Welcome")
        # Next scan: the same badge, still in front of the camera, is now amber with desk and time.
        page.click("#result-next")
        expect(result).to_have_attribute("data-kind", "warn", timeout=20_000)
        expect(page.locator("#result-detail")).to_contain_text(f"at {DESK}")
        assert run_async(_admitted(server.settings)) == {first["id"]}
        page.click("#result-next")
        page.click("#btn-camera")  # camera off
        expect(page.locator("#camera")).to_be_hidden()

        # The handheld scanner types the token and Enter into the focused field.
        assert page.evaluate("document.activeElement.id") == "scan-input"
        page.keyboard.type(second["token"])
        page.keyboard.press("Enter")
        expect(result).to_have_attribute("data-kind", "ok")
        expect(page.locator("#result-name")).to_contain_text(second["given_name"])
        scan_typed(page, "no-such-badge-token")
        expect(result).to_have_attribute("data-kind", "bad")
        expect(result).to_have_attribute("data-status", "unknown")
        expect(live).to_have_attribute("data-checked-in", "2", timeout=10_000)

        # The network goes: three scans are decided on the device and wait.
        context.set_offline(True)
        expect(page.locator("#net-status")).to_have_attribute("data-online", "false")
        for who in others[:3]:
            scan_typed(page, who["token"])
            expect(result).to_have_attribute("data-kind", "ok")
            expect(page.locator("#result-name")).to_contain_text(who["given_name"])
            expect(page.locator("#result-detail")).to_contain_text("offline")
        # The first badge, admitted online before, is amber offline too.
        scan_typed(page, first["token"])
        expect(result).to_have_attribute("data-kind", "warn")
        expect(page.locator("#queue-count")).to_have_attribute("data-count", "4")
        expect(page.locator("#queue-count")).to_contain_text("4")
        # Each queued scan says what the device showed (the server flags only green ones).
        shown = page.evaluate(
            "async (slug) => (await (await import('/static/js/desk/store.js')).queued(slug))"
            ".map((row) => row.body.shown)",
            SLUG,
        )
        assert shown == ["admitted", "admitted", "admitted", "already"]
        assert run_async(_admitted(server.settings)) == {first["id"], second["id"]}

        # Back online: the queue is sent, the server admits the three, the live count shows them.
        context.set_offline(False)
        expect(page.locator("#queue-count")).to_have_attribute("data-count", "0", timeout=20_000)
        expect(page.locator("#net-status")).to_have_attribute("data-online", "true")
        expected = {first["id"], second["id"], *(who["id"] for who in others[:3])}
        assert run_async(_admitted(server.settings)) == expected
        expect(live).to_have_attribute("data-checked-in", "5", timeout=20_000)
        assert page.desk_errors == []  # type: ignore[attr-defined]
        browser.close()


def test_search_walk_in_and_undo(server: Server, chromium_path: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    who = server.people[0]
    with sync_playwright() as playwright:
        browser = desk_browser(playwright, chromium_path)
        context = desk_context(browser, server)
        page = open_desk(context, server)
        result = page.locator("#result")

        # Search by name, check in from the result list.
        page.click("#btn-search")
        page.fill("#search-input", who["given_name"])
        page.press("#search-input", "Enter")
        page.locator("#search-results button").first.click()
        expect(result).to_have_attribute("data-kind", "ok")
        assert run_async(_admitted(server.settings)) == {who["id"]}

        # Undo the last check-in of this desk.
        page.click("#result-next")
        expect(page.locator("#btn-undo")).to_be_enabled()
        page.click("#btn-undo")
        expect(page.locator("#result-title")).to_have_text("Check-in undone")
        assert run_async(_admitted(server.settings)) == set()
        expect(page.locator("#btn-undo")).to_be_disabled()

        # A walk-in: registered, checked in, and a badge to print.
        page.click("#result-next")
        page.click("#btn-walkin")
        page.fill("#walkin-given", "Jürgen")
        page.fill("#walkin-family", "Groß")
        page.fill("#walkin-organisation", "TU Bergakademie Freiberg")
        page.select_option("#walkin-country", "DE")
        page.select_option("#walkin-category", "participant")
        page.click("#walkin-form button[type='submit']")
        expect(result).to_have_attribute("data-kind", "ok")
        expect(page.locator("#result-name")).to_have_text("Jürgen Groß")
        badge = page.locator("#result-badge")
        expect(badge).to_be_visible()
        href = badge.get_attribute("href")
        assert href and href.startswith(f"/desk/{SLUG}/badges/") and href.endswith(".pdf")
        pdf = page.request.get(f"{server.base}{href}")
        assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
        assert len(run_async(_admitted(server.settings))) == 1
        browser.close()
