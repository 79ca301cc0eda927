"""Read-side loading for the public pages.

Jinja renders synchronously, so everything a template reads is loaded here, eagerly: rooms,
partners with their organisations, session people with their speakers and organisations.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from litestar.types import Scope
from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, raiseload, selectinload

from events.agenda.models import (
    AgendaSession,
    Event,
    EventPartner,
    EventStatus,
    Organisation,
    Room,
    SessionPerson,
    Speaker,
)
from events.db.statements import fetch_rows

# What the public may see: everything but drafts.
PUBLIC_STATUSES: tuple[str, ...] = (
    EventStatus.PUBLISHED.value,
    EventStatus.CLOSED.value,
    EventStatus.ARCHIVED.value,
)


def _event_options() -> tuple[object, ...]:
    return (
        selectinload(Event.partners).joinedload(EventPartner.organisation),
        selectinload(Event.rooms),
    )


async def public_events(db: AsyncSession) -> Sequence[Event]:
    """Every event the public may see, earliest first."""
    statement = (
        select(Event)
        .where(Event.status.in_(PUBLIC_STATUSES))
        .options(*_event_options())  # type: ignore[arg-type]
        .order_by(Event.starts_at, Event.id)
    )
    return (await db.scalars(statement)).all()


async def public_event(db: AsyncSession, slug: str) -> Event | None:
    """The event with ``slug`` unless it is a draft (a draft is as good as unknown)."""
    statement = (
        select(Event)
        .where(Event.slug == slug, Event.status.in_(PUBLIC_STATUSES))
        .options(*_event_options())  # type: ignore[arg-type]
    )
    return (await db.scalars(statement)).first()


# Loader options for an event read for its own columns: touching its partners or rooms raises.
EVENT_ALONE = (raiseload(Event.partners), raiseload(Event.rooms))


async def event_alone(db: AsyncSession, slug: str) -> Event | None:
    """The event with ``slug``, drafts included, without its partners and rooms (touching them
    raises): for the hot paths of other areas (a desk's scan, a registration) that read only the
    event's own columns."""
    event: Event | None = await db.scalar(
        select(Event).where(Event.slug == slug).options(*EVENT_ALONE)
    )
    return event


class EventRef(NamedTuple):
    """What most requests need of the event named in their path: its id and its time zone."""

    id: int
    timezone: str


_EVENT_REF = select(Event.id, Event.timezone).where(Event.slug == bindparam("slug"))


async def event_ref(db: AsyncSession, slug: str, scope: Scope | None = None) -> EventRef | None:
    """The id and time zone of the event named ``slug`` (drafts included), None when unknown.

    Given the request's ASGI ``scope``, it is looked up once per request: the access guard (whose
    rule depends on the event) and the handler share the answer.
    """
    known: dict[str, EventRef | None] | None = None
    if scope is not None:
        state: dict[str, Any] = scope.setdefault("state", {})  # type: ignore[typeddict-item]
        known = state.setdefault("agenda_event_refs", {})
        if slug in known:
            return known[slug]
    rows = await fetch_rows(db, _EVENT_REF, {"slug": slug})
    ref = EventRef(rows[0]["id"], rows[0]["timezone"]) if rows else None
    if known is not None:
        known[slug] = ref
    return ref


async def any_event(db: AsyncSession, slug: str) -> Event | None:
    """The event with ``slug``, drafts included (organiser pages and previews)."""
    statement = (
        select(Event)
        .where(Event.slug == slug)
        .options(*_event_options())  # type: ignore[arg-type]
        .execution_options(populate_existing=True)
    )
    return (await db.scalars(statement)).first()


def _session_options() -> tuple[object, ...]:
    return (
        joinedload(AgendaSession.room),
        selectinload(AgendaSession.people)
        .joinedload(SessionPerson.speaker)
        .joinedload(Speaker.organisation),
    )


async def programme(db: AsyncSession, event_id: int) -> Sequence[AgendaSession]:
    """The event's sessions in time order, with rooms and people loaded."""
    statement = (
        select(AgendaSession)
        .where(AgendaSession.event_id == event_id)
        .options(*_session_options())  # type: ignore[arg-type]
        .order_by(AgendaSession.starts_at, AgendaSession.ends_at, AgendaSession.id)
    )
    return (await db.scalars(statement)).unique().all()


async def event_speaker(db: AsyncSession, event_id: int, speaker_id: int) -> Speaker | None:
    """A speaker of this event (a speaker of another event is not found)."""
    statement = (
        select(Speaker)
        .where(Speaker.id == speaker_id, Speaker.event_id == event_id)
        .options(joinedload(Speaker.organisation))
    )
    return (await db.scalars(statement)).first()


async def speaker_sessions(db: AsyncSession, speaker_id: int) -> Sequence[AgendaSession]:
    """The sessions a speaker takes part in, in time order."""
    statement = (
        select(AgendaSession)
        .join(SessionPerson, SessionPerson.session_id == AgendaSession.id)
        .where(SessionPerson.speaker_id == speaker_id)
        .options(*_session_options())  # type: ignore[arg-type]
        .order_by(AgendaSession.starts_at, AgendaSession.id)
    )
    return (await db.scalars(statement)).unique().all()


def _newest_and_count(model: Any, *where: Any) -> tuple[Any, Any]:
    """The newest ``updated_at`` of the rows and how many there are (a deletion changes that)."""
    return (
        select(func.max(model.updated_at)).where(*where).scalar_subquery(),
        select(func.count()).select_from(model).where(*where).scalar_subquery(),
    )


_OF_EVENT = (
    *_newest_and_count(AgendaSession, AgendaSession.event_id == Event.id),
    *_newest_and_count(
        SessionPerson,
        SessionPerson.session_id.in_(
            select(AgendaSession.id).where(AgendaSession.event_id == Event.id).correlate(Event)
        ),
    ),
    *_newest_and_count(Speaker, Speaker.event_id == Event.id),
    *_newest_and_count(Room, Room.event_id == Event.id),
    *_newest_and_count(EventPartner, EventPartner.event_id == Event.id),
    select(func.max(Organisation.updated_at))
    .where(
        or_(
            Organisation.id.in_(
                select(EventPartner.organisation_id)
                .where(EventPartner.event_id == Event.id)
                .correlate(Event)
            ),
            Organisation.id.in_(
                select(Speaker.organisation_id).where(Speaker.event_id == Event.id).correlate(Event)
            ),
        )
    )
    .scalar_subquery(),
)
_PROGRAMME_STAMP = select(
    Event.id, Event.languages, Event.default_language, Event.updated_at, Event.status, *_OF_EVENT
).where(
    Event.slug == bindparam("slug"),
    # Each status its own parameter: an expanding IN is rendered per execution, which the
    # statement sent straight to the driver (compiled once) cannot be.
    or_(*(Event.status == status for status in PUBLIC_STATUSES)),
)


class ProgrammeStamp(NamedTuple):
    """What the public programme of an event shows has changed when its stamp has."""

    event_id: int
    languages: list[str]
    default_language: str
    version: tuple[object, ...]


async def programme_stamp(db: AsyncSession, slug: str) -> ProgrammeStamp | None:
    """One statement: the event (public ones only) and the newest change and row count of every
    table its programme reads. Deletions of partners, rooms, speakers and sessions also move the
    event's own ``updated_at`` (agenda services), and the counts catch the rest."""
    rows = await fetch_rows(db, _PROGRAMME_STAMP, {"slug": slug})
    if not rows:
        return None
    row = list(rows[0].values())
    return ProgrammeStamp(row[0], list(row[1] or []), row[2], tuple(row[3:]))
