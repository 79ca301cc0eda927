"""Check-in rules: deciding a scan, idempotency, offline scans, undo, walk-ins, counts, lists.

Every function runs in the caller's transaction and flushes, so database errors surface here.

One check-in per registration per door, also under concurrent scans: the database holds it with a
partial unique index on (registration_id, door) over the live (not undone) check-ins; a scan
inserts with ``ON CONFLICT DO NOTHING`` and, when the index refuses, reads the winner and answers
``already_checked_in``. On PostgreSQL the second insert waits for the first transaction and then
does nothing; on SQLite every write transaction starts with ``BEGIN IMMEDIATE`` and so runs one at a
time.

A nonce is unique per event (a unique constraint, too): a repeated nonce answers the stored answer
of its first scan and records nothing new.

A scan is the hot path of the desk (a queue waits): it costs one statement per step, inserts
without looking first, and loads no relationship it does not read.

Offline scans (``offline``) are decided by the device's ``scanned_at``: the earliest scan of a
person at a door wins and becomes the check-in. When a desk that was offline admitted someone that
another desk had admitted too, the later scan is flagged as a double admission for organisers. The
device says what it showed (``shown``): a desk that showed amber, because its copy of the list
already knew the person was in, let nobody in twice and is not flagged. Without ``shown`` (older
desks) the scan counts as an admission.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

import msgspec
from litestar.types import Scope
from sqlalchemy import Row, Table, bindparam, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from events.accounts import audit
from events.accounts.access import CurrentUser
from events.accounts.ratelimit import rate_limit, refusal, window_start
from events.agenda import queries as agenda_queries
from events.agenda.models import AgendaSession, Event
from events.agenda.queries import EventRef
from events.checkin import in_database
from events.checkin.models import EVENT_DOOR, CheckIn, Scan, ScanOutcome, door_key
from events.checkin.schemas import (
    CheckinList,
    Counts,
    ListEvent,
    ListItem,
    ListSession,
    Pair,
    PersonOut,
    ScanIn,
    ScanOut,
    SearchItem,
    WalkInIn,
)
from events.db.statements import (
    dialect_of,
    driver_connection,
    execute_core,
    insert_or_nothing,
    row_values,
)
from events.errors import Conflict, Forbidden, InvalidInput, NotFound
from events.i18n import gettext as _
from events.registration import services as registration_services
from events.registration.models import Registration, RegistrationStatus
from events.settings import Settings

UNDO_WINDOW = timedelta(minutes=10)
# The channel organisers' live counts listen on (PostgreSQL); the payload is the event id.
NOTIFY_CHANNEL = "events_checkin"
SEARCH_LIMIT = 20

# Per (user, desk) and window: generous (a handheld scanner at full speed stays far below it),
# tight enough to stop a runaway client. Configurable like registration's limits.
RATE_WINDOW_SECONDS = 60
RATE_LIMITS = {"scan": int(os.environ.get("EVENTS_CHECKIN_RATE_LIMIT", "6000"))}

STATUS_OUTCOMES = {
    RegistrationStatus.CANCELLED.value: ScanOutcome.CANCELLED,
    RegistrationStatus.REJECTED.value: ScanOutcome.CANCELLED,
    RegistrationStatus.WAITLISTED.value: ScanOutcome.WAITLISTED,
    RegistrationStatus.PENDING.value: ScanOutcome.PENDING,
}
# As the PostgreSQL function takes them (in_database).
_REFUSALS_JSON = msgspec.json.encode(STATUS_OUTCOMES).decode()


def now_utc() -> datetime:
    return datetime.now(UTC)


async def before_insert_hook() -> None:
    """Called between looking for a check-in and inserting one (tests widen the race here)."""


# --- loading -------------------------------------------------------------------------------------


async def get_event(db: AsyncSession, slug: str) -> Event:
    event = await agenda_queries.event_alone(db, slug)
    if event is None:
        raise NotFound("event", slug)
    return event


async def event_for_scan(db: AsyncSession, slug: str, scope: Scope | None = None) -> EventRef:
    """The event of a desk's scan, as its id and time zone (the scan is the desk's hot path);
    with the request's scope, the one the access guard already looked up."""
    ref = await agenda_queries.event_ref(db, slug, scope)
    if ref is None:
        raise NotFound("event", slug)
    return ref


