"""The organiser's agenda builder and speaker pages under ``/manage/events/{slug}/…``.

Every page works without JavaScript: a link per empty slot opens the session form prefilled, a
move form changes day, start and room, duplicate and delete are forms (delete asks first and says
what goes with it). ``static/js/agenda-builder.js`` adds drag and drop, posting the same move form.
Every change is written to the audit log with the state before and after, so it can be undone by
editing back. Handlers parse, call one service, audit and redirect (POST-redirect-GET).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import anyio.to_thread
from litestar import Request, Router, get, post
from litestar.datastructures import UploadFile
from litestar.params import Parameter
from litestar.response import File, Redirect, Response, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events import i18n
from events.accounts import audit
from events.accounts.access import can_manage, current_user
from events.agenda import photos, queries, schemas, services
from events.agenda.models import AgendaSession, Event, Organisation, Speaker
from events.agenda.pages import PERSON_ROLES, SESSION_KINDS, Text, label, ml
from events.db.base import MAX_ID
from events.errors import DomainError, InvalidInput, NotFound
from events.settings import Settings
from events.web import (
    HTMX_INVALID,
    RowId,
    render,
    render_fragment,
    see_other,
    ui_language,
    wants_fragment,
)

ORGANISER: dict[str, Any] = {"access": "organiser"}
PUBLIC: dict[str, Any] = {"access": "public"}
SLOT = timedelta(minutes=15)
# Blank people rows offered in the session form (more can be added after saving).
BLANK_PEOPLE_ROWS = 3
MAX_PEOPLE_ROWS = 60
PHOTO_CACHE = "public, max-age=31536000, immutable"


def N_(message: str) -> str:
    return message


DONE = {
    "created": N_("The session was created."),
    "updated": N_("The session was saved."),
    "moved": N_("The session was moved."),
    "duplicated": N_("The session was duplicated; the copy follows the original."),
    "deleted": N_("The session was deleted."),
    "speaker_created": N_("The speaker was created."),
    "speaker_updated": N_("The speaker was saved."),
    "speaker_deleted": N_("The speaker was deleted."),
    "attached": N_("The speaker was added to the session."),
    "detached": N_("The speaker was taken out of the session."),
    "photo": N_("The photo was saved."),
    "photo_removed": N_("The photo was removed."),
}


def _done(request: Request[Any, Any, Any]) -> str | None:
    message = DONE.get(request.query_params.get("done") or "")
    return i18n.gettext(message) if message else None


def _ip(request: Request[Any, Any, Any]) -> str | None:
    return request.client.host if request.client else None


def _settings(request: Request[Any, Any, Any]) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def _audit(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    action: str,
    event: Event,
    target: str,
    before: Any = None,
    after: Any = None,
) -> None:
    details: dict[str, Any] = {}
    if before is not None:
        details["before"] = before
    if after is not None:
        details["after"] = after
    await audit.record(
        db, current_user(request), action, event.id, target=target, details=details,
        ip=_ip(request),
    )  # fmt: skip


def _base(event: Event | str) -> str:
    slug = event if isinstance(event, str) else event.slug
    return f"/manage/events/{slug}"


async def _event(db: AsyncSession, slug: str) -> Event:
    return await services.get_event(db, slug, include_drafts=True)


async def _fresh_event(db: AsyncSession, slug: str) -> Event:
    """After a rollback: the event again, with what the page reads."""
    await db.rollback()
    return await _event(db, slug)


def event_days(event: Event) -> list[date]:
    zone = ZoneInfo(event.timezone)
    first = event.starts_at.astimezone(zone).date()
    last = event.ends_at.astimezone(zone).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _hhmm(value: datetime, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime("%H:%M")


# The timetable grid ---------------------------------------------------------------------------


@dataclass
class GridSession:
    id: int
    title: Text
    kind: str
    kind_label: str
    start: str
    end: str
    room: str | None
    people: list[str]
    conflicts: list[str]


@dataclass
class GridCell:
    day: str
    start: str
    room_id: int  # 0: no room
    room_name: str
    rowspan: int = 1
    sessions: list[GridSession] = field(default_factory=list)


@dataclass
class GridRow:
    start: str
    cells: list[GridCell]


@dataclass
class GridDay:
    day: date
    columns: list[tuple[int, str]]
    rows: list[GridRow]
    count: int


def _floor(value: datetime, zone: ZoneInfo) -> datetime:
    local = value.astimezone(zone)
    floored = local.replace(minute=local.minute - local.minute % 15, second=0, microsecond=0)
    return floored.astimezone(UTC)


def _ceil(value: datetime, zone: ZoneInfo) -> datetime:
    floored = _floor(value, zone)
    return floored if floored == value.astimezone(UTC) else floored + SLOT


def build_grid(
    event: Event,
    sessions: Sequence[AgendaSession],
    conflicts: Mapping[int, list[str]],
    language: str,
) -> tuple[list[GridDay], list[GridSession]]:
    """One grid per event day: rows of 15 minutes, a column per room and one for no room.

    Sessions of a column whose slots overlap (a double booking) share one cell, so both stay
    visible. Returns the days and the sessions lying outside every event day.
    """
    zone = ZoneInfo(event.timezone)
    columns: list[tuple[int, str]] = [(room.id, room.name) for room in event.rooms]
    columns.append((0, i18n.gettext("No room")))
    no_room = i18n.gettext("no room")
    days = event_days(event)
    by_day: dict[date, list[AgendaSession]] = {day: [] for day in days}
    outside: list[GridSession] = []

    def view(item: AgendaSession) -> GridSession:
        return GridSession(
            id=item.id,
            title=ml(item.title, language, event.default_language),
            kind=item.kind,
            kind_label=label(SESSION_KINDS, item.kind),
            start=_hhmm(item.starts_at, zone),
            end=_hhmm(item.ends_at, zone),
            room=item.room.name if item.room else None,
            people=[
                f"{p.speaker.display_name} ({label(PERSON_ROLES, p.role)})" for p in item.people
            ],
            conflicts=list(conflicts.get(item.id, [])),
        )

    for item in sessions:
        day = item.starts_at.astimezone(zone).date()
        if day in by_day:
            by_day[day].append(item)
        else:
            outside.append(view(item))

    open_at = event.starts_at.astimezone(zone).time()
    close_at = event.ends_at.astimezone(zone).time()
    result: list[GridDay] = []
    for day in days:
        items = by_day[day]
        opens = datetime.combine(day, open_at, tzinfo=zone)
        closes = datetime.combine(day, close_at, tzinfo=zone)
        if closes <= opens:
            closes += timedelta(days=1)
        start = _floor(min([opens, *(i.starts_at for i in items)]), zone)
        end = _ceil(max([closes, *(i.ends_at for i in items)]), zone)
        end = min(end, start + timedelta(hours=30))
        count = max(1, int((end - start) / SLOT))
        # Per column: clusters of sessions whose slots overlap -> (first slot, last slot + 1).
        starts: dict[tuple[int, int], tuple[int, list[AgendaSession]]] = {}
        covered: set[tuple[int, int]] = set()
        for column, (room_id, _name) in enumerate(columns):
            mine = sorted(
                (i for i in items if (i.room_id or 0) == room_id), key=lambda i: (i.starts_at, i.id)
            )
            clusters: list[list[Any]] = []
            for item in mine:
                first = max(0, min(count - 1, int((item.starts_at - start) // SLOT)))
                last = max(first + 1, min(count, -int(-(item.ends_at - start) // SLOT)))
                if clusters and first < clusters[-1][1]:
                    clusters[-1][1] = max(clusters[-1][1], last)
                    clusters[-1][2].append(item)
                else:
                    clusters.append([first, last, [item]])
            for first, last, members in clusters:
                starts[(first, column)] = (last - first, members)
                covered.update((row, column) for row in range(first + 1, last))
        rows: list[GridRow] = []
        for index in range(count):
            moment = start + index * SLOT
            slot = _hhmm(moment, zone)
            cells: list[GridCell] = []
            for column, (room_id, name) in enumerate(columns):
                if (index, column) in covered:
                    continue
                cell = GridCell(
                    day=moment.astimezone(zone).date().isoformat(), start=slot,
                    room_id=room_id, room_name=name if room_id else no_room,
                )  # fmt: skip
                if (index, column) in starts:
                    cell.rowspan, members = starts[(index, column)]
                    cell.sessions = [view(m) for m in members]
                cells.append(cell)
            rows.append(GridRow(start=slot, cells=cells))
        result.append(GridDay(day=day, columns=columns, rows=rows, count=len(items)))
    return result, outside


async def _conflicts(db: AsyncSession, event: Event) -> tuple[list[Any], dict[int, list[str]]]:
    found = await services.event_conflicts(db, event.slug, include_drafts=True)
    by_session: dict[int, list[str]] = {}
    for conflict in found:
        for session_id in conflict.session_ids:
            by_session.setdefault(session_id, []).append(conflict.message)
    return found, by_session


@dataclass
class Panel:
    """The board's panel: the quick form to add a session, or the form to move one."""

    kind: str  # "add" or "move"
    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    focus: bool = False  # htmx focuses its first field after the swap (autofocus)
    session_id: int | None = None
    title: Text | None = None
    current: dict[str, Any] = field(default_factory=dict)


