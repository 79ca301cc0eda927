"""Every demo event's schedule files validate, its programme PDF renders, its times are local."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from events.demo import data
from events.demo.loader import load_demo
from events.documents.programme import render_programme
from events.publishing import services
from tests.unit.publishing.test_schedule import assert_valid


@pytest.mark.parametrize("slug", [spec.slug for spec in data.EVENTS])
async def test_demo_event_schedules_validate_and_programme_renders(db, settings, slug) -> None:  # type: ignore[no-untyped-def]
    await load_demo(db)
    await db.commit()
    event = await services.load_event(db, slug, settings, public=True)
    as_json, _xml = assert_valid(event)
    conference = as_json["schedule"]["conference"]
    assert conference["days"], slug
    if slug == "german-kazakh-science-day-2023":
        # Almaty was at UTC+6 in October 2023.
        first = next(
            talk for day in conference["days"] for talks in day["rooms"].values() for talk in talks
        )
        assert first["date"].endswith("+06:00")
    pdf = render_programme(event, services.programme_options(event, None, None))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert event.sessions[0].title[event.default_language].split()[0] in text
