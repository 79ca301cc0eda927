"""Secrets of a registration.

- The manage token (``/r/{token}``) is HMAC-SHA256(secret key, a random 256-bit seed), base64url:
  the database holds the seed and the SHA-256 of the token, and looks registrations up by that hash.
  A copy of the database without the secret key cannot produce a working link; with the key the
  application can show the same link again (a double-clicked submit, a resent confirmation).
- The check-in token (the badge's QR code) is a different, independent secret: 160 random bits,
  URL-safe, 27 characters, no personal data. A photo of a badge cannot change a registration.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets


def new_seed() -> str:
    return secrets.token_hex(32)


def manage_token(secret_key: str, seed: str) -> str:
    digest = hmac.new(secret_key.encode(), f"manage:{seed}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_checkin_token() -> str:
    return secrets.token_urlsafe(20)


def new_invitation_token() -> str:
    return secrets.token_urlsafe(24)


def new_form_token() -> str:
    return secrets.token_urlsafe(24)
