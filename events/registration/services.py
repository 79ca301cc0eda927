"""Registration rules: who may register, seats and the waiting list, approval, changes, mails.

Every function runs inside the caller's transaction and writes its e-mails into the outbox in that
same transaction, so a rolled-back registration never sends anything.

Never oversold: ``register``, ``cancel``, ``approve`` and ``promote`` lock the event's
RegistrationSettings row (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite every write transaction
starts with ``BEGIN IMMEDIATE``, which serialises writers) and count the seats taken under that
lock, which is held until commit. ``register`` writes the registration and its mail first, with
the status the seats give at that moment, and under the lock only counts again and corrects the
status (and the mail) when the last seats went meanwhile.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import pycountry
from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import raiseload
from sqlalchemy.orm.attributes import set_committed_value

from events import i18n
from events.agenda import queries as agenda_queries
from events.agenda.models import Event
from events.badges import data as badge_data
from events.db.statements import fetch_rows, insert_instance_or_nothing
from events.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from events.i18n import gettext as _
from events.mail import compose
from events.mail.models import OutboxMessage
from events.registration import tokens
from events.registration.calendar import CalendarEntry, calendar_file
from events.registration.models import (
    Category,
    Invitation,
    Question,
    QuestionKind,
    Registration,
    RegistrationSettings,
    RegistrationStatus,
)
from events.registration.schemas import DetailsIn, RegistrationIn
from events.settings import Settings


def N_(message: str) -> str:
    """Marks a message for extraction; it is translated later, in the recipient's language."""
    return message


EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
SEAT_HOLDING = (RegistrationStatus.CONFIRMED.value,)
LIVE = (
    RegistrationStatus.CONFIRMED.value,
    RegistrationStatus.WAITLISTED.value,
    RegistrationStatus.PENDING.value,
)
MAX_TEXT = 2000


class ValidationFailed(InvalidInput):
    """Several fields at fault at once: ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        field, message = next(iter(errors.items()))
        super().__init__("invalid_input", message, field=field, errors=errors)
        self.errors = errors


@dataclass
class Outcome:
    registration: Registration
    manage_token: str
    created: bool


def now_utc() -> datetime:
    return datetime.now(UTC)


# --- normalisation -------------------------------------------------------------------------------


def clean_text(value: str | None, limit: int = 300) -> str:
    """NFC, trimmed, inner whitespace collapsed, control characters dropped."""
    if not value:
        return ""
    value = unicodedata.normalize("NFC", value)
    value = "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return " ".join(value.split())[:limit] if limit <= 300 else value.strip()[:limit]


def normalise_email(value: str) -> str:
    return unicodedata.normalize("NFC", value or "").strip().lower()


def valid_email(value: str) -> bool:
    # Control characters (NUL, CR/LF: header injection) and markup never belong in an address.
    printable = value.isprintable() and not any(ch in value for ch in '<>"\\')
    return len(value) <= 320 and printable and EMAIL_RE.match(value) is not None


def valid_country(code: str) -> bool:
    return pycountry.countries.get(alpha_2=code) is not None


# --- loading -------------------------------------------------------------------------------------


async def get_event(session: AsyncSession, slug: str) -> Event:
    event = await session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise NotFound("event", slug)
    return event


# Settings are read for their own columns: their event (joined by default, and with it the
# event's partners and rooms) is already at hand wherever they are read.
_WITHOUT_EVENT = raiseload(RegistrationSettings.event)


@dataclass
class SeatRuleValues:
    """The registration settings' rules on seats, as plain values."""

    capacity: int | None
    category_capacity: dict[str, int]
    waitlist_enabled: bool
    approval_required: bool


@dataclass
class RegistrationRules(SeatRuleValues):
    """All the registration settings' rules a new registration is checked against."""

    opens_at: datetime | None
    closes_at: datetime | None
    invitation_only: bool
    public_categories: dict[str, str]


_RULES = (
    RegistrationSettings.id.label("settings_id"),
    RegistrationSettings.opens_at,
    RegistrationSettings.closes_at,
    RegistrationSettings.invitation_only,
    RegistrationSettings.public_categories,
    RegistrationSettings.capacity,
    RegistrationSettings.category_capacity,
    RegistrationSettings.waitlist_enabled,
    RegistrationSettings.approval_required,
)
# Built once, like every statement of a registration: building one and its cache key each time
# costs a registration more than some of its round trips. The settings come as columns, not as
# an object: the ORM's load of a second object cost more than the round trip.
_EVENT_AND_RULES = (
    select(Event, *_RULES)
    .outerjoin(RegistrationSettings, RegistrationSettings.event_id == Event.id)
    .where(Event.slug == bindparam("slug"))
    .options(*agenda_queries.EVENT_ALONE)
)


