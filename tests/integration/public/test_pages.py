"""Public pages with the demo loaded: content, languages, time zones, 404s, privacy, escaping."""

from __future__ import annotations

from datetime import UTC, datetime

from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events.agenda.models import AgendaSession, Event, Speaker

SCIENCE_DAY = "german-kazakh-science-day-2023"
Client = AsyncTestClient  # type: ignore[type-arg]


async def _speaker(db: AsyncSession, family_name: str) -> Speaker:
    speaker = await db.scalar(select(Speaker).where(Speaker.family_name == family_name))
    assert speaker is not None
    # End the read transaction: on SQLite every transaction begins IMMEDIATE and holds the lock.
    await db.commit()
    return speaker


def _event(slug: str, status: str = "published", **fields: object) -> Event:
    values: dict[str, object] = {
        "slug": slug,
        "title": {"en": f"Title of {slug}"},
        "kind": "workshop",
        "status": status,
        "starts_at": datetime(2031, 5, 1, 7, tzinfo=UTC),
        "ends_at": datetime(2031, 5, 1, 15, tzinfo=UTC),
        "timezone": "Europe/Berlin",
        "country": "DE",
        "languages": ["en"],
        "default_language": "en",
    }
    values.update(fields)
    return Event(**values)


async def test_index_lists_upcoming_and_past_but_never_drafts(
    demo: AsyncSession, client: Client
) -> None:
    demo.add(_event("secret-draft", status="draft", title={"en": "Secret draft event"}))
    await demo.commit()
    response = await client.get("/", headers={"accept-language": "en"})
    assert response.status_code == 200
    html = response.text
    upcoming, past = html.split('id="past"')
    assert "/e/rare-earths-round-table" in upcoming
    assert "/e/german-kazakh-science-day-2023" in past and "/e/kariu-agh-round-table" in past
    assert "German–Kazakh Science Day 2023" in past
    assert "October 12, 2023" in past  # Babel, in the event's zone
    assert "Almaty, Kazakhstan" in past
    assert "Secret draft event" not in html and "secret-draft" not in html


async def test_event_page_shows_partners_zone_and_programme(
    demo: AsyncSession, client: Client
) -> None:
    response = await client.get(f"/e/{SCIENCE_DAY}", headers={"accept-language": "en"})
    assert response.status_code == 200
    html = response.text
    assert "<h1>German–Kazakh Science Day 2023</h1>" in html
    assert "Asia/Almaty, UTC+06:00" in html
    assert "Science day" in html
    for name in (
        "Bundesministerium für Bildung und Forschung",
        "Қазақстан Республикасы Ұлттық ғылым академиясы",
        "Deutsche Forschungsgemeinschaft",
        "Martin-Luther-Universität Halle-Wittenberg",
        "Central Asia Sustainable Innovation Bureau",
    ):
        assert name in html
    assert (
        html.index("<h3>Hosts</h3>")
        < html.index("<h3>Co-hosts</h3>")
        < html.index("<h3>Partners</h3>")
    )
    assert "Germany" in html and "Kazakhstan" in html
    # A 10:00 session in Almaty, stored as 04:00 UTC, is shown at 10:00.
    assert '<time datetime="2023-10-12T04:00:00+00:00">10:00</time>' in html
    assert "Thursday, October 12, 2023" in html and "Friday, October 13, 2023" in html
    assert 'class="session session-break"' in html
    usman = await _speaker(demo, "Usman")
    assert f'href="/e/{SCIENCE_DAY}/speakers/{usman.id}"' in html
    assert "Dr. Muhammad Usman</a> (MLU)" in html
    for code in ("en", "de", "kk", "ru"):
        assert f'href="/e/{SCIENCE_DAY}?lang={code}"' in html


async def test_programme_page_has_rooms_and_links_to_exports(
    demo: AsyncSession, client: Client
) -> None:
    response = await client.get(f"/e/{SCIENCE_DAY}/programme")
    assert response.status_code == 200
    html = response.text
    for suffix in ("programme.pdf", "programme.ics", "schedule.json", "schedule.xml"):
        assert f'href="/e/{SCIENCE_DAY}/{suffix}' in html
    assert (
        '<th scope="col">Main hall</th><th scope="col">Hall A</th><th scope="col">Hall B</th>'
        in html
    )
    assert 'class="sessions programme-list"' in html
    assert "Times in Asia/Almaty, UTC+06:00" in html


async def test_speaker_page_shows_the_person_never_the_email(
    demo: AsyncSession, client: Client
) -> None:
    usman = await _speaker(demo, "Usman")
    usman.email = "muhammad.usman@example.org"
    await demo.commit()
    response = await client.get(f"/e/{SCIENCE_DAY}/speakers/{usman.id}")
    assert response.status_code == 200
    html = response.text
    assert "Dr. Muhammad Usman" in html
    assert "Martin-Luther-Universität Halle-Wittenberg (MLU)" in html
    assert "Germany" in html
    assert "Working with Kazakh partners: experience from Halle" in html
    assert "Broadening collaboration through mutual funding" in html
    for url in (
        "/",
        f"/e/{SCIENCE_DAY}",
        f"/e/{SCIENCE_DAY}/programme",
        f"/e/{SCIENCE_DAY}/speakers/{usman.id}",
    ):
        page = await client.get(url)
        assert "muhammad.usman@example.org" not in page.text
        assert "example.org" not in page.text


