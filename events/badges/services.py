"""Badge rules: which registrations to print, printing them, recording prints, re-issuing.

Every function runs in the caller's transaction and flushes. Printing personal data is an export,
so every print and every re-issue is written to the audit log in that same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import anyio.to_thread
import msgspec
from sqlalchemy import Select, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from events.accounts import audit
from events.accounts.access import CurrentUser
from events.agenda.models import Event
from events.badges import data
from events.badges.models import BadgePrint
from events.documents.badges import Badge, BadgeEvent, BadgeLayout, render_badges
from events.errors import Conflict, InvalidInput, NotFound
from events.i18n import gettext as _
from events.registration import services as registrations
from events.registration.models import Category, Registration, RegistrationStatus

LAYOUTS = tuple(layout.value for layout in BadgeLayout)
STATUSES = tuple(status.value for status in RegistrationStatus)
CATEGORIES = tuple(category.value for category in Category)
#: How many matching registrations the organisers' page lists.
LIST_LIMIT = 100


class BadgeFilter(msgspec.Struct, frozen=True):
    """Which registrations of an event get badges. Empty category: every category."""

    category: str = ""
    status: str = RegistrationStatus.CONFIRMED.value
    not_printed: bool = False


class PrintOutcome(msgspec.Struct, frozen=True):
    pdf: bytes
    count: int
    filename: str


class BadgeRow(msgspec.Struct, frozen=True):
    """A line of the organisers' list."""

    id: int
    name: str
    organisation: str
    category: str
    status: str
    printed_at: datetime | None


def now_utc() -> datetime:
    return datetime.now(UTC)


def check_filter(filters: BadgeFilter) -> BadgeFilter:
    if filters.category and filters.category not in CATEGORIES:
        raise InvalidInput(
            "invalid_category",
            _("Choose a category from the list, or all categories."),
            field="category",
        )
    if filters.status not in STATUSES:
        raise InvalidInput("invalid_status", _("Choose a status from the list."), field="status")
    return filters


def check_layout(layout: str) -> BadgeLayout:
    try:
        return BadgeLayout(layout)
    except ValueError as error:
        raise InvalidInput(
            "invalid_layout",
            _("Choose one of the layouts: %(layouts)s.", layouts=", ".join(LAYOUTS)),
            field="layout",
        ) from error


def _select(event_id: int, filters: BadgeFilter) -> Select[tuple[Registration]]:
    query = select(Registration).where(
        Registration.event_id == event_id,
        Registration.status == filters.status,
        Registration.anonymised_at.is_(None),
    )
    if filters.category:
        query = query.where(Registration.category == filters.category)
    if filters.not_printed:
        printed = select(BadgePrint.registration_id).where(BadgePrint.event_id == event_id)
        query = query.where(Registration.id.not_in(printed))
    return query


async def count(session: AsyncSession, event: Event, filters: BadgeFilter) -> int:
    check_filter(filters)
    query = _select(event.id, filters).with_only_columns(func.count(Registration.id))
    return int(await session.scalar(query) or 0)


async def matching(
    session: AsyncSession, event: Event, filters: BadgeFilter, limit: int = LIST_LIMIT
) -> list[BadgeRow]:
    """The first ``limit`` matching registrations, by family and given name, with print dates."""
    check_filter(filters)
    query = (
        _select(event.id, filters)
        .add_columns(BadgePrint.printed_at)
        .outerjoin(BadgePrint, BadgePrint.registration_id == Registration.id)
        .order_by(Registration.family_name, Registration.given_name, Registration.id)
        .limit(limit)
    )
    rows = []
    for registration, printed_at in (await session.execute(query)).all():
        rows.append(
            BadgeRow(
                id=registration.id,
                name=registration.display_name,
                organisation=registration.organisation,
                category=registration.category,
                status=registration.status,
                printed_at=printed_at,
            )
        )
    return rows


async def load_badges(
    session: AsyncSession, event: Event, filters: BadgeFilter, language: str
) -> tuple[BadgeEvent, list[Badge], list[int]]:
    """The badge data for every matching registration, sorted by name, and their ids."""
    check_filter(filters)
    language = data.badge_language(language)
    colours = await data.category_colours(session, event.id)
    query = _select(event.id, filters).order_by(
        Registration.family_name, Registration.given_name, Registration.id
    )
    badges: list[Badge] = []
    ids: list[int] = []
    for registration in (await session.scalars(query)).all():
        badges.append(data.badge_of(registration, language, colours))
        ids.append(registration.id)
    return data.badge_event(event, language), badges, ids