def person_of(registration: Registration | Row[Any]) -> PersonOut:
    return PersonOut(
        id=registration.id,
        given_name=registration.given_name,
        family_name=registration.family_name,
        organisation=registration.organisation,
        country=registration.country,
        category=registration.category,
        status=registration.status,
    )


def _rate_key(user: CurrentUser | None, desk: str) -> str:
    who = user.id if user is not None else 0
    return f"checkin:{who}:{desk}"


async def rate_limit_scan(db: AsyncSession, user: CurrentUser | None, desk: str) -> None:
    """Count one scan of (user, desk); 429 with Retry-After beyond the limit. A scan decided with
    ``decide_scan(..., counted=True)`` is counted there instead (on PostgreSQL inside its call)."""
    await rate_limit(db, _rate_key(user, desk), RATE_LIMITS["scan"], RATE_WINDOW_SECONDS)


_NOTIFY = text("SELECT pg_notify(:channel, :payload)")


async def notify(db: AsyncSession, event_id: int) -> None:
    """Tell every worker's live stream that the event's counts changed.

    On PostgreSQL NOTIFY is transactional: listeners hear it only once this transaction commits.
    SQLite streams poll instead.
    """
    if db.bind.dialect.name == "postgresql":
        await execute_core(db, _NOTIFY, {"channel": NOTIFY_CHANNEL, "payload": str(event_id)})


# --- the answer ----------------------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def _from_iso(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def message_for(answer: dict[str, Any], timezone: str) -> str:
    """The sentence for the desk screen, in the current interface language."""
    status = answer.get("status")
    person = answer.get("registration") or {}
    name = " ".join(p for p in (person.get("given_name"), person.get("family_name")) if p)
    if status == ScanOutcome.OK:
        return _("Welcome, %(name)s!", name=name)
    if status == ScanOutcome.ALREADY:
        first = _from_iso(answer.get("first_checked_in_at"))
        time = first.astimezone(ZoneInfo(timezone)).strftime("%H:%M") if first else ""
        return _(
            "%(name)s was already checked in at %(time)s at desk %(desk)s.",
            name=name,
            time=time,
            desk=answer.get("first_desk") or "",
        )
    if status == ScanOutcome.CANCELLED:
        return _("Not admitted: the registration of %(name)s was cancelled.", name=name)
    if status == ScanOutcome.WAITLISTED:
        return _("Not admitted: %(name)s is on the waiting list.", name=name)
    if status == ScanOutcome.PENDING:
        return _("Not admitted: the registration of %(name)s awaits approval.", name=name)
    if status == ScanOutcome.WRONG_EVENT:
        return _("Not admitted: this badge belongs to another event.")
    return _("Not admitted: unknown badge.")


def answer_out(answer: dict[str, Any], timezone: str) -> ScanOut:
    person = answer.get("registration")
    return ScanOut(
        status=answer["status"],
        registration=PersonOut(**person) if person else None,
        first_checked_in_at=_from_iso(answer.get("first_checked_in_at")),
        first_desk=answer.get("first_desk"),
        checkin_id=answer.get("checkin_id"),
        scan_id=int(answer["scan_id"]),
        undo_until=_from_iso(answer.get("undo_until")),
        message=message_for(answer, timezone),
    )


# --- deciding a scan -----------------------------------------------------------------------------

