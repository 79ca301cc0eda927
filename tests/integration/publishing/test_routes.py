from __future__ import annotations

import io
import json
from email.utils import parsedate_to_datetime

from icalendar import Calendar
from litestar import Litestar
from litestar.testing import AsyncTestClient
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events.agenda.models import AgendaSession
from events.settings import Settings
from tests.unit.publishing.factory import SLUG, create_event
from tests.unit.publishing.test_schedule import XSD, json_errors

Client = AsyncTestClient  # type: ignore[type-arg]


async def test_programme_pdf_in_two_languages_with_etag_and_304(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    await create_event(db, settings.data_dir)
    url = f"/e/{SLUG}/programme.pdf?lang=de&lang=kk"
    response = await client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Deutsch-Kasachischer Wissenschaftstag" in text and "Қазақ-неміс ғылым күні" in text
    etag = response.headers["etag"]
    last_modified = parsedate_to_datetime(response.headers["last-modified"])
    assert last_modified.year >= 2024  # the rows' updated_at, not the event's date
    cached = list((settings.data_dir / "cache" / "programme").glob("*.pdf"))
    assert len(cached) == 1 and etag.strip('"') in cached[0].name

    again = await client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    since = await client.get(url, headers={"If-Modified-Since": response.headers["last-modified"]})
    assert since.status_code == 304

    # A change of the agenda gives a new fingerprint and a rebuilt file.
    row = await db.scalar(select(AgendaSession).where(AgendaSession.kind == "break"))
    assert row is not None
    row.title = {"de": "Mittagspause", "kk": "Түскі үзіліс"}
    await db.commit()
    changed = await client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert "Түскі үзіліс" in "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(changed.content)).pages
    )
    assert len(list((settings.data_dir / "cache" / "programme").glob("*.pdf"))) == 1


async def test_programme_pdf_sizes_and_bad_options(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    await create_event(db, settings.data_dir)
    a5 = await client.get(f"/e/{SLUG}/programme.pdf?size=a5")
    assert a5.status_code == 200
    assert round(float(PdfReader(io.BytesIO(a5.content)).pages[0].mediabox.width)) == 420
    bad_size = await client.get(
        f"/e/{SLUG}/programme.pdf?size=letter", headers={"Accept": "application/json"}
    )
    assert bad_size.status_code == 422
    assert bad_size.json()["field"] == "size"
    bad_lang = await client.get(f"/e/{SLUG}/programme.pdf?lang=ru",
                                headers={"Accept": "application/json"})  # fmt: skip
    assert bad_lang.status_code == 422 and bad_lang.json()["field"] == "lang"
    three = await client.get(f"/e/{SLUG}/programme.pdf?lang=de&lang=kk&lang=de")
    assert three.status_code == 200


async def test_drafts_and_unknown_events_answer_404(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    await create_event(db, settings.data_dir, slug="draft-day", status="draft")
    for slug in ("draft-day", "no-such-event"):
        for path in ("programme.pdf", "programme.ics", "schedule.json", "schedule.xml",
                     "sessions/1.ics"):  # fmt: skip
            response = await client.get(f"/e/{slug}/{path}")
            assert response.status_code == 404, (slug, path)
    published = await create_event(db, settings.data_dir / "other", slug="open-day")
    assert published.id
    for name in ("999999.ics", "abc.ics", "1.pdf"):
        response = await client.get(f"/e/open-day/sessions/{name}")
        assert response.status_code == 404, name


async def test_calendars_parse_back_with_local_times(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    await create_event(db, settings.data_dir)
    whole = await client.get(f"/e/{SLUG}/programme.ics")
    assert whole.status_code == 200
    assert whole.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(whole.content)
    items = list(calendar.walk("VEVENT"))
    assert len(items) == 8
    first = items[0]
    assert first.decoded("DTSTART").strftime("%Y-%m-%d %H:%M %z") == "2023-10-12 09:00 +0600"
    session_id = str(first["UID"]).split("@")[0].removeprefix("session-")
    one = await client.get(f"/e/{SLUG}/sessions/{session_id}.ics?lang=kk")
    assert one.status_code == 200
    single = list(Calendar.from_ical(one.content).walk("VEVENT"))
    assert [str(e["UID"]) for e in single] == [str(first["UID"])]
    assert str(single[0]["SUMMARY"]) == "Ашылу және құттықтау сөздер"
    cached = await client.get(
        f"/e/{SLUG}/programme.ics", headers={"If-None-Match": whole.headers["etag"]}
    )
    assert cached.status_code == 304


async def test_schedule_files_validate(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    await create_event(db, settings.data_dir)
    as_json = await client.get(f"/e/{SLUG}/schedule.json")
    assert as_json.status_code == 200
    assert json_errors(as_json.content) == []
    days = json.loads(as_json.content)["schedule"]["conference"]["days"]
    assert days[0]["rooms"]["Hall A"][0]["date"] == "2023-10-12T09:00:00+06:00"
    as_xml = await client.get(f"/e/{SLUG}/schedule.xml")
    assert as_xml.status_code == 200
    XSD.validate(as_xml.text)
    kazakh = await client.get(f"/e/{SLUG}/schedule.json?lang=kk")
    assert "Зертханаларға экскурсия" in kazakh.text
    assert json_errors(kazakh.content) == []


async def test_organiser_csv_exports(
    client: Client, admin_client: Client, db: AsyncSession, settings: Settings
) -> None:
    await create_event(db, settings.data_dir, status="draft")
    # Anonymous callers are refused; organisers (here an admin) get the files.
    refused = await client.get(f"/api/v1/events/{SLUG}/exports/agenda.csv")
    assert refused.status_code == 401
    client = admin_client
    agenda = await client.get(f"/api/v1/events/{SLUG}/exports/agenda.csv")
    assert agenda.status_code == 200
    assert agenda.headers["content-type"].startswith("text/csv")
    assert agenda.content.startswith(b"\xef\xbb\xbf")
    assert "attachment" in agenda.headers["content-disposition"]
    assert "Ашылу және құттықтау сөздер" in agenda.content.decode("utf-8-sig")
    speakers = await client.get(f"/api/v1/events/{SLUG}/exports/speakers.csv")
    assert speakers.status_code == 200
    body = speakers.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body and "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body
    missing = await client.get("/api/v1/events/nothing/exports/agenda.csv")
    assert missing.status_code == 404 and missing.json()["code"] == "event_not_found"


def test_every_publishing_route_declares_its_access(app: Litestar) -> None:
    access = {
        route.path: handler.opt.get("access")
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
        if "GET" in getattr(handler, "http_methods", ())
        if "/programme." in route.path or "/exports/" in route.path or "/schedule." in route.path
        or (route.path.startswith("/e/") and "/sessions/" in route.path)
    }  # fmt: skip
    assert len(access) == 7
    for path, value in access.items():
        assert value == ("organiser" if "/exports/" in path else "public"), path
