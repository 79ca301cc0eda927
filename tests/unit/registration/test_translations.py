"""Every interface string of registration and mail has a German, Russian and Kazakh translation."""

from __future__ import annotations

import pytest

from events import i18n
from events.settings import PROJECT_ROOT

METHODS = [
    ("events/registration/**.py", "python"),
    ("events/mail/**.py", "python"),
    ("templates/public/registration/**.html", "jinja2"),
    ("templates/manage/registrations/**.html", "jinja2"),
    ("templates/emails/**.html", "jinja2"),
    ("templates/emails/**.txt", "jinja2"),
]


@pytest.mark.parametrize("language", ["de", "ru", "kk"])
def test_every_string_is_translated(language: str) -> None:
    messages = i18n.interface_strings(PROJECT_ROOT, METHODS)
    assert "Register" in messages and len(messages) > 100
    # The attendee's side (registration.po) and the organiser's pages (registration_manage.po).
    translated = i18n.catalogue_texts(language, ("registration", "registration_manage"))
    assert sorted(m for m in messages if m not in translated) == []
    for message, text in translated.items():
        assert text != message or message in {"Status", "Name", "Organisation", "E-mail"}, message
