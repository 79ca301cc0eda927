"""What goes in and out of registration's HTTP faces."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec


class RegistrationIn(msgspec.Struct, kw_only=True):
    given_name: str
    family_name: str
    email: str
    organisation: str = ""
    country: str = ""
    category: str = "participant"
    language: str = "en"
    consent: bool = False
    answers: dict[str, Any] = msgspec.field(default_factory=dict)
    honorific: str | None = None
    position: str | None = None
    visa_letter: bool = False
    dietary: str | None = None
    accessibility: str | None = None
    consent_photos: bool = False
    invitation: str | None = None
    idempotency_key: str | None = None


class RegistrationCreated(msgspec.Struct):
    id: int
    status: str
    manage_url: str
    calendar_url: str


class DetailsIn(msgspec.Struct, kw_only=True):
    """Details an attendee may correct through the manage link (absent: unchanged)."""

    honorific: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    organisation: str | None = None
    position: str | None = None
    country: str | None = None
    language: str | None = None
    visa_letter: bool | None = None
    dietary: str | None = None
    accessibility: str | None = None
    consent_photos: bool | None = None


class RegistrationOut(msgspec.Struct):
    id: int
    status: str
    honorific: str | None
    given_name: str
    family_name: str
    email: str
    organisation: str
    position: str | None
    country: str
    category: str
    language: str
    visa_letter: bool
    dietary: str | None
    accessibility: str | None
    consent_data: bool
    consent_data_at: datetime | None
    consent_photos: bool
    answers: dict[str, Any]
    waitlisted_at: datetime | None
    confirmed_at: datetime | None
    cancelled_at: datetime | None
    created_at: datetime


class QuestionIn(msgspec.Struct, kw_only=True):
    kind: str
    label: dict[str, str]
    options: list[dict[str, Any]] = msgspec.field(default_factory=list)
    required: bool = False
    position: int = 0


class QuestionOut(msgspec.Struct):
    id: int
    kind: str
    label: dict[str, str]
    options: list[dict[str, Any]]
    required: bool
    position: int


class SettingsIn(msgspec.Struct, kw_only=True):
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    capacity: int | None = None
    category_capacity: dict[str, int] = msgspec.field(default_factory=dict)
    waitlist_enabled: bool = True
    approval_required: bool = False
    invitation_only: bool = False
    public_categories: dict[str, str] = msgspec.field(
        default_factory=lambda: {"participant": "#2563eb"}
    )
    privacy_notice: dict[str, str] = msgspec.field(default_factory=dict)
    questions: list[QuestionIn] | None = None


class SettingsOut(msgspec.Struct):
    opens_at: datetime | None
    closes_at: datetime | None
    capacity: int | None
    category_capacity: dict[str, int]
    waitlist_enabled: bool
    approval_required: bool
    invitation_only: bool
    public_categories: dict[str, str]
    privacy_notice: dict[str, str]
    questions: list[QuestionOut]
    confirmed: int
    waitlisted: int
    pending: int


class InvitationIn(msgspec.Struct, kw_only=True):
    email: str
    given_name: str = ""
    family_name: str = ""
    category: str = "guest"
    language: str = "en"


class InvitationOut(msgspec.Struct):
    id: int
    email: str
    given_name: str
    family_name: str
    category: str
    language: str
    url: str
    used_at: datetime | None


class RowProblem(msgspec.Struct):
    line: int
    field: str
    message: str


class ImportReport(msgspec.Struct):
    dry_run: bool
    rows: int
    valid: int
    imported: int
    problems: list[RowProblem]


class ResendLinkIn(msgspec.Struct):
    email: str