# The columns a desk's answer shows: read as plain rows, not as whole registrations.
_PERSON = (
    Registration.id,
    Registration.event_id,
    Registration.given_name,
    Registration.family_name,
    Registration.organisation,
    Registration.country,
    Registration.category,
    Registration.status,
)
_BY_TOKEN = select(*_PERSON).where(Registration.checkin_token == bindparam("token"))
_BY_ID = select(*_PERSON).where(
    Registration.id == bindparam("registration_id"), Registration.event_id == bindparam("event_id")
)
_SCANS = cast(Table, Scan.__table__)
_CHECKINS = cast(Table, CheckIn.__table__)
# Built once: SQLAlchemy caches their compiled form, so a scan compiles nothing.
_FINISH_SCAN = (
    update(_SCANS)
    .where(_SCANS.c.id == bindparam("scan_id"))
    .values(
        registration_id=bindparam("registration_id"),
        checkin_id=bindparam("checkin_id"),
        outcome=bindparam("outcome"),
        answer=bindparam("answer", type_=_SCANS.c.answer.type),
        double_admission=bindparam("double_admission"),
        updated_at=bindparam("now", type_=_SCANS.c.updated_at.type),
    )
)
_LIVE_CHECKIN = select(CheckIn).where(
    CheckIn.registration_id == bindparam("registration_id"),
    CheckIn.door == bindparam("door"),
    CheckIn.undone_at.is_(None),
)


def _person_dict(row: Any) -> dict[str, Any]:
    """The answer's person, from a registration or from a row of its columns (``_PERSON``)."""
    return msgspec.structs.asdict(person_of(row))


@dataclass
class ScanRecord:
    """The scan being decided, as recorded (plain values: the hot path loads no ORM objects)."""

    id: int
    door: str
    session_id: int | None
    desk: str
    user_id: int | None
    scanned_at: datetime
    offline: bool
    double_admission: bool = False


@dataclass
class Admission:
    """The live check-in a scan made or found."""

    id: int
    checked_in_at: datetime
    desk: str
    created_at: datetime


@dataclass
class Decision:
    """A scan's stored answer (without the message) and whether this call recorded it."""

    answer: dict[str, Any]
    scan: ScanRecord | Scan
    created: bool


async def _find_nonce(db: AsyncSession, event_id: int, nonce: str) -> Scan | None:
    found: Scan | None = await db.scalar(
        select(Scan).where(Scan.event_id == event_id, Scan.nonce == nonce)
    )
    return found


async def _insert_or_nothing(
    db: AsyncSession,
    table: Table,
    values: dict[str, Any],
    now: datetime,
    returning: tuple[str, ...],
) -> Any:
    """Insert a row; None when a unique index already holds its like (see events.db.statements)."""
    statement = insert_or_nothing(dialect_of(db), table, returning)
    result = await execute_core(db, statement, row_values(table, values, now))
    return result.one_or_none()


async def _live_checkin(db: AsyncSession, registration_id: int, door: str) -> CheckIn | None:
    found: CheckIn | None = await db.scalar(
        _LIVE_CHECKIN.execution_options(populate_existing=True),
        {"registration_id": registration_id, "door": door},
    )
    return found


async def _door_session(db: AsyncSession, event: Event | EventRef, session_id: int | None) -> None:
    if session_id is None:
        return
    session = await db.scalar(
        select(AgendaSession).where(
            AgendaSession.id == session_id, AgendaSession.event_id == event.id
        )
    )
    if session is None or not session.requires_checkin:
        raise InvalidInput(
            "session_invalid",
            _("This session does not take its own check-in scans."),
            field="session_id",
        )


