"""Every string of the desk, JavaScript's included, is translated into de, ru and kk."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from events import i18n
from events.desk.pages import category_names, messages

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@pytest.mark.parametrize("language", ["de", "ru", "kk"])
def test_desk_catalogue_is_complete_with_the_same_placeholders(language: str) -> None:
    path = i18n.TRANSLATIONS_DIR / language / "LC_MESSAGES" / "desk.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    entries = [m for m in catalog if m.id]
    assert len(entries) > 50
    for message in entries:
        assert message.string, (language, message.id)
        assert not message.fuzzy
        assert sorted(PLACEHOLDER.findall(str(message.id))) == sorted(
            PLACEHOLDER.findall(str(message.string))
        ), (language, message.id)


@pytest.mark.parametrize("language", ["de", "ru", "kk"])
def test_messages_for_the_script_come_in_the_interface_language(language: str) -> None:
    i18n.set_language("en")
    english = messages()
    i18n.set_language(language)
    try:
        translated = messages()
        names = category_names()
    finally:
        i18n.set_language("en")
    assert translated.keys() == english.keys()
    changed = [key for key in english if translated[key] != english[key]]
    # A handful may coincide (e.g. German "Online"); nearly all must differ.
    assert len(changed) >= len(english) - 2
    assert names["speaker"] != "Speaker"