async def test_lang_kk_gives_kazakh_content_and_interface_and_a_cookie(
    demo: AsyncSession, client: Client
) -> None:
    response = await client.get(f"/e/{SCIENCE_DAY}?lang=kk", headers={"accept-language": "de"})
    assert response.status_code == 200
    html = response.text
    assert '<html lang="kk">' in html
    assert '<header class="event-header" lang="kk">' in html
    assert "<h1>Неміс-қазақ ғылым күні 2023</h1>" in html
    assert "Серіктес ұйымдар" in html and "Бағдарлама" in html and "Уақыт белдеуі" in html
    assert "12 қазан" in html  # Kazakh month names from Babel
    assert response.cookies.get("lang") == "kk"
    # The cookie now decides, over Accept-Language.
    again = await client.get(f"/e/{SCIENCE_DAY}/programme", headers={"accept-language": "de"})
    assert "Бағдарлама" in again.text and "Неміс-қазақ ғылым күні 2023" in again.text


async def test_accept_language_de_picks_german(demo: AsyncSession, client: Client) -> None:
    response = await client.get(f"/e/{SCIENCE_DAY}", headers={"accept-language": "de-DE,de;q=0.9"})
    html = response.text
    assert '<html lang="de">' in html
    assert "<h1>Deutsch-Kasachischer Wissenschaftstag 2023</h1>" in html
    assert "Partnerinstitutionen" in html and "Veranstalter" in html
    assert "12. Oktober 2023" in html
    assert "Deutschland" in html


async def test_unknown_language_falls_back(demo: AsyncSession, client: Client) -> None:
    response = await client.get(f"/e/{SCIENCE_DAY}?lang=xx", headers={"accept-language": "fr"})
    html = response.text
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "<h1>German–Kazakh Science Day 2023</h1>" in html
    assert "lang" not in response.cookies
    # German interface, but the round table has no German: its default, Russian, with lang="ru".
    kariu = await client.get("/e/kariu-agh-round-table", headers={"accept-language": "de"})
    assert "Partnerinstitutionen" in kariu.text
    assert '<header class="event-header" lang="ru">' in kariu.text
    assert "Круглый стол КарИУ и AGH" in kariu.text


async def test_polish_content_on_the_round_table(demo: AsyncSession, client: Client) -> None:
    response = await client.get("/e/kariu-agh-round-table?lang=pl")
    html = response.text
    assert "Okrągły stół KarIU i AGH" in html
    assert "Akademia Górniczo-Hutnicza im. Stanisława Staszica w Krakowie" in html
    assert "prof. dr hab. inż. Łukasz Wójcik" in html


async def test_upcoming_event_in_almaty_shows_utc_plus_5(
    demo: AsyncSession, client: Client
) -> None:
    response = await client.get("/e/rare-earths-round-table", headers={"accept-language": "en"})
    assert response.status_code == 200
    assert "Asia/Almaty, UTC+05:00" in response.text
    assert "Öskemen (Ust-Kamenogorsk)" in response.text


async def test_drafts_and_unknown_pages_are_404(demo: AsyncSession, client: Client) -> None:
    draft = _event("hidden-draft", status="draft")
    demo.add(draft)
    await demo.commit()
    draft_speaker = Speaker(event_id=draft.id, given_name="Hidden", family_name="Person")
    demo.add(draft_speaker)
    await demo.commit()
    usman = await _speaker(demo, "Usman")
    for url in (
        "/e/hidden-draft",
        "/e/hidden-draft/programme",
        f"/e/hidden-draft/speakers/{draft_speaker.id}",
        "/e/no-such-event",
        f"/e/{SCIENCE_DAY}/speakers/999999",
        f"/e/kariu-agh-round-table/speakers/{usman.id}",  # a speaker of another event
    ):
        response = await client.get(url, headers={"accept-language": "ru"})
        assert response.status_code == 404, url
        assert "Страница не найдена" in response.text


async def test_hostile_text_is_shown_as_text(db: AsyncSession, client: Client) -> None:
    event = _event(
        "hostile",
        title={"en": "<script>alert(1)</script>"},
        description={"en": "<b>bold</b> & <i>more</i>"},
        venue='"><img src=x onerror=alert(2)>',
    )
    db.add(event)
    await db.commit()
    speaker = Speaker(
        event_id=event.id,
        given_name="<svg onload=alert(3)>",
        family_name="X",
        biography={"en": "<img src=x onerror=alert(4)>"},
    )
    db.add(speaker)
    await db.commit()
    db.add(
        AgendaSession(
            event_id=event.id,
            title={"en": "<iframe src=//evil>"},
            kind="talk",
            starts_at=datetime(2031, 5, 1, 8, tzinfo=UTC),
            ends_at=datetime(2031, 5, 1, 9, tzinfo=UTC),
        )
    )
    await db.commit()
    pages = [
        (await client.get(url)).text
        for url in ("/", "/e/hostile", "/e/hostile/programme", f"/e/hostile/speakers/{speaker.id}")
    ]
    joined = "\n".join(pages)
    for raw in ("<script>alert", "<b>bold", "<img src=x", "<svg", "<iframe"):
        assert raw not in joined
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[1]
    assert "&lt;img src=x onerror=alert(4)&gt;" in pages[3]
    assert "&lt;iframe src=//evil&gt;" in pages[2]
