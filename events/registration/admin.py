"""The organiser's side of registration: lists, exports, imports, invitations, settings, privacy."""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from events import i18n
from events.accounts import audit
from events.accounts.access import CurrentUser
from events.agenda.models import Event
from events.errors import Conflict, DomainError, InvalidInput
from events.i18n import gettext as _
from events.mail import compose
from events.mail.models import OutboxMessage
from events.registration import services, tokens
from events.registration.models import (
    Category,
    Invitation,
    Question,
    QuestionKind,
    Registration,
    RegistrationSettings,
    RegistrationStatus,
)
from events.registration.schemas import (
    ImportReport,
    InvitationIn,
    InvitationOut,
    QuestionIn,
    QuestionOut,
    RegistrationIn,
    RegistrationOut,
    RowProblem,
    SettingsIn,
    SettingsOut,
)
from events.registration.services import N_
from events.settings import Settings

EXPORT_COLUMNS = (
    "id", "status", "honorific", "given_name", "family_name", "email", "organisation", "position",
    "country", "category", "language", "visa_letter", "dietary", "accessibility", "consent_photos",
    "created_at",
)  # fmt: skip
IMPORT_COLUMNS = ("given_name", "family_name", "email", "organisation", "country", "category")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A cell a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def registration_out(r: Registration) -> RegistrationOut:
    return RegistrationOut(
        id=r.id, status=r.status, honorific=r.honorific, given_name=r.given_name,
        family_name=r.family_name, email=r.email, organisation=r.organisation,
        position=r.position, country=r.country, category=r.category, language=r.language,
        visa_letter=r.visa_letter, dietary=r.dietary, accessibility=r.accessibility,
        consent_data=r.consent_data, consent_data_at=r.consent_data_at,
        consent_photos=r.consent_photos, answers=dict(r.answers or {}),
        waitlisted_at=r.waitlisted_at, confirmed_at=r.confirmed_at, cancelled_at=r.cancelled_at,
        created_at=r.created_at,
    )  # fmt: skip


