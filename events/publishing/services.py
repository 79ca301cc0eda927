"""Loading a published event into plain Structs, and checking what a reader asked for."""

from __future__ import annotations

import os
import threading
import unicodedata
import uuid
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events.agenda.models import AgendaSession, Event, EventStatus, Organisation, Speaker
from events.errors import InvalidInput, NotFound
from events.i18n import gettext as _
from events.publishing.schemas import (
    EventData,
    OrganisationData,
    PartnerData,
    ProgrammeOptions,
    RoomData,
    SessionData,
    SessionPersonData,
    SpeakerData,
    fingerprint,
)
from events.settings import Settings

MAX_LOGO_BYTES = 5 * 1024 * 1024
SIZES = ("a4", "a5")
MAX_PROGRAMME_LANGUAGES = 2


def nfc(value: str | None) -> str | None:
    return unicodedata.normalize("NFC", value) if value is not None else None


def _text(value: str) -> str:
    return unicodedata.normalize("NFC", value)


# Latin letters that do not decompose into a base letter and an accent.
_UNDECOMPOSABLE = str.maketrans({"ł": "l", "ß": "ss", "đ": "d", "ø": "o", "æ": "ae", "œ": "oe"})


def sort_key(value: str) -> str:
    """Alphabetical order that ignores accents: Bär sorts with Bar, before Brzęczyszczykiewicz."""
    decomposed = unicodedata.normalize("NFKD", value.casefold().translate(_UNDECOMPOSABLE))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _multilingual(values: dict[str, str] | None) -> dict[str, str]:
    return {str(k): _text(str(v)) for k, v in (values or {}).items() if v is not None}


def _logo(settings: Settings, relative: str | None) -> bytes | None:
    """The logo file's bytes if it exists inside the data dir; None for anything else."""
    if not relative:
        return None
    root = settings.data_dir.resolve()
    try:
        path = (root / relative).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            return None
        if path.stat().st_size > MAX_LOGO_BYTES:
            return None
        return path.read_bytes()
    except (OSError, ValueError):
        return None


def _organisation(settings: Settings, org: Organisation, with_logo: bool) -> OrganisationData:
    return OrganisationData(
        id=org.id,
        name=_text(org.name),
        short_name=nfc(org.short_name),
        country=org.country,
        kind=org.kind,
        website=org.website,
        logo=_logo(settings, org.logo) if with_logo else None,
    )


async def find_event(db: AsyncSession, slug: str, *, public: bool) -> Event:
    """The event named by ``slug``; drafts do not exist for the public."""
    event = await db.scalar(select(Event).where(Event.slug == slug))
    if event is None or (public and event.status == EventStatus.DRAFT.value):
        raise NotFound("event", slug)
    return event


async def load_event(
    db: AsyncSession,
    slug: str,
    settings: Settings,
    *,
    public: bool = True,
    with_logos: bool = False,
    with_emails: bool = False,
) -> EventData:
    """Everything the programme and the exports show, as plain data.

    ``public`` hides drafts (404); ``with_logos`` reads the partners' logo files for the PDF;
    ``with_emails`` keeps speakers' e-mail addresses (organiser exports only).
    """
    event = await find_event(db, slug, public=public)
    sessions = list(
        (
            await db.scalars(
                select(AgendaSession)
                .where(AgendaSession.event_id == event.id)
                .order_by(AgendaSession.starts_at, AgendaSession.id)
            )
        ).unique()
    )
    speakers = list(
        (await db.scalars(select(Speaker).where(Speaker.event_id == event.id))).unique()
    )
    room_position = {room.id: (room.position, room.id) for room in event.rooms}
    sessions.sort(
        key=lambda s: (s.starts_at, room_position.get(s.room_id or -1, (1 << 30, 0)), s.id)
    )
    speakers.sort(key=lambda s: (sort_key(s.family_name), sort_key(s.given_name), s.id))

    stamps: list[datetime] = [event.updated_at]
    stamps += [p.updated_at for p in event.partners]
    stamps += [p.organisation.updated_at for p in event.partners]
    stamps += [r.updated_at for r in event.rooms]
    stamps += [s.updated_at for s in sessions]
    stamps += [p.updated_at for s in sessions for p in s.people]
    stamps += [s.updated_at for s in speakers]

    base_url = settings.base_url.rstrip("/")
    return EventData(
        id=event.id,
        slug=event.slug,
        title=_multilingual(event.title),
        description=_multilingual(event.description),
        kind=event.kind,
        status=event.status,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        timezone=event.timezone,
        venue=nfc(event.venue),
        city=nfc(event.city),
        country=event.country,
        languages=list(event.languages or [event.default_language]),
        default_language=event.default_language,
        partner_countries=list(event.partner_countries or []),
        partners=[
            PartnerData(
                role=p.role, organisation=_organisation(settings, p.organisation, with_logos)
            )
            for p in event.partners
        ],
        rooms=[RoomData(id=r.id, name=_text(r.name), capacity=r.capacity) for r in event.rooms],
        sessions=[
            SessionData(
                id=s.id,
                title=_multilingual(s.title),
                abstract=_multilingual(s.abstract),
                kind=s.kind,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                room_id=s.room_id,
                room=_text(s.room.name) if s.room else None,
                track=nfc(s.track),
                language=s.language,
                people=[SessionPersonData(speaker_id=p.speaker_id, role=p.role) for p in s.people],
                created_at=s.created_at,
                updated_at=s.updated_at,
            )
            for s in sessions
        ],
        speakers=[
            SpeakerData(
                id=s.id,
                honorific=nfc(s.honorific),
                given_name=_text(s.given_name),
                family_name=_text(s.family_name),
                position=nfc(s.position),
                organisation=nfc(s.organisation.name) if s.organisation else None,
                organisation_short=nfc(s.organisation.short_name) if s.organisation else None,
                country=s.country or (s.organisation.country if s.organisation else None),
                biography=_multilingual(s.biography),
                email=s.email if with_emails else None,
                updated_at=s.updated_at,
            )
            for s in speakers
        ],
        base_url=base_url,
        url=f"{base_url}/e/{event.slug}",
        last_modified=max(stamps),
    )


