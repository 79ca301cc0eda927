"""Workspace rules: every change the organiser pages make, audited with what it changed.

The agenda services hold the rules of events, partners and rooms; these functions wrap them so
each change leaves one audit entry (``event.update`` with ``{"field": {"before", "after"}}``), which
is what lets an organiser undo a change by editing back. They also count what a delete takes with
it, and gather the dashboard's figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from events.accounts import audit
from events.accounts.access import CurrentUser, desk_event_ids, managed_event_ids
from events.agenda import queries as agenda_queries
from events.agenda import schemas
from events.agenda import services as agenda
from events.agenda.models import (
    AgendaSession,
    Event,
    EventPartner,
    EventStatus,
    Room,
    Speaker,
)
from events.checkin import queries as checkin_queries
from events.errors import Forbidden, InvalidInput, NotFound
from events.i18n import gettext
from events.mail.models import OutboxMessage, OutboxStatus
from events.registration.models import Registration

EVENT_FIELDS = (
    "slug", "title", "description", "kind", "status", "starts_at", "ends_at", "timezone", "venue",
    "city", "country", "languages", "default_language", "partner_countries",
)  # fmt: skip

# The statuses an organiser moves an event between, and the audit action of each move.
STATUS_ACTIONS = {
    EventStatus.PUBLISHED.value: "event.publish",
    EventStatus.DRAFT.value: "event.unpublish",
    EventStatus.CLOSED.value: "event.close",
    EventStatus.ARCHIVED.value: "event.archive",
}


def _plain(value: Any) -> Any:
    """A JSON-able copy of a column value (datetimes in ISO 8601, UTC)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list):
        return list(value)
    return value


def snapshot(row: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: _plain(getattr(row, name)) for name in fields}


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """``{field: {"before": …, "after": …}}`` for every field whose value changed."""
    return {
        name: {"before": before.get(name), "after": value}
        for name, value in after.items()
        if before.get(name) != value
    }


def can_create_events(user: CurrentUser) -> bool:
    """Admins and organisers of every event may create events."""
    return managed_event_ids(user) is None


# Events -------------------------------------------------------------------------------------


async def load_event(db: AsyncSession, slug: str) -> Event:
    """The event with its partners (and their organisations) and rooms, drafts included."""
    event = await agenda_queries.any_event(db, slug)
    if event is None:
        raise NotFound("event", slug)
    return event


async def create_event(
    db: AsyncSession, user: CurrentUser, data: dict[str, Any], *, ip: str | None = None
) -> Event:
    if not can_create_events(user):
        raise Forbidden(
            "not_allowed", gettext("Only administrators and organisers of all events may do this.")
        )
    event = await agenda.create_event(db, schemas.EventCreate(**data))
    await audit.record(
        db, user, "event.create", event.id, event.slug, snapshot(event, EVENT_FIELDS), ip=ip
    )
    return event


async def update_event(
    db: AsyncSession, user: CurrentUser, slug: str, data: dict[str, Any], *, ip: str | None = None
) -> tuple[Event, dict[str, Any]]:
    """Apply the form; returns the event and what changed (empty: nothing to record)."""
    event = await agenda.get_event(db, slug, include_drafts=True)
    before = snapshot(event, EVENT_FIELDS)
    event = await agenda.update_event(db, slug, schemas.EventUpdate(**data))
    changed = changes(before, snapshot(event, EVENT_FIELDS))
    if changed:
        await audit.record(db, user, "event.update", event.id, event.slug, changed, ip=ip)
    return event, changed


async def set_status(
    db: AsyncSession, user: CurrentUser, slug: str, status: str, *, ip: str | None = None
) -> Event:
    if status not in STATUS_ACTIONS:
        raise InvalidInput(
            "invalid_choice",
            gettext("Choose one of: %(allowed)s.", allowed=", ".join(STATUS_ACTIONS)),
            field="status",
        )
    event = await agenda.get_event(db, slug, include_drafts=True)
    before = event.status
    if before != status:
        event = await agenda.update_event(db, slug, schemas.EventUpdate(status=status))
        await audit.record(
            db, user, STATUS_ACTIONS[status], event.id, event.slug,
            {"status": {"before": before, "after": status}}, ip=ip,
        )  # fmt: skip
    return event


async def delete_event(
    db: AsyncSession, user: CurrentUser, slug: str, *, ip: str | None = None
) -> None:
    event = await agenda.get_event(db, slug, include_drafts=True)
    impact = await event_impact(db, event)
    details = {"before": snapshot(event, EVENT_FIELDS), "removed": impact.as_dict()}
    # Recorded without the event: the entry outlives it (the log keeps the slug and the fields).
    await audit.record(db, user, "event.delete", None, event.slug, details, ip=ip)
    await agenda.delete_event(db, slug)


# What a delete takes with it -----------------------------------------------------------------


