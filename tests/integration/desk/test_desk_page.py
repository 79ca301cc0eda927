"""The desk page and its service worker: who may open them, what they contain, their headers."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from events.settings import Settings
from tests.accounts_support import make_people, sign_in

pytestmark = pytest.mark.usefixtures("backend")
SLUG = "kariu-agh-round-table"


def config_of(html: str) -> dict[str, object]:
    found = re.search(
        r'<script type="application/json" id="desk-config">(.*?)</script>', html, re.S
    )
    assert found, "the page carries its settings as a JSON block"
    value: dict[str, object] = json.loads(found.group(1))
    return value


async def test_anonymous_is_sent_to_login(client, db: AsyncSession) -> None:  # type: ignore[no-untyped-def]
    await make_people(db)
    page = await client.get(f"/desk/{SLUG}", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == f"/login?next=/desk/{SLUG}"
    worker = await client.get(f"/desk/{SLUG}/sw.js", headers={"Accept": "application/json"})
    assert worker.status_code == 401


async def test_desk_staff_of_another_event_is_refused(  # type: ignore[no-untyped-def]
    client, db: AsyncSession, settings: Settings
) -> None:
    people = await make_people(db)
    await sign_in(client, settings, people.desk_a)
    page = await client.get("/desk/other-event", follow_redirects=False)
    assert page.status_code == 403
    assert "other-event" not in page.text or "desk-config" not in page.text
    worker = await client.get("/desk/other-event/sw.js")
    assert worker.status_code == 403


async def test_organiser_of_another_event_is_refused(  # type: ignore[no-untyped-def]
    client, db: AsyncSession, settings: Settings
) -> None:
    people = await make_people(db)
    await sign_in(client, settings, people.organiser_b)
    assert (await client.get(f"/desk/{SLUG}")).status_code == 403


async def test_desk_staff_open_their_desk(  # type: ignore[no-untyped-def]
    client, db: AsyncSession, settings: Settings
) -> None:
    people = await make_people(db)
    await sign_in(client, settings, people.desk_a)
    page = await client.get(f"/desk/{SLUG}?lang=de")
    assert page.status_code == 200
    html = page.text
    for element in (
        'id="scan-input"', 'id="search-form"', 'id="walkin-form"', 'id="desk-name"',
        'id="door"', 'id="net-status"', 'id="queue-count"', 'aria-live="assertive"',
        'src="/static/vendor/zxing-wasm/zxing-reader.js"',
        'type="module" src="/static/js/desk/desk.js"',
    ):  # fmt: skip
        assert element in html, element
    assert "<script>" not in html and "style=" not in html
    config = config_of(html)
    assert config["slug"] == SLUG
    assert config["timezone"] == "Asia/Almaty"
    assert config["api"] == f"/api/v1/events/{SLUG}"
    assert config["serviceWorker"] == f"/desk/{SLUG}/sw.js"
    assert config["scope"] == f"/desk/{SLUG}"
    messages = config["messages"]
    assert isinstance(messages, dict)
    assert messages["ok"] == "Willkommen"
    assert "%(time)s" in messages["already_at"] and "%(desk)s" in messages["already_at"]
    # The decoder compiles WebAssembly: the desk page alone allows that, and nothing else extra.
    csp = page.headers["content-security-policy"]
    assert "script-src 'self' 'wasm-unsafe-eval';" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval'" not in csp.replace("wasm-unsafe-eval'", "")
    # Other pages keep the site's policy.
    other = await client.get("/")
    assert "wasm-unsafe-eval" not in other.headers["content-security-policy"]


async def test_admin_and_organiser_open_the_desk(  # type: ignore[no-untyped-def]
    client, db: AsyncSession, settings: Settings
) -> None:
    people = await make_people(db)
    await sign_in(client, settings, people.organiser_a)
    assert (await client.get(f"/desk/{SLUG}")).status_code == 200
    await sign_in(client, settings, people.admin)
    assert (await client.get(f"/desk/{SLUG}")).status_code == 200
    assert (await client.get("/desk/no-such-event")).status_code == 404


async def test_service_worker_is_served_with_a_scope_covering_the_page(  # type: ignore[no-untyped-def]
    client, db: AsyncSession, settings: Settings
) -> None:
    people = await make_people(db)
    await sign_in(client, settings, people.desk_a)
    worker = await client.get(f"/desk/{SLUG}/sw.js")
    assert worker.status_code == 200
    assert worker.headers["content-type"].startswith("text/javascript")
    assert worker.headers["service-worker-allowed"] == f"/desk/{SLUG}"
    assert worker.headers["cache-control"] == "no-cache"
    body = worker.text
    for asset in (
        "/static/js/desk/desk.js", "/static/css/desk.css",
        "/static/vendor/zxing-wasm/zxing_reader.wasm", "/static/vendor/zxing-wasm/zxing-reader.js",
    ):  # fmt: skip
        assert asset in body


async def test_every_asset_the_worker_caches_exists(client) -> None:  # type: ignore[no-untyped-def]
    from events.desk.pages import SERVICE_WORKER

    assets = re.findall(r'"(/static/[^"]+)"', SERVICE_WORKER.read_text())
    assert len(assets) >= 8
    for asset in assets:
        answer = await client.get(asset)
        assert answer.status_code == 200, asset
    wasm = await client.get("/static/vendor/zxing-wasm/zxing_reader.wasm")
    assert wasm.headers["content-type"] == "application/wasm"
    assert wasm.content[:4] == b"\0asm"
    licence = await client.get("/static/vendor/zxing-wasm/LICENSE")
    assert "MIT" in licence.text or "Permission is hereby granted" in licence.text
