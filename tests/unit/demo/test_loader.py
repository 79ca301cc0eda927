"""The demo loader: idempotent, --if-empty, times in the event's zone, data that fits the model."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from events import i18n
from events.agenda.models import (
    AgendaSession,
    Event,
    EventPartner,
    Organisation,
    Room,
    SessionPerson,
    Speaker,
)
from events.demo import data
from events.demo.loader import load_demo

MODELS = (Organisation, Event, EventPartner, Room, Speaker, AgendaSession, SessionPerson)


async def _counts(db: AsyncSession) -> dict[str, int]:
    return {
        model.__tablename__: int(await db.scalar(select(func.count()).select_from(model)) or 0)
        for model in MODELS
    }


async def test_demo_is_idempotent(db: AsyncSession) -> None:
    first = await load_demo(db)
    await db.commit()
    after_first = await _counts(db)
    assert first.created_events == [spec.slug for spec in data.EVENTS]
    assert after_first["events"] == 3
    assert after_first["organisations"] == len(data.ORGANISATIONS)
    assert after_first["sessions"] == sum(len(spec.sessions) for spec in data.EVENTS)

    second = await load_demo(db)
    await db.commit()
    assert second.created_events == []
    assert second.created_organisations == 0
    assert await _counts(db) == after_first


async def test_if_empty_does_nothing_when_an_event_exists(db: AsyncSession) -> None:
    db.add(
        Event(
            slug="someone-elses-event", title={"en": "Mine"}, kind="workshop", status="draft",
            starts_at=datetime(2030, 1, 1, 9, tzinfo=UTC),
            ends_at=datetime(2030, 1, 1, 17, tzinfo=UTC),
            timezone="Europe/Berlin", country="DE", languages=["en"], default_language="en",
        )
    )  # fmt: skip
    await db.commit()
    result = await load_demo(db, if_empty=True)
    await db.commit()
    assert result.created_events == []
    counts = await _counts(db)
    assert counts["events"] == 1
    assert counts["organisations"] == 0


async def test_if_empty_loads_into_an_empty_database(db: AsyncSession) -> None:
    result = await load_demo(db, if_empty=True)
    await db.commit()
    assert len(result.created_events) == 3


async def test_science_day_times_are_almaty_at_utc_plus_6(db: AsyncSession) -> None:
    await load_demo(db)
    await db.commit()
    event = await db.scalar(select(Event).where(Event.slug == "german-kazakh-science-day-2023"))
    assert event is not None
    assert event.status == "closed" and event.timezone == "Asia/Almaty"
    keynote = await db.scalar(
        select(AgendaSession).where(
            AgendaSession.event_id == event.id, AgendaSession.kind == "keynote"
        )
    )
    assert keynote is not None
    # 10:00 in Almaty on 12 October 2023 was 04:00 UTC (UTC+6 until 1 March 2024).
    assert keynote.starts_at == datetime(2023, 10, 12, 4, 0, tzinfo=UTC)
    assert keynote.starts_at.astimezone(ZoneInfo("Asia/Almaty")).hour == 10


async def test_rare_earths_is_upcoming_relative_to_today_at_utc_plus_5(db: AsyncSession) -> None:
    today = date(2026, 3, 10)
    await load_demo(db, today=today)
    await db.commit()
    event = await db.scalar(select(Event).where(Event.slug == "rare-earths-round-table"))
    assert event is not None
    assert event.status == "published"
    local_start = event.starts_at.astimezone(ZoneInfo("Asia/Almaty"))
    assert local_start.date() == today + timedelta(days=30)
    assert local_start.utcoffset() == timedelta(hours=5)
    assert event.ends_at.astimezone(ZoneInfo("Asia/Almaty")).date() == today + timedelta(days=31)


async def test_partners_speakers_and_people_are_linked(db: AsyncSession) -> None:
    await load_demo(db)
    await db.commit()
    event = await db.scalar(select(Event).where(Event.slug == "german-kazakh-science-day-2023"))
    assert event is not None
    roles = {(p.organisation.short_name, p.role) for p in event.partners}
    assert ("BMBF", "host") in roles and ("ҚР ҰҒА", "co_host") in roles
    assert {"DFG", "DAAD", "AvH", "MPG", "Fraunhofer", "Helmholtz", "Leibniz", "DKU", "CASIB",
            "MLU"} <= {short for short, _ in roles}  # fmt: skip
    speakers = (await db.scalars(select(Speaker).where(Speaker.event_id == event.id))).all()
    assert {s.display_name for s in speakers} == {"Dr. Muhammad Usman", "Dr. Peter Liebelt"}
    agh = await db.scalar(select(Organisation).where(Organisation.short_name == "AGH"))
    assert agh is not None and agh.country == "PL" and "Górniczo-Hutnicza" in agh.name


def test_data_fits_the_model() -> None:
    keys = {org.key for org in data.ORGANISATIONS}
    kazakh_letters = set("әғқңөұүһі")
    for spec in data.EVENTS:
        assert spec.default_language in spec.languages
        assert set(spec.languages) <= set(i18n.CONTENT_LANGUAGES)
        for field_ in (spec.title, spec.description):
            assert set(field_) == set(spec.languages), spec.slug
        if "kk" in spec.languages:
            assert kazakh_letters & set(spec.title["kk"] + spec.description["kk"])
        assert all(key in keys for key, _ in spec.partners)
        rooms = {name for name, _ in spec.rooms}
        speakers = {person.key for person in spec.speakers}
        days = len(spec.dates or spec.days_from_today)
        for item in spec.sessions:
            assert 0 <= item.day < days
            assert item.room is None or item.room in rooms
            assert item.starts < item.ends
            assert spec.default_language in item.title
            assert all(key in speakers for key, _ in item.people)
        for text in [*spec.title.values(), *spec.description.values()]:
            assert unicodedata.is_normalized("NFC", text)


def test_illustrative_details_are_marked() -> None:
    marks = tuple(data.ILLUSTRATIVE.values())
    for spec in data.EVENTS:
        for item in spec.sessions:
            if item.kind != "break" and item.abstract:
                assert all(text.endswith(marks) for text in item.abstract.values()), item.title
    assert data.KARIU_AGH.description["en"].endswith("illustrative.")


def test_cli_demo_and_if_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from events.cli import main
    from events.settings import get_settings

    monkeypatch.setenv("EVENTS_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("EVENTS_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
        first = runner.invoke(main, ["demo", "--if-empty"])
        assert first.exit_code == 0, first.output
        assert "loaded german-kazakh-science-day-2023" in first.output
        second = runner.invoke(main, ["demo", "--if-empty"])
        assert "demo not loaded" in second.output
        third = runner.invoke(main, ["demo"])
        assert "kept rare-earths-round-table (exists)" in third.output
        assert "0 organisations added" in third.output
    finally:
        get_settings.cache_clear()


async def test_the_upcoming_round_table_takes_registrations(db) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from events.agenda.models import Event
    from events.demo.loader import load_demo
    from events.registration.models import RegistrationSettings

    await load_demo(db)
    await db.commit()
    await load_demo(db)  # a second run keeps the settings as they are
    await db.commit()
    rows = (
        await db.execute(
            select(Event.slug, RegistrationSettings.capacity).join(
                RegistrationSettings, RegistrationSettings.event_id == Event.id
            )
        )
    ).all()
    assert [(slug, capacity) for slug, capacity in rows] == [("rare-earths-round-table", 60)]
