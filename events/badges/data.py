"""From registrations to the badge renderer's plain Structs, and the badge as a mail attachment.

This module reads only the registration models (never the registration services), so the
registration area can import it to attach the badge to its confirmation mail.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from zoneinfo import ZoneInfo

import anyio.to_thread
from babel import Locale
from babel.dates import format_date, format_interval
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events import i18n
from events.agenda.models import Event
from events.documents.badges import Badge, BadgeEvent, BadgeLayout, render_badges
from events.mail.compose import DeferredAttachment
from events.registration.models import Registration, RegistrationSettings, RegistrationStatus


def N_(message: str) -> str:
    """Marks a message for extraction; translated later, in the badge's language."""
    return message


#: The category's label on the badge's band.
CATEGORY_LABELS = {
    "participant": N_("Participant"),
    "delegation": N_("Delegation member"),
    "speaker": N_("Speaker"),
    "press": N_("Press"),
    "guest": N_("Guest"),
}
#: Band colours for categories the event has not given a colour (public_categories).
DEFAULT_COLOURS = {
    "participant": "#2563EB",
    "delegation": "#7C3AED",
    "speaker": "#C0392B",
    "press": "#D97706",
    "guest": "#15803D",
}
FALLBACK_COLOUR = "#5B6770"
ACCENT_COLOUR = "#1F4E79"
_HEX = re.compile(r"#?([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")
#: Mail kinds that carry the badge (only while the registration is confirmed).
MAIL_KINDS = frozenset({"confirmed", "promoted", "approved", "updated"})
MAIL_NOTE = N_(
    "Your badge is attached (PDF, A6): print it at actual size or show it on your phone at the "
    "entrance. Its QR code is your ticket: do not share it."
)


def badge_language(language: str | None) -> str:
    """Badges are printed in an interface language (category labels are translated)."""
    return language if language in i18n.UI_LANGUAGES else i18n.DEFAULT_LANGUAGE


def event_dates(event: Event, language: str) -> str:
    """'12–13 October 2023' in ``language``, in the event's own time zone."""
    zone = ZoneInfo(event.timezone)
    start, end = event.starts_at.astimezone(zone).date(), event.ends_at.astimezone(zone).date()
    if start == end:
        return format_date(start, "long", locale=language)
    return format_interval(start, end, "yMMMMd", locale=language)


def badge_event(event: Event, language: str) -> BadgeEvent:
    language = badge_language(language)
    dates = event_dates(event, language)
    if event.city:
        dates = f"{dates} · {event.city}"
    return BadgeEvent(title=event.text("title", language), dates=dates, accent_colour=ACCENT_COLOUR)


def country_name(code: str, language: str) -> str:
    return str(Locale.parse(language).territories.get(code, code)) if code else ""


def category_label(code: str, language: str) -> str:
    label = CATEGORY_LABELS.get(code)
    if label is None:
        return code
    return i18n.translations(badge_language(language)).gettext(label)


def colour_for(code: str, colours: Mapping[str, str]) -> str:
    colour = colours.get(code) or DEFAULT_COLOURS.get(code) or FALLBACK_COLOUR
    return colour if _HEX.fullmatch(colour) else DEFAULT_COLOURS.get(code, FALLBACK_COLOUR)


async def category_colours(session: AsyncSession, event_id: int) -> dict[str, str]:
    """The event's own category colours (its registration settings), code -> hex."""
    colours = await session.scalar(
        select(RegistrationSettings.public_categories).where(
            RegistrationSettings.event_id == event_id
        )
    )
    return {str(k): str(v) for k, v in (colours or {}).items() if isinstance(v, str)}


def badge_of(registration: Registration, language: str, colours: Mapping[str, str]) -> Badge:
    """The badge of one registration; every text as the person typed it."""
    language = badge_language(language)
    return Badge(
        given_name=registration.given_name,
        family_name=registration.family_name,
        checkin_token=registration.checkin_token,
        honorific=registration.honorific or "",
        organisation=registration.organisation or "",
        country=country_name(registration.country, language),
        category=category_label(registration.category, language),
        category_colour=colour_for(registration.category, colours),
    )


def badge_filename(event: Event, registration: Registration) -> str:
    return f"{event.slug}-badge-{registration.id}.pdf"


async def badge_pdf(
    session: AsyncSession,
    registration: Registration,
    layout: BadgeLayout | str = BadgeLayout.A6,
    language: str | None = None,
) -> bytes:
    """One registration's badge (in the person's own language unless ``language`` is given)."""
    event = registration.event
    language = badge_language(language or registration.language)
    colours = await category_colours(session, event.id)
    badge = badge_of(registration, language, colours)
    return render_badges(badge_event(event, language), [badge], layout)


def mail_attachment(registration: Registration, kind: str) -> DeferredAttachment | None:
    """The A6 badge for a confirmation-type mail of a confirmed registration, else None.

    Rendered when the mail is sent (``render_mail_badge``), not while the registration's
    transaction holds the event's lock: a badge takes tens of milliseconds to draw.
    """
    if kind not in MAIL_KINDS or registration.status != RegistrationStatus.CONFIRMED.value:
        return None
    return DeferredAttachment(
        filename=badge_filename(registration.event, registration),
        content_type="application/pdf",
        renderer="events.badges.data:render_mail_badge",
        key=str(registration.id),
    )


def badge_goes_along(registration: Registration) -> bool:
    """Whether a badge queued with a mail is attached when the mail is sent: only while the
    registration is confirmed and not anonymised (the mail's note on it follows the same rule)."""
    return (
        registration.status == RegistrationStatus.CONFIRMED.value
        and registration.anonymised_at is None
    )


async def render_mail_badge(session: AsyncSession, key: str) -> bytes | None:
    """The badge attached to a mail, as the registration is now (None unless confirmed)."""
    registration = await session.get(Registration, int(key)) if key.isdigit() else None
    if registration is None or not badge_goes_along(registration):
        return None
    event = registration.event
    language = badge_language(registration.language)
    colours = await category_colours(session, event.id)
    badge = badge_of(registration, language, colours)
    pdf: bytes = await anyio.to_thread.run_sync(
        render_badges, badge_event(event, language), [badge], BadgeLayout.A6
    )
    return pdf


def mail_note(language: str) -> str:
    """The sentence the mail says about its badge attachment, in the recipient's language."""
    return i18n.translations(badge_language(language)).gettext(MAIL_NOTE)