async def _find_registration(
    db: AsyncSession, event: Event | EventRef, data: ScanIn
) -> tuple[Any, str | None]:
    """The registration scanned (a row) and, when it cannot be admitted, the outcome saying why."""
    if data.token is not None:
        row = (await execute_core(db, _BY_TOKEN, {"token": data.token.strip()})).one_or_none()
        if row is None:
            return None, ScanOutcome.UNKNOWN
        if row.event_id != event.id:
            return None, ScanOutcome.WRONG_EVENT
    else:
        row = (
            await execute_core(
                db, _BY_ID, {"registration_id": data.registration_id, "event_id": event.id}
            )
        ).one_or_none()
        if row is None:
            return None, ScanOutcome.UNKNOWN
    return row, STATUS_OUTCOMES.get(row.status)


async def decide_scan(
    db: AsyncSession,
    event: Event | EventRef,
    data: ScanIn,
    user: CurrentUser | None,
    *,
    now: datetime | None = None,
    counted: bool = False,
) -> Decision:
    """Decide and record one scan. A repeated nonce returns the first answer unchanged.

    ``counted``: count it against its desk's rate limit first (a desk's scan; 429 beyond it, and
    nothing recorded). A walk-in is counted before it registers, so its scan is not counted again.
    """
    now = now or now_utc()
    if (data.token is None) == (data.registration_id is None):
        raise InvalidInput(
            "token_or_registration",
            _("Send exactly one of token and registration_id."),
            field="token",
        )
    if data.scanned_at.tzinfo is None:
        raise InvalidInput(
            "invalid_time", _("The scan time needs a UTC offset."), field="scanned_at"
        )
    desk = data.desk.strip()
    if not desk:
        raise InvalidInput("invalid_desk", _("Name the desk."), field="desk")
    await _door_session(db, event, data.session_id)
    scan = ScanRecord(
        id=0,
        door=door_key(data.session_id),
        session_id=data.session_id,
        desk=desk,
        user_id=user.id if user is not None else None,
        scanned_at=data.scanned_at.astimezone(UTC),
        offline=data.offline,
    )
    if dialect_of(db) == "postgresql":
        return await _decide_in_database(db, event, data, user, scan, now, counted=counted)
    if counted:
        await rate_limit_scan(db, user, desk)
    inserted = await _insert_or_nothing(
        db,
        _SCANS,
        {
            "event_id": event.id,
            "session_id": scan.session_id,
            "door": scan.door,
            "outcome": ScanOutcome.UNKNOWN,
            "token": (data.token or "")[:80] or None,
            "desk": desk,
            "user_id": scan.user_id,
            "nonce": data.nonce,
            "scanned_at": scan.scanned_at,
            "received_at": now,
            "offline": data.offline,
            "double_admission": False,
            "answer": {},
        },
        now,
        ("id",),
    )
    if inserted is None:
        # A repeated nonce (also one sent at the same moment): answer as its first scan did.
        existing = await _find_nonce(db, event.id, data.nonce)
        if existing is None:
            raise _in_flight()
        return Decision(dict(existing.answer), existing, created=False)
    scan.id = inserted.id

    registration, refusal = await _find_registration(db, event, data)
    answer: dict[str, Any] = {
        "status": refusal or ScanOutcome.OK,
        "registration": _person_dict(registration) if registration is not None else None,
        "first_checked_in_at": None,
        "first_desk": None,
        "checkin_id": None,
        "scan_id": scan.id,
        "undo_until": None,
    }
    if registration is not None and refusal is None:
        checkin, admitted, other_desk = await _admit(
            db, event, registration.id, scan, now, device_admitted=data.shown in (None, "admitted")
        )
        answer["checkin_id"] = checkin.id
        answer["first_checked_in_at"] = _iso(checkin.checked_in_at)
        answer["first_desk"] = checkin.desk
        if admitted:
            answer["undo_until"] = _iso(checkin.created_at + UNDO_WINDOW)
            await notify(db, event.id)
        else:
            answer["status"] = ScanOutcome.ALREADY
        if scan.double_admission:
            await _record_double_admission(
                db, event, user, registration.id, scan, other_desk, data.shown
            )
    await execute_core(
        db,
        _FINISH_SCAN,
        {
            "scan_id": scan.id,
            "registration_id": registration.id if registration is not None else None,
            "checkin_id": answer["checkin_id"],
            "outcome": answer["status"],
            "answer": answer,
            "double_admission": scan.double_admission,
            "now": now,
        },
    )
    return Decision(answer, scan, created=True)


