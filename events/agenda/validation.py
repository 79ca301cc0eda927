"""Field rules shared by the agenda services: text, slugs, languages, countries, zones, times.

Every function raises :class:`events.errors.InvalidInput` (422) naming the field at fault, so a
service never lets the database be the first to notice bad input.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import pycountry

from events.errors import InvalidInput
from events.i18n import CONTENT_LANGUAGES, gettext

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MIN, SLUG_MAX = 3, 80
# Longest text of one language in a multilingual field (descriptions, abstracts, biographies).
LONG_TEXT_MAX = 20_000
TITLE_MAX = 300
# Characters a short text may never hold: every control character (Cc), which includes NUL.
# Long texts may keep newlines and tabs.
_LONG_TEXT_ALLOWED_CONTROLS = frozenset("\n\t")
# Bidirectional embeddings, overrides and isolates: invisible, they reorder what a reader sees
# ("abc\u202egpj.exe" reads "abcexe.jpg") wherever the text is shown. Marks (U+200E/F) are fine.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

E = TypeVar("E", bound=enum.StrEnum)


def text(
    value: Any,
    field: str,
    *,
    max_length: int,
    required: bool = True,
    multiline: bool = False,
) -> str | None:
    """A typed text: stripped, NFC-normalised, without control characters (nor bidirectional
    overrides), within ``max_length``.

    Returns None for an optional empty text. ``multiline`` allows newlines and tabs (carriage
    returns are folded into newlines).
    """
    if value is None:
        if required:
            raise InvalidInput("required", gettext("This field is required."), field=field)
        return None
    if not isinstance(value, str):
        raise InvalidInput("invalid_type", gettext("This field must be a text."), field=field)
    cleaned = unicodedata.normalize("NFC", value)
    if multiline:
        cleaned = cleaned.replace("\r\n", "\n").replace("\r", "\n")
    cleaned = cleaned.strip()
    allowed = _LONG_TEXT_ALLOWED_CONTROLS if multiline else frozenset()
    for character in cleaned:
        if character in _BIDI_CONTROLS or (
            character not in allowed and unicodedata.category(character) == "Cc"
        ):
            raise InvalidInput(
                "control_character",
                gettext(
                    "This field contains a control character (U+%(code)04X).", code=ord(character)
                ),
                field=field,
            )
    if not cleaned:
        if required:
            raise InvalidInput("required", gettext("This field is required."), field=field)
        return None
    if len(cleaned) > max_length:
        raise InvalidInput(
            "too_long",
            gettext("This field is longer than %(max)d characters.", max=max_length),
            field=field,
        )
    return cleaned


def required_text(value: Any, field: str, *, max_length: int, multiline: bool = False) -> str:
    result = text(value, field, max_length=max_length, multiline=multiline)
    assert result is not None
    return result


def slug(value: Any, field: str = "slug") -> str:
    cleaned = required_text(value, field, max_length=SLUG_MAX)
    if len(cleaned) < SLUG_MIN or not SLUG_PATTERN.fullmatch(cleaned):
        raise InvalidInput(
            "invalid_slug",
            gettext(
                "A slug is %(min)d to %(max)d characters: lowercase words of letters a-z and "
                "digits joined by single hyphens, e.g. science-day-2025.",
                min=SLUG_MIN,
                max=SLUG_MAX,
            ),
            field=field,
        )
    return cleaned


def choice(value: Any, enum_type: type[E], field: str) -> str:
    """One value of ``enum_type``; the error lists the allowed values."""
    allowed = [member.value for member in enum_type]
    if isinstance(value, str) and value in allowed:
        return value
    raise InvalidInput(
        "invalid_choice",
        gettext("Choose one of: %(allowed)s.", allowed=", ".join(allowed)),
        field=field,
        allowed=allowed,
    )


def content_language(value: Any, field: str, allowed: Iterable[str] | None = None) -> str:
    choices = list(allowed) if allowed is not None else list(CONTENT_LANGUAGES)
    if isinstance(value, str) and value in choices:
        return value
    raise InvalidInput(
        "invalid_language",
        gettext("Choose one of the languages: %(allowed)s.", allowed=", ".join(choices)),
        field=field,
        allowed=choices,
    )


def languages(values: Any, field: str = "languages") -> list[str]:
    if not isinstance(values, list) or not values:
        raise InvalidInput("required", gettext("Give at least one content language."), field=field)
    result: list[str] = []
    for index, value in enumerate(values):
        code = content_language(value, f"{field}[{index}]")
        if code in result:
            raise InvalidInput(
                "duplicate", gettext("This language is listed twice."), field=f"{field}[{index}]"
            )
        result.append(code)
    return result


@cache
def _countries() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries)


def country(value: Any, field: str, *, required: bool = True) -> str | None:
    """An ISO 3166-1 alpha-2 code, normalised to upper case ("kz" -> "KZ")."""
    cleaned = text(value, field, max_length=2, required=required) if value is not None else None
    if cleaned is None:
        if required:
            raise InvalidInput("required", gettext("This field is required."), field=field)
        return None
    code = cleaned.upper()
    if code not in _countries():
        raise InvalidInput(
            "invalid_country",
            gettext("Give a two-letter ISO 3166-1 country code such as KZ, DE or PL."),
            field=field,
        )
    return code


def countries(values: Any, field: str) -> list[str]:
    if not isinstance(values, list):
        raise InvalidInput("invalid_type", gettext("Give a list of country codes."), field=field)
    result: list[str] = []
    for index, value in enumerate(values):
        code = country(value, f"{field}[{index}]")
        assert code is not None
        if code not in result:
            result.append(code)
    return result


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def timezone(value: Any, field: str = "timezone") -> str:
    cleaned = required_text(value, field, max_length=64)
    if cleaned not in _zones():
        raise InvalidInput(
            "invalid_timezone",
            gettext("Give an IANA time zone such as Asia/Almaty or Europe/Berlin."),
            field=field,
        )
    try:
        ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError) as exc:  # pragma: no cover - listed zones load
        raise InvalidInput("invalid_timezone", str(exc), field=field) from exc
    return cleaned


def multilingual(
    values: Any,
    field: str,
    *,
    event_languages: list[str],
    max_length: int,
    multiline: bool,
    required_language: str | None = None,
) -> dict[str, str]:
    """A map language -> text whose keys are event languages; empty texts are dropped."""
    if values is None:
        values = {}
    if not isinstance(values, Mapping):
        raise InvalidInput(
            "invalid_type",
            gettext('Give a map from language code to text, e.g. {"en": "…"}.'),
            field=field,
        )
    result: dict[str, str] = {}
    for language, value in values.items():
        if not isinstance(language, str) or language not in event_languages:
            raise InvalidInput(
                "invalid_language",
                gettext(
                    "This language is not one of the event's languages (%(allowed)s).",
                    allowed=", ".join(event_languages),
                ),
                field=f"{field}.{language}",
                allowed=event_languages,
            )
        cleaned = text(
            value, f"{field}.{language}", max_length=max_length, required=False, multiline=multiline
        )
        if cleaned is not None:
            result[language] = cleaned
    if required_language is not None and required_language not in result:
        raise InvalidInput(
            "required",
            gettext("Give the text in the event's default language."),
            field=f"{field}.{required_language}",
        )
    return result


def number(
    value: Any, field: str, *, minimum: int = 0, maximum: int = 1_000_000, required: bool = False
) -> int | None:
    if value is None:
        if required:
            raise InvalidInput("required", gettext("This field is required."), field=field)
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput("invalid_type", gettext("Give a whole number."), field=field)
    if not minimum <= value <= maximum:
        raise InvalidInput(
            "out_of_range",
            gettext(
                "Give a number from %(minimum)d to %(maximum)d.", minimum=minimum, maximum=maximum
            ),
            field=field,
        )
    return value


def moment(value: Any, field: str, zone: str) -> datetime:
    """A datetime in UTC: an aware one is converted, a naive one is read in ``zone``."""
    if not isinstance(value, datetime):
        raise InvalidInput(
            "invalid_type", gettext("Give a date and time in ISO 8601."), field=field
        )
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=ZoneInfo(zone))
    result: datetime = value.astimezone(UTC)
    return result


def local_day_bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    """The UTC instants at which ``day`` begins and ends in ``zone``."""
    tz = ZoneInfo(zone)
    start = datetime.combine(day, time(0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def email(value: Any, field: str = "email") -> str | None:
    cleaned = text(value, field, max_length=320, required=False)
    if cleaned is None:
        return None
    local, at, domain = cleaned.rpartition("@")
    if not at or not local or "." not in domain or any(c.isspace() for c in cleaned):
        raise InvalidInput(
            "invalid_email",
            gettext("Give an e-mail address such as name@example.org."),
            field=field,
        )
    return cleaned


def website(value: Any, field: str = "website") -> str | None:
    cleaned = text(value, field, max_length=500, required=False)
    if cleaned is None:
        return None
    lowered = cleaned.lower()
    if not (lowered.startswith("https://") or lowered.startswith("http://")) or any(
        c.isspace() for c in cleaned
    ):
        raise InvalidInput(
            "invalid_url", gettext("Give a web address starting with https://."), field=field
        )
    return cleaned
