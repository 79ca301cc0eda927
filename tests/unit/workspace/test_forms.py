"""The workspace's form parsing and change records, without a database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from events.errors import InvalidInput
from events.workspace import forms, services


def test_event_form_becomes_the_agenda_input() -> None:
    data = forms.event_data(
        {
            "slug": [" kz-de "], "kind": ["round_table"], "timezone": ["Asia/Almaty"],
            "country": ["kz"], "default_language": ["de"], "venue": [""], "city": ["Almaty"],
            "languages": ["kk", "de"], "title-de": ["Runder Tisch"], "title-kk": ["Дөңгелек үстел"],
            "title-en": [""], "description-de": ["Text"], "partner_countries": ["de, kz;PL"],
            "starts_at": ["2030-09-16T09:00"], "ends_at": ["2030-09-17T17:30"],
        }
    )  # fmt: skip
    assert data["slug"] == "kz-de"
    assert data["languages"] == ["de", "kk"]  # the order of the content languages
    assert data["title"] == {"de": "Runder Tisch", "kk": "Дөңгелек үстел"}
    assert data["description"] == {"de": "Text", "kk": ""}
    assert data["venue"] is None and data["city"] == "Almaty"
    assert data["partner_countries"] == ["de", "kz", "PL"]
    assert data["starts_at"] == datetime(2030, 9, 16, 9, 0)  # naive: read in the event's zone


def test_text_in_a_language_not_ticked_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        forms.multilingual({"title-ru": ["Круглый стол"]}, "title", ["de"])
    assert caught.value.field == "title.ru"


@pytest.mark.parametrize("value", ["", "tomorrow", "2030-13-01T10:00"])
def test_bad_datetime_names_its_field(value: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        forms.local_datetime(value, "ends_at")
    assert caught.value.field == "ends_at"


def test_error_keys_and_numbers() -> None:
    assert forms.error_key("languages[2]") == "languages"
    assert forms.error_key("title.kk") == "title.kk"
    assert forms.error_key(None) == "form"
    assert forms.optional_int(" ", "capacity") is None
    assert forms.optional_int("40", "capacity") == 40
    with pytest.raises(InvalidInput):
        forms.optional_int("forty", "capacity")


def test_changes_list_before_and_after_of_changed_fields_only() -> None:
    before = {"title": {"en": "A"}, "city": None, "starts_at": "2030-01-01T00:00:00+00:00"}
    after = {"title": {"en": "B"}, "city": None, "starts_at": "2030-01-01T00:00:00+00:00"}
    assert services.changes(before, after) == {
        "title": {"before": {"en": "A"}, "after": {"en": "B"}}
    }
    assert services._plain(datetime(2030, 1, 1, tzinfo=UTC)) == "2030-01-01T00:00:00+00:00"


def test_mail_dedupe_keys_point_to_registrations() -> None:
    assert services._registration_id("registration:42:new") == 42
    assert services._registration_id("registration:x:new") is None
    assert services._registration_id("invitation:42") is None
    assert services._registration_id(None) is None