async def _decide_in_database(
    db: AsyncSession,
    event: Event | EventRef,
    data: ScanIn,
    user: CurrentUser | None,
    scan: ScanRecord,
    now: datetime,
    *,
    counted: bool,
) -> Decision:
    """:func:`decide_scan`'s steps in one call of the PostgreSQL function (``in_database``)."""
    if db.new or db.dirty or db.deleted:
        await db.flush()  # the function must see what this transaction wrote
    rate_key = _rate_key(user, scan.desk) if counted else None
    try:
        decision = await in_database.decide(
            await driver_connection(db),
            in_database.Arguments(
                event_id=event.id,
                token=(data.token or "")[:80] or None,
                lookup=data.token.strip() if data.token is not None else None,
                registration_id=data.registration_id,
                door=scan.door,
                session_id=scan.session_id,
                desk=scan.desk,
                user_id=scan.user_id,
                nonce=data.nonce,
                scanned_at=scan.scanned_at,
                now=now,
                offline=scan.offline,
                device_admitted=data.shown in (None, "admitted"),
                refusals=_REFUSALS_JSON,
                undo_window=UNDO_WINDOW,
                channel=NOTIFY_CHANNEL,
                rate_key=rate_key,
                rate_window_start=window_start(now, RATE_WINDOW_SECONDS),
                rate_limit=RATE_LIMITS["scan"],
            ),
        )
    except in_database.BeyondRateLimit:
        raise refusal(rate_key or "", RATE_WINDOW_SECONDS, now) from None
    except in_database.InFlight:
        raise _in_flight() from None
    answer = decision["answer"]
    if answer is None:
        raise _in_flight()
    if not decision["created"]:
        existing = await _find_nonce(db, event.id, data.nonce)
        assert existing is not None  # its answer was just read
        return Decision(dict(answer), existing, created=False)
    scan.id = int(answer["scan_id"])
    scan.double_admission = bool(decision["double_admission"])
    person = answer["registration"]
    if scan.double_admission:
        await _record_double_admission(
            db, event, user, int(person["id"]), scan, decision["other_desk"], data.shown
        )
    return Decision(answer, scan, created=True)


def _in_flight() -> Conflict:
    return Conflict("scan_in_flight", _("This scan is being recorded. Please try again."))


async def _record_double_admission(
    db: AsyncSession,
    event: Event | EventRef,
    user: CurrentUser | None,
    registration_id: int,
    scan: ScanRecord,
    other_desk: str | None,
    shown: str | None,
) -> None:
    await audit.record(
        db,
        user,
        "checkin.double_admission",
        event.id,
        target=f"registration:{registration_id}",
        details={"desk": scan.desk, "other_desk": other_desk or "", "shown": shown or ""},
    )


