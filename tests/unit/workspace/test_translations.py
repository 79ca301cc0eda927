"""Every interface string of the workspace has a German, Russian and Kazakh translation."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from events import i18n
from events.i18n import TRANSLATIONS_DIR
from events.settings import PROJECT_ROOT

METHODS = [
    ("events/workspace/**.py", "python"),
    ("templates/manage/workspace/**.html", "jinja2"),
    ("templates/manage/dashboard.html", "jinja2"),
    ("templates/public/_preview_banner.html", "jinja2"),
]
SAME_IN_GERMAN = {"Status", "Name", "Partner", "Team", "Delegation", "Sponsor", "Website"}
SAME = {"Company", "University", "Delegation", "Team"}


def _messages() -> set[str | tuple[str, ...]]:
    found: set[str | tuple[str, ...]] = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(PROJECT_ROOT), method_map=METHODS
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


@pytest.mark.parametrize("language", ["de", "ru", "kk"])
def test_every_string_is_translated(language: str) -> None:
    messages = _messages()
    assert "New event" in messages and len(messages) > 100
    path = Path(TRANSLATIONS_DIR / language / "LC_MESSAGES" / "workspace.po")
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    translated = {m.id: m.string for m in catalog if m.id}
    missing = sorted(str(m) for m in messages if not translated.get(m))
    assert missing == []
    for message, text in translated.items():
        if isinstance(message, str):
            allowed = SAME_IN_GERMAN if language == "de" else SAME
            assert text != message or message in allowed, message
        else:
            assert all(text), message


def test_plural_forms_follow_the_language() -> None:
    i18n.set_language("ru")
    try:
        assert i18n.ngettext("%(num)d room", "%(num)d rooms", 1) == "1 зал"
        assert i18n.ngettext("%(num)d room", "%(num)d rooms", 3) == "3 зала"
        assert i18n.ngettext("%(num)d room", "%(num)d rooms", 5) == "5 залов"
        i18n.set_language("kk")
        assert i18n.gettext("Translation missing") == "Аударма жоқ"
    finally:
        i18n.set_language("en")