async def _event_and_rules(
    session: AsyncSession, slug: str
) -> tuple[Event | None, RegistrationRules | None]:
    """The event named ``slug`` (its own columns) and its registration rules, in one query."""
    row = (await session.execute(_EVENT_AND_RULES, {"slug": slug})).one_or_none()
    if row is None:
        return None, None
    if row.settings_id is None:
        return row[0], None
    rules = RegistrationRules(
        opens_at=row.opens_at,
        closes_at=row.closes_at,
        invitation_only=row.invitation_only,
        public_categories=dict(row.public_categories or {}),
        capacity=row.capacity,
        category_capacity=dict(row.category_capacity or {}),
        waitlist_enabled=row.waitlist_enabled,
        approval_required=row.approval_required,
    )
    return row[0], rules


async def get_registration_settings(
    session: AsyncSession, event_id: int
) -> RegistrationSettings | None:
    found: RegistrationSettings | None = await session.scalar(
        select(RegistrationSettings)
        .where(RegistrationSettings.event_id == event_id)
        .options(_WITHOUT_EVENT)
    )
    return found


async def lock_registration_settings(
    session: AsyncSession, event_id: int
) -> RegistrationSettings | None:
    """Take the event's registration lock for the rest of the transaction.

    Every rule that counts seats and then writes goes through here first. Tests replace it with a
    plain read to prove that without it concurrent registrations oversell.
    """
    locked: RegistrationSettings | None = await session.scalar(
        select(RegistrationSettings)
        .where(RegistrationSettings.event_id == event_id)
        .options(_WITHOUT_EVENT)
        .with_for_update(of=RegistrationSettings)
        .execution_options(populate_existing=True)
    )
    return locked


class SeatRules(Protocol):
    """What decides a new registration's seat: the registration settings' rules on seats (the
    settings themselves, or the values read with the lock)."""

    capacity: int | None
    category_capacity: dict[str, int]
    waitlist_enabled: bool
    approval_required: bool


_LOCK_SEAT_RULES = (
    select(
        RegistrationSettings.capacity,
        RegistrationSettings.category_capacity,
        RegistrationSettings.waitlist_enabled,
        RegistrationSettings.approval_required,
    )
    .where(RegistrationSettings.event_id == bindparam("event_id"))
    .with_for_update()
)


async def lock_seat_rules(session: AsyncSession, event_id: int) -> SeatRules | None:
    """:func:`lock_registration_settings` for a new registration: the same lock (the settings'
    row), reading only the rules on seats, as plain values (the ORM's load of the whole settings
    cost a registration more than its count)."""
    rows = await fetch_rows(session, _LOCK_SEAT_RULES, {"event_id": event_id}, in_transaction=True)
    if not rows:
        return None
    return SeatRuleValues(
        capacity=rows[0]["capacity"],
        category_capacity=dict(rows[0]["category_capacity"] or {}),
        waitlist_enabled=rows[0]["waitlist_enabled"],
        approval_required=rows[0]["approval_required"],
    )


async def after_count_hook() -> None:
    """Called between counting the seats and writing the registration (tests widen the race)."""


_QUESTIONS = (
    select(Question)
    .where(Question.event_id == bindparam("event_id"))
    .order_by(Question.position, Question.id)
)


async def questions_of(session: AsyncSession, event_id: int) -> list[Question]:
    return list(await session.scalars(_QUESTIONS, {"event_id": event_id}))


async def find_by_manage_token(session: AsyncSession, token: str) -> Registration:
    registration = None
    if token and len(token) <= 64:
        registration = await session.scalar(
            select(Registration).where(Registration.manage_token_hash == tokens.token_hash(token))
        )
    if registration is None or registration.anonymised_at is not None:
        raise NotFound("registration", "link")
    return registration


async def get_registration(
    session: AsyncSession, event: Event, registration_id: int
) -> Registration:
    registration = await session.scalar(
        select(Registration).where(
            Registration.id == registration_id, Registration.event_id == event.id
        )
    )
    if registration is None:
        raise NotFound("registration", registration_id)
    return registration


# Ids start at 1: "without 0" leaves nothing out.
_SEAT_COUNTS = (
    select(Registration.status, Registration.category, func.count().label("count"))
    .where(Registration.event_id == bindparam("event_id"), Registration.id != bindparam("without"))
    .group_by(Registration.status, Registration.category)
)


