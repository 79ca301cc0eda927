"""Turn the workspace's HTML forms into the agenda's input Structs (pure functions, no database).

A form arrives as ``{name: [values]}``. Multilingual fields come as ``title-<lang>`` and
``description-<lang>``; times as ``datetime-local`` values read in the event's time zone by the
agenda services; country lists as text separated by commas or spaces.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from events.errors import InvalidInput
from events.i18n import CONTENT_LANGUAGES, gettext

Form = Mapping[str, Sequence[str]]

EVENT_TEXT_FIELDS = ("slug", "kind", "timezone", "country", "default_language")
OPTIONAL_TEXT_FIELDS = ("venue", "city")
MULTILINGUAL_FIELDS = ("title", "description")


def first(form: Form, name: str) -> str:
    values = form.get(name) or []
    return str(values[0]) if values else ""


def local_datetime(value: str, field: str) -> datetime:
    """A ``datetime-local`` value (``2030-05-14T10:00``) as a naive datetime."""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(
            "invalid_datetime", gettext("Give a date and a time."), field=field
        ) from None
    return parsed.replace(tzinfo=None) if parsed.tzinfo is None else parsed


def country_list(value: str) -> list[str]:
    return [part for part in re.split(r"[\s,;]+", value.strip()) if part]


def event_languages(form: Form) -> list[str]:
    """The checked languages in the order of ``CONTENT_LANGUAGES``, unknown ones kept last."""
    checked = [str(v) for v in form.get("languages") or []]
    known = [code for code in CONTENT_LANGUAGES if code in checked]
    return known + [code for code in checked if code not in CONTENT_LANGUAGES]


def multilingual(form: Form, field: str, languages: Sequence[str]) -> dict[str, str]:
    """The texts of the event's languages; a filled-in text of an unchecked language is an error."""
    values: dict[str, str] = {}
    for code in CONTENT_LANGUAGES:
        text = first(form, f"{field}-{code}")
        if code in languages:
            values[code] = text
        elif text.strip():
            raise InvalidInput(
                "invalid_language",
                gettext(
                    "This language is not one of the event's languages: tick it above or empty "
                    "the field."
                ),
                field=f"{field}.{code}",
            )
    return values


def event_data(form: Form) -> dict[str, Any]:
    """Every field of the event form, ready for ``EventCreate``/``EventUpdate``."""
    languages = event_languages(form)
    if not languages:
        raise InvalidInput(
            "required", gettext("Give at least one content language."), field="languages"
        )
    data: dict[str, Any] = {name: first(form, name).strip() for name in EVENT_TEXT_FIELDS}
    for name in OPTIONAL_TEXT_FIELDS:
        data[name] = first(form, name).strip() or None
    data["languages"] = languages
    for name in MULTILINGUAL_FIELDS:
        data[name] = multilingual(form, name, languages)
    data["partner_countries"] = country_list(first(form, "partner_countries"))
    for name in ("starts_at", "ends_at"):
        data[name] = local_datetime(first(form, name), name)
    return data


def error_key(field: str | None) -> str:
    """The form field an error belongs to: ``languages[1]`` -> ``languages``."""
    if not field:
        return "form"
    return re.sub(r"\[\d+\]$", "", field)


def optional_int(value: str, field: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise InvalidInput("invalid_number", gettext("Give a whole number."), field=field) from None
