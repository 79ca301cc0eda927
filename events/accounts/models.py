"""Accounts models: users, roles, API tokens, web sessions, rate-limit buckets, the audit log."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from advanced_alchemy.types import DateTimeUTC, JsonB
from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from events.db.base import Base


class Role(enum.StrEnum):
    ORGANISER = "organiser"
    DESK = "desk"


class User(Base):
    """A staff member. ``email`` is stored NFC-normalised and lower-cased, so it is unique
    case-insensitively on every database."""

    __tablename__ = "users"

    email: Mapped[str] = mapped_column(String(320), unique=True, index=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    # Argon2id hash; None until an invited user sets a password.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))

    roles: Mapped[list[RoleAssignment]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )


class RoleAssignment(Base):
    """``role`` in one event, or in every event when ``event_id`` is None."""

    __tablename__ = "role_assignments"
    __table_args__ = (UniqueConstraint("user_id", "role", "event_id"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )

    user: Mapped[User] = relationship(back_populates="roles")


class ApiToken(Base):
    """A bearer token. Only its SHA-256 is stored; ``prefix`` identifies it in lists."""

    __tablename__ = "api_tokens"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    # When set, the token only carries the user's roles in this one event.
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    revoked_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))

    user: Mapped[User] = relationship(lazy="joined")


class WebSession(Base):
    """A browser session kept in the database; the cookie holds a secret whose SHA-256 is here."""

    __tablename__ = "web_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    last_seen_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    ip: Mapped[str | None] = mapped_column(String(64))

    user: Mapped[User] = relationship(lazy="joined")


class SetPasswordToken(Base):
    """A single-use, expiring link to set a password (invitations, resets)."""

    __tablename__ = "set_password_tokens"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))

    user: Mapped[User] = relationship(lazy="joined")


class RateLimitBucket(Base):
    """Hits of ``key`` in the fixed window starting at ``window_start`` (shared by all workers)."""

    __tablename__ = "rate_limits"
    __table_args__ = (UniqueConstraint("key", "window_start"),)

    key: Mapped[str] = mapped_column(String(200), index=True)
    window_start: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    count: Mapped[int] = mapped_column(Integer, default=0)
    last_hit_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class AuditEntry(Base):
    """Who did what, when, from where. ``actor_label`` keeps the e-mail after a user is deleted."""

    __tablename__ = "audit_entries"

    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    actor_label: Mapped[str] = mapped_column(String(320), default="")
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(64), index=True)
    target: Mapped[str] = mapped_column(String(300), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JsonB, default=dict)
    at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), index=True)
    ip: Mapped[str | None] = mapped_column(String(64))