# The seats taken: only the confirmed registrations, found through the (event, status) index. A
# new registration counts twice, and counting every registration of the event (a waiting list
# can be long) made each count grow with the event: 0.4 ms of PostgreSQL's time per count near
# the end of a burst of 1,000 (pg_stat_statements).
_CONFIRMED_COUNTS = (
    select(Registration.status, Registration.category, func.count().label("count"))
    .where(
        Registration.event_id == bindparam("event_id"),
        Registration.status == RegistrationStatus.CONFIRMED.value,
        Registration.id != bindparam("without"),
    )
    .group_by(Registration.status, Registration.category)
)


async def seat_counts(
    session: AsyncSession,
    event_id: int,
    *,
    without: int | None = None,
    confirmed_only: bool = False,
) -> dict[str, dict[str, int]]:
    """status -> category -> count for the event (``without``: leave that registration out;
    ``confirmed_only``: only the seats taken, which is all a new registration's status needs)."""
    # Plain rows (a registration counts twice), straight through the driver on PostgreSQL: the ORM
    # and SQLAlchemy's execution layer cost more than the round trip. Pending ORM changes are
    # flushed first, so the count sees them.
    await session.flush()
    rows = await fetch_rows(
        session,
        _CONFIRMED_COUNTS if confirmed_only else _SEAT_COUNTS,
        {"event_id": event_id, "without": without if without is not None else 0},
    )
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["status"], {})[row["category"]] = int(row["count"])
    return counts


def _has_seat(settings: SeatRules, confirmed: dict[str, int], category: str) -> bool:
    if settings.capacity is not None and sum(confirmed.values()) >= settings.capacity:
        return False
    limit = (settings.category_capacity or {}).get(category)
    return limit is None or confirmed.get(category, 0) < int(limit)


# --- links and mails ----------------------------------------------------------------------------


def manage_token_of(app: Settings, registration: Registration) -> str:
    return tokens.manage_token(app.secret_key, registration.manage_seed)


def manage_url(app: Settings, token: str, language: str | None = None) -> str:
    suffix = f"?lang={language}" if language else ""
    return f"{app.base_url}/r/{token}{suffix}"


def calendar_entry(app: Settings, event: Event, language: str) -> CalendarEntry:
    return _calendar_entry(app.base_url, event, language)


def _calendar_entry(base_url: str, event: Event, language: str) -> CalendarEntry:
    location = ", ".join(p for p in (event.venue, event.city) if p)
    return CalendarEntry(
        uid=f"event-{event.id}@{base_url.split('://')[-1]}",
        title=event.text("title", language),
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        timezone=event.timezone,
        location=location,
        description=event.text("description", language),
        url=f"{base_url}/e/{event.slug}",
    )


async def render_mail_calendar(session: AsyncSession, key: str) -> bytes | None:
    """The calendar file attached to a registration mail, made when the mail is sent.

    ``key``: JSON with the registration's id, the mail's language and the site's address. Made at
    sending time, not while the registration holds the event's lock (it costs more than the rest
    of the mail).
    """
    try:
        wanted = json.loads(key)
        registration = await session.get(Registration, int(wanted["registration"]))
    except (ValueError, KeyError, TypeError):
        return None
    if registration is None:
        return None
    entry = _calendar_entry(str(wanted["base_url"]), registration.event, str(wanted["language"]))
    return calendar_file(entry)


SUBJECTS = {
    "confirmed": N_("Your registration is confirmed: %(event_title)s"),
    "waitlisted": N_("You are on the waiting list: %(event_title)s"),
    "pending": N_("We have received your registration: %(event_title)s"),
    "promoted": N_("A seat is free for you: %(event_title)s"),
    "approved": N_("Your registration is approved: %(event_title)s"),
    "rejected": N_("Your registration: %(event_title)s"),
    "cancelled": N_("Your registration is cancelled: %(event_title)s"),
    "updated": N_("Your details were updated: %(event_title)s"),
    "link": N_("Your personal link: %(event_title)s"),
}
CALENDAR_KINDS = {"confirmed", "waitlisted", "pending", "promoted", "approved", "updated", "link"}


