"""The one place accounts sends mail. Until the mail area's outbox replaces it, messages are
written as .eml files under ``<data_dir>/outbox/`` (the same place the real outbox uses)."""

from __future__ import annotations

import secrets
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from urllib.parse import urlsplit

from events.settings import Settings


def send_mail(settings: Settings, to: str, subject: str, body: str) -> Path:
    """Write one plain-text message to the outbox directory; returns the file written."""
    host = urlsplit(settings.base_url).hostname or "localhost"
    message = EmailMessage()
    message["From"] = f"events <noreply@{host}>"
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=host)
    message.set_content(body)
    outbox = settings.data_dir / "outbox"
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"accounts-{secrets.token_hex(8)}.eml"
    path.write_bytes(message.as_bytes())
    return path
