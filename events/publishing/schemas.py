"""Plain data for the published programme: what the documents and exports are built from.

A service loads an event from the database into these Structs; the PDF, the calendars, the
schedule files and the CSVs are pure functions of them. Their msgspec encoding is also the cache
fingerprint: whatever changes in the agenda changes the bytes and so the fingerprint.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

import msgspec


class OrganisationData(msgspec.Struct, frozen=True):
    id: int
    name: str
    short_name: str | None
    country: str
    kind: str
    website: str | None
    # The logo file's bytes when the organisation has one under the data dir (None otherwise).
    logo: bytes | None = None


class PartnerData(msgspec.Struct, frozen=True):
    role: str
    organisation: OrganisationData


class RoomData(msgspec.Struct, frozen=True):
    id: int
    name: str
    capacity: int | None


class SpeakerData(msgspec.Struct, frozen=True):
    id: int
    honorific: str | None
    given_name: str
    family_name: str
    position: str | None
    organisation: str | None
    organisation_short: str | None
    country: str | None
    biography: dict[str, str]
    # Only in organiser exports (the speakers CSV); None in everything public.
    email: str | None
    updated_at: datetime

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.honorific, self.given_name, self.family_name) if p)


class SessionPersonData(msgspec.Struct, frozen=True):
    speaker_id: int
    role: str


class SessionData(msgspec.Struct, frozen=True):
    id: int
    title: dict[str, str]
    abstract: dict[str, str]
    kind: str
    starts_at: datetime
    ends_at: datetime
    room_id: int | None
    room: str | None
    track: str | None
    language: str | None
    people: list[SessionPersonData]
    created_at: datetime
    updated_at: datetime


class EventData(msgspec.Struct, frozen=True):
    id: int
    slug: str
    title: dict[str, str]
    description: dict[str, str]
    kind: str
    status: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    venue: str | None
    city: str | None
    country: str
    languages: list[str]
    default_language: str
    partner_countries: list[str]
    partners: list[PartnerData]
    rooms: list[RoomData]
    # Sorted by start, then room position, then id.
    sessions: list[SessionData]
    # Sorted by family name, given name, id.
    speakers: list[SpeakerData]
    # The installation's public address (EVENTS_BASE_URL) and this event's page there.
    base_url: str
    url: str
    # The newest updated_at of the event's rows: the Last-Modified of everything published.
    last_modified: datetime

    def speakers_by_id(self) -> dict[int, SpeakerData]:
        return {s.id: s for s in self.speakers}


class ProgrammeOptions(msgspec.Struct, frozen=True):
    """One or two content languages (stacked: the first, then the second) and the paper size."""

    languages: list[str]
    size: str = "a4"


def fingerprint(event: EventData, *extra: str) -> str:
    """A short, stable hash of the loaded data (and options): the cache key and the ETag."""
    digest = hashlib.sha256(msgspec.json.encode(event))
    for part in extra:
        digest.update(b"\x00" + part.encode())
    return digest.hexdigest()[:32]


class ErrorBody(msgspec.Struct, frozen=True):
    """The JSON body of an error answer (see events.errors)."""

    status_code: int
    detail: str
    code: str
    message: str
    field: str | None = None