async def _admit(
    db: AsyncSession,
    event: Event | EventRef,
    registration_id: int,
    scan: ScanRecord,
    now: datetime,
    *,
    device_admitted: bool = True,
) -> tuple[Admission, bool, str | None]:
    """Check the registration in at the scan's door.

    ``device_admitted`` says whether an offline device let the person in (showed green).
    Returns the check-in, whether this scan admitted the person, and for a double admission the
    other desk."""
    at = scan.scanned_at if scan.offline else now
    await before_insert_hook()
    inserted = await _insert_or_nothing(
        db,
        _CHECKINS,
        {
            "event_id": event.id,
            "registration_id": registration_id,
            "door": scan.door,
            "session_id": scan.session_id,
            "checked_in_at": at,
            "desk": scan.desk,
            "user_id": scan.user_id,
            "scan_id": scan.id,
        },
        now,
        ("id", "checked_in_at", "desk", "created_at"),
    )
    if inserted is not None:
        return (
            Admission(inserted.id, inserted.checked_in_at, inserted.desk, inserted.created_at),
            True,
            None,
        )
    # Already admitted at this door (perhaps by a concurrent scan, committed by now).
    checkin = await _live_checkin(db, registration_id, scan.door)
    if checkin is None:
        # The other check-in was undone in between: rare enough to ask the desk to scan again.
        raise _in_flight()
    found = Admission(checkin.id, checkin.checked_in_at, checkin.desk, checkin.created_at)
    if not scan.offline:
        return found, False, None
    # Offline: decided by the device's time. Another desk admitted the same person too; that is a
    # double admission only if this device let the person in as well (not when it showed amber).
    other_desk = checkin.desk if checkin.desk != scan.desk else None
    scan.double_admission = other_desk is not None and device_admitted
    if scan.scanned_at < checkin.checked_in_at:
        # The earliest scan wins: this one becomes the check-in.
        checkin.checked_in_at = scan.scanned_at
        checkin.desk = scan.desk
        checkin.user_id = scan.user_id
        checkin.scan_id = scan.id
        await db.flush()
        return (
            Admission(checkin.id, checkin.checked_in_at, checkin.desk, checkin.created_at),
            True,
            other_desk,
        )
    return found, False, other_desk


# --- undo ----------------------------------------------------------------------------------------


async def undo(
    db: AsyncSession,
    event: Event,
    checkin_id: int,
    desk: str,
    user: CurrentUser | None,
    *,
    now: datetime | None = None,
) -> CheckIn:
    """Undo a mistaken check-in: the same desk, within 10 minutes. The log keeps both."""
    now = now or now_utc()
    checkin = await db.scalar(
        select(CheckIn)
        .where(CheckIn.id == checkin_id, CheckIn.event_id == event.id)
        .with_for_update()
    )
    if checkin is None:
        raise NotFound("checkin", checkin_id)
    if checkin.undone_at is not None:
        raise Conflict("already_undone", _("This check-in has already been undone."))
    if checkin.desk != desk.strip():
        raise Forbidden(
            "other_desk", _("Only the desk that checked this person in can undo it."), field="desk"
        )
    if now > checkin.created_at + UNDO_WINDOW:
        raise Conflict(
            "undo_expired", _("A check-in can only be undone within 10 minutes."), field="checkin"
        )
    checkin.undone_at = now
    checkin.undone_by = user.id if user is not None else None
    db.add(
        Scan(
            event_id=event.id,
            registration_id=checkin.registration_id,
            checkin_id=checkin.id,
            session_id=checkin.session_id,
            door=checkin.door,
            outcome=ScanOutcome.UNDONE,
            desk=checkin.desk,
            user_id=user.id if user is not None else None,
            scanned_at=now,
            received_at=now,
            offline=False,
            double_admission=False,
            answer={"status": "undone", "checkin_id": checkin.id},
        )
    )
    await audit.record(
        db,
        user,
        "checkin.undo",
        event.id,
        target=f"registration:{checkin.registration_id}",
        details={"checkin_id": checkin.id, "desk": checkin.desk, "door": checkin.door},
    )
    await db.flush()
    await notify(db, event.id)
    return checkin


# --- walk-ins ------------------------------------------------------------------------------------


@dataclass
class WalkIn:
    registration: Registration
    decision: Decision