async def mail_registration(
    session: AsyncSession,
    app: Settings,
    registration: Registration,
    kind: str,
    *,
    dedupe_key: str | None = None,
) -> OutboxMessage:
    """Queue the mail of ``kind`` about ``registration``, rendered when it is sent
    (:func:`render_registration_mail`): rendering its text and HTML inside the request cost a
    registration about a tenth of its CPU (docs/PERFORMANCE.md)."""
    event = registration.event
    language = registration.language if registration.language in i18n.UI_LANGUAGES else "en"
    token = manage_token_of(app, registration)
    key: dict[str, Any] = {
        "registration": registration.id,
        "kind": kind,
        "language": language,
        "manage_url": manage_url(app, token, language),
        "calendar_url": f"{app.base_url}/r/{token}/calendar.ics",
        "event_url": f"{app.base_url}/e/{event.slug}?lang={language}",
    }
    attachments: list[compose.Attachment | compose.DeferredAttachment] = []
    if kind in CALENDAR_KINDS:
        calendar = {"registration": registration.id, "language": language, "base_url": app.base_url}
        attachments.append(
            compose.DeferredAttachment(
                filename=f"{event.slug}.ics",
                content_type="text/calendar; charset=utf-8",
                renderer="events.registration.services:render_mail_calendar",
                key=json.dumps(calendar),
            )
        )
    badge = badge_data.mail_attachment(registration, kind)
    if badge is not None:
        attachments.append(badge)
    key["badge"] = badge is not None
    return await compose.enqueue(
        session,
        to=registration.email,
        to_name=f"{registration.given_name} {registration.family_name}",
        language=language,
        kind=f"registration.{kind}",
        mail=compose.DeferredMail(
            renderer="events.registration.services:render_registration_mail", key=json.dumps(key)
        ),
        attachments=attachments,
        dedupe_key=dedupe_key,
    )


async def render_registration_mail(session: AsyncSession, key: str) -> compose.RenderedMail | None:
    """The mail queued by :func:`mail_registration`, rendered as it is sent, from the
    registration as it is then. None when the registration is gone or was anonymised."""
    try:
        wanted = json.loads(key)
        registration = await session.get(Registration, int(wanted["registration"]))
        kind, language = str(wanted["kind"]), str(wanted["language"])
        links = {name: str(wanted[name]) for name in ("manage_url", "calendar_url", "event_url")}
    except (ValueError, KeyError, TypeError):
        return None
    if registration is None or registration.anonymised_at is not None or kind not in SUBJECTS:
        return None
    event = registration.event
    context: dict[str, Any] = {
        "kind": kind,
        "event": event,
        "event_title": event.text("title", language),
        "registration": registration,
        **links,
        # Said only when this mail carries a badge that goes along (render_mail_badge).
        "badge_note": (
            badge_data.mail_note(language)
            if wanted.get("badge") and badge_data.badge_goes_along(registration)
            else ""
        ),
    }
    return compose.render("emails/registration", language, SUBJECTS[kind], context)


async def rotate_checkin_token(session: AsyncSession, registration: Registration) -> str:
    """Give the registration a new check-in token (a re-issued badge); returns it.

    The old token is gone from the database, so a scan of the old badge finds nobody.
    """
    registration.checkin_token = tokens.new_checkin_token()
    await session.flush()
    return registration.checkin_token


# --- validation ---------------------------------------------------------------------------------


@dataclass
class AnswerRule:
    """What checking an answer needs of its question."""

    id: int
    kind: str
    options: list[dict[str, Any]]
    required: bool


# The questions as rules, read as plain rows (through the driver on PostgreSQL): the ORM's load of
# whole questions (labels in every language included) cost a registration more than its round trip.
_ANSWER_RULES = (
    select(Question.id, Question.kind, Question.options, Question.required)
    .where(Question.event_id == bindparam("event_id"))
    .order_by(Question.position, Question.id)
)


async def answer_rules(session: AsyncSession, event_id: int) -> list[AnswerRule]:
    rows = await fetch_rows(session, _ANSWER_RULES, {"event_id": event_id})
    return [
        AnswerRule(row["id"], row["kind"], list(row["options"] or []), row["required"])
        for row in rows
    ]


def _check_answers(
    questions: list[AnswerRule], answers: dict[str, Any], errors: dict[str, str]
) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for question in questions:
        key = str(question.id)
        field = f"answers.{key}"
        value = answers.get(key)
        values = {str(o.get("value")) for o in question.options}
        if question.kind == QuestionKind.TEXT:
            text = clean_text(str(value) if value is not None else "", MAX_TEXT)
            if text:
                clean[key] = text
        elif question.kind == QuestionKind.SINGLE:
            if value not in (None, ""):
                if str(value) not in values:
                    errors[field] = _("Choose one of the offered answers.")
                    continue
                clean[key] = str(value)
        elif question.kind == QuestionKind.MULTIPLE:
            chosen = value if isinstance(value, list) else ([] if value in (None, "") else [value])
            chosen = [str(v) for v in chosen]
            if any(v not in values for v in chosen):
                errors[field] = _("Choose among the offered answers.")
                continue
            if chosen:
                clean[key] = sorted(set(chosen), key=chosen.index)
        elif question.kind == QuestionKind.YES_NO:
            if value in (True, "yes", "true", "1"):
                clean[key] = True
            elif value in (False, "no", "false", "0"):
                clean[key] = False
            elif value not in (None, ""):
                errors[field] = _("Answer yes or no.")
                continue
        if question.required and key not in clean:
            errors[field] = _("This question needs an answer.")
    return clean


