"""The agenda builder's strings are translated into de, ru and kk with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from events import i18n

ROOT = Path(__file__).resolve().parents[3]
PLACEHOLDER = re.compile(r"%\(\w+\)\w")


def catalogue(language: str):  # type: ignore[no-untyped-def]
    path = Path(i18n.TRANSLATIONS_DIR) / language / "LC_MESSAGES" / "agenda_builder.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


@pytest.mark.parametrize("language", ["de", "ru", "kk"])
def test_every_message_is_translated_with_the_same_placeholders(language: str) -> None:
    messages = [m for m in catalogue(language) if m.id]
    assert len(messages) > 100
    for message in messages:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            assert isinstance(text, str) and text.strip(), message.id
            assert sorted(PLACEHOLDER.findall(ids[-1])) == sorted(PLACEHOLDER.findall(text)), (
                message.id
            )


@pytest.mark.parametrize("language", ["de", "ru", "kk"])
def test_every_string_of_the_agenda_builder_templates_has_a_translation(language: str) -> None:
    found = extract_from_dir(
        str(ROOT / "templates" / "manage" / "agenda"),
        method_map=[("**.html", "jinja2")],
        keywords={"_": None, "ngettext": (1, 2)},
    )
    known = i18n.translations(language)._catalog  # type: ignore[attr-defined]
    missing = []
    for _file, _line, message, _comments, _context in found:
        singular = message[0] if isinstance(message, tuple) else message
        if singular not in known and (singular, 0) not in known:
            missing.append(singular)
    assert missing == []
