"""Secrets: Argon2 password hashes, random tokens stored as SHA-256, and the timeouts."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# A browser session ends after this long without a request...
SESSION_IDLE_TIMEOUT = timedelta(hours=2)
# ... and in any case this long after the login.
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
# last_seen_at is written at most this often (one write per minute, not per request).
SESSION_TOUCH_INTERVAL = timedelta(minutes=1)
# An invitation or reset link works once, for this long.
SET_PASSWORD_TTL = timedelta(hours=72)

PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 1024

SESSION_COOKIE = "events_session"
LOGIN_CSRF_COOKIE = "events_login_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so both failures cost the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def utcnow() -> datetime:
    return datetime.now(UTC)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; an absent hash still costs one verification."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def new_secret(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def digest(secret: str) -> str:
    """What is stored for a secret: its SHA-256 in hex (secrets have >= 256 random bits)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_api_token() -> tuple[str, str]:
    """(prefix, token): ``ev_1a2b3c4d_<43 random characters>``; the prefix names it in lists."""
    prefix = "ev_" + secrets.token_hex(4)
    return prefix, f"{prefix}_{secrets.token_urlsafe(32)}"


def sign(secret_key: str, value: str) -> str:
    return hmac.new(secret_key.encode(), value.encode(), hashlib.sha256).hexdigest()


def same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))
