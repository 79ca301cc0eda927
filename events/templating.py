"""The Jinja environment: autoescaping, translations, and filters for dates in an event's zone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from jinja2 import Environment, FileSystemBytecodeCache
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
    return _formatted_date(value, timezone, fmt, i18n.current_language())


def time_filter(value: datetime, timezone: str) -> str:
    # 24-hour HH:mm in every interface language (all write Latin digits): no locale data needed.
    return local(value, timezone).strftime("%H:%M")


def datetime_filter(value: datetime, timezone: str, fmt: str = "medium") -> str:
    return _formatted_datetime(value, timezone, fmt, i18n.current_language())


# Babel's formatting costs about 0.1 ms a call, and the same few values come back again and
# again: every confirmation mail of an event shows its start and end, in text and in HTML.
# The answer depends only on the arguments (aware datetimes, equal when the instant is).
@lru_cache(maxsize=4096)
def _formatted_date(value: datetime, timezone: str, fmt: str, language: str) -> str:
    return format_date(local(value, timezone), fmt, locale=_locale(language))


@lru_cache(maxsize=4096)
def _formatted_datetime(value: datetime, timezone: str, fmt: str, language: str) -> str:
    return format_datetime(
        local(value, timezone), fmt, tzinfo=ZoneInfo(timezone), locale=_locale(language)
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


def keep_compiled(env: Environment, directory: Path) -> None:
    """Keep each template's compiled code in ``directory``: a worker's start then loads it
    instead of compiling every template again (Jinja checks each file's source, and writes
    each file whole before renaming it, so workers starting together share it safely)."""
    directory.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(directory))


def warm_up(env: Environment, wanted: Callable[[str], bool]) -> int:
    """Compile now, at a worker's start, every template whose name is ``wanted``.

    Compiled at first use instead, a page's templates cost its first visitor ~20 ms each, and the
    worker's other requests stalled meanwhile (docs/PERFORMANCE.md). Returns how many."""
    names = env.list_templates(
        filter_func=lambda name: name.endswith((".html", ".txt")) and wanted(name)
    )
    for name in names:
        env.get_template(name)
    return len(names)