def _check_person(data: Any, errors: dict[str, str], *, partial: bool = False) -> dict[str, Any]:
    """Validate name, organisation, country, language... (``partial``: absent means unchanged)."""
    out: dict[str, Any] = {}

    def present(name: str) -> bool:
        return not partial or getattr(data, name) is not None

    for name in ("given_name", "family_name"):
        if present(name):
            value = clean_text(getattr(data, name), 120)
            if not value:
                errors[name] = _("Please fill in this field.")
            out[name] = value
    for name, limit in (("honorific", 60), ("position", 300)):
        if present(name):
            out[name] = clean_text(getattr(data, name), limit) or None
    if present("organisation"):
        out["organisation"] = clean_text(data.organisation, 300)
    if present("country"):
        country = (data.country or "").strip().upper()
        if not valid_country(country):
            errors["country"] = _("Choose a country from the list.")
        out["country"] = country
    if present("language"):
        if data.language not in i18n.UI_LANGUAGES:
            errors["language"] = _("Choose a language from the list.")
        out["language"] = data.language
    for name in ("dietary", "accessibility"):
        if present(name):
            out[name] = clean_text(getattr(data, name), MAX_TEXT) or None
    for name in ("visa_letter", "consent_photos"):
        if present(name):
            out[name] = bool(getattr(data, name))
    return out


# --- registering --------------------------------------------------------------------------------


async def _by_idempotency_key(
    session: AsyncSession, event_id: int, key: str
) -> Registration | None:
    found: Registration | None = await session.scalar(
        select(Registration).where(
            Registration.event_id == event_id, Registration.idempotency_key == key
        )
    )
    return found