def _new_values(
    event: Event, day: str | None, start: str | None, room: str | None
) -> dict[str, Any]:
    """An empty session form, prefilled from a slot: its day, start, an hour long, its room."""
    values = _form_values(None, event)
    zone = ZoneInfo(event.timezone)
    values["day"] = day or event_days(event)[0].isoformat()
    begin = start or _hhmm(event.starts_at, zone)
    values["start"] = begin
    try:
        until = (datetime.combine(date(2000, 1, 1), _clock(begin, "start")) + 4 * SLOT).time()
        values["end"] = until.strftime("%H:%M")
    except InvalidInput:
        values["end"] = ""
    values["room"] = room if room and room.isdigit() and room != "0" else ""
    return values


def _move_panel(
    event: Event,
    session: AgendaSession,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Panel:
    zone = ZoneInfo(event.timezone)
    if values is None:
        current = _form_values(session, event)
        values = {"day": current["day"], "start": current["start"], "room": current["room"]}
    return Panel(
        "move", values, errors or {}, focus=True, session_id=session.id,
        title=ml(session.title, i18n.current_language(), event.default_language),
        current={"day": session.starts_at.astimezone(zone).date().isoformat(),
                 "start": _hhmm(session.starts_at, zone), "end": _hhmm(session.ends_at, zone),
                 "room": session.room.name if session.room else None},
    )  # fmt: skip


async def _board(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    slug: str,
    *,
    panel: Panel | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Template:
    """The agenda page, or for htmx only its board (and the status line), read afresh."""
    # After a change in this request: what the board shows comes from the database again, not
    # from objects whose relationships were loaded before the change.
    await db.flush()
    db.expire_all()
    event = await _event(db, slug)
    sessions = await queries.programme(db, event.id)
    found, by_session = await _conflicts(db, event)
    days, outside = build_grid(event, sessions, by_session, i18n.current_language())
    fragment = wants_fragment(request)
    template = "manage/agenda/_board_response.html" if fragment else "manage/agenda/grid.html"
    return render_fragment(
        request, template, status_code, event=event, days=days, outside=outside,
        conflicts=found, notice=notice, kinds=[(k, label(SESSION_KINDS, k)) for k in SESSION_KINDS],
        panel=panel or Panel("add", _new_values(event, None, None, None)),
    )  # fmt: skip


@get(
    "/manage/events/{slug:str}/agenda", opt=ORGANISER, cache=False, include_in_schema=False,
    name="manage:agenda",
)  # fmt: skip
async def agenda_page(
    request: Request[Any, Any, Any],
    slug: str,
    db_session: AsyncSession,
    move: int | None = Parameter(query="move", default=None, ge=1, le=MAX_ID),
) -> Template:
    """The timetable; ``?move=ID`` opens the move panel for a session in place of the add panel
    (what a session's "Move" link asks for through htmx; without it the link opens move.html)."""
    panel: Panel | None = None
    if move is not None:
        event, session = await services.get_session(db_session, slug, move, include_drafts=True)
        panel = _move_panel(event, session)
    return await _board(request, db_session, slug, panel=panel, notice=_done(request))


# The session form -----------------------------------------------------------------------------


async def _speakers_of(db: AsyncSession, event: Event) -> list[Speaker]:
    statement = (
        select(Speaker)
        .where(Speaker.event_id == event.id)
        .order_by(Speaker.family_name, Speaker.given_name, Speaker.id)
    )
    return list((await db.scalars(statement)).unique().all())


def _form_values(session: AgendaSession | None, event: Event) -> dict[str, Any]:
    """The form's fields (strings) from a session, or empty ones."""
    if session is None:
        return {"kind": "talk", "people": []}
    zone = ZoneInfo(event.timezone)
    values: dict[str, Any] = {
        "kind": session.kind,
        "day": session.starts_at.astimezone(zone).date().isoformat(),
        "start": _hhmm(session.starts_at, zone),
        "end": _hhmm(session.ends_at, zone),
        "room": str(session.room_id or ""),
        "track": session.track or "",
        "language": session.language or "",
        "capacity": str(session.capacity or ""),
        "requires_checkin": "1" if session.requires_checkin else "",
        "people": [
            {"speaker": str(p.speaker_id), "role": p.role, "order": str(index + 1)}
            for index, p in enumerate(session.people)
        ],
    }
    for code in event.languages:
        values[f"title_{code}"] = (session.title or {}).get(code, "")
        values[f"abstract_{code}"] = (session.abstract or {}).get(code, "")
    return values


def _text(form: Mapping[str, Any], name: str, limit: int = 25_000) -> str:
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


def _read_session_form(form: Mapping[str, Any], event: Event) -> dict[str, Any]:
    values: dict[str, Any] = {
        name: _text(form, name)
        for name in ("kind", "day", "start", "end", "room", "track", "language", "capacity")
    }
    # A checkbox: sent only when ticked, whatever its value.
    values["requires_checkin"] = "1" if "requires_checkin" in form else ""
    for code in event.languages:
        values[f"title_{code}"] = _text(form, f"title_{code}")
        values[f"abstract_{code}"] = _text(form, f"abstract_{code}")
    people: list[dict[str, str]] = []
    for index in range(MAX_PEOPLE_ROWS):
        if f"person_speaker_{index}" not in form:
            break
        people.append(
            {
                "speaker": _text(form, f"person_speaker_{index}", 30),
                "role": _text(form, f"person_role_{index}", 30),
                "order": _text(form, f"person_order_{index}", 10),
            }
        )
    values["people"] = people
    return values


def _whole(value: str, name: str, *, required: bool = False) -> int | None:
    value = value.strip()
    if not value:
        if required:
            raise InvalidInput("required", i18n.gettext("This field is required."), field=name)
        return None
    if not re.fullmatch(r"[0-9]{1,9}", value):
        raise InvalidInput("invalid_type", i18n.gettext("Give a whole number."), field=name)
    return int(value)


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise InvalidInput(
            "invalid_date", i18n.gettext("Choose one of the event's days."), field="day"
        ) from exc


def _clock(value: str, name: str) -> time:
    if not re.fullmatch(r"[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?", value.strip()):
        raise InvalidInput("invalid_time", i18n.gettext("Give a time such as 09:30."), field=name)
    try:
        return time.fromisoformat(value.strip().zfill(5))
    except ValueError as exc:
        raise InvalidInput(
            "invalid_time", i18n.gettext("Give a time such as 09:30."), field=name
        ) from exc


def _room(value: str) -> int | None:
    room = _whole(value, "room")
    return room or None


def _session_input(values: dict[str, Any], event: Event) -> tuple[dict[str, Any], list[int]]:
    """The session fields for the services, and for each person the form row it came from."""
    day = _day(values["day"])
    starts_at = services.local_moment(event, day, _clock(values["start"], "start"))
    ends_at = services.local_moment(event, day, _clock(values["end"], "end"))
    rows: list[tuple[int, int, dict[str, str]]] = []
    for index, person in enumerate(values["people"]):
        speaker = _whole(person["speaker"], f"person-{index}")
        if speaker is None:
            continue
        order = _whole(person["order"], f"person-{index}") or index + 1
        rows.append((order, index, person))
    rows.sort(key=lambda row: (row[0], row[1]))
    people = [
        schemas.PersonIn(speaker_id=int(person["speaker"]), role=person["role"] or "speaker")
        for _order, _index, person in rows
    ]
    data = {
        "title": {c: values[f"title_{c}"] for c in event.languages if values[f"title_{c}"]},
        "abstract": {
            c: values[f"abstract_{c}"] for c in event.languages if values[f"abstract_{c}"]
        },
        "kind": values["kind"],
        "starts_at": starts_at,
        "ends_at": ends_at,
        "room_id": _room(values["room"]),
        "track": values["track"] or None,
        "language": values["language"] or None,
        "capacity": _whole(values["capacity"], "capacity"),
        "requires_checkin": bool(values.get("requires_checkin")),
        "people": people,
    }
    return data, [index for _order, index, _person in rows]


_FIELD_OF = {"starts_at": "start", "ends_at": "end", "room_id": "room"}


def _error_field(exc: DomainError, person_rows: Sequence[int]) -> str:
    name = exc.field or "form"
    match = re.match(r"people\[(\d+)\]", name)
    if match:
        position = int(match.group(1))
        row = person_rows[position] if position < len(person_rows) else position
        return f"person-{row}"
    if name.startswith(("title.", "abstract.")):
        return name.replace(".", "_", 1)
    return _FIELD_OF.get(name, name)


async def _session_form(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    event: Event,
    values: dict[str, Any],
    *,
    session_id: int | None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    speakers = await _speakers_of(db, event)
    people = list(values.get("people") or [])
    people += [{"speaker": "", "role": "speaker", "order": ""}] * BLANK_PEOPLE_ROWS
    return render(
        request, "manage/agenda/session_form.html", status_code, event=event, values=values,
        people=people, errors=errors or {}, session_id=session_id, speakers=speakers,
        days=event_days(event), kinds=[(k, label(SESSION_KINDS, k)) for k in SESSION_KINDS],
        roles=[(k, label(PERSON_ROLES, k)) for k in PERSON_ROLES],
    )  # fmt: skip


@get(
    "/manage/events/{slug:str}/agenda/sessions/new", opt=ORGANISER, cache=False,
    include_in_schema=False,
)  # fmt: skip
async def session_new(
    request: Request[Any, Any, Any],
    slug: str,
    db_session: AsyncSession,
    day: str | None = Parameter(query="day", default=None, max_length=20),
    start: str | None = Parameter(query="start", default=None, max_length=10),
    room: str | None = Parameter(query="room", default=None, max_length=20),
) -> Template:
    event = await _event(db_session, slug)
    values = _new_values(event, day, start, room)
    return await _session_form(request, db_session, event, values, session_id=None)


@post(
    "/manage/events/{slug:str}/agenda/sessions", opt=ORGANISER, cache=False,
    include_in_schema=False,
)  # fmt: skip
async def session_create(
    request: Request[Any, Any, Any], slug: str, db_session: AsyncSession
) -> Response[Any]:
    event = await _event(db_session, slug)
    values = _read_session_form(await request.form(), event)
    person_rows: list[int] = []
    try:
        data, person_rows = _session_input(values, event)
        event, session = await services.create_session(
            db_session, slug, schemas.SessionCreate(**data)
        )
        await _audit(request, db_session, "agenda.session.create", event, f"session:{session.id}",
                     after=services.session_snapshot(session))  # fmt: skip
    except DomainError as exc:
        event = await _fresh_event(db_session, slug)
        errors = {_error_field(exc, person_rows): exc.message}
        if wants_fragment(request):
            panel = Panel("add", values, errors, focus=True)
            return await _board(request, db_session, slug, panel=panel, status_code=HTMX_INVALID)
        return await _session_form(
            request, db_session, event, values, session_id=None,
            errors=errors, status_code=exc.status_code,
        )  # fmt: skip
    return await _changed(request, db_session, slug, "created", session.id)


@get(
    "/manage/events/{slug:str}/agenda/sessions/{session_id:int}/edit", opt=ORGANISER,
    cache=False, include_in_schema=False,
)  # fmt: skip
async def session_edit(
    request: Request[Any, Any, Any], slug: str, session_id: RowId, db_session: AsyncSession
) -> Template:
    event, session = await services.get_session(db_session, slug, session_id, include_drafts=True)
    values = _form_values(session, event)
    return await _session_form(request, db_session, event, values, session_id=session.id)


@post(
    "/manage/events/{slug:str}/agenda/sessions/{session_id:int}/edit", opt=ORGANISER,
    cache=False, include_in_schema=False,
)  # fmt: skip
async def session_update(
    request: Request[Any, Any, Any], slug: str, session_id: RowId, db_session: AsyncSession
) -> Response[Any]:
    event, session = await services.get_session(db_session, slug, session_id, include_drafts=True)
    before = services.session_snapshot(session)
    values = _read_session_form(await request.form(), event)
    person_rows: list[int] = []
    try:
        data, person_rows = _session_input(values, event)
        event, session = await services.update_session(
            db_session, slug, session.id, schemas.SessionUpdate(**data)
        )
        await _audit(request, db_session, "agenda.session.update", event, f"session:{session.id}",
                     before=before, after=services.session_snapshot(session))  # fmt: skip
    except DomainError as exc:
        event = await _fresh_event(db_session, slug)
        return await _session_form(
            request, db_session, event, values, session_id=session_id,
            errors={_error_field(exc, person_rows): exc.message}, status_code=exc.status_code,
        )  # fmt: skip
    return Redirect(f"{_base(slug)}/agenda?done=updated#session-{session.id}", status_code=303)


# Move, duplicate, delete ----------------------------------------------------------------------


async def _changed(
    request: Request[Any, Any, Any], db: AsyncSession, slug: str, done: str, session_id: int | None
) -> Response[Any]:
    """After a change: the board for htmx, else back to the whole page (POST-redirect-GET)."""
    if wants_fragment(request):
        return await _board(request, db, slug, notice=i18n.gettext(DONE[done]))
    anchor = f"#session-{session_id}" if session_id is not None else ""
    return see_other(f"{_base(slug)}/agenda?done={done}{anchor}")


async def _move_form(
    request: Request[Any, Any, Any],
    event: Event,
    session: AgendaSession,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    zone = ZoneInfo(event.timezone)
    return render(
        request, "manage/agenda/move.html", status_code, event=event, session=session,
        title=ml(session.title, i18n.current_language(), event.default_language),
        values=values, errors=errors or {}, days=event_days(event),
        current={"day": session.starts_at.astimezone(zone).date(),
                 "start": _hhmm(session.starts_at, zone), "end": _hhmm(session.ends_at, zone),
                 "room": session.room.name if session.room else None},
    )  # fmt: skip


@get(
    "/manage/events/{slug:str}/agenda/sessions/{session_id:int}/move", opt=ORGANISER,
    cache=False, include_in_schema=False,
)  # fmt: skip
async def session_move_form(
    request: Request[Any, Any, Any], slug: str, session_id: RowId, db_session: AsyncSession
) -> Template:
    event, session = await services.get_session(db_session, slug, session_id, include_drafts=True)
    values = _form_values(session, event)
    return await _move_form(
        request, event, session,
        {"day": values["day"], "start": values["start"], "room": values["room"]},
    )  # fmt: skip


@post(
    "/manage/events/{slug:str}/agenda/sessions/{session_id:int}/move", opt=ORGANISER,
    cache=False, include_in_schema=False,
)  # fmt: skip
async def session_move(
    request: Request[Any, Any, Any], slug: str, session_id: RowId, db_session: AsyncSession
) -> Response[Any]:
    event, session = await services.get_session(db_session, slug, session_id, include_drafts=True)
    before = services.session_snapshot(session)
    form = await request.form()
    values = {name: _text(form, name, 20) for name in ("day", "start", "room")}
    try:
        event, session = await services.move_session(
            db_session, slug, session.id, day=_day(values["day"]),
            start=_clock(values["start"], "start"), room_id=_room(values["room"]),
        )  # fmt: skip
        await _audit(request, db_session, "agenda.session.move", event, f"session:{session.id}",
                     before=before, after=services.session_snapshot(session))  # fmt: skip
    except DomainError as exc:
        await db_session.rollback()
        event, session = await services.get_session(
            db_session, slug, session_id, include_drafts=True
        )
        errors = {_error_field(exc, []): exc.message}
        if wants_fragment(request):
            panel = _move_panel(event, session, values, errors)
            return await _board(request, db_session, slug, panel=panel, status_code=HTMX_INVALID)
        return await _move_form(request, event, session, values, errors, exc.status_code)
    return await _changed(request, db_session, slug, "moved", session.id)


@post(
    "/manage/events/{slug:str}/agenda/sessions/{session_id:int}/duplicate", opt=ORGANISER,
    cache=False, include_in_schema=False,
)  # fmt: skip
async def session_duplicate(
    request: Request[Any, Any, Any], slug: str, session_id: RowId, db_session: AsyncSession
) -> Response[Any]:
    event, copy = await services.duplicate_session(db_session, slug, session_id)
    await _audit(request, db_session, "agenda.session.duplicate", event, f"session:{copy.id}",
                 after={**services.session_snapshot(copy), "copy_of": session_id})  # fmt: skip
    return await _changed(request, db_session, slug, "duplicated", copy.id)


@get(
    "/manage/events/{slug:str}/agenda/sessions/{session_id:int}/delete", opt=ORGANISER,
    cache=False, include_in_schema=False,
)  # fmt: skip
async def session_delete_confirm(
    request: Request[Any, Any, Any], slug: str, session_id: RowId, db_session: AsyncSession
) -> Template:
    event, session = await services.get_session(db_session, slug, session_id, include_drafts=True)
    zone = ZoneInfo(event.timezone)
    return render(
        request, "manage/agenda/session_delete.html", event=event, session=session,
        title=ml(session.title, i18n.current_language(), event.default_language),
        when=f"{session.starts_at.astimezone(zone).date().isoformat()} "
             f"{_hhmm(session.starts_at, zone)}–{_hhmm(session.ends_at, zone)}",
        people=[(p.speaker.display_name, label(PERSON_ROLES, p.role)) for p in session.people],
    )  # fmt: skip


@post(
    "/manage/events/{slug:str}/agenda/sessions/{session_id:int}/delete", opt=ORGANISER,
    cache=False, include_in_schema=False,
)  # fmt: skip
async def session_delete(
    request: Request[Any, Any, Any], slug: str, session_id: RowId, db_session: AsyncSession
) -> Response[Any]:
    event, session = await services.get_session(db_session, slug, session_id, include_drafts=True)
    before = services.session_snapshot(session)
    await services.delete_session(db_session, slug, session.id)
    await _audit(request, db_session, "agenda.session.delete", event, f"session:{session_id}",
                 before=before)  # fmt: skip
    return await _changed(request, db_session, slug, "deleted", None)


# Speakers -------------------------------------------------------------------------------------


@dataclass
class SpeakerRow:
    speaker: Speaker
    sessions: int


async def _session_counts(db: AsyncSession, event: Event) -> dict[int, int]:
    counts: dict[int, int] = {}
    for item in await queries.programme(db, event.id):
        for speaker_id in {p.speaker_id for p in item.people}:
            counts[speaker_id] = counts.get(speaker_id, 0) + 1
    return counts


@get(
    "/manage/events/{slug:str}/speakers", opt=ORGANISER, cache=False, include_in_schema=False,
    name="manage:speakers",
)  # fmt: skip
async def speakers_page(
    request: Request[Any, Any, Any], slug: str, db_session: AsyncSession
) -> Template:
    event = await _event(db_session, slug)
    counts = await _session_counts(db_session, event)
    rows = [SpeakerRow(s, counts.get(s.id, 0)) for s in await _speakers_of(db_session, event)]
    return render(
        request, "manage/agenda/speakers.html", event=event, rows=rows, notice=_done(request)
    )


SPEAKER_FIELDS = ("honorific", "given_name", "family_name", "position", "organisation", "country",
                  "email")  # fmt: skip


def _speaker_values(speaker: Speaker | None, event: Event) -> dict[str, str]:
    values = dict.fromkeys(SPEAKER_FIELDS, "")
    if speaker is not None:
        for name in SPEAKER_FIELDS:
            if name == "organisation":
                values[name] = str(speaker.organisation_id or "")
            else:
                values[name] = getattr(speaker, name) or ""
    for code in event.languages:
        values[f"biography_{code}"] = (
            (speaker.biography or {}).get(code, "") if speaker is not None else ""
        )
    return values


def _read_speaker_form(form: Mapping[str, Any], event: Event) -> dict[str, str]:
    values = {name: _text(form, name, 400) for name in SPEAKER_FIELDS}
    for code in event.languages:
        values[f"biography_{code}"] = _text(form, f"biography_{code}")
    return values


def _speaker_input(values: dict[str, str], event: Event) -> dict[str, Any]:
    return {
        "given_name": values["given_name"],
        "family_name": values["family_name"],
        "honorific": values["honorific"] or None,
        "position": values["position"] or None,
        "organisation_id": _whole(values["organisation"], "organisation_id"),
        "country": values["country"] or None,
        "email": values["email"] or None,
        "biography": {
            c: values[f"biography_{c}"] for c in event.languages if values[f"biography_{c}"]
        },
    }


@dataclass
class PartView:
    session_id: int
    title: Text
    when: str
    role: str
    role_label: str
    order: int


async def _speaker_form(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    event: Event,
    values: dict[str, str],
    *,
    speaker: Speaker | None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    organisations = list(
        (await db.scalars(select(Organisation).order_by(Organisation.name).limit(2000))).all()
    )
    language = i18n.current_language()
    parts: list[PartView] = []
    all_sessions: list[tuple[int, str]] = []
    zone = ZoneInfo(event.timezone)
    sessions = await queries.programme(db, event.id)
    for item in sessions:
        when = f"{item.starts_at.astimezone(zone).date().isoformat()} {_hhmm(item.starts_at, zone)}"
        title = ml(item.title, language, event.default_language)
        all_sessions.append((item.id, f"{when} · {title.text}"))
        if speaker is None:
            continue
        for index, person in enumerate(item.people):
            if person.speaker_id == speaker.id:
                parts.append(
                    PartView(item.id, title, when, person.role,
                             label(PERSON_ROLES, person.role), index + 1)
                )  # fmt: skip
    return render(
        request, "manage/agenda/speaker_form.html", status_code, event=event, values=values,
        speaker=speaker, errors=errors or {}, organisations=organisations, parts=parts,
        all_sessions=all_sessions, roles=[(k, label(PERSON_ROLES, k)) for k in PERSON_ROLES],
        notice=_done(request), max_megabytes=photos.MAX_BYTES // (1024 * 1024),
    )  # fmt: skip


_SPEAKER_FIELD_OF = {"organisation_id": "organisation"}


def _speaker_error_field(exc: DomainError) -> str:
    name = exc.field or "form"
    if name.startswith("biography."):
        return name.replace(".", "_", 1)
    return _SPEAKER_FIELD_OF.get(name, name)


@get("/manage/events/{slug:str}/speakers/new", opt=ORGANISER, cache=False, include_in_schema=False)
async def speaker_new(
    request: Request[Any, Any, Any], slug: str, db_session: AsyncSession
) -> Template:
    event = await _event(db_session, slug)
    return await _speaker_form(
        request, db_session, event, _speaker_values(None, event), speaker=None
    )


@post("/manage/events/{slug:str}/speakers", opt=ORGANISER, cache=False, include_in_schema=False)
async def speaker_create(
    request: Request[Any, Any, Any], slug: str, db_session: AsyncSession
) -> Response[Any]:
    event = await _event(db_session, slug)
    values = _read_speaker_form(await request.form(), event)
    try:
        data = schemas.SpeakerCreate(**_speaker_input(values, event))
        speaker = await services.create_speaker(db_session, slug, data)
        await _audit(request, db_session, "agenda.speaker.create", event, f"speaker:{speaker.id}",
                     after=services.speaker_snapshot(speaker))  # fmt: skip
    except DomainError as exc:
        event = await _fresh_event(db_session, slug)
        return await _speaker_form(
            request, db_session, event, values, speaker=None,
            errors={_speaker_error_field(exc): exc.message}, status_code=exc.status_code,
        )  # fmt: skip
    return Redirect(
        f"{_base(slug)}/speakers/{speaker.id}/edit?done=speaker_created", status_code=303
    )


@get(
    "/manage/events/{slug:str}/speakers/{speaker_id:int}/edit", opt=ORGANISER, cache=False,
    include_in_schema=False,
)  # fmt: skip
async def speaker_edit(
    request: Request[Any, Any, Any], slug: str, speaker_id: RowId, db_session: AsyncSession
) -> Template:
    event = await _event(db_session, slug)
    speaker = await services.get_speaker(db_session, slug, speaker_id, include_drafts=True)
    return await _speaker_form(
        request, db_session, event, _speaker_values(speaker, event), speaker=speaker
    )


async def _speaker_again(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    slug: str,
    speaker_id: int,
    exc: DomainError,
    field_name: str,
    values: dict[str, str] | None = None,
) -> Template:
    event = await _fresh_event(db, slug)
    speaker = await services.get_speaker(db, slug, speaker_id, include_drafts=True)
    return await _speaker_form(
        request, db, event, values or _speaker_values(speaker, event), speaker=speaker,
        errors={field_name: exc.message}, status_code=exc.status_code,
    )  # fmt: skip


@post(
    "/manage/events/{slug:str}/speakers/{speaker_id:int}/edit", opt=ORGANISER, cache=False,
    include_in_schema=False,
)  # fmt: skip
async def speaker_update(
    request: Request[Any, Any, Any], slug: str, speaker_id: RowId, db_session: AsyncSession
) -> Response[Any]:
    event = await _event(db_session, slug)
    speaker = await services.get_speaker(db_session, slug, speaker_id, include_drafts=True)
    before = services.speaker_snapshot(speaker)
    values = _read_speaker_form(await request.form(), event)
    try:
        data = schemas.SpeakerUpdate(**_speaker_input(values, event))
        speaker = await services.update_speaker(db_session, slug, speaker.id, data)
        await _audit(request, db_session, "agenda.speaker.update", event, f"speaker:{speaker.id}",
                     before=before, after=services.speaker_snapshot(speaker))  # fmt: skip
    except DomainError as exc:
        return await _speaker_again(
            request, db_session, slug, speaker_id, exc, _speaker_error_field(exc), values
        )
    return Redirect(
        f"{_base(slug)}/speakers/{speaker.id}/edit?done=speaker_updated", status_code=303
    )


@post(
    "/manage/events/{slug:str}/speakers/{speaker_id:int}/sessions", opt=ORGANISER, cache=False,
    include_in_schema=False,
)  # fmt: skip
async def speaker_attach(
    request: Request[Any, Any, Any], slug: str, speaker_id: RowId, db_session: AsyncSession
) -> Response[Any]:
    await services.get_speaker(db_session, slug, speaker_id, include_drafts=True)
    form = await request.form()
    try:
        session_id = _whole(_text(form, "session", 20), "session", required=True)
        assert session_id is not None
        try:
            _, before_session = await services.get_session(
                db_session, slug, session_id, include_drafts=True
            )
        except NotFound as exc:
            raise InvalidInput(
                "session_not_found", i18n.gettext("Choose a session."), field="session"
            ) from exc
        before = services.session_snapshot(before_session)
        event, session = await services.attach_speaker(
            db_session, slug, speaker_id, session_id, role=_text(form, "role", 30),
            order=_whole(_text(form, "order", 10), "order"),
        )  # fmt: skip
        await _audit(request, db_session, "agenda.session.people", event, f"session:{session.id}",
                     before=before, after=services.session_snapshot(session))  # fmt: skip
    except DomainError as exc:
        return await _speaker_again(
            request, db_session, slug, speaker_id, exc, exc.field or "session"
        )
    return Redirect(f"{_base(slug)}/speakers/{speaker_id}/edit?done=attached", status_code=303)


@post(
    "/manage/events/{slug:str}/speakers/{speaker_id:int}/sessions/{session_id:int}/remove",
    opt=ORGANISER, cache=False, include_in_schema=False,
)  # fmt: skip
async def speaker_detach(
    request: Request[Any, Any, Any],
    slug: str,
    speaker_id: RowId,
    session_id: RowId,
    db_session: AsyncSession,
) -> Response[Any]:
    form = await request.form()
    _, session = await services.get_session(db_session, slug, session_id, include_drafts=True)
    before = services.session_snapshot(session)
    event, session = await services.detach_speaker(
        db_session, slug, speaker_id, session_id, role=_text(form, "role", 30)
    )
    await _audit(request, db_session, "agenda.session.people", event, f"session:{session.id}",
                 before=before, after=services.session_snapshot(session))  # fmt: skip
    return Redirect(f"{_base(slug)}/speakers/{speaker_id}/edit?done=detached", status_code=303)


@post(
    "/manage/events/{slug:str}/speakers/{speaker_id:int}/photo", opt=ORGANISER, cache=False,
    include_in_schema=False,
)  # fmt: skip
async def speaker_photo(
    request: Request[Any, Any, Any], slug: str, speaker_id: RowId, db_session: AsyncSession
) -> Response[Any]:
    event = await _event(db_session, slug)
    speaker = await services.get_speaker(db_session, slug, speaker_id, include_drafts=True)
    before = services.speaker_snapshot(speaker)
    form = await request.form()
    upload = form.get("photo")
    try:
        if not isinstance(upload, UploadFile):
            raise InvalidInput(
                "photo_empty", i18n.gettext("Choose an image file to upload."), field="photo"
            )
        data = await upload.read(photos.MAX_BYTES + 1)
        processed = await anyio.to_thread.run_sync(photos.process_photo, data)
        name = photos.store_photo(_settings(request).data_dir, processed)
        speaker = await services.set_speaker_photo(db_session, slug, speaker.id, name)
        await _audit(request, db_session, "agenda.speaker.photo", event, f"speaker:{speaker.id}",
                     before=before, after=services.speaker_snapshot(speaker))  # fmt: skip
    except DomainError as exc:
        return await _speaker_again(request, db_session, slug, speaker_id, exc, "photo")
    return Redirect(f"{_base(slug)}/speakers/{speaker.id}/edit?done=photo", status_code=303)


@post(
    "/manage/events/{slug:str}/speakers/{speaker_id:int}/photo/remove", opt=ORGANISER,
    cache=False, include_in_schema=False,
)  # fmt: skip
async def speaker_photo_remove(
    request: Request[Any, Any, Any], slug: str, speaker_id: RowId, db_session: AsyncSession
) -> Response[Any]:
    event = await _event(db_session, slug)
    speaker = await services.get_speaker(db_session, slug, speaker_id, include_drafts=True)
    before = services.speaker_snapshot(speaker)
    speaker = await services.set_speaker_photo(db_session, slug, speaker.id, None)
    await _audit(request, db_session, "agenda.speaker.photo", event, f"speaker:{speaker.id}",
                 before=before, after=services.speaker_snapshot(speaker))  # fmt: skip
    return Redirect(f"{_base(slug)}/speakers/{speaker.id}/edit?done=photo_removed", status_code=303)


@get(
    "/manage/events/{slug:str}/speakers/{speaker_id:int}/delete", opt=ORGANISER, cache=False,
    include_in_schema=False,
)  # fmt: skip
async def speaker_delete_confirm(
    request: Request[Any, Any, Any], slug: str, speaker_id: RowId, db_session: AsyncSession
) -> Template:
    event = await _event(db_session, slug)
    speaker = await services.get_speaker(db_session, slug, speaker_id, include_drafts=True)
    zone = ZoneInfo(event.timezone)
    language = i18n.current_language()
    sessions = [
        (ml(item.title, language, event.default_language),
         f"{item.starts_at.astimezone(zone).date().isoformat()} {_hhmm(item.starts_at, zone)}")
        for item in await queries.speaker_sessions(db_session, speaker.id)
    ]  # fmt: skip
    return render(
        request, "manage/agenda/speaker_delete.html", event=event, speaker=speaker,
        sessions=sessions,
    )  # fmt: skip


@post(
    "/manage/events/{slug:str}/speakers/{speaker_id:int}/delete", opt=ORGANISER, cache=False,
    include_in_schema=False,
)  # fmt: skip
async def speaker_delete(
    request: Request[Any, Any, Any], slug: str, speaker_id: RowId, db_session: AsyncSession
) -> Response[Any]:
    event = await _event(db_session, slug)
    speaker = await services.get_speaker(db_session, slug, speaker_id, include_drafts=True)
    before = services.speaker_snapshot(speaker)
    before["sessions"] = [
        {"session_id": item.id, "role": p.role, "position": p.position}
        for item in await queries.speaker_sessions(db_session, speaker.id)
        for p in item.people
        if p.speaker_id == speaker.id
    ]
    await services.delete_speaker(db_session, slug, speaker.id)
    await _audit(request, db_session, "agenda.speaker.delete", event, f"speaker:{speaker_id}",
                 before=before)  # fmt: skip
    return Redirect(f"{_base(slug)}/speakers?done=speaker_deleted", status_code=303)


# Photos, publicly --------------------------------------------------------------------------


@get("/media/speakers/{filename:str}", opt=PUBLIC, include_in_schema=False)
async def speaker_photo_file(
    request: Request[Any, Any, Any], filename: str, db_session: AsyncSession
) -> Response[Any]:
    """A speaker's photo: to anyone when the speaker's event is public, else to its organisers."""
    path = photos.photo_path(_settings(request).data_dir, filename)
    if path is None:
        raise NotFound("photo", "(unknown)")
    rows = (
        await db_session.execute(
            select(Event.id, Event.status)
            .join(Speaker, Speaker.event_id == Event.id)
            .where(Speaker.photo == filename)
        )
    ).all()
    public = any(status in queries.PUBLIC_STATUSES for _id, status in rows)
    user = current_user(request)
    if not public and not any(can_manage(user, event_id) for event_id, _status in rows):
        raise NotFound("photo", "(unknown)")
    return File(
        path=path, media_type=photos.MEDIA_TYPE, content_disposition_type="inline",
        headers={"Cache-Control": PHOTO_CACHE if public else "private, max-age=3600"},
    )  # fmt: skip


def _language(request: Request[Any, Any, Any]) -> None:
    """Every message of these pages (and of the services they call) in the interface language."""
    i18n.set_language(ui_language(request))


handlers = [
    agenda_page,
    session_new,
    session_create,
    session_edit,
    session_update,
    session_move_form,
    session_move,
    session_duplicate,
    session_delete_confirm,
    session_delete,
    speakers_page,
    speaker_new,
    speaker_create,
    speaker_edit,
    speaker_update,
    speaker_attach,
    speaker_detach,
    speaker_photo,
    speaker_photo_remove,
    speaker_delete_confirm,
    speaker_delete,
    speaker_photo_file,
]
routes = [Router(path="/", route_handlers=handlers, before_request=_language)]