@dataclass
class EventImpact:
    partners: int = 0
    rooms: int = 0
    sessions: int = 0
    speakers: int = 0
    registrations: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "partners": self.partners,
            "rooms": self.rooms,
            "sessions": self.sessions,
            "speakers": self.speakers,
            "registrations": self.registrations,
        }


async def _count(db: AsyncSession, statement: Any) -> int:
    return int(await db.scalar(statement) or 0)


async def event_impact(db: AsyncSession, event: Event) -> EventImpact:
    def count_of(model: Any) -> Any:
        return select(func.count()).select_from(model).where(model.event_id == event.id)

    return EventImpact(
        partners=await _count(db, count_of(EventPartner)),
        rooms=await _count(db, count_of(Room)),
        sessions=await _count(db, count_of(AgendaSession)),
        speakers=await _count(db, count_of(Speaker)),
        registrations=await _count(db, count_of(Registration)),
    )


async def room_sessions(db: AsyncSession, room: Room) -> int:
    """How many sessions lose their room when ``room`` is removed."""
    return await _count(
        db, select(func.count()).select_from(AgendaSession).where(AgendaSession.room_id == room.id)
    )


async def partner_speakers(db: AsyncSession, partner: EventPartner) -> int:
    """Speakers of the event from the partner's organisation (they keep their affiliation)."""
    return await _count(
        db,
        select(func.count())
        .select_from(Speaker)
        .where(
            Speaker.event_id == partner.event_id,
            Speaker.organisation_id == partner.organisation_id,
        ),
    )


# Partners -----------------------------------------------------------------------------------


PARTNER_FIELDS = ("organisation_id", "role", "position")
ROOM_FIELDS = ("name", "capacity", "position")


async def add_partner(
    db: AsyncSession,
    user: CurrentUser,
    slug: str,
    *,
    organisation_id: int | None,
    new_organisation: dict[str, Any] | None,
    role: str,
    position: int,
    ip: str | None = None,
) -> EventPartner:
    """Add a known organisation (``organisation_id``) or a new one (``new_organisation``)."""
    event = await agenda.get_event(db, slug, include_drafts=True)
    if new_organisation is not None:
        organisation = await agenda.create_organisation(
            db, schemas.OrganisationCreate(**new_organisation)
        )
        await audit.record(
            db, user, "organisation.create", event.id, organisation.name,
            snapshot(organisation, ("name", "short_name", "country", "kind", "website")), ip=ip,
        )  # fmt: skip
        organisation_id = organisation.id
    if organisation_id is None:
        raise InvalidInput(
            "required",
            gettext("Pick a known organisation or fill in a new one."),
            field="organisation_id",
        )
    partner = await agenda.add_partner(
        db,
        slug,
        schemas.PartnerCreate(organisation_id=organisation_id, role=role, position=position),
    )
    await audit.record(
        db, user, "partner.add", event.id, partner.organisation.name,
        snapshot(partner, PARTNER_FIELDS), ip=ip,
    )  # fmt: skip
    return partner


async def update_partner(
    db: AsyncSession,
    user: CurrentUser,
    slug: str,
    partner_id: int,
    *,
    role: str,
    position: int,
    ip: str | None = None,
) -> EventPartner:
    partner = await agenda.get_partner(db, slug, partner_id, include_drafts=True)
    before = snapshot(partner, PARTNER_FIELDS)
    partner = await agenda.update_partner(
        db, slug, partner_id, schemas.PartnerUpdate(role=role, position=position)
    )
    changed = changes(before, snapshot(partner, PARTNER_FIELDS))
    if changed:
        await audit.record(
            db, user, "partner.update", partner.event_id, partner.organisation.name, changed, ip=ip
        )
    return partner


async def delete_partner(
    db: AsyncSession, user: CurrentUser, slug: str, partner_id: int, *, ip: str | None = None
) -> None:
    partner = await agenda.get_partner(db, slug, partner_id, include_drafts=True)
    details = {"before": snapshot(partner, PARTNER_FIELDS)}
    name, event_id = partner.organisation.name, partner.event_id
    await agenda.delete_partner(db, slug, partner_id)
    await audit.record(db, user, "partner.remove", event_id, name, details, ip=ip)


# Rooms --------------------------------------------------------------------------------------


async def add_room(
    db: AsyncSession,
    user: CurrentUser,
    slug: str,
    *,
    name: str,
    capacity: int | None,
    position: int,
    ip: str | None = None,
) -> Room:
    room = await agenda.create_room(
        db, slug, schemas.RoomCreate(name=name, capacity=capacity, position=position)
    )
    await audit.record(
        db, user, "room.add", room.event_id, room.name, snapshot(room, ROOM_FIELDS), ip=ip
    )
    return room