async def walk_in(
    db: AsyncSession,
    app: Settings,
    event: Event,
    data: WalkInIn,
    user: CurrentUser | None,
    *,
    language: str = "en",
    now: datetime | None = None,
) -> WalkIn:
    """Register someone at the door (confirmed, source ``desk``) and check them in: one
    transaction. A repeated nonce answers the first walk-in and creates nobody new."""
    now = now or now_utc()
    existing = await _find_nonce(db, event.id, data.nonce)
    if existing is not None and existing.registration_id is not None:
        registration = await db.get(Registration, existing.registration_id)
        if registration is not None:
            return WalkIn(registration, Decision(dict(existing.answer), existing, created=False))
    registration = await registration_services.register_walk_in(
        db,
        app,
        event,
        given_name=data.given_name,
        family_name=data.family_name,
        organisation=data.organisation,
        country=data.country,
        category=data.category,
        email=data.email,
        language=language,
        now=now,
    )
    scan = ScanIn(
        nonce=data.nonce,
        scanned_at=now,
        desk=data.desk,
        registration_id=registration.id,
    )
    decision = await decide_scan(db, event, scan, user, now=now)
    await audit.record(
        db,
        user,
        "checkin.walk_in",
        event.id,
        target=f"registration:{registration.id}",
        details={"desk": data.desk.strip()},
    )
    return WalkIn(registration, decision)


# --- lists, search, counts -----------------------------------------------------------------------


async def _event_checkins(db: AsyncSession, event_id: int) -> dict[int, CheckIn]:
    rows = await db.scalars(
        select(CheckIn).where(
            CheckIn.event_id == event_id, CheckIn.door == EVENT_DOOR, CheckIn.undone_at.is_(None)
        )
    )
    return {c.registration_id: c for c in rows}


async def checkin_list(
    db: AsyncSession, event: Event, language: str, *, now: datetime | None = None
) -> CheckinList:
    """Everything a desk needs offline: no e-mail, answers or notes."""
    checkins = await _event_checkins(db, event.id)
    registrations = await db.scalars(
        select(Registration)
        .where(Registration.event_id == event.id, Registration.anonymised_at.is_(None))
        .order_by(Registration.family_name, Registration.given_name, Registration.id)
    )
    sessions = await db.scalars(
        select(AgendaSession)
        .where(AgendaSession.event_id == event.id)
        .order_by(AgendaSession.starts_at, AgendaSession.id)
    )
    items = []
    for r in registrations:
        c = checkins.get(r.id)
        items.append(
            ListItem(
                id=r.id,
                token=r.checkin_token,
                given_name=r.given_name,
                family_name=r.family_name,
                organisation=r.organisation,
                country=r.country,
                category=r.category,
                status=r.status,
                checked_in_at=c.checked_in_at if c else None,
                desk=c.desk if c else None,
            )
        )
    return CheckinList(
        event=ListEvent(
            slug=event.slug, title=event.text("title", language), timezone=event.timezone
        ),
        generated_at=now or now_utc(),
        sessions=[
            ListSession(
                id=s.id,
                title=_pick(s.title, language, event.default_language),
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                requires_checkin=s.requires_checkin,
            )
            for s in sessions
        ],
        registrations=items,
    )


def _pick(values: dict[str, str], language: str, default: str) -> str:
    from events.i18n import pick

    return pick(values, language, default)


def _like(q: str) -> str:
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.casefold()}%"


async def search(db: AsyncSession, event: Event, q: str) -> list[SearchItem]:
    """Up to 20 registrations whose name or organisation contains ``q`` (case-insensitive)."""
    words = [w for w in q.split() if w][:5]
    if not words:
        return []
    query = select(Registration).where(
        Registration.event_id == event.id, Registration.anonymised_at.is_(None)
    )
    # SQLite's lower() folds only ASCII: there, words in other scripts are matched in Python.
    folds_all = db.bind.dialect.name == "postgresql"
    for word in words:
        if not (folds_all or word.isascii()):
            continue
        pattern = _like(word)
        query = query.where(
            or_(
                func.lower(Registration.given_name).like(pattern, escape="\\"),
                func.lower(Registration.family_name).like(pattern, escape="\\"),
                func.lower(Registration.organisation).like(pattern, escape="\\"),
            )
        )
    query = query.order_by(Registration.family_name, Registration.id)
    if folds_all or all(w.isascii() for w in words):
        query = query.limit(SEARCH_LIMIT)
    rows = list((await db.scalars(query)).all())
    folded = [w.casefold() for w in words]
    rows = [
        r
        for r in rows
        if all(w in f"{r.given_name} {r.family_name} {r.organisation}".casefold() for w in folded)
    ][:SEARCH_LIMIT]
    checkins = await _event_checkins(db, event.id)
    return [
        SearchItem(
            id=r.id,
            given_name=r.given_name,
            family_name=r.family_name,
            organisation=r.organisation,
            country=r.country,
            category=r.category,
            status=r.status,
            checked_in_at=checkins[r.id].checked_in_at if r.id in checkins else None,
            desk=checkins[r.id].desk if r.id in checkins else None,
        )
        for r in rows
    ]