def document_languages(
    available: list[str], default: str, requested: list[str] | None, *, too_many: str
) -> list[str]:
    """The languages of a printed document from ``?lang=`` (repeatable), as for the programme.

    One or two of the event's ``available`` languages in the order asked, repeats ignored;
    none asked (or ``?lang=`` empty) means the event's default language. Anything else is a 422
    naming the field ``lang``: ``invalid_language``, or ``too_many_languages`` with the message
    ``too_many`` (each document says it in its own words).
    """
    chosen: list[str] = []
    for language in requested or []:
        if not language:
            continue  # "?lang=" means: the default
        if language not in available:
            raise InvalidInput(
                "invalid_language",
                _(
                    "The language %(lang)s is not one of this event's languages (%(available)s).",
                    lang=language[:20],
                    available=", ".join(available),
                ),
                field="lang",
            )
        if language not in chosen:
            chosen.append(language)
    if len(chosen) > MAX_PROGRAMME_LANGUAGES:
        raise InvalidInput("too_many_languages", too_many, field="lang")
    return chosen or [default]


def programme_options(
    event: EventData, languages: list[str] | None, size: str | None
) -> ProgrammeOptions:
    """Check ``?lang=`` (one or two of the event's languages) and ``?size=`` (a4 or a5)."""
    chosen = document_languages(
        event.languages,
        event.default_language,
        languages,
        too_many=_("A programme can be printed in one or two languages."),
    )
    size = (size or "a4").lower()
    if size not in SIZES:
        raise InvalidInput("invalid_size", _("The paper size must be a4 or a5."), field="size")
    return ProgrammeOptions(languages=chosen, size=size)


def cache_dir(settings: Settings) -> Path:
    return settings.data_dir / "cache" / "programme"


def content_language(event: EventData, language: str | None) -> str:
    """``?lang=`` for a calendar or schedule file: one of the event's languages, else 422."""
    if not language:
        return event.default_language
    return programme_options(event, [language], None).languages[0]


# Raise when the layout of the PDF changes, so cached files from an older layout are not served.
PROGRAMME_LAYOUT = "1"
_render_lock = threading.Lock()


def programme_key(event: EventData, options: ProgrammeOptions) -> str:
    return fingerprint(event, "programme", PROGRAMME_LAYOUT, options.size, *options.languages)


def render_cached_programme(
    settings: Settings, event: EventData, options: ProgrammeOptions
) -> bytes:
    """The programme PDF from ``<data_dir>/cache/programme/``, rendered when the data changed.

    The file name carries the fingerprint of the loaded data, so any worker can serve or rebuild
    it; files are written to a temporary name and renamed, so nobody reads half a file. Older
    files for the same event, languages and size are removed.
    """
    from events.documents.programme import render_programme

    key = programme_key(event, options)
    prefix = f"event-{event.id}-{'-'.join(options.languages)}-{options.size}-"
    directory = cache_dir(settings)
    path = directory / f"{prefix}{key}.pdf"
    try:
        return path.read_bytes()
    except OSError:
        pass
    with _render_lock:  # reportlab keeps some global state: one rendering at a time
        pdf = render_programme(event, options)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        temporary = directory / f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}.tmp"
        temporary.write_bytes(pdf)
        os.replace(temporary, path)
        for old in directory.glob(f"{prefix}*.pdf"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        # A read-only or full disk costs speed, not the answer.
        pass
    return pdf