async def list_registrations(
    session: AsyncSession,
    event: Event,
    *,
    search: str | None = None,
    status: str | None = None,
    category: str | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[Registration]:
    query = select(Registration).where(Registration.event_id == event.id)
    if status:
        query = query.where(Registration.status == status)
    if category:
        query = query.where(Registration.category == category)
    if status == RegistrationStatus.WAITLISTED.value:
        query = query.order_by(Registration.waitlisted_at, Registration.id)
    else:
        query = query.order_by(Registration.family_name, Registration.given_name, Registration.id)
    if not search:
        return list(await session.scalars(query.limit(limit).offset(offset)))
    # Case-insensitive in every script (SQLite's lower() only knows ASCII): match in Python.
    needle = services.clean_text(search).casefold()
    matches = [
        r
        for r in await session.scalars(query)
        if any(
            needle in (value or "").casefold()
            for value in (r.given_name, r.family_name, r.email, r.organisation, r.display_name)
        )
    ]
    return matches[offset : offset + limit]


def export_rows(registrations: Sequence[Registration]) -> list[list[object]]:
    rows: list[list[object]] = []
    for r in registrations:
        values = {c: getattr(r, c) for c in EXPORT_COLUMNS}
        values["created_at"] = r.created_at.isoformat()
        rows.append([neutralise(values[c]) for c in EXPORT_COLUMNS])
    return rows


def export_csv(registrations: Sequence[Registration]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows(export_rows(registrations))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(registrations: Sequence[Registration]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "registrations"
    sheet.append(list(EXPORT_COLUMNS))
    for row in export_rows(registrations):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def import_csv(
    session: AsyncSession, app: Settings, event: Event, data: bytes, *, dry_run: bool
) -> ImportReport:
    """Register everyone in a CSV file; with ``dry_run`` only report what is wrong, line by line.

    Columns: given_name, family_name, email, organisation, country, category (required) and
    optionally honorific, position, language. Imported people are registered by the organiser
    (their consent was collected by the organiser), still within capacity.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput("invalid_file", _("The file is not UTF-8 text."), field="file") from exc
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in IMPORT_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInput(
            "invalid_file",
            _("The file lacks the columns: %(columns)s", columns=", ".join(missing)),
            field="file",
        )
    problems: list[RowProblem] = []
    candidates: list[RegistrationIn] = []
    seen: set[str] = set()
    existing = set(
        await session.scalars(
            select(Registration.email).where(
                Registration.event_id == event.id,
                Registration.status != RegistrationStatus.CANCELLED.value,
            )
        )
    )
    rows = 0
    for line, row in enumerate(reader, start=2):
        rows += 1
        before = len(problems)
        email = services.normalise_email(row.get("email") or "")

        def problem(field: str, message: str, line: int = line) -> None:
            problems.append(RowProblem(line=line, field=field, message=message))

        for name in ("given_name", "family_name"):
            if not services.clean_text(row.get(name)):
                problem(name, _("Please fill in this field."))
        if not services.valid_email(email):
            problem("email", _("Enter a valid e-mail address."))
        elif email in seen or email in existing:
            problem("email", _("This e-mail address is already registered for this event."))
        if not services.valid_country((row.get("country") or "").strip().upper()):
            problem("country", _("Choose a country from the list."))
        if (row.get("category") or "").strip() not in {c.value for c in Category}:
            problem("category", _("Choose one of the offered categories."))
        language = (row.get("language") or "").strip() or event.default_language
        if language not in i18n.UI_LANGUAGES:
            language = "en"
        seen.add(email)
        if len(problems) == before:
            candidates.append(
                RegistrationIn(
                    given_name=row["given_name"],
                    family_name=row["family_name"],
                    email=email,
                    organisation=row.get("organisation") or "",
                    country=(row.get("country") or "").strip().upper(),
                    category=row["category"].strip(),
                    language=language,
                    consent=True,
                    honorific=row.get("honorific") or None,
                    position=row.get("position") or None,
                )
            )
    imported = 0
    if not dry_run and not problems:
        for candidate in candidates:
            await services.register(
                session, app, event.slug, candidate, source="import", bypass_rules=True
            )
            imported += 1
    return ImportReport(
        dry_run=dry_run, rows=rows, valid=len(candidates), imported=imported, problems=problems
    )


# --- invitations --------------------------------------------------------------------------------


def invitation_url(app: Settings, event: Event, invitation: Invitation) -> str:
    query = f"invitation={invitation.token}&lang={invitation.language}"
    return f"{app.base_url}/e/{event.slug}/register?{query}"


def invitation_out(app: Settings, event: Event, invitation: Invitation) -> InvitationOut:
    return InvitationOut(
        id=invitation.id, email=invitation.email, given_name=invitation.given_name,
        family_name=invitation.family_name, category=invitation.category,
        language=invitation.language, url=invitation_url(app, event, invitation),
        used_at=invitation.used_at,
    )  # fmt: skip


async def _mail_invitation(
    session: AsyncSession, app: Settings, event: Event, invitation: Invitation, kind: str
) -> None:
    language = invitation.language
    context = {
        "event": event,
        "event_title": event.text("title", language),
        "invitation": invitation,
        "kind": kind,
        "url": invitation_url(app, event, invitation),
    }
    subject = (
        N_("Invitation: %(event_title)s")
        if kind == "invitation"
        else N_("Reminder: %(event_title)s")
    )
    mail = compose.render("emails/invitation", language, subject, context)
    await compose.enqueue(
        session,
        to=invitation.email,
        to_name=f"{invitation.given_name} {invitation.family_name}".strip(),
        language=language,
        kind=f"invitation.{kind}",
        mail=mail,
    )


async def invite(
    session: AsyncSession, app: Settings, event: Event, data: InvitationIn
) -> Invitation:
    errors: dict[str, str] = {}
    email = services.normalise_email(data.email)
    if not services.valid_email(email):
        errors["email"] = _("Enter a valid e-mail address.")
    if data.category not in {c.value for c in Category}:
        errors["category"] = _("Choose one of the offered categories.")
    if data.language not in i18n.UI_LANGUAGES:
        errors["language"] = _("Choose a language from the list.")
    if errors:
        raise services.ValidationFailed(errors)
    taken = await session.scalar(
        select(Invitation.id).where(Invitation.event_id == event.id, Invitation.email == email)
    )
    if taken is not None:
        raise Conflict(
            "already_invited", _("This address has already been invited."), field="email"
        )
    invitation = Invitation(
        event_id=event.id,
        email=email,
        given_name=services.clean_text(data.given_name, 120),
        family_name=services.clean_text(data.family_name, 120),
        category=data.category,
        language=data.language,
        token=tokens.new_invitation_token(),
    )
    session.add(invitation)
    await session.flush()
    await _mail_invitation(session, app, event, invitation, "invitation")
    return invitation


async def invite_csv(
    session: AsyncSession, app: Settings, event: Event, data: bytes, *, dry_run: bool
) -> ImportReport:
    """Columns: email (required), given_name, family_name, category, language."""
    try:
        reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    except UnicodeDecodeError as exc:
        raise InvalidInput("invalid_file", _("The file is not UTF-8 text."), field="file") from exc
    if "email" not in (reader.fieldnames or []):
        raise InvalidInput(
            "invalid_file",
            _("The file lacks the columns: %(columns)s", columns="email"),
            field="file",
        )
    problems: list[RowProblem] = []
    valid: list[InvitationIn] = []
    rows = 0
    for line, row in enumerate(reader, start=2):
        rows += 1
        candidate = InvitationIn(
            email=row.get("email") or "",
            given_name=row.get("given_name") or "",
            family_name=row.get("family_name") or "",
            category=(row.get("category") or "guest").strip(),
            language=(row.get("language") or event.default_language).strip(),
        )
        if not services.valid_email(services.normalise_email(candidate.email)):
            problems.append(RowProblem(line, "email", _("Enter a valid e-mail address.")))
        elif candidate.category not in {c.value for c in Category}:
            problems.append(
                RowProblem(line, "category", _("Choose one of the offered categories."))
            )
        elif candidate.language not in i18n.UI_LANGUAGES:
            problems.append(RowProblem(line, "language", _("Choose a language from the list.")))
        else:
            valid.append(candidate)
    imported = 0
    if not dry_run and not problems:
        for candidate in valid:
            await invite(session, app, event, candidate)
            imported += 1
    return ImportReport(
        dry_run=dry_run, rows=rows, valid=len(valid), imported=imported, problems=problems
    )


async def remind_invitations(session: AsyncSession, app: Settings, event: Event) -> int:
    """Remind everyone invited who has not registered yet."""
    pending = list(
        await session.scalars(
            select(Invitation).where(Invitation.event_id == event.id, Invitation.used_at.is_(None))
        )
    )
    now = datetime.now(UTC)
    for invitation in pending:
        invitation.reminded_at = now
        await _mail_invitation(session, app, event, invitation, "reminder")
    await session.flush()
    return len(pending)


async def list_invitations(session: AsyncSession, event: Event) -> list[Invitation]:
    return list(
        await session.scalars(
            select(Invitation).where(Invitation.event_id == event.id).order_by(Invitation.id)
        )
    )


# --- settings -----------------------------------------------------------------------------------


async def settings_out(session: AsyncSession, event: Event) -> SettingsOut:
    settings = await services.get_registration_settings(session, event.id)
    if settings is None:
        raise DomainError("registration_not_open", _("Registration for this event is not open."))
    counts = await services.seat_counts(session, event.id)
    questions = await services.questions_of(session, event.id)

    def total(status: RegistrationStatus) -> int:
        return sum(counts.get(status.value, {}).values())

    return SettingsOut(
        opens_at=settings.opens_at, closes_at=settings.closes_at, capacity=settings.capacity,
        category_capacity=dict(settings.category_capacity or {}),
        waitlist_enabled=settings.waitlist_enabled, approval_required=settings.approval_required,
        invitation_only=settings.invitation_only,
        public_categories=dict(settings.public_categories or {}),
        privacy_notice=dict(settings.privacy_notice or {}),
        questions=[
            QuestionOut(q.id, q.kind, dict(q.label), list(q.options), q.required, q.position)
            for q in questions
        ],
        confirmed=total(RegistrationStatus.CONFIRMED),
        waitlisted=total(RegistrationStatus.WAITLISTED),
        pending=total(RegistrationStatus.PENDING),
    )  # fmt: skip


def check_settings(event: Event, data: SettingsIn) -> None:
    errors: dict[str, str] = {}
    categories = {c.value for c in Category}
    if data.capacity is not None and data.capacity < 0:
        errors["capacity"] = _("Capacity cannot be negative.")
    for code, seats in data.category_capacity.items():
        if code not in categories or seats < 0:
            errors["category_capacity"] = _("Use known categories and non-negative numbers.")
    for code, colour in data.public_categories.items():
        if code not in categories:
            errors["public_categories"] = _("Choose one of the offered categories.")
        elif not (len(colour) == 7 and colour.startswith("#")):
            errors["public_categories"] = _("A colour is written like #1d4ed8.")
    if data.opens_at and data.closes_at and data.closes_at <= data.opens_at:
        errors["closes_at"] = _("Registration must close after it opens.")
    if not (data.privacy_notice or {}).get(event.default_language):
        errors["privacy_notice"] = _("The privacy notice is needed in the event's main language.")
    for index, question in enumerate(data.questions or []):
        if question.kind not in {k.value for k in QuestionKind}:
            errors[f"questions.{index}.kind"] = _("Unknown kind of question.")
        if not question.label.get(event.default_language):
            errors[f"questions.{index}.label"] = _(
                "The question needs a text in the main language."
            )
        if question.kind in ("single", "multiple") and not question.options:
            errors[f"questions.{index}.options"] = _("A choice needs options.")
    for name in ("opens_at", "closes_at"):
        value = getattr(data, name)
        if value is not None and value.tzinfo is None:
            errors[name] = _("Give a time with its time zone.")
    if errors:
        raise services.ValidationFailed(errors)


async def save_settings(
    session: AsyncSession, app: Settings, event: Event, data: SettingsIn
) -> SettingsOut:
    """Create or replace the event's registration settings (and its questions when given).

    A larger capacity fills the new seats from the waiting list at once.
    """
    check_settings(event, data)
    settings = await services.lock_registration_settings(session, event.id)
    if settings is None:
        settings = RegistrationSettings(event_id=event.id)
        session.add(settings)
    settings.opens_at = data.opens_at
    settings.closes_at = data.closes_at
    settings.capacity = data.capacity
    settings.category_capacity = dict(data.category_capacity)
    settings.waitlist_enabled = data.waitlist_enabled
    settings.approval_required = data.approval_required
    settings.invitation_only = data.invitation_only
    settings.public_categories = dict(data.public_categories)
    settings.privacy_notice = dict(data.privacy_notice)
    if data.questions is not None:
        await _replace_questions(session, event, data.questions)
    await session.flush()
    await services.fill_free_seats(session, app, settings, datetime.now(UTC))
    return await settings_out(session, event)


async def _replace_questions(
    session: AsyncSession, event: Event, questions: Sequence[QuestionIn]
) -> None:
    """The event's questions become ``questions``, in order.

    Answers are stored under the question's id, so the rows are updated in place (the first
    question stays the first row) and only the surplus is deleted: answers to questions that are
    kept or corrected keep their meaning.
    """
    existing = await services.questions_of(session, event.id)
    for index, q in enumerate(questions):
        if index < len(existing):
            row = existing[index]
        else:
            row = Question(event_id=event.id)
            session.add(row)
        row.kind = q.kind
        row.label = dict(q.label)
        row.options = list(q.options)
        row.required = q.required
        row.position = q.position or index
    surplus = [row.id for row in existing[len(questions) :]]
    if surplus:
        await session.execute(delete(Question).where(Question.id.in_(surplus)))


async def close_registration(session: AsyncSession, event: Event) -> None:
    settings = await services.lock_registration_settings(session, event.id)
    if settings is not None:
        await session.delete(settings)
        await session.flush()


# --- privacy ------------------------------------------------------------------------------------


def attendee_export(registration: Registration) -> dict[str, Any]:
    """Everything stored about one attendee, for a data request."""
    from msgspec import to_builtins

    data: dict[str, Any] = to_builtins(registration_out(registration))
    data["event"] = registration.event.slug
    data["source"] = registration.source
    return data


async def purge(
    session: AsyncSession, slug: str, after_days: int, now: datetime | None = None
) -> int:
    """Anonymise the registrations of an event that ended more than ``after_days`` ago."""
    now = now or datetime.now(UTC)
    event = await services.get_event(session, slug)
    if after_days < 0:
        raise InvalidInput(
            "invalid_input", _("The number of days cannot be negative."), field="after_days"
        )
    if event.ends_at + timedelta(days=after_days) > now:
        raise DomainError(
            "event_not_over",
            _("This event ended less than %(days)s days ago (or has not ended).", days=after_days),
        )
    registrations = list(
        await session.scalars(
            select(Registration).where(
                Registration.event_id == event.id, Registration.anonymised_at.is_(None)
            )
        )
    )
    addresses = [r.email for r in registrations]
    for r in registrations:
        r.honorific = None
        r.given_name = "—"
        r.family_name = "—"
        r.email = f"anonymised-{r.id}@invalid"
        r.organisation = ""
        r.position = None
        r.dietary = None
        r.accessibility = None
        r.answers = {}
        r.visa_letter = False
        r.idempotency_key = None
        r.manage_token_hash = tokens.token_hash(secrets.token_urlsafe(32))
        r.anonymised_at = now
    if addresses:
        await session.execute(delete(OutboxMessage).where(OutboxMessage.to_address.in_(addresses)))
    await session.execute(delete(Invitation).where(Invitation.event_id == event.id))
    await session.flush()
    return len(registrations)


# --- organiser actions, recorded in the audit log -------------------------------------------------

ACTIONS = ("approve", "reject", "promote", "cancel", "resend")


async def act(
    session: AsyncSession,
    app: Settings,
    registration: Registration,
    action: str,
    actor: CurrentUser | None,
    *,
    force: bool = False,
    ip: str | None = None,
) -> Registration:
    """One organiser action on a registration, recorded in the audit log with the new status.

    The log names the registration by its id only: its personal data stays in the registration,
    where the purge can anonymise it.
    """
    if action not in ACTIONS:
        raise InvalidInput("invalid_action", _("Unknown action."), field="action")
    before = registration.status
    if action == "approve":
        await services.approve(session, app, registration)
    elif action == "reject":
        await services.reject(session, app, registration)
    elif action == "promote":
        await services.promote(session, app, registration, force=force)
    elif action == "cancel":
        await services.cancel(session, app, registration)
    else:
        await services.resend_confirmation(session, app, registration)
    await session.refresh(registration)
    details: dict[str, Any] = {"from": before, "to": registration.status}
    if force:
        details["force"] = True
    await audit.record(
        session, actor, f"registration.{action}", registration.event_id,
        target=f"registration {registration.id}", details=details, ip=ip,
    )  # fmt: skip
    return registration


async def record(
    session: AsyncSession,
    actor: CurrentUser | None,
    action: str,
    event: Event,
    *,
    target: str = "",
    details: dict[str, Any] | None = None,
    ip: str | None = None,
) -> None:
    """An audit entry for an organiser's work on this event's registration (exports included)."""
    await audit.record(session, actor, action, event.id, target=target, details=details, ip=ip)


def settings_changes(before: SettingsOut | None, after: SettingsOut) -> list[str]:
    """The names of the settings that differ (for the audit log; values may be personal)."""
    if before is None:
        return ["opened"]
    names = (
        "opens_at", "closes_at", "capacity", "category_capacity", "waitlist_enabled",
        "approval_required", "invitation_only", "public_categories", "privacy_notice",
    )  # fmt: skip
    changed = [n for n in names if getattr(before, n) != getattr(after, n)]
    strip = [(q.kind, q.label, q.options, q.required) for q in before.questions]
    if strip != [(q.kind, q.label, q.options, q.required) for q in after.questions]:
        changed.append("questions")
    return changed


async def current_settings(session: AsyncSession, event: Event) -> SettingsOut | None:
    if await services.get_registration_settings(session, event.id) is None:
        return None
    return await settings_out(session, event)
