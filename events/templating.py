"""The Jinja environment: autoescaping, translations, and filters for dates in an event's zone."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from litestar.contrib.jinja import JinjaTemplateEngine

from events import i18n
from events.accounts import templating as accounts_templating


def local(value: datetime, timezone: str) -> datetime:
    return value.astimezone(ZoneInfo(timezone))


@cache
def _locale(code: str) -> Locale:
    # Parsing a locale costs more than formatting with it; a programme formats hundreds of times.
    return Locale.parse(code)


def date_filter(value: datetime, timezone: str, fmt: str = "long") -> str:
    return format_date(local(value, timezone), fmt, locale=_locale(i18n.current_language()))


def time_filter(value: datetime, timezone: str) -> str:
    # 24-hour HH:mm in every interface language (all write Latin digits): no locale data needed.
    return local(value, timezone).strftime("%H:%M")


def datetime_filter(value: datetime, timezone: str, fmt: str = "medium") -> str:
    return format_datetime(
        local(value, timezone),
        fmt,
        tzinfo=ZoneInfo(timezone),
        locale=_locale(i18n.current_language()),
    )


def pick_filter(values: dict[str, str] | None, language: str, default: str) -> str:
    return i18n.pick(values, language, default)


def configure(engine: JinjaTemplateEngine) -> None:
    env = engine.engine
    env.autoescape = True
    env.trim_blocks = True
    env.lstrip_blocks = True
    globals_: dict[str, Any] = {
        "_": i18n.gettext,
        "ngettext": i18n.ngettext,
        "language_name": i18n.language_name,
    }
    env.globals.update(globals_)
    accounts_templating.install(env)
    env.filters.update(
        {
            "local_date": date_filter,
            "local_time": time_filter,
            "local_datetime": datetime_filter,
            "pick": pick_filter,
        }
    )
