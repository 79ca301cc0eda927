"""The date filters every page and e-mail uses: the reader's language, the event's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from events import i18n, templating

OPENING = datetime(2023, 10, 12, 3, 0, tzinfo=UTC)  # 09:00 in Almaty


def in_language(language: str, function: object, *args: object) -> str:
    i18n.set_language(language)
    try:
        return function(*args)  # type: ignore[operator, no-any-return]
    finally:
        i18n.set_language(i18n.DEFAULT_LANGUAGE)


def test_dates_follow_the_reader_s_language_and_the_event_s_zone() -> None:
    # Formatted answers are kept: each language and zone must still get its own.
    german = in_language("de", templating.date_filter, OPENING, "Asia/Almaty")
    russian = in_language("ru", templating.date_filter, OPENING, "Asia/Almaty")
    assert german == "12. Oktober 2023" and "октября 2023" in russian
    assert in_language("de", templating.date_filter, OPENING, "Asia/Almaty") == german
    almaty = in_language("en", templating.datetime_filter, OPENING, "Asia/Almaty")
    warsaw = in_language("en", templating.datetime_filter, OPENING, "Europe/Warsaw")
    assert "9:00" in almaty and "5:00" in warsaw
    assert in_language("de", templating.datetime_filter, OPENING, "Asia/Almaty") != almaty


def test_the_same_instant_in_another_zone_reads_the_same() -> None:
    same = OPENING.astimezone(timezone(timedelta(hours=-5)))
    first = in_language("en", templating.datetime_filter, OPENING, "Asia/Almaty")
    assert in_language("en", templating.datetime_filter, same, "Asia/Almaty") == first
    later = in_language(
        "en", templating.datetime_filter, OPENING + timedelta(hours=1), "Asia/Almaty"
    )
    assert later != first