async def counts(db: AsyncSession, event_id: int) -> Counts:
    """Confirmed registrations and how many of them are checked in, by category and country."""
    checked = (
        select(CheckIn.registration_id)
        .where(
            CheckIn.event_id == event_id, CheckIn.door == EVENT_DOOR, CheckIn.undone_at.is_(None)
        )
        .scalar_subquery()
    )
    in_ = Registration.id.in_(checked)
    rows = await db.execute(
        select(
            Registration.category,
            Registration.country,
            func.count(),
            func.count().filter(in_),
        )
        .where(
            Registration.event_id == event_id,
            Registration.status == RegistrationStatus.CONFIRMED.value,
        )
        .group_by(Registration.category, Registration.country)
    )
    total = Pair(0, 0)
    by_category: dict[str, Pair] = {}
    by_country: dict[str, Pair] = {}
    for category, country, confirmed, checked_in in rows:
        for bucket, key in ((by_category, category), (by_country, country)):
            pair = bucket.setdefault(key, Pair(0, 0))
            pair.confirmed += int(confirmed)
            pair.checked_in += int(checked_in)
        total.confirmed += int(confirmed)
        total.checked_in += int(checked_in)
    return Counts(
        confirmed=total.confirmed,
        checked_in=total.checked_in,
        by_category=dict(sorted(by_category.items())),
        by_country=dict(sorted(by_country.items())),
    )


# --- the organiser's view ------------------------------------------------------------------------


@dataclass
class Flagged:
    scan: Scan
    registration: Registration | None
    checkin: CheckIn | None


async def double_admissions(db: AsyncSession, event_id: int) -> list[Flagged]:
    scans = list(
        (
            await db.scalars(
                select(Scan)
                .where(Scan.event_id == event_id, Scan.double_admission.is_(True))
                .order_by(Scan.scanned_at, Scan.id)
            )
        ).all()
    )
    out = []
    for scan in scans:
        registration = (
            await db.get(Registration, scan.registration_id) if scan.registration_id else None
        )
        checkin = await db.get(CheckIn, scan.checkin_id) if scan.checkin_id else None
        out.append(Flagged(scan, registration, checkin))
    return out


@dataclass
class SessionAttendance:
    session: AgendaSession
    checked_in: int


async def session_attendance(db: AsyncSession, event_id: int) -> list[SessionAttendance]:
    sessions = list(
        (
            await db.scalars(
                select(AgendaSession)
                .where(AgendaSession.event_id == event_id, AgendaSession.requires_checkin.is_(True))
                .order_by(AgendaSession.starts_at, AgendaSession.id)
            )
        ).all()
    )
    rows = await db.execute(
        select(CheckIn.session_id, func.count())
        .where(
            CheckIn.event_id == event_id,
            CheckIn.session_id.is_not(None),
            CheckIn.undone_at.is_(None),
        )
        .group_by(CheckIn.session_id)
    )
    by_session = {int(s): int(n) for s, n in rows}
    return [SessionAttendance(s, by_session.get(s.id, 0)) for s in sessions]
