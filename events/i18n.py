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


def catalogue_texts(language: str, areas: tuple[str, ...] | None = None) -> dict[str, str]:
    """Message id (a plural by its singular) -> translation, from the language's catalogues of
    ``areas`` (``<area>.po``; all of them when None). Untranslated entries are left out."""
    directory = TRANSLATIONS_DIR / language / "LC_MESSAGES"
    paths = (
        sorted(directory.glob("*.po"))
        if areas is None
        else [directory / f"{area}.po" for area in areas]
    )
    texts: dict[str, str] = {}
    for path in paths:
        with path.open("rb") as handle:
            for message in read_po(handle, locale=language):
                if message.id and message.string:
                    key = message.id if isinstance(message.id, str) else message.id[0]
                    string = message.string
                    texts[key] = string if isinstance(string, str) else string[0]
    return texts


def interface_strings(
    root: Path,
    method_map: list[tuple[str, str]] | None = None,
    options_map: dict[str, Any] | None = None,
) -> set[str]:
    """Every interface string the files under ``root`` use (a plural by its singular): what the
    catalogues must translate. ``method_map``: which files, as in ``babel.cfg`` (read from there
    when None). For checks and ``make messages``; a running app never needs it."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    if method_map is None:
        with (root / "babel.cfg").open() as handle:
            method_map, options_map = parse_mapping_cfg(handle)  # type: ignore[no-untyped-call]
    return {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(root), method_map=method_map, options_map=options_map
        )
    }


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


def warm_up() -> None:
    """Load now, at a worker's start, what the first pages would otherwise load while visitors
    wait: every interface catalogue, and the locale data (names of languages and countries, date
    formats) of every interface and content language. Babel keeps loaded locale data for the
    life of the process, so every later ``Locale.parse`` of these languages finds it."""
    for language in UI_LANGUAGES:
        translations(language)
        for code in CONTENT_LANGUAGES:
            language_name(code, language)
    for code in CONTENT_LANGUAGES:
        language_name(code)