async def register(
    session: AsyncSession,
    app: Settings,
    slug: str,
    data: RegistrationIn,
    *,
    source: str = "form",
    now: datetime | None = None,
    bypass_rules: bool = False,
) -> Outcome:
    """Register someone for the event named ``slug``.

    ``bypass_rules`` (organiser imports) skips the window, invitation and public-category checks
    but never the capacity: an import past capacity lands on the waiting list.
    """
    now = now or now_utc()
    # Checked without the event's lock first: only counting seats and writing need it, and a burst
    # of registrations waits for the lock one at a time (docs/PERFORMANCE.md).
    event, settings = await _event_and_rules(session, slug)
    if event is None:
        raise NotFound("event", slug)
    if settings is None:
        raise DomainError("registration_not_open", _("Registration for this event is not open."))

    # A double-clicked submit: the first one's registration is the answer to the second.
    key = clean_text(data.idempotency_key, 64) or None
    if key and (existing := await _by_idempotency_key(session, event.id, key)) is not None:
        return Outcome(existing, manage_token_of(app, existing), created=False)

    invitation = None
    if data.invitation:
        invitation = await session.scalar(
            select(Invitation).where(
                Invitation.event_id == event.id, Invitation.token == data.invitation
            )
        )
        if invitation is None:
            raise InvalidInput(
                "invitation_invalid", _("This invitation link is not valid."), field="invitation"
            )
        if invitation.used_at is not None:
            raise Conflict(
                "invitation_used",
                _("This invitation has already been used to register."),
                field="invitation",
            )

    if not bypass_rules:
        if settings.opens_at is not None and now < settings.opens_at:
            raise DomainError(
                "registration_not_open", _("Registration for this event has not opened yet.")
            )
        closed = settings.closes_at is not None and now >= settings.closes_at
        if closed or now >= event.ends_at:
            raise DomainError("registration_closed", _("Registration for this event is closed."))
        if settings.invitation_only and invitation is None:
            raise Forbidden(
                "invitation_required", _("Registration for this event is by invitation only.")
            )

    errors: dict[str, str] = {}
    values = _check_person(data, errors)
    email = normalise_email(data.email)
    if not valid_email(email):
        errors["email"] = _("Enter a valid e-mail address.")
    category = invitation.category if invitation is not None else (data.category or "").strip()
    allowed = set(settings.public_categories or {})
    public_ok = invitation is not None or bypass_rules or category in allowed
    if not public_ok or category not in {c.value for c in Category}:
        errors["category"] = _("Choose one of the offered categories.")
    if not data.consent:
        errors["consent"] = _("We need your consent to process your data for this event.")
    answers = _check_answers(await answer_rules(session, event.id), data.answers or {}, errors)
    if errors:
        raise ValidationFailed(errors)

    # Seats are decided in two steps, so that a burst of registrations queues on the event's lock
    # only for a count and the commit (docs/PERFORMANCE.md):
    # 1. Without the lock: the status the committed seats give now; the registration and its mail
    #    are written with it. Unique indexes refuse a second live registration of the address and
    #    a second use of the idempotency key (also from a registration still in flight), and only
    #    then is the address looked up, for the message.
    # 2. Under the lock, held until commit: the seats are counted again, without this
    #    registration. When they no longer give the same status (the last seats went meanwhile),
    #    the status and the mail are corrected before anything is committed.
    # (A key already used was answered above; one used meanwhile is refused by its unique index.)
    try:
        taken = await seat_counts(session, event.id, confirmed_only=True)
        expected = _status_for(settings, taken, category, invitation, bypass_rules)
    except Conflict:
        # Fully booked: someone already registered is told that first.
        await _refuse_duplicate(session, event.id, email)
        raise

    seed = tokens.new_seed()
    token = tokens.manage_token(app.secret_key, seed)
    registration = Registration(
        event_id=event.id,
        status=expected.value,
        email=email,
        category=category,
        consent_data=True,
        consent_data_at=now,
        answers=answers,
        manage_seed=seed,
        manage_token_hash=tokens.token_hash(token),
        checkin_token=tokens.new_checkin_token(),
        idempotency_key=key,
        invitation_id=invitation.id if invitation is not None else None,
        source=source,
        **values,
    )
    _stamp_status(registration, expected, now)
    if not await insert_instance_or_nothing(session, registration, now):
        # Another registration of this address or key committed meanwhile (the insert waited for
        # one still in flight).
        if key and (existing := await _by_idempotency_key(session, event.id, key)) is not None:
            return Outcome(existing, manage_token_of(app, existing), created=False)
        await _refuse_duplicate(session, event.id, email)
        raise Conflict(
            "registration_in_flight", _("Your registration is being recorded. Please try again.")
        )
    # Its event, for the mail, as if loaded with it: set as a change, the next flush would work
    # out that nothing changed, at the cost of a whole unit of work.
    set_committed_value(registration, "event", event)
    if invitation is not None:
        invitation.used_at = now
    dedupe_key = f"registration:{registration.id}:new"
    mail = await mail_registration(
        session, app, registration, expected.value, dedupe_key=dedupe_key
    )

    status = expected
    if expected is not RegistrationStatus.PENDING:  # awaiting approval takes no seat yet
        locked = await lock_seat_rules(session, event.id)
        if locked is None:
            raise DomainError(
                "registration_not_open", _("Registration for this event is not open.")
            )
        counts = await seat_counts(session, event.id, without=registration.id, confirmed_only=True)
        await after_count_hook()
        status = _status_for(locked, counts, category, invitation, bypass_rules)
    if status is not expected:
        registration.status = status.value
        _stamp_status(registration, status, now)
        await session.delete(mail)
        await session.flush()
        await mail_registration(session, app, registration, status.value, dedupe_key=dedupe_key)
    return Outcome(registration, token, created=True)


async def _live_registration_of(session: AsyncSession, event_id: int, email: str) -> int | None:
    """The id of the address's registration for the event that is not cancelled, if any."""
    found: int | None = await session.scalar(
        select(Registration.id).where(
            Registration.event_id == event_id,
            Registration.email == email,
            Registration.status != RegistrationStatus.CANCELLED.value,
        )
    )
    return found


async def _refuse_duplicate(session: AsyncSession, event_id: int, email: str) -> None:
    if await _live_registration_of(session, event_id, email) is not None:
        raise Conflict(
            "already_registered",
            _(
                "This e-mail address is already registered for this event. Use the personal link "
                "from your confirmation e-mail, or ask for it to be sent again."
            ),
            field="email",
        )


def _status_for(
    settings: SeatRules,
    counts: dict[str, dict[str, int]],
    category: str,
    invitation: Invitation | None,
    bypass_rules: bool,
) -> RegistrationStatus:
    """The status a new registration gets from the seats taken (``counts``)."""
    confirmed = counts.get(RegistrationStatus.CONFIRMED.value, {})
    if settings.approval_required and invitation is None and not bypass_rules:
        return RegistrationStatus.PENDING
    if _has_seat(settings, confirmed, category):
        return RegistrationStatus.CONFIRMED
    if settings.waitlist_enabled:
        return RegistrationStatus.WAITLISTED
    raise Conflict("capacity_full", _("Sorry, this event is fully booked."))


