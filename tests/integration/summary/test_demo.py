"""The demo: the round table's memorandum and the Science Day's published summary."""

from __future__ import annotations

import io
from xml.etree import ElementTree as ET

import pypdf
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events.agenda.models import Event
from events.checkin import services as checkin_services
from events.checkin.models import EVENT_DOOR, CheckIn, Scan
from events.demo.loader import load_demo
from events.summary import services
from events.summary.models import Outcome, Summary


async def test_demo_outcomes_and_summary(db: AsyncSession, client) -> None:  # type: ignore[no-untyped-def]
    await load_demo(db)
    await db.commit()
    await load_demo(db)  # idempotent
    await db.commit()

    round_table = await db.scalar(select(Event).where(Event.slug == "kariu-agh-round-table"))
    assert round_table is not None
    outcomes = await services.outcomes_of(db, round_table.id)
    assert len(outcomes) == 1
    memorandum = outcomes[0]
    assert memorandum.kind == "memorandum"
    assert [p.organisation.short_name for p in memorandum.parties] == ["КарИУ", "AGH"]
    assert len((await db.scalars(select(Outcome))).all()) == 1

    science_day = await db.scalar(
        select(Event).where(Event.slug == "german-kazakh-science-day-2023")
    )
    assert science_day is not None
    summaries = (await db.scalars(select(Summary))).all()
    assert [(s.event_id, s.status) for s in summaries] == [(science_day.id, "published")]
    # The demo admitted people through the check-in service, as a desk does: one scan per
    # check-in, answered "ok", at the door on the morning of the event; loaded twice, once.
    checkins = (await db.scalars(select(CheckIn).where(CheckIn.event_id == science_day.id))).all()
    scans = (await db.scalars(select(Scan).where(Scan.event_id == science_day.id))).all()
    assert len(checkins) == len(scans) == 52
    by_id = {scan.id: scan for scan in scans}
    for checkin in checkins:
        assert checkin.scan_id is not None and checkin.door == EVENT_DOOR
        scan = by_id[checkin.scan_id]
        assert (scan.outcome, scan.checkin_id) == ("ok", checkin.id)
        assert scan.registration_id == checkin.registration_id and scan.answer["status"] == "ok"
        assert scan.token and scan.desk == checkin.desk == "Entrance (demo)"
        assert scan.scanned_at == checkin.checked_in_at
        assert science_day.starts_at <= checkin.checked_in_at < science_day.ends_at
    counts = await checkin_services.counts(db, science_day.id)
    assert (counts.confirmed, counts.checked_in) == (64, 52)
    figures = await services.compute_figures(db, science_day)
    assert (figures.registered, figures.attended, figures.basis) == (64, 52, "attended")
    assert [g.key for g in figures.by_country[:2]] == ["DE", "KZ"]
    assert figures.by_country[-1].key == "other"
    assert all(g.count >= 3 for g in figures.by_country if g.key != "other")
    kinds = {g.key for g in figures.by_kind}
    assert {"funding_agency", "research_institute", "university", "other"} <= kinds
    assert figures.partner_institutions == 12 and figures.speakers == 2
    await db.commit()  # end the read transaction before the app writes (SQLite)

    page = await client.get("/e/german-kazakh-science-day-2023/summary?lang=kk")
    assert page.status_code == 200
    assert "Неміс-қазақ ғылым күні" in page.text
    pdf = await client.get("/e/german-kazakh-science-day-2023/summary.pdf?lang=de")
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Wissenschaftstag" in text and "Förderer" in text
    feed = ET.fromstring((await client.get("/feed.atom")).content)  # noqa: S314 - our own answer
    titles = [e.findtext("{http://www.w3.org/2005/Atom}title") for e in
              feed.iter("{http://www.w3.org/2005/Atom}entry")]  # fmt: skip
    assert titles == ["German–Kazakh Science Day 2023"]
