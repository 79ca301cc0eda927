"""The share card and the Open Graph / Twitter tags of the public event page and programme."""

from __future__ import annotations

import io

import lxml.html
from litestar.testing import AsyncTestClient
from PIL import Image
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events.agenda.models import Event
from events.settings import Settings
from tests.unit.publishing.factory import SLUG, create_event

Client = AsyncTestClient  # type: ignore[type-arg]
BASE = "http://testserver.local"


def meta_of(html: str) -> dict[str, str]:
    tree = lxml.html.fromstring(html)
    return {
        str(m.get("property") or m.get("name")): str(m.get("content")) for m in tree.iter("meta")
    }


async def test_event_page_and_programme_carry_the_card_with_an_absolute_url(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    await create_event(db, settings.data_dir)
    for path, title in (
        (f"/e/{SLUG}?lang=kk", "Қазақ-неміс ғылым күні"),
        (f"/e/{SLUG}/programme?lang=kk", "Қазақ-неміс ғылым күні"),
    ):
        page = await client.get(path)
        assert page.status_code == 200, path
        meta = meta_of(page.text)
        assert title in meta["og:title"]
        assert meta["og:description"] == "Алматыдағы ғылым күніне қош келдіңіздер!"
        assert meta["og:image"] == f"{BASE}/e/{SLUG}/card.png?lang=kk"
        assert meta["og:image:width"] == "1200" and meta["og:image:height"] == "630"
        assert meta["og:image:type"] == "image/png"
        assert meta["og:image:alt"].startswith(title) and "2023" in meta["og:image:alt"]
        assert meta["twitter:card"] == "summary_large_image"
        assert meta["twitter:image"] == meta["og:image"]
        assert meta["og:url"].startswith(f"{BASE}{path.split('?')[0]}")

        card = await client.get(meta["og:image"].removeprefix(BASE))
        assert card.status_code == 200 and card.headers["content-type"] == "image/png"
        image = Image.open(io.BytesIO(card.content))
        assert image.format == "PNG" and image.size == (1200, 630)
        image.load()


async def test_the_card_has_validators_and_follows_the_language(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    event = await create_event(db, settings.data_dir)
    first = await client.get(f"/e/{SLUG}/card.png")
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert first.headers["last-modified"]
    again = await client.get(f"/e/{SLUG}/card.png", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    kazakh = await client.get(f"/e/{SLUG}/card.png?lang=kk")
    assert kazakh.status_code == 200 and kazakh.headers["etag"] != etag
    assert kazakh.content != first.content
    bad = await client.get(f"/e/{SLUG}/card.png?lang=ru", headers={"Accept": "application/json"})
    assert bad.status_code == 422 and bad.json()["field"] == "lang"

    # A hostile title still gives a card, and a new one (the fingerprint follows the data).
    row = await db.scalar(select(Event).where(Event.id == event.id))
    assert row is not None
    row.title = {
        "de": "<script>alert(1)</script>\u202etxt.exe 😀🇰🇿 " + "Żółć Қазақ " * 180,
        "kk": "Қазақ",
    }
    await db.commit()
    changed = await client.get(f"/e/{SLUG}/card.png", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert Image.open(io.BytesIO(changed.content)).size == (1200, 630)
    page = await client.get(f"/e/{SLUG}?lang=de")
    assert "<script>alert(1)" not in page.text


async def test_unpublished_and_unknown_events_have_no_card(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    await create_event(db, settings.data_dir, slug="draft-day", status="draft")
    for slug in ("draft-day", "no-such-event"):
        assert (await client.get(f"/e/{slug}/card.png")).status_code == 404, slug
    published = await create_event(db, settings.data_dir / "other", slug="open-day")
    assert (await client.get("/e/open-day/card.png")).status_code == 200
    # Unpublishing takes the card away too.
    row = await db.scalar(select(Event).where(Event.id == published.id))
    assert row is not None
    row.status = "draft"
    await db.commit()
    assert (await client.get("/e/open-day/card.png")).status_code == 404
