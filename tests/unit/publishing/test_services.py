from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events.agenda.models import AgendaSession
from events.errors import InvalidInput, NotFound
from events.publishing import services
from events.publishing.schemas import EventData, fingerprint
from events.settings import Settings
from tests.unit.publishing.factory import SLUG, create_event, png_logo


async def test_loads_the_agenda_in_order_with_exact_names(event_data: EventData) -> None:
    starts = [s.starts_at for s in event_data.sessions]
    assert starts == sorted(starts)
    assert len(event_data.sessions) == 8
    # Same start: Hall A (position 0) before Зал Б.
    same = [s.room for s in event_data.sessions if s.starts_at == event_data.sessions[3].starts_at]
    assert same == ["Hall A", "Зал Б"]
    names = {s.display_name for s in event_data.speakers}
    assert {"Prof. Dr. Айгерім Сәрсенбаева", "Łukasz Wójcik", "Dr. Jürgen Groß"} <= names
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    panel = next(s for s in event_data.sessions if s.kind == "panel")
    assert len([p for p in panel.people if p.role == "panelist"]) == 12


async def test_public_loads_hide_e_mails_and_read_only_existing_logo_files(
    event_data: EventData,
) -> None:
    assert all(s.email is None for s in event_data.speakers)
    logos = {p.organisation.short_name: p.organisation.logo for p in event_data.partners}
    assert logos["ҚазҰУ"] == png_logo()
    assert logos["TU Berlin"] is None  # the file is missing
    assert logos["AGH"] == b"not an image at all"  # read; the PDF skips it
    assert all(p.organisation.logo is None for p in event_data.partners if p.role == "sponsor")


async def test_drafts_and_unknown_events_do_not_exist_for_the_public(
    db: AsyncSession, settings: Settings
) -> None:
    await create_event(db, settings.data_dir, status="draft")
    with pytest.raises(NotFound) as raised:
        await services.load_event(db, SLUG, settings)
    assert raised.value.code == "event_not_found"
    with pytest.raises(NotFound):
        await services.load_event(db, "no-such-event", settings)
    organiser_view = await services.load_event(db, SLUG, settings, public=False, with_emails=True)
    assert "aigerim@example.kz" in {s.email for s in organiser_view.speakers}


async def test_the_fingerprint_and_last_modified_follow_a_change_of_the_agenda(
    db: AsyncSession, settings: Settings, event_data: EventData
) -> None:
    before = fingerprint(event_data)
    again = await services.load_event(db, SLUG, settings, with_logos=True)
    assert fingerprint(again) == before
    session = await db.scalar(select(AgendaSession).where(AgendaSession.kind == "break"))
    assert session is not None
    session.title = {"de": "Lange Kaffeepause", "kk": "Ұзақ кофе-брейк"}
    await db.commit()
    after = await services.load_event(db, SLUG, settings, with_logos=True)
    assert fingerprint(after) != before
    assert after.last_modified >= event_data.last_modified
    assert after.last_modified == max(s.updated_at for s in after.sessions)


async def test_programme_options_name_the_field_at_fault(event_data: EventData) -> None:
    options = services.programme_options(event_data, ["kk", "de", "kk"], "A5")
    assert options.languages == ["kk", "de"] and options.size == "a5"
    assert services.programme_options(event_data, None, None).languages == ["de"]
    for languages, size, field in [
        (["ru"], None, "lang"),
        (["de"], "letter", "size"),
    ]:
        with pytest.raises(InvalidInput) as raised:
            services.programme_options(event_data, languages, size)
        assert raised.value.field == field


async def test_speakers_are_sorted_by_family_name_ignoring_accents(event_data: EventData) -> None:
    families = [s.family_name for s in event_data.speakers]
    assert families.index("Bär") < families.index("Brzęczyszczykiewicz") < families.index("Groß")
    assert families.index("Łęcka") < families.index("Ślązak") < families.index("Źdźbło")
