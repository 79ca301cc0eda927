"""What goes in and out of the check-in API (see CHECKIN_CONTRACT / docs/checkin.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

Nonce = Annotated[str, msgspec.Meta(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Desk = Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
# What an offline device showed for a scan it decided itself: green, amber, or red.
Shown = Literal["admitted", "already", "refused"]


class ScanIn(msgspec.Struct, kw_only=True):
    nonce: Nonce
    scanned_at: datetime
    desk: Desk
    token: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    registration_id: Annotated[int, msgspec.Meta(ge=1, le=2**63 - 1)] | None = None
    session_id: Annotated[int, msgspec.Meta(ge=1, le=2**63 - 1)] | None = None
    offline: bool = False
    # Optional so older desks and scripts keep working; absent counts as "admitted".
    shown: Shown | None = None


class UndoIn(msgspec.Struct, kw_only=True):
    desk: Desk


class WalkInIn(msgspec.Struct, kw_only=True):
    given_name: Annotated[str, msgspec.Meta(max_length=120)]
    family_name: Annotated[str, msgspec.Meta(max_length=120)]
    country: Annotated[str, msgspec.Meta(max_length=2)]
    category: Annotated[str, msgspec.Meta(max_length=32)]
    desk: Desk
    nonce: Nonce
    organisation: Annotated[str, msgspec.Meta(max_length=300)] = ""
    email: Annotated[str, msgspec.Meta(max_length=320)] | None = None


class PersonOut(msgspec.Struct):
    id: int
    given_name: str
    family_name: str
    organisation: str
    country: str
    category: str
    status: str


class ScanOut(msgspec.Struct):
    status: str
    registration: PersonOut | None
    first_checked_in_at: datetime | None
    first_desk: str | None
    checkin_id: int | None
    scan_id: int
    undo_until: datetime | None
    message: str


class UndoOut(msgspec.Struct):
    status: str


class WalkInOut(msgspec.Struct):
    registration: PersonOut
    checkin: ScanOut
    badge_url: str


class ListEvent(msgspec.Struct):
    slug: str
    title: str
    timezone: str


class ListSession(msgspec.Struct):
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    requires_checkin: bool


class ListItem(msgspec.Struct):
    id: int
    token: str
    given_name: str
    family_name: str
    organisation: str
    country: str
    category: str
    status: str
    checked_in_at: datetime | None
    desk: str | None


class CheckinList(msgspec.Struct):
    event: ListEvent
    generated_at: datetime
    sessions: list[ListSession]
    registrations: list[ListItem]


class SearchItem(msgspec.Struct):
    id: int
    given_name: str
    family_name: str
    organisation: str
    country: str
    category: str
    status: str
    checked_in_at: datetime | None
    desk: str | None


class SearchOut(msgspec.Struct):
    results: list[SearchItem]


class Pair(msgspec.Struct):
    confirmed: int
    checked_in: int


class Counts(msgspec.Struct):
    confirmed: int
    checked_in: int
    by_category: dict[str, Pair]
    by_country: dict[str, Pair]
