from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import msgspec
import xmlschema
from lxml import etree

from events.publishing import schedule
from events.publishing.schemas import EventData

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "schedule"
JSON_SCHEMA = json.loads((FIXTURES / "schedule.json.schema.json").read_text())
XSD = xmlschema.XMLSchema(str(FIXTURES / "schedule.xml.xsd"))


def json_errors(document: bytes) -> list[str]:
    validator = jsonschema.Draft6Validator(
        JSON_SCHEMA, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER
    )
    return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(json.loads(document))]


def assert_valid(event: EventData) -> tuple[dict, etree._Element]:  # type: ignore[type-arg]
    as_json = schedule.schedule_json(event)
    assert json_errors(as_json) == []
    as_xml = schedule.schedule_xml(event)
    XSD.validate(as_xml.decode())
    return json.loads(as_json), etree.fromstring(as_xml)


def test_the_format_checker_is_really_checking() -> None:
    bad = {"schedule": {"version": "1", "conference": {"acronym": "A-B"}}}
    assert json_errors(json.dumps(bad).encode())
    broken = json.dumps(
        {"schedule": {"version": "1", "base_url": "not a uri", "conference": {}}}
    ).encode()
    assert any("uri" in e for e in json_errors(broken))


async def test_both_schedule_files_validate_with_local_times(event_data: EventData) -> None:
    document, root = assert_valid(event_data)
    conference = document["schedule"]["conference"]
    assert conference["acronym"] == "science_day_test"
    assert conference["time_zone_name"] == "Asia/Almaty"
    assert conference["daysCount"] == 2 and [d["date"] for d in conference["days"]] == [
        "2023-10-12",
        "2023-10-13",
    ]
    day_one = conference["days"][0]["rooms"]
    opening = day_one["Hall A"][0]
    assert opening["date"] == "2023-10-12T09:00:00+06:00"
    assert opening["start"] == "09:00" and opening["duration"] == "00:30"
    panel = next(e for e in day_one["Hall A"] if e["type"] == "panel")
    assert len(panel["persons"]) == 13
    assert "Małgorzata Brzęczyszczykiewicz" in {p["name"] for p in panel["persons"]}
    # The break has no room: it is listed under the venue.
    assert "Rixos Almaty <Hall> & Co" in day_one
    hostile = next(e for e in day_one["Зал Б"] if e["title"].startswith("<b>"))
    assert hostile["title"] == "<b>Bold</b> & <i>Co</i> =SUM(A1:A9)"
    xml_titles = [t.text for t in root.iter("title")]
    assert "<b>Bold</b> & <i>Co</i> =SUM(A1:A9)" in xml_titles
    xml_dates = [d.text for d in root.iter("date")]
    assert "2023-10-12T09:00:00+06:00" in xml_dates


async def test_guids_are_stable_and_belong_to_the_installation(event_data: EventData) -> None:
    first = json.loads(schedule.schedule_json(event_data))
    second = json.loads(schedule.schedule_json(event_data))
    guids = [
        e["guid"]
        for day in first["schedule"]["conference"]["days"]
        for events in day["rooms"].values()
        for e in events
    ]
    assert len(set(guids)) == len(event_data.sessions)
    assert first == second
    session = event_data.sessions[0]
    ns = uuid.uuid5(uuid.NAMESPACE_URL, "http://testserver.local")
    assert schedule.session_guid(event_data, session) == str(
        uuid.uuid5(ns, f"session:{session.id}")
    )
    elsewhere = msgspec.structs.replace(event_data, base_url="https://events.example.org")
    assert schedule.session_guid(elsewhere, session) != schedule.session_guid(event_data, session)


def test_an_empty_event_with_odd_data_still_validates() -> None:
    stamp = datetime(2024, 3, 1, 12, tzinfo=UTC)
    event = EventData(
        id=7, slug="x", title={"kk": "Бос \x00 іс-шара"}, description={}, kind="workshop",
        status="published", starts_at=stamp, ends_at=stamp, timezone="Etc/GMT-5", venue=None,
        city=None, country="KZ", languages=["kk"], default_language="kk", partner_countries=[],
        partners=[], rooms=[], sessions=[], speakers=[], base_url="http://127.0.0.1:8000",
        url="http://127.0.0.1:8000/e/x", last_modified=stamp,
    )  # fmt: skip
    document, root = assert_valid(event)
    assert document["schedule"]["conference"]["acronym"] == "x___"
    assert "time_zone_name" not in document["schedule"]["conference"]
    assert root.find("conference/title").text == "Бос  іс-шара"  # type: ignore[union-attr]
