"""The Jinja environment: autoescaping, translations, and filters for dates in an event's zone."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time
from litestar.contrib.jinja import JinjaTemplateEngine

from events import i18n
from events.accounts import templating as accounts_templating


def local(value: datetime, timezone: str) -> datetime:
    return value.astimezone(ZoneInfo(timezone))


def date_filter(value: datetime, timezone: str, fmt: str = "long") -> str:
    return format_date(local(value, timezone), fmt, locale=i18n.current_language())


def time_filter(value: datetime, timezone: str) -> str:
    return format_time(local(value, timezone), "HH:mm", locale=i18n.current_language())


def datetime_filter(value: datetime, timezone: str, fmt: str = "medium") -> str:
    return format_datetime(
        local(value, timezone), fmt, tzinfo=ZoneInfo(timezone), locale=i18n.current_language()
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
