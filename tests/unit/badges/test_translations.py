"""Every interface string of the badges area has a German, Russian and Kazakh translation."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from events import i18n
from events.badges import data
from events.i18n import TRANSLATIONS_DIR
from events.settings import PROJECT_ROOT

METHODS = [
    ("events/badges/**.py", "python"),
    ("templates/manage/badges.html", "jinja2"),
    ("templates/public/badges/**.html", "jinja2"),
]
SAME = {"Status", "Name", "Organisation", "Layout", "Badge (PDF)"}


def _messages() -> set[str]:
    return {
        message if isinstance(message, str) else message[0]
        for _f, _l, message, _c, _x in extract_from_dir(str(PROJECT_ROOT), method_map=METHODS)
    }


@pytest.mark.parametrize("language", ["de", "ru", "kk"])
def test_every_string_is_translated(language: str) -> None:
    messages = _messages()
    assert "Re-issue" in messages and data.MAIL_NOTE in messages and len(messages) > 30
    path = Path(TRANSLATIONS_DIR / language / "LC_MESSAGES" / "badges.po")
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in catalog if m.id}
    assert sorted(m for m in messages if not translated.get(m)) == []
    for message, text in translated.items():
        assert text != message or message in SAME, message


def test_category_labels_and_mail_note_follow_the_language() -> None:
    assert data.category_label("speaker", "kk") == "Баяндамашы"
    assert data.category_label("delegation", "ru") == "Член делегации"
    assert data.category_label("unknown", "de") == "unknown"
    assert "QR-Code" in data.mail_note("de")
    i18n.set_language("en")