def _stamp_status(registration: Registration, status: RegistrationStatus, now: datetime) -> None:
    registration.waitlisted_at = now if status is RegistrationStatus.WAITLISTED else None
    registration.confirmed_at = now if status is RegistrationStatus.CONFIRMED else None


# --- the waiting list ---------------------------------------------------------------------------


async def fill_free_seats(
    session: AsyncSession, app: Settings, settings: RegistrationSettings, now: datetime
) -> list[Registration]:
    """Promote from the waiting list, first come first served, while seats are free."""
    promoted: list[Registration] = []
    waiting = list(
        await session.scalars(
            select(Registration)
            .where(
                Registration.event_id == settings.event_id,
                Registration.status == RegistrationStatus.WAITLISTED.value,
            )
            .order_by(Registration.waitlisted_at, Registration.id)
        )
    )
    counts = await seat_counts(session, settings.event_id)
    confirmed = dict(counts.get(RegistrationStatus.CONFIRMED.value, {}))
    for registration in waiting:
        if settings.capacity is not None and sum(confirmed.values()) >= settings.capacity:
            break
        if not _has_seat(settings, confirmed, registration.category):
            continue
        registration.status = RegistrationStatus.CONFIRMED.value
        registration.confirmed_at = now
        confirmed[registration.category] = confirmed.get(registration.category, 0) + 1
        promoted.append(registration)
    await session.flush()
    for registration in promoted:
        await mail_registration(
            session,
            app,
            registration,
            "promoted",
            dedupe_key=f"registration:{registration.id}:promoted:{now.isoformat()}",
        )
    return promoted


async def _locked(session: AsyncSession, registration: Registration) -> RegistrationSettings:
    settings = await lock_registration_settings(session, registration.event_id)
    if settings is None:
        raise DomainError("registration_not_open", _("Registration for this event is not open."))
    await session.refresh(registration)
    return settings


async def cancel(
    session: AsyncSession, app: Settings, registration: Registration, *, notify: bool = True
) -> list[Registration]:
    """Cancel; a freed seat goes to the first on the waiting list. Returns who was promoted."""
    now = now_utc()
    settings = await _locked(session, registration)
    if registration.status == RegistrationStatus.CANCELLED.value:
        return []
    registration.status = RegistrationStatus.CANCELLED.value
    registration.cancelled_at = now
    await session.flush()
    if notify:
        await mail_registration(session, app, registration, "cancelled")
    return await fill_free_seats(session, app, settings, now)


async def approve(session: AsyncSession, app: Settings, registration: Registration) -> str:
    """Approve a pending registration: a seat if one is free, else the waiting list."""
    now = now_utc()
    settings = await _locked(session, registration)
    if registration.status != RegistrationStatus.PENDING.value:
        raise Conflict("not_pending", _("Only a registration awaiting approval can be approved."))
    counts = await seat_counts(session, registration.event_id)
    if _has_seat(
        settings, counts.get(RegistrationStatus.CONFIRMED.value, {}), registration.category
    ):
        registration.status = RegistrationStatus.CONFIRMED.value
        registration.confirmed_at = now
        kind = "approved"
    elif settings.waitlist_enabled:
        registration.status = RegistrationStatus.WAITLISTED.value
        registration.waitlisted_at = now
        kind = "waitlisted"
    else:
        raise Conflict("capacity_full", _("Sorry, this event is fully booked."))
    await session.flush()
    await mail_registration(session, app, registration, kind)
    return registration.status


async def reject(session: AsyncSession, app: Settings, registration: Registration) -> None:
    now = now_utc()
    settings = await _locked(session, registration)
    if registration.status in (
        RegistrationStatus.CANCELLED.value,
        RegistrationStatus.REJECTED.value,
    ):
        raise Conflict("not_live", _("This registration is already cancelled or rejected."))
    held_seat = registration.status == RegistrationStatus.CONFIRMED.value
    registration.status = RegistrationStatus.REJECTED.value
    registration.cancelled_at = now
    await session.flush()
    await mail_registration(session, app, registration, "rejected")
    if held_seat:
        await fill_free_seats(session, app, settings, now)


