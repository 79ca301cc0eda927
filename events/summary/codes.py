"""Certificate codes: short, checkable by this application alone, unforgeable without its key.

A code is ``C{registration id}-{16 base32 letters}`` where the letters are the first 80 bits of
HMAC-SHA256(secret key, "certificate:{event id}:{registration id}"). Changing the id, the letters,
or the event a registration belongs to makes the code fail; nobody without the secret key can make
a valid one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

_CODE = re.compile(r"^C([1-9][0-9]{0,17})-([A-Z2-7]{16})$")


def _mac(secret_key: str, registration_id: int, event_id: int) -> str:
    message = f"certificate:{event_id}:{registration_id}".encode()
    digest = hmac.new(secret_key.encode(), message, hashlib.sha256).digest()
    return base64.b32encode(digest[:10]).decode("ascii")


def certificate_code(secret_key: str, registration_id: int, event_id: int) -> str:
    return f"C{registration_id}-{_mac(secret_key, registration_id, event_id)}"


def parse_code(code: str) -> tuple[int, str] | None:
    """(registration id, letters) of a well-formed code, else None."""
    match = _CODE.match(code.strip().upper()[:40])
    if match is None:
        return None
    return int(match.group(1)), match.group(2)


def code_matches(secret_key: str, code: str, registration_id: int, event_id: int) -> bool:
    parsed = parse_code(code)
    if parsed is None or parsed[0] != registration_id:
        return False
    return hmac.compare_digest(parsed[1], _mac(secret_key, registration_id, event_id))
