"""Every interface string of registration and mail has a German, Russian and Kazakh translation."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from events.i18n import TRANSLATIONS_DIR
from events.settings import PROJECT_ROOT

METHODS = [
    ("events/registration/**.py", "python"),
    ("events/mail/**.py", "python"),
    ("templates/public/registration/**.html", "jinja2"),
    ("templates/manage/registrations/**.html", "jinja2"),
    ("templates/emails/**.html", "jinja2"),
    ("templates/emails/**.txt", "jinja2"),
]


def _messages() -> set[str]:
    found: set[str] = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(PROJECT_ROOT), method_map=METHODS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("language", ["de", "ru", "kk"])
def test_every_string_is_translated(language: str) -> None:
    messages = _messages()
    assert "Register" in messages and len(messages) > 100
    translated: dict[str, object] = {}
    # The attendee's side (registration.po) and the organiser's pages (registration_manage.po).
    for name in ("registration.po", "registration_manage.po"):
        path = Path(TRANSLATIONS_DIR / language / "LC_MESSAGES" / name)
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        translated.update(
            {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in catalog if m.id}
        )
    missing = sorted(m for m in messages if not translated.get(m))
    assert missing == []
    for message, text in translated.items():
        assert text != message or message in {"Status", "Name", "Organisation", "E-mail"}, message