async def mark_printed(
    session: AsyncSession,
    event_id: int,
    registration_ids: Sequence[int],
    layout: str,
    now: datetime | None = None,
) -> None:
    """Record that these registrations' current badges were printed now."""
    now = now or now_utc()
    ids = list(dict.fromkeys(registration_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        existing = {
            row.registration_id: row
            for row in await session.scalars(
                select(BadgePrint).where(BadgePrint.registration_id.in_(chunk))
            )
        }
        for registration_id in chunk:
            row = existing.get(registration_id)
            if row is None:
                session.add(
                    BadgePrint(
                        registration_id=registration_id,
                        event_id=event_id,
                        first_printed_at=now,
                        printed_at=now,
                        print_count=1,
                        layout=layout,
                    )
                )
            else:
                row.printed_at = now
                row.print_count += 1
                row.layout = layout
    await session.flush()


def _filters_detail(filters: BadgeFilter) -> dict[str, Any]:
    return {
        "category": filters.category or "all",
        "status": filters.status,
        "not_printed": filters.not_printed,
    }


async def print_batch(
    session: AsyncSession,
    actor: CurrentUser | None,
    event: Event,
    filters: BadgeFilter,
    layout: str,
    language: str,
    *,
    mark: bool = True,
    ip: str | None = None,
    via: str = "web",
) -> PrintOutcome:
    """One PDF with the badges of every matching registration; records and audits the print."""
    chosen = check_layout(layout)
    badge_event, badges, ids = await load_badges(session, event, filters, language)
    if not badges:
        raise InvalidInput(
            "no_badges", _("No registration matches these filters: nothing to print."),
            field="filters",
        )  # fmt: skip
    pdf = await anyio.to_thread.run_sync(render_badges, badge_event, badges, chosen)
    if mark:
        await mark_printed(session, event.id, ids, chosen.value)
    details = {**_filters_detail(filters), "layout": chosen.value, "count": len(ids), "mark": mark}
    details["via"] = via
    await audit.record(session, actor, "badges.print", event.id, event.slug, details, ip=ip)
    filename = f"{event.slug}-badges-{chosen.value}.pdf"
    return PrintOutcome(pdf=pdf, count=len(ids), filename=filename)


def _confirmed(registration: Registration) -> Registration:
    if registration.status != RegistrationStatus.CONFIRMED.value:
        raise Conflict(
            "badge_not_available",
            _("A badge is available only for a confirmed registration."),
            field="status",
        )
    return registration


async def attendee_badge(session: AsyncSession, manage_token: str) -> PrintOutcome:
    """The attendee's own A6 badge, by their personal link (confirmed registrations only)."""
    registration = _confirmed(await registrations.find_by_manage_token(session, manage_token))
    pdf = await data.badge_pdf(session, registration, BadgeLayout.A6)
    filename = data.badge_filename(registration.event, registration)
    return PrintOutcome(pdf=pdf, count=1, filename=filename)


async def _registration(session: AsyncSession, event: Event, registration_id: int) -> Registration:
    registration = await registrations.get_registration(session, event, registration_id)
    if registration.anonymised_at is not None:
        raise NotFound("registration", registration_id)
    return registration


async def desk_badge(
    session: AsyncSession,
    actor: CurrentUser | None,
    event: Event,
    registration_id: int,
    language: str | None,
    *,
    layout: str = BadgeLayout.A6.value,
    ip: str | None = None,
) -> PrintOutcome:
    """One confirmed registration's badge, printed at the desk (a walk-in): recorded, audited."""
    chosen = check_layout(layout)
    registration = _confirmed(await _registration(session, event, registration_id))
    pdf = await data.badge_pdf(session, registration, chosen, language)
    await mark_printed(session, event.id, [registration.id], chosen.value)
    await audit.record(
        session, actor, "badges.print_one", event.id, f"registration:{registration.id}",
        {"layout": chosen.value}, ip=ip,
    )  # fmt: skip
    return PrintOutcome(pdf=pdf, count=1, filename=data.badge_filename(event, registration))


async def reissue(
    session: AsyncSession,
    actor: CurrentUser | None,
    event: Event,
    registration_id: int,
    *,
    ip: str | None = None,
) -> Registration:
    """A new badge: a new check-in token (the old one is revoked) and not yet printed."""
    registration = await _registration(session, event, registration_id)
    await registrations.rotate_checkin_token(session, registration)
    await session.execute(delete(BadgePrint).where(BadgePrint.registration_id == registration.id))
    await session.flush()
    await audit.record(
        session, actor, "badges.reissue", event.id, f"registration:{registration.id}", {}, ip=ip
    )
    return registration
