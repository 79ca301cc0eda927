"""The agenda API's messages are translated into de, ru and kk with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from events import i18n

PO_DIR = Path(i18n.TRANSLATIONS_DIR)
PLACEHOLDER = re.compile(r"%\(\w+\)\w")


@pytest.mark.parametrize("language", ["de", "ru", "kk"])
def test_every_message_is_translated_with_the_same_placeholders(language: str) -> None:
    with (PO_DIR / language / "LC_MESSAGES" / "agenda_api.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    messages = [m for m in catalog if m.id]
    assert len(messages) > 30
    for message in messages:
        assert isinstance(message.string, str) and message.string.strip(), message.id
        assert sorted(PLACEHOLDER.findall(str(message.id))) == sorted(
            PLACEHOLDER.findall(message.string)
        ), message.id


def test_a_rule_speaks_the_interface_language() -> None:
    from events.agenda import validation
    from events.errors import InvalidInput

    try:
        i18n.set_language("kk")
        with pytest.raises(InvalidInput) as caught:
            validation.country("QQ", "country")
        assert "ел кодын" in caught.value.message
    finally:
        i18n.set_language("en")
