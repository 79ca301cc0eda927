from __future__ import annotations

import csv
import io

from sqlalchemy.ext.asyncio import AsyncSession

from events.publishing import csv_export, services
from events.publishing.schemas import EventData
from events.publishing.text import neutralise_cell
from events.settings import Settings
from tests.unit.publishing.factory import HOSTILE_TITLE, SLUG


def rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, so that Excel reads the letters
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_cells_starting_with_formula_characters_are_neutralised() -> None:
    for value in ("=1+1", "+7 701", "-2", "@SUM(A1)", "\t=1"):
        assert neutralise_cell(value) == "'" + value
    assert neutralise_cell("Айгерім") == "Айгерім"
    assert neutralise_cell("1=1") == "1=1"


async def test_agenda_csv_has_every_session_in_local_time(event_data: EventData) -> None:
    agenda = rows(csv_export.agenda_csv(event_data))
    assert len(agenda) == len(event_data.sessions)
    assert agenda[0]["date"] == "2023-10-12" and agenda[0]["start"] == "09:00"
    assert agenda[0]["title_kk"] == "Ашылу және құттықтау сөздер"
    hostile = next(r for r in agenda if "Bold" in r["title_de"])
    assert hostile["title_de"] == HOSTILE_TITLE  # does not start with a formula character
    assert hostile["abstract_de"].startswith("'-1+2")
    panel = next(r for r in agenda if r["kind"] == "panel")
    assert panel["speakers"].count(";") == 12
    assert "Małgorzata Brzęczyszczykiewicz" in panel["speakers"]


async def test_speakers_csv_neutralises_formulas_and_keeps_names(
    db: AsyncSession, settings: Settings, event_data: EventData
) -> None:
    organiser_view = await services.load_event(db, SLUG, settings, public=False, with_emails=True)
    speakers = {r["family_name"]: r for r in rows(csv_export.speakers_csv(organiser_view))}
    assert speakers["Wójcik"]["position"] == '\'=HYPERLINK("http://evil")'
    assert speakers["Groß"]["position"] == "'@Leiter <Labor> & Co"
    assert speakers["Groß"]["email"] == "'+49 30 1234"
    assert speakers["Сәрсенбаева"]["given_name"] == "Айгерім"
    assert speakers["Сәрсенбаева"]["email"] == "aigerim@example.kz"
    assert "2023-10-13 10:00 Зертханаларға экскурсия (chair)" in speakers["Сәрсенбаева"]["sessions"]
    assert len(speakers) == len(event_data.speakers)
