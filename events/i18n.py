"""Languages: the interface catalogues (Babel), content language choice, and multilingual text."""

from __future__ import annotations

import gettext as _gettext
import io
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

# Languages the interface is translated into (message catalogues under events/translations).
UI_LANGUAGES: tuple[str, ...] = ("en", "de", "ru", "kk")
# Languages an event's content may be written in.
CONTENT_LANGUAGES: tuple[str, ...] = (
    "en", "de", "ru", "kk", "pl", "fr", "uz", "ky", "tg", "tk", "tr", "zh", "uk", "cs", "it", "es",
)  # fmt: skip
DEFAULT_LANGUAGE = "en"
TRANSLATIONS_DIR = Path(__file__).parent / "translations"

_current: ContextVar[str] = ContextVar("events_language", default=DEFAULT_LANGUAGE)


@cache
def translations(language: str) -> _gettext.NullTranslations:
    """The interface catalogue for ``language``.

    Each area keeps its own ``<area>.po`` under ``translations/<lang>/LC_MESSAGES/`` so that areas
    never edit one shared file; they are merged here and compiled in memory at first use.
    """
    directory = TRANSLATIONS_DIR / language / "LC_MESSAGES"
    files = sorted(directory.glob("*.po")) if directory.is_dir() else []
    if not files:
        return _gettext.NullTranslations()
    merged = None
    for po_path in files:
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        if merged is None:
            merged = catalog
            continue
        for message in catalog:
            if message.id and message.string:
                merged[message.id] = message
    assert merged is not None
    buffer = io.BytesIO()
    write_mo(buffer, merged)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def set_language(language: str) -> None:
    _current.set(language if language in UI_LANGUAGES else DEFAULT_LANGUAGE)


def current_language() -> str:
    return _current.get()


def gettext(message: str, **variables: Any) -> str:
    text = translations(_current.get()).gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
    text = translations(_current.get()).ngettext(singular, plural, n)
    return text % {"num": n, **variables}


def negotiate(
    requested: str | None, accept_language: str | None, available: tuple[str, ...] | list[str]
) -> str | None:
    """``?lang=`` first, then the Accept-Language header; None when neither matches."""
    if requested and requested in available:
        return requested
    if accept_language:
        for part in accept_language.split(","):
            code = part.split(";")[0].strip().lower()
            if not code:
                continue
            if code in available:
                return code
            if code.split("-")[0] in available:
                return code.split("-")[0]
    return None


def pick(values: dict[str, str] | None, language: str | None, default_language: str) -> str:
    """Multilingual text in the reader's language, else the default, else any."""
    values = values or {}
    if language and values.get(language):
        return values[language]
    if values.get(default_language):
        return values[default_language]
    return next((v for v in values.values() if v), "")


@cache  # every page's language picker asks; the answer never changes
def language_name(code: str, in_language: str | None = None) -> str:
    """'Deutsch', 'қазақ тілі'... in the language itself unless ``in_language`` is given."""
    try:
        return Locale.parse(code).get_display_name(in_language or code) or code
    except (ValueError, LookupError):
        return code
