"""msgspec Structs for what goes in and out of the agenda's JSON API.

Inputs forbid unknown fields (a typo answers 400 instead of being ignored). ``…Update`` Structs
are partial: a field left out is ``UNSET`` and keeps its value; ``null`` clears a nullable field.
Datetimes are ISO 8601; one without an offset is read in the event's time zone. Outputs carry UTC.
Enum-like fields are plain strings checked by the services (the 422 lists the allowed values).
"""

from __future__ import annotations

from datetime import date, datetime

import msgspec
from msgspec import UNSET, UnsetType

from events.agenda import models
from events.i18n import pick


class Input(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Base of request bodies."""


# Organisations ------------------------------------------------------------------------------


class OrganisationCreate(Input):
    name: str
    country: str
    kind: str = models.OrganisationKind.OTHER.value
    short_name: str | None = None
    website: str | None = None


class OrganisationUpdate(Input):
    name: str | UnsetType = UNSET
    country: str | UnsetType = UNSET
    kind: str | UnsetType = UNSET
    short_name: str | UnsetType | None = UNSET
    website: str | UnsetType | None = UNSET


class OrganisationOut(msgspec.Struct, kw_only=True):
    id: int
    name: str
    short_name: str | None
    country: str
    kind: str
    website: str | None
    logo: str | None


class OrganisationPage(msgspec.Struct, kw_only=True):
    items: list[OrganisationOut]
    total: int
    limit: int
    offset: int


# Events -------------------------------------------------------------------------------------


class EventCreate(Input):
    slug: str
    title: dict[str, str]
    kind: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    country: str
    languages: list[str]
    default_language: str
    description: dict[str, str] = {}
    status: str = models.EventStatus.DRAFT.value
    venue: str | None = None
    city: str | None = None
    partner_countries: list[str] = []


class EventUpdate(Input):
    slug: str | UnsetType = UNSET
    title: dict[str, str] | UnsetType = UNSET
    kind: str | UnsetType = UNSET
    starts_at: datetime | UnsetType = UNSET
    ends_at: datetime | UnsetType = UNSET
    timezone: str | UnsetType = UNSET
    country: str | UnsetType = UNSET
    languages: list[str] | UnsetType = UNSET
    default_language: str | UnsetType = UNSET
    description: dict[str, str] | UnsetType = UNSET
    status: str | UnsetType = UNSET
    venue: str | UnsetType | None = UNSET
    city: str | UnsetType | None = UNSET
    partner_countries: list[str] | UnsetType = UNSET


class PartnerOut(msgspec.Struct, kw_only=True):
    id: int
    organisation_id: int
    organisation_name: str
    organisation_short_name: str | None
    organisation_country: str
    role: str
    position: int


class EventOut(msgspec.Struct, kw_only=True):
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
    partners: list[PartnerOut]


class EventPage(msgspec.Struct, kw_only=True):
    items: list[EventOut]
    total: int
    limit: int
    offset: int


# Partners -----------------------------------------------------------------------------------


class PartnerCreate(Input):
    organisation_id: int
    role: str = models.PartnerRole.PARTNER.value
    position: int = 0


class PartnerUpdate(Input):
    role: str | UnsetType = UNSET
    position: int | UnsetType = UNSET


class PartnerPage(msgspec.Struct, kw_only=True):
    items: list[PartnerOut]
    total: int
    limit: int
    offset: int


# Rooms --------------------------------------------------------------------------------------


class RoomCreate(Input):
    name: str
    capacity: int | None = None
    position: int = 0


class RoomUpdate(Input):
    name: str | UnsetType = UNSET
    capacity: int | UnsetType | None = UNSET
    position: int | UnsetType = UNSET


class RoomOut(msgspec.Struct, kw_only=True):
    id: int
    name: str
    capacity: int | None
    position: int


class RoomPage(msgspec.Struct, kw_only=True):
    items: list[RoomOut]
    total: int
    limit: int
    offset: int


# Speakers -----------------------------------------------------------------------------------


class SpeakerCreate(Input):
    given_name: str
    family_name: str
    honorific: str | None = None
    position: str | None = None
    organisation_id: int | None = None
    country: str | None = None
    biography: dict[str, str] = {}
    email: str | None = None


class SpeakerUpdate(Input):
    given_name: str | UnsetType = UNSET
    family_name: str | UnsetType = UNSET
    honorific: str | UnsetType | None = UNSET
    position: str | UnsetType | None = UNSET
    organisation_id: int | UnsetType | None = UNSET
    country: str | UnsetType | None = UNSET
    biography: dict[str, str] | UnsetType = UNSET
    email: str | UnsetType | None = UNSET


class SpeakerOut(msgspec.Struct, kw_only=True):
    """A speaker as anyone may see them: never with the e-mail address."""

    id: int
    honorific: str | None
    given_name: str
    family_name: str
    display_name: str
    position: str | None
    organisation_id: int | None
    organisation_name: str | None
    country: str | None
    biography: dict[str, str]
    photo: str | None


class SpeakerPrivateOut(SpeakerOut, kw_only=True):
    """A speaker as an organiser sees them after a write: with the e-mail address."""

    email: str | None


class SpeakerPage(msgspec.Struct, kw_only=True):
    items: list[SpeakerOut]
    total: int
    limit: int
    offset: int


# Sessions -----------------------------------------------------------------------------------


class PersonIn(Input):
    """A speaker's part in a session; the list order is the order shown in the programme."""

    speaker_id: int
    role: str = models.PersonRole.SPEAKER.value


class SessionCreate(Input):
    title: dict[str, str]
    kind: str
    starts_at: datetime
    ends_at: datetime
    abstract: dict[str, str] = {}
    room_id: int | None = None
    track: str | None = None
    language: str | None = None
    capacity: int | None = None
    requires_checkin: bool = False
    people: list[PersonIn] = []


class SessionUpdate(Input):
    title: dict[str, str] | UnsetType = UNSET
    kind: str | UnsetType = UNSET
    starts_at: datetime | UnsetType = UNSET
    ends_at: datetime | UnsetType = UNSET
    abstract: dict[str, str] | UnsetType = UNSET
    room_id: int | UnsetType | None = UNSET
    track: str | UnsetType | None = UNSET
    language: str | UnsetType | None = UNSET
    capacity: int | UnsetType | None = UNSET
    requires_checkin: bool | UnsetType = UNSET
    people: list[PersonIn] | UnsetType = UNSET


class PersonOut(msgspec.Struct, kw_only=True):
    speaker_id: int
    name: str
    role: str
    position: int


class SessionOut(msgspec.Struct, kw_only=True):
    id: int
    title: dict[str, str]
    abstract: dict[str, str]
    kind: str
    starts_at: datetime
    ends_at: datetime
    day: date
    room_id: int | None
    room_name: str | None
    track: str | None
    language: str | None
    capacity: int | None
    requires_checkin: bool = False
    people: list[PersonOut]


class SessionPage(msgspec.Struct, kw_only=True):
    items: list[SessionOut]
    total: int
    limit: int
    offset: int


# Conflicts ----------------------------------------------------------------------------------


class ConflictOut(msgspec.Struct, kw_only=True):
    code: str
    message: str
    session_ids: list[int]
    titles: list[str]
    room_id: int | None = None
    speaker_id: int | None = None


class ConflictList(msgspec.Struct, kw_only=True):
    items: list[ConflictOut]
    total: int


class ErrorOut(msgspec.Struct, kw_only=True):
    """The body of every 4xx answer from a rule: a stable ``code`` and the ``field`` at fault."""

    status_code: int
    detail: str
    code: str
    message: str
    field: str | None = None


# Presenters ---------------------------------------------------------------------------------


def organisation_out(organisation: models.Organisation) -> OrganisationOut:
    return OrganisationOut(
        id=organisation.id,
        name=organisation.name,
        short_name=organisation.short_name,
        country=organisation.country,
        kind=organisation.kind,
        website=organisation.website,
        logo=organisation.logo,
    )


def partner_out(partner: models.EventPartner) -> PartnerOut:
    return PartnerOut(
        id=partner.id,
        organisation_id=partner.organisation_id,
        organisation_name=partner.organisation.name,
        organisation_short_name=partner.organisation.short_name,
        organisation_country=partner.organisation.country,
        role=partner.role,
        position=partner.position,
    )


def event_out(event: models.Event) -> EventOut:
    return EventOut(
        id=event.id,
        slug=event.slug,
        title=dict(event.title or {}),
        description=dict(event.description or {}),
        kind=event.kind,
        status=event.status,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        timezone=event.timezone,
        venue=event.venue,
        city=event.city,
        country=event.country,
        languages=list(event.languages or []),
        default_language=event.default_language,
        partner_countries=list(event.partner_countries or []),
        partners=[partner_out(p) for p in event.partners],
    )


def room_out(room: models.Room) -> RoomOut:
    return RoomOut(id=room.id, name=room.name, capacity=room.capacity, position=room.position)


def _speaker_fields(speaker: models.Speaker) -> dict[str, object]:
    return {
        "id": speaker.id,
        "honorific": speaker.honorific,
        "given_name": speaker.given_name,
        "family_name": speaker.family_name,
        "display_name": speaker.display_name,
        "position": speaker.position,
        "organisation_id": speaker.organisation_id,
        "organisation_name": speaker.organisation.name if speaker.organisation else None,
        "country": speaker.country,
        "biography": dict(speaker.biography or {}),
        "photo": speaker.photo,
    }


def speaker_out(speaker: models.Speaker) -> SpeakerOut:
    return SpeakerOut(**_speaker_fields(speaker))  # type: ignore[arg-type]


def speaker_private_out(speaker: models.Speaker) -> SpeakerPrivateOut:
    return SpeakerPrivateOut(**_speaker_fields(speaker), email=speaker.email)  # type: ignore[arg-type]


def session_out(session: models.AgendaSession, timezone: str) -> SessionOut:
    from zoneinfo import ZoneInfo

    return SessionOut(
        id=session.id,
        title=dict(session.title or {}),
        abstract=dict(session.abstract or {}),
        kind=session.kind,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        day=session.starts_at.astimezone(ZoneInfo(timezone)).date(),
        room_id=session.room_id,
        room_name=session.room.name if session.room else None,
        track=session.track,
        language=session.language,
        capacity=session.capacity,
        requires_checkin=session.requires_checkin,
        people=[
            PersonOut(
                speaker_id=person.speaker_id,
                name=person.speaker.display_name,
                role=person.role,
                position=person.position,
            )
            for person in session.people
        ],
    )


def conflict_title(title: dict[str, str] | None, default_language: str) -> str:
    return pick(title, None, default_language)
