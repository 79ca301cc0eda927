"""Every interface string of the badges area has a German, Russian and Kazakh translation."""

from __future__ import annotations

import pytest

from events import i18n
from events.badges import data
from events.settings import PROJECT_ROOT

METHODS = [
    ("events/badges/**.py", "python"),
    ("templates/manage/badges.html", "jinja2"),
    ("templates/public/badges/**.html", "jinja2"),
]
SAME = {"Status", "Name", "Organisation", "Layout", "Badge (PDF)"}


@pytest.mark.parametrize("language", ["de", "ru", "kk"])
def test_every_string_is_translated(language: str) -> None:
    messages = i18n.interface_strings(PROJECT_ROOT, METHODS)
    assert "Re-issue" in messages and data.MAIL_NOTE in messages and len(messages) > 30
    translated = i18n.catalogue_texts(language, ("badges",))
    assert sorted(m for m in messages if m not in translated) == []
    for message, text in translated.items():
        assert text != message or message in SAME, message


def test_category_labels_and_mail_note_follow_the_language() -> None:
    assert data.category_label("speaker", "kk") == "Баяндамашы"
    assert data.category_label("delegation", "ru") == "Член делегации"
    assert data.category_label("unknown", "de") == "unknown"
    assert "QR-Code" in data.mail_note("de")
    i18n.set_language("en")