async def update_room(
    db: AsyncSession,
    user: CurrentUser,
    slug: str,
    room_id: int,
    *,
    name: str,
    capacity: int | None,
    position: int,
    ip: str | None = None,
) -> Room:
    room = await agenda.get_room(db, slug, room_id, include_drafts=True)
    before = snapshot(room, ROOM_FIELDS)
    room = await agenda.update_room(
        db, slug, room_id, schemas.RoomUpdate(name=name, capacity=capacity, position=position)
    )
    changed = changes(before, snapshot(room, ROOM_FIELDS))
    if changed:
        await audit.record(db, user, "room.update", room.event_id, room.name, changed, ip=ip)
    return room


async def delete_room(
    db: AsyncSession, user: CurrentUser, slug: str, room_id: int, *, ip: str | None = None
) -> int:
    """Remove a room; returns how many sessions lost it (they stay in the agenda)."""
    room = await agenda.get_room(db, slug, room_id, include_drafts=True)
    lost = await room_sessions(db, room)
    details = {"before": snapshot(room, ROOM_FIELDS), "sessions_without_room": lost}
    name, event_id = room.name, room.event_id
    await agenda.delete_room(db, slug, room_id)
    await audit.record(db, user, "room.remove", event_id, name, details, ip=ip)
    return lost


# Dashboard ----------------------------------------------------------------------------------


@dataclass
class DashboardRow:
    event: Event
    manage: bool
    registrations: int = 0
    checkins: int = 0
    pending: int = 0
    conflicts: int = 0
    failed_mails: int = 0
    attention: list[str] = field(default_factory=list)


def _registration_id(dedupe_key: str | None) -> int | None:
    """Mails about a registration carry ``registration:<id>:…`` as their dedupe key."""
    if not dedupe_key or not dedupe_key.startswith("registration:"):
        return None
    part = dedupe_key.split(":")[1]
    return int(part) if part.isdigit() else None


async def failed_mails_by_event(db: AsyncSession) -> tuple[dict[int, int], int]:
    """Failed outbox mails per event (through their registration) and the total."""
    keys = (
        await db.scalars(
            select(OutboxMessage.dedupe_key).where(
                OutboxMessage.status == OutboxStatus.FAILED.value
            )
        )
    ).all()
    registration_ids = {rid for key in keys if (rid := _registration_id(key)) is not None}
    by_registration: dict[int, int] = {}
    if registration_ids:
        rows = await db.execute(
            select(Registration.id, Registration.event_id).where(
                Registration.id.in_(registration_ids)
            )
        )
        by_registration = {int(rid): int(eid) for rid, eid in rows.all()}
    per_event: dict[int, int] = {}
    for key in keys:
        rid = _registration_id(key)
        if rid is not None and rid in by_registration:
            event_id = by_registration[rid]
            per_event[event_id] = per_event.get(event_id, 0) + 1
    return per_event, len(keys)


async def _counts_by_event(db: AsyncSession, statement: Any) -> dict[int, int]:
    return {int(k): int(n) for k, n in (await db.execute(statement)).all()}


async def dashboard(db: AsyncSession, user: CurrentUser) -> tuple[list[DashboardRow], int]:
    """The events the user works on with their figures, and failed mails overall (admins)."""
    managed, desk = managed_event_ids(user), desk_event_ids(user)
    statement = select(Event).order_by(Event.starts_at.desc(), Event.id)
    if desk is not None:
        statement = statement.where(Event.id.in_(desk | (managed or set())))
    events = list((await db.scalars(statement)).all())
    ids = [e.id for e in events]
    live = Registration.status != "cancelled"
    registrations = await _counts_by_event(
        db,
        select(Registration.event_id, func.count())
        .where(Registration.event_id.in_(ids), live)
        .group_by(Registration.event_id),
    )
    pending = await _counts_by_event(
        db,
        select(Registration.event_id, func.count())
        .where(Registration.event_id.in_(ids), Registration.status == "pending")
        .group_by(Registration.event_id),
    )
    checkins = await _checkins(db, ids)
    failed, failed_total = await failed_mails_by_event(db)
    rows: list[DashboardRow] = []
    for event in events:
        manage = managed is None or event.id in managed
        row = DashboardRow(
            event=event,
            manage=manage,
            registrations=registrations.get(event.id, 0),
            checkins=checkins.get(event.id, 0),
        )
        if manage:
            row.pending = pending.get(event.id, 0)
            row.failed_mails = failed.get(event.id, 0)
            has_sessions = await db.scalar(
                select(AgendaSession.id).where(AgendaSession.event_id == event.id).limit(1)
            )
            if has_sessions is not None:
                found = await agenda.event_conflicts(db, event.slug, include_drafts=True)
                row.conflicts = len(found)
        rows.append(row)
    return rows, failed_total if user.is_admin else 0


async def _checkins(db: AsyncSession, event_ids: list[int]) -> dict[int, int]:
    """People admitted at each event's main door (undone check-ins do not count)."""
    return {
        event_id: len(await checkin_queries.checked_in_registration_ids(db, event_id))
        for event_id in event_ids
    }