async def promote(
    session: AsyncSession, app: Settings, registration: Registration, *, force: bool = False
) -> None:
    """Give a waiting (or pending) person a seat; past capacity only with ``force``."""
    now = now_utc()
    settings = await _locked(session, registration)
    if registration.status not in (
        RegistrationStatus.WAITLISTED.value,
        RegistrationStatus.PENDING.value,
    ):
        raise Conflict("not_waiting", _("Only a waiting registration can be promoted."))
    counts = await seat_counts(session, registration.event_id)
    confirmed = counts.get(RegistrationStatus.CONFIRMED.value, {})
    if not force and not _has_seat(settings, confirmed, registration.category):
        raise Conflict("capacity_full", _("Sorry, this event is fully booked."), field="force")
    registration.status = RegistrationStatus.CONFIRMED.value
    registration.confirmed_at = now
    await session.flush()
    await mail_registration(session, app, registration, "promoted")


async def resend_confirmation(
    session: AsyncSession, app: Settings, registration: Registration
) -> None:
    if registration.status not in LIVE:
        raise Conflict("not_live", _("This registration is already cancelled or rejected."))
    await mail_registration(session, app, registration, registration.status)


async def update_details(
    session: AsyncSession, app: Settings, registration: Registration, changes: DetailsIn
) -> Registration:
    if registration.status not in LIVE:
        raise Conflict("not_live", _("This registration is already cancelled or rejected."))
    errors: dict[str, str] = {}
    values = _check_person(changes, errors, partial=True)
    if errors:
        raise ValidationFailed(errors)
    changed = {k: v for k, v in values.items() if getattr(registration, k) != v}
    for name, value in changed.items():
        setattr(registration, name, value)
    await session.flush()
    if changed:
        await mail_registration(session, app, registration, "updated")
    return registration


async def resend_link(session: AsyncSession, app: Settings, slug: str, email: str) -> None:
    """Mail the personal link to a registered address. Says nothing about whether it is one."""
    event = await session.scalar(select(Event).where(Event.slug == slug))
    address = normalise_email(email)
    if event is None or not valid_email(address):
        return
    registration = await session.scalar(
        select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.email == address,
            Registration.status.in_(LIVE),
        )
        .order_by(Registration.id.desc())
    )
    if registration is not None:
        await mail_registration(session, app, registration, "link")


# --- walk-ins (the check-in desk) ----------------------------------------------------------------


async def register_walk_in(
    session: AsyncSession,
    app: Settings,
    event: Event,
    *,
    given_name: str,
    family_name: str,
    organisation: str,
    country: str,
    category: str,
    email: str | None,
    language: str = "en",
    now: datetime | None = None,
) -> Registration:
    """A person registered at the door: confirmed at once (source ``desk``), in the caller's
    transaction. The desk admits them in person, so neither capacity nor the window applies.
    Without an e-mail address the registration gets a unique placeholder and no mail is sent."""
    now = now or now_utc()
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name, value in (("given_name", given_name), ("family_name", family_name)):
        values[name] = clean_text(value, 120)
        if not values[name]:
            errors[name] = _("Please fill in this field.")
    values["organisation"] = clean_text(organisation, 300)
    code = (country or "").strip().upper()
    if not valid_country(code):
        errors["country"] = _("Choose a country from the list.")
    category = (category or "").strip()
    if category not in {c.value for c in Category}:
        errors["category"] = _("Choose one of the offered categories.")
    address = normalise_email(email or "")
    if address and not valid_email(address):
        errors["email"] = _("Enter a valid e-mail address.")
    if errors:
        raise ValidationFailed(errors)
    if address and await _live_registration_of(session, event.id, address) is not None:
        raise Conflict(
            "already_registered",
            _("This e-mail address is already registered for this event."),
            field="email",
        )
    seed = tokens.new_seed()
    registration = Registration(
        event_id=event.id,
        status=RegistrationStatus.CONFIRMED.value,
        email=address or f"walk-in-{tokens.new_seed()[:24]}@desk.invalid",
        country=code,
        category=category,
        language=language if language in i18n.UI_LANGUAGES else "en",
        consent_data=True,
        consent_data_at=now,
        answers={},
        manage_seed=seed,
        manage_token_hash=tokens.token_hash(tokens.manage_token(app.secret_key, seed)),
        checkin_token=tokens.new_checkin_token(),
        confirmed_at=now,
        source="desk",
        **values,
    )
    registration.event = event
    session.add(registration)
    await session.flush()
    if address:
        await mail_registration(
            session,
            app,
            registration,
            RegistrationStatus.CONFIRMED.value,
            dedupe_key=f"registration:{registration.id}:new",
        )
    return registration
