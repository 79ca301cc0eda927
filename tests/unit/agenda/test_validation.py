"""Field rules, without a database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from events.agenda import validation as v
from events.agenda.models import SessionKind
from events.errors import InvalidInput


def error_of(call) -> InvalidInput:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as caught:
        call()
    return caught.value


@pytest.mark.parametrize("slug", ["abc", "science-day-2023", "a1-b2-c3", "x" * 80])
def test_good_slugs_pass(slug: str) -> None:
    assert v.slug(slug) == slug


@pytest.mark.parametrize(
    "slug",
    ["ab", "Science-Day", "science--day", "-day", "day-", "day_2023", "день", "x" * 81, "a b"],
)
def test_bad_slugs_are_refused(slug: str) -> None:
    error = error_of(lambda: v.slug(slug))
    assert error.field == "slug"
    assert error.code in {"invalid_slug", "too_long"}


def test_text_is_stripped_and_nfc_normalised() -> None:
    decomposed = "  Ju\u0308rgen Gro\u00df "
    assert v.text(decomposed, "name", max_length=50) == "Jürgen Groß"


@pytest.mark.parametrize("bad", ["a\x00b", "a\x07b", "line\nbreak", "tab\there"])
def test_short_texts_refuse_control_characters(bad: str) -> None:
    error = error_of(lambda: v.text(bad, "name", max_length=50))
    assert (error.code, error.field) == ("control_character", "name")


def test_long_texts_keep_newlines_and_tabs_but_refuse_nul() -> None:
    assert v.text("one\r\ntwo\tthree", "bio", max_length=50, multiline=True) == "one\ntwo\tthree"
    assert error_of(lambda: v.text("a\x00", "bio", max_length=50, multiline=True)).code == (
        "control_character"
    )


@pytest.mark.parametrize("bad", ["abc\u202egpj.exe", "a\u202db", "a\u2066b\u2069"])
def test_texts_refuse_bidirectional_overrides_but_keep_marks(bad: str) -> None:
    for multiline in (False, True):
        error = error_of(lambda m=multiline: v.text(bad, "name", max_length=50, multiline=m))
        assert (error.code, error.field) == ("control_character", "name")
    # A right-to-left mark is how people write mixed-direction names: it stays.
    assert v.text("Sara \u200fשרה", "name", max_length=50) == "Sara \u200fשרה"


def test_text_length_is_enforced_with_a_422() -> None:
    error = error_of(lambda: v.text("x" * 121, "name", max_length=120))
    assert (error.status_code, error.code, error.field) == (422, "too_long", "name")
    assert v.text("x" * 120, "name", max_length=120) == "x" * 120


def test_countries_are_real_iso_codes_normalised_upper_case() -> None:
    assert v.country("kz", "country") == "KZ"
    assert v.countries(["de", "KZ", "de"], "partner_countries") == ["DE", "KZ"]
    assert error_of(lambda: v.country("XX", "country")).code == "invalid_country"
    assert error_of(lambda: v.countries(["de", "zz"], "partner_countries")).field == (
        "partner_countries[1]"
    )


def test_time_zones_must_exist() -> None:
    assert v.timezone("Asia/Almaty") == "Asia/Almaty"
    assert error_of(lambda: v.timezone("Asia/Atlantis")).code == "invalid_timezone"
    assert error_of(lambda: v.timezone("../../etc/passwd")).code == "invalid_timezone"


def test_choices_list_the_allowed_values() -> None:
    assert v.choice("talk", SessionKind, "kind") == "talk"
    error = error_of(lambda: v.choice("party", SessionKind, "kind"))
    assert error.field == "kind"
    assert "keynote" in error.message and "lab_visit" in error.message


def test_multilingual_keys_must_be_event_languages_and_the_default_is_required() -> None:
    assert v.multilingual(
        {"en": "Day", "kk": "Күн"},
        "title",
        event_languages=["en", "kk"],
        max_length=300,
        multiline=False,
        required_language="en",
    ) == {"en": "Day", "kk": "Күн"}
    error = error_of(
        lambda: v.multilingual(
            {"en": "Day", "de": "Tag"},
            "title",
            event_languages=["en", "kk"],
            max_length=300,
            multiline=False,
        )
    )
    assert (error.code, error.field) == ("invalid_language", "title.de")
    error = error_of(
        lambda: v.multilingual(
            {"kk": "Күн"},
            "title",
            event_languages=["en", "kk"],
            max_length=300,
            multiline=False,
            required_language="en",
        )
    )
    assert (error.code, error.field) == ("required", "title.en")


def test_a_naive_datetime_is_read_in_the_events_zone_and_stored_in_utc() -> None:
    # Almaty: UTC+6 until 1 March 2024, UTC+5 since.
    assert v.moment(datetime(2023, 10, 12, 9, 0), "starts_at", "Asia/Almaty") == datetime(
        2023, 10, 12, 3, 0, tzinfo=UTC
    )
    assert v.moment(datetime(2024, 10, 12, 9, 0), "starts_at", "Asia/Almaty") == datetime(
        2024, 10, 12, 4, 0, tzinfo=UTC
    )
    aware = datetime(2023, 10, 12, 9, 0, tzinfo=timezone(timedelta(hours=2)))
    assert v.moment(aware, "starts_at", "Asia/Almaty") == datetime(2023, 10, 12, 7, 0, tzinfo=UTC)


def test_local_day_bounds_follow_the_zone() -> None:
    start, end = v.local_day_bounds(date(2023, 10, 12), "Asia/Almaty")
    assert (start, end) == (
        datetime(2023, 10, 11, 18, 0, tzinfo=UTC),
        datetime(2023, 10, 12, 18, 0, tzinfo=UTC),
    )


def test_emails_and_websites() -> None:
    assert v.email("a.b@example.org") == "a.b@example.org"
    assert error_of(lambda: v.email("not an email")).code == "invalid_email"
    assert v.website("https://agh.edu.pl") == "https://agh.edu.pl"
    assert error_of(lambda: v.website("javascript:alert(1)")).code == "invalid_url"
