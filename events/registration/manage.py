"""The organiser's registration pages under /manage/events/{slug}/registrations (no JS needed).

Thin faces over ``admin`` and ``services``: every action, settings change and export of personal
data is written to the audit log, as in the JSON API.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode
from zoneinfo import ZoneInfo

from litestar import Request, get, post
from litestar.datastructures import State, UploadFile
from litestar.params import Parameter
from litestar.response import Redirect, Response, Template
from sqlalchemy.ext.asyncio import AsyncSession

from events.accounts.access import current_user
from events.agenda.models import Event
from events.errors import DomainError
from events.i18n import gettext as _
from events.registration import admin, services
from events.registration.models import Category, QuestionKind, Registration, RegistrationStatus
from events.registration.schemas import ImportReport, InvitationIn, QuestionIn, SettingsIn
from events.settings import Settings
from events.web import HTMX_INVALID, RowId, render, render_fragment, see_other, wants_fragment

ORGANISER: dict[str, Any] = {
    "opt": {"access": "organiser"},
    "cache": False,
    "include_in_schema": False,
}
BASE = "/manage/events/{slug:str}/registrations"
PAGE_SIZE = 50
MAX_UPLOAD = 5 * 1024 * 1024
DEFAULT_COLOURS = {
    "participant": "#2563eb", "delegation": "#7c3aed", "speaker": "#059669", "press": "#dc2626",
    "guest": "#d97706",
}  # fmt: skip
BLANK_QUESTIONS = 2


def _app(state: State) -> Settings:
    settings: Settings = state.settings
    return settings


def _ip(request: Request[Any, Any, Any]) -> str | None:
    return request.client.host if request.client else None


def _url(event: Event, rest: str = "") -> str:
    return f"/manage/events/{event.slug}/registrations{rest}"


async def _audit(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    action: str,
    event: Event,
    target: str = "",
    **details: Any,
) -> None:
    await admin.record(
        session, current_user(request), action, event, target=target, details=details,
        ip=_ip(request),
    )  # fmt: skip


def _page(
    request: Request[Any, Any, Any],
    template: str,
    event: Event,
    status_code: int = 200,
    **context: Any,
) -> Template:
    return render(
        request, f"manage/registrations/{template}", status_code, event=event,
        statuses=[s.value for s in RegistrationStatus], categories=[c.value for c in Category],
        **context,
    )  # fmt: skip


async def _reload_event(session: AsyncSession, slug: str) -> Event:
    """After a rollback everything loaded is expired: load the event again for the page."""
    await session.rollback()
    return await services.get_event(session, slug)


# --- list and detail ------------------------------------------------------------------------------


@get(BASE, **ORGANISER)
async def registrations_page(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    slug: str,
    search: str = Parameter(query="q", default="", max_length=200),
    status: str = Parameter(query="status", default="", max_length=16),
    category: str = Parameter(query="category", default="", max_length=32),
    page: int = Parameter(query="page", default=1, ge=1, le=100000),
) -> Template:
    event = await services.get_event(db_session, slug)
    status = status if status in {s.value for s in RegistrationStatus} else ""
    category = category if category in {c.value for c in Category} else ""
    rows = await admin.list_registrations(
        db_session, event, search=search or None, status=status or None,
        category=category or None, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE,
    )  # fmt: skip
    counts = await services.seat_counts(db_session, event.id)
    totals = {s: sum(counts.get(s, {}).values()) for s in counts}
    settings = await services.get_registration_settings(db_session, event.id)
    filters = {"q": search, "status": status, "category": category}
    query: dict[str, Any] = {k: v for k, v in filters.items() if v}
    return _page(
        request, "list.html", event, registrations=rows[:PAGE_SIZE], page=page,
        more=len(rows) > PAGE_SIZE, filters=filters, totals=totals, settings=settings,
        query=query, back=urlencode({**query, **({"page": page} if page > 1 else {})}),
        notice=request.query_params.get("notice", ""),
    )  # fmt: skip


LIST_KEYS = ("q", "status", "category", "page")


def _list_query(back: str) -> str:
    """The list's own query (filters, page) from a row form's ``back`` field, nothing else."""
    pairs = [(k, v[:200]) for k, v in parse_qsl(back[:1000]) if k in LIST_KEYS]
    return urlencode(dict(pairs))


async def _row(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    event: Event,
    registration: Registration,
    back: str,
    *,
    notice: str = "",
    error: str | None = None,
) -> Template:
    """What htmx swaps after an action on a row: the row, and the totals (out of band)."""
    counts = await services.seat_counts(session, event.id)
    totals = {s: sum(counts.get(s, {}).values()) for s in counts}
    return render_fragment(
        request, "manage/registrations/_row_response.html", HTMX_INVALID if error else 200,
        event=event, registration=registration, back=back, error=error, notice=notice,
        totals=totals, statuses=[s.value for s in RegistrationStatus],
    )  # fmt: skip


async def _detail(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    registration: Registration,
    status_code: int = 200,
    **context: Any,
) -> Template:
    event = registration.event
    questions = await services.questions_of(session, event.id)
    return _page(
        request, "detail.html", event, status_code, registration=registration,
        questions=questions, notice=request.query_params.get("notice", ""), **context,
    )  # fmt: skip


@get(BASE + "/{registration_id:int}", **ORGANISER)
async def registration_page(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str, registration_id: RowId
) -> Template:
    event = await services.get_event(db_session, slug)
    registration = await services.get_registration(db_session, event, registration_id)
    return await _detail(request, db_session, registration)


@post(BASE + "/{registration_id:int}/{action:str}", **ORGANISER)
async def registration_action(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    state: State,
    slug: str,
    registration_id: RowId,
    action: str,
) -> Template | Redirect:
    event = await services.get_event(db_session, slug)
    registration = await services.get_registration(db_session, event, registration_id)
    form = await request.form()
    # Set by the list's row forms: answer with the row (htmx) or go back to the same list view.
    back = form.get("back")
    try:
        await admin.act(
            db_session, _app(state), registration, action, current_user(request),
            force=bool(form.get("force")), ip=_ip(request),
        )  # fmt: skip
    except DomainError as exc:
        event = await _reload_event(db_session, slug)
        registration = await services.get_registration(db_session, event, registration_id)
        if wants_fragment(request):
            return await _row(
                request, db_session, event, registration, _list_query(str(back or "")),
                error=exc.message,
            )  # fmt: skip
        return await _detail(
            request, db_session, registration, exc.status_code, error=exc.message,
            error_code=exc.code,
        )  # fmt: skip
    if wants_fragment(request):
        return await _row(
            request, db_session, event, registration, _list_query(str(back or "")), notice=action
        )
    if isinstance(back, str):
        query = _list_query(back)
        separator = "&" if query else ""
        return see_other(
            _url(event, f"?{query}{separator}notice={action}#registration-{registration_id}")
        )
    return see_other(_url(event, f"/{registration_id}?notice={action}"))


@get(BASE + "/{registration_id:int}/data.json", **ORGANISER)
async def registration_data(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str, registration_id: RowId
) -> Response[dict[str, Any]]:
    event = await services.get_event(db_session, slug)
    registration = await services.get_registration(db_session, event, registration_id)
    await _audit(
        request, db_session, "registration.export", event, f"registration {registration.id}",
        format="json",
    )  # fmt: skip
    return Response(
        admin.attendee_export(registration),
        headers={
            "Content-Disposition": f'attachment; filename="registration-{registration.id}.json"'
        },
    )


# --- exports --------------------------------------------------------------------------------------


def _download(body: bytes, media_type: str, filename: str) -> Response[bytes]:
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@get("/manage/events/{slug:str}/registrations.csv", **ORGANISER)
async def export_csv(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
) -> Response[bytes]:
    event = await services.get_event(db_session, slug)
    rows = await admin.list_registrations(db_session, event, limit=1000000)
    await _audit(request, db_session, "registration.export", event, format="csv", rows=len(rows))
    return _download(admin.export_csv(rows), "text/csv; charset=utf-8", f"{slug}.csv")


@get("/manage/events/{slug:str}/registrations.xlsx", **ORGANISER)
async def export_xlsx(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
) -> Response[bytes]:
    event = await services.get_event(db_session, slug)
    rows = await admin.list_registrations(db_session, event, limit=1000000)
    await _audit(request, db_session, "registration.export", event, format="xlsx", rows=len(rows))
    media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(admin.export_xlsx(rows), media, f"{slug}.xlsx")


# --- imports (attendees and invitations): a dry run first, then the real thing -----------------


async def _uploaded(form: Any) -> bytes:
    """The CSV from the file field, else from the hidden field a dry run's page carries on."""
    upload = form.get("file")
    if isinstance(upload, UploadFile):
        data = await upload.read(MAX_UPLOAD + 1)
        if data:
            if len(data) > MAX_UPLOAD:
                raise DomainError(
                    "file_too_large", _("The file is too large (at most 5 MB)."), field="file"
                )
            return data
    content = form.get("content")
    if isinstance(content, str) and content:
        return content.encode("utf-8")
    raise DomainError("invalid_file", _("Choose a CSV file."), field="file")


@get(BASE + "/import", **ORGANISER)
async def import_page(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
) -> Template:
    event = await services.get_event(db_session, slug)
    return _page(request, "import.html", event, report=None, content="", errors={})


@post(BASE + "/import", **ORGANISER)
async def import_submit(
    request: Request[Any, Any, Any], db_session: AsyncSession, state: State, slug: str
) -> Template:
    event = await services.get_event(db_session, slug)
    form = await request.form()
    dry_run = form.get("mode") != "import"
    content = ""
    try:
        data = await _uploaded(form)
        content = data.decode("utf-8-sig", errors="replace")
        report = await admin.import_csv(db_session, _app(state), event, data, dry_run=dry_run)
    except DomainError as exc:
        event = await _reload_event(db_session, slug)
        return _page(
            request, "import.html", event, exc.status_code, report=None, content=content,
            errors={exc.field or "form": exc.message},
        )  # fmt: skip
    if report.imported:
        await _audit(request, db_session, "registration.import", event, imported=report.imported)
    status_code = 422 if report.problems else 200
    return _page(
        request, "import.html", event, status_code, report=report, content=content, errors={}
    )


# --- invitations ----------------------------------------------------------------------------------


async def _invitations_page(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    state: State,
    event: Event,
    status_code: int = 200,
    **context: Any,
) -> Template:
    invitations = await admin.list_invitations(session, event)
    app = _app(state)
    context.setdefault("errors", {})
    context.setdefault("form", {"category": "guest", "language": event.default_language})
    context.setdefault("report", None)
    context.setdefault("content", "")
    return _page(
        request, "invitations.html", event, status_code,
        invitations=[(i, admin.invitation_url(app, event, i)) for i in invitations],
        notice=request.query_params.get("notice", ""), **context,
    )  # fmt: skip


@get(BASE + "/invitations", **ORGANISER)
async def invitations_page(
    request: Request[Any, Any, Any], db_session: AsyncSession, state: State, slug: str
) -> Template:
    event = await services.get_event(db_session, slug)
    return await _invitations_page(request, db_session, state, event)


@post(BASE + "/invitations", **ORGANISER)
async def invitation_create(
    request: Request[Any, Any, Any], db_session: AsyncSession, state: State, slug: str
) -> Template | Redirect:
    event = await services.get_event(db_session, slug)
    form = await request.form()
    values = {
        name: str(form.get(name) or "")[:400]
        for name in ("email", "given_name", "family_name", "category", "language")
    }
    try:
        invitation = await admin.invite(db_session, _app(state), event, InvitationIn(**values))
    except DomainError as exc:
        event = await _reload_event(db_session, slug)
        errors = getattr(exc, "errors", None) or {exc.field or "form": exc.message}
        return await _invitations_page(
            request, db_session, state, event, exc.status_code, errors=errors, form=values
        )
    await _audit(request, db_session, "invitation.create", event, f"invitation {invitation.id}")
    return Redirect(_url(event, "/invitations?notice=invited"), status_code=303)


@post(BASE + "/invitations/import", **ORGANISER)
async def invitation_import(
    request: Request[Any, Any, Any], db_session: AsyncSession, state: State, slug: str
) -> Template:
    event = await services.get_event(db_session, slug)
    form = await request.form()
    dry_run = form.get("mode") != "import"
    content = ""
    try:
        data = await _uploaded(form)
        content = data.decode("utf-8-sig", errors="replace")
        report: ImportReport = await admin.invite_csv(
            db_session, _app(state), event, data, dry_run=dry_run
        )
    except DomainError as exc:
        event = await _reload_event(db_session, slug)
        return await _invitations_page(
            request, db_session, state, event, exc.status_code, content=content,
            errors={"file": exc.message},
        )  # fmt: skip
    if report.imported:
        await _audit(request, db_session, "invitation.import", event, imported=report.imported)
    return await _invitations_page(
        request, db_session, state, event, 422 if report.problems else 200, report=report,
        content=content,
    )  # fmt: skip


@post(BASE + "/invitations/remind", **ORGANISER)
async def invitation_remind(
    request: Request[Any, Any, Any], db_session: AsyncSession, state: State, slug: str
) -> Redirect:
    event = await services.get_event(db_session, slug)
    reminded = await admin.remind_invitations(db_session, _app(state), event)
    await _audit(request, db_session, "invitation.remind", event, reminded=reminded)
    return Redirect(_url(event, f"/invitations?notice=reminded&count={reminded}"), status_code=303)


# --- settings -------------------------------------------------------------------------------------


def _local_input(value: datetime | None, timezone: str) -> str:
    return value.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%dT%H:%M") if value else ""


def settings_form_values(event: Event, current: Any) -> dict[str, Any]:
    """What the settings form shows: the current settings, or sensible ones to open with."""
    if current is None:
        return {
            "opens_at": "", "closes_at": "", "capacity": "", "category_capacity": {},
            "waitlist_enabled": True, "approval_required": False, "invitation_only": False,
            "public_categories": {"participant": DEFAULT_COLOURS["participant"]},
            "privacy_notice": {}, "questions": [],
        }  # fmt: skip
    return {
        "opens_at": _local_input(current.opens_at, event.timezone),
        "closes_at": _local_input(current.closes_at, event.timezone),
        "capacity": "" if current.capacity is None else str(current.capacity),
        "category_capacity": {k: str(v) for k, v in current.category_capacity.items()},
        "waitlist_enabled": current.waitlist_enabled,
        "approval_required": current.approval_required,
        "invitation_only": current.invitation_only,
        "public_categories": dict(current.public_categories),
        "privacy_notice": dict(current.privacy_notice),
        "questions": [
            {
                "kind": q.kind,
                "label": dict(q.label),
                "options": "\n".join(
                    f"{o.get('value')} = {(o.get('label') or {}).get(event.default_language, '')}"
                    for o in q.options
                ),
                "required": q.required,
            }
            for q in current.questions
        ],
    }


def _parse_time(raw: str, timezone: str, name: str, errors: dict[str, str]) -> datetime | None:
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw).replace(tzinfo=ZoneInfo(timezone))
    except ValueError:
        errors[name] = _("Enter a date and time.")
        return None


def _parse_count(raw: str, name: str, errors: dict[str, str]) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 9:
        errors[name] = _("Enter a whole number of seats, or leave it empty.")
        return None
    return int(raw)


def _parse_options(raw: str, previous: list[dict[str, Any]], language: str) -> list[dict[str, Any]]:
    """One option a line, ``value = label`` (or only the label); other languages' labels stay."""
    before = {str(o.get("value")): dict(o.get("label") or {}) for o in previous}
    options: list[dict[str, Any]] = []
    for line in raw.splitlines():
        line = line.strip()
        if not line:
            continue
        value, _sep, label = line.partition("=")
        value, label = value.strip(), (label.strip() or value.strip())
        labels = before.get(value, {})
        labels[language] = label
        options.append({"value": value[:60], "label": labels})
    return options


def parse_settings_form(
    event: Event, form: Any, previous: list[Any]
) -> tuple[SettingsIn, dict[str, Any], dict[str, str]]:
    """The settings form as SettingsIn, the values to show again, and the fields at fault."""
    errors: dict[str, str] = {}
    text = {key: str(form.get(key) or "") for key in form}
    opens = _parse_time(text.get("opens_at", ""), event.timezone, "opens_at", errors)
    closes = _parse_time(text.get("closes_at", ""), event.timezone, "closes_at", errors)
    capacity = _parse_count(text.get("capacity", ""), "capacity", errors)
    per_category: dict[str, int] = {}
    public: dict[str, str] = {}
    for code in (c.value for c in Category):
        seats = _parse_count(text.get(f"capacity_{code}", ""), "category_capacity", errors)
        if seats is not None:
            per_category[code] = seats
        if text.get(f"public_{code}"):
            public[code] = text.get(f"colour_{code}") or DEFAULT_COLOURS[code]
    notice = {
        lang: text[f"privacy_{lang}"].strip()
        for lang in event.languages
        if text.get(f"privacy_{lang}", "").strip()
    }
    questions: list[QuestionIn] = []
    shown: list[dict[str, Any]] = []
    index = 0
    while f"q{index}_kind" in text:
        prefix = f"q{index}_"
        labels = {
            lang: text[prefix + f"label_{lang}"].strip()
            for lang in event.languages
            if text.get(prefix + f"label_{lang}", "").strip()
        }
        raw_options = text.get(prefix + "options", "")
        kind = text.get(prefix + "kind", "")
        row = {
            "kind": kind, "label": labels, "options": raw_options,
            "required": bool(text.get(prefix + "required")),
        }  # fmt: skip
        index += 1
        if text.get(prefix + "delete") or (not labels and not raw_options.strip()):
            continue
        shown.append(row)
        old = previous[index - 1].options if index - 1 < len(previous) else []
        options = (
            _parse_options(raw_options, list(old), event.default_language)
            if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
            else []
        )
        questions.append(
            QuestionIn(
                kind=kind,
                label=labels,
                options=options,
                required=bool(row["required"]),
                position=len(questions),
            )
        )
    data = SettingsIn(
        opens_at=opens, closes_at=closes, capacity=capacity, category_capacity=per_category,
        waitlist_enabled=bool(text.get("waitlist_enabled")),
        approval_required=bool(text.get("approval_required")),
        invitation_only=bool(text.get("invitation_only")), public_categories=public,
        privacy_notice=notice, questions=questions,
    )  # fmt: skip
    values = {
        "opens_at": text.get("opens_at", ""), "closes_at": text.get("closes_at", ""),
        "capacity": text.get("capacity", ""),
        "category_capacity": {
            c.value: text.get(f"capacity_{c.value}", "") for c in Category
        },
        "waitlist_enabled": data.waitlist_enabled, "approval_required": data.approval_required,
        "invitation_only": data.invitation_only, "public_categories": public,
        "privacy_notice": notice, "questions": shown,
    }  # fmt: skip
    return data, values, errors


def _settings_page(
    request: Request[Any, Any, Any],
    event: Event,
    values: dict[str, Any],
    status_code: int = 200,
    **context: Any,
) -> Template:
    context.setdefault("errors", {})
    return _page(
        request, "settings.html", event, status_code, values=values,
        kinds=[k.value for k in QuestionKind], blank=BLANK_QUESTIONS,
        default_colours=DEFAULT_COLOURS, notice=request.query_params.get("notice", ""),
        **context,
    )  # fmt: skip


@get(BASE + "/settings", **ORGANISER)
async def settings_page(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
) -> Template:
    event = await services.get_event(db_session, slug)
    current = await admin.current_settings(db_session, event)
    return _settings_page(
        request, event, settings_form_values(event, current), is_open=current is not None
    )


@post(BASE + "/settings", **ORGANISER)
async def settings_submit(
    request: Request[Any, Any, Any], db_session: AsyncSession, state: State, slug: str
) -> Template | Redirect:
    event = await services.get_event(db_session, slug)
    before = await admin.current_settings(db_session, event)
    form = await request.form()
    data, values, errors = parse_settings_form(
        event, form, list(before.questions) if before else []
    )
    try:
        if errors:
            # Report every field at once: what the form could not read and what the rules refuse.
            try:
                admin.check_settings(event, data)
            except services.ValidationFailed as exc:
                errors = {**exc.errors, **errors}
            raise services.ValidationFailed(errors)
        after = await admin.save_settings(db_session, _app(state), event, data)
    except DomainError as exc:
        event = await _reload_event(db_session, slug)
        found = getattr(exc, "errors", None) or {exc.field or "form": exc.message}
        return _settings_page(
            request, event, values, exc.status_code, errors={**found, **errors},
            is_open=before is not None,
        )  # fmt: skip
    changed = admin.settings_changes(before, after)
    await _audit(request, db_session, "registration.settings", event, changed=changed)
    return Redirect(_url(event, "/settings?notice=saved"), status_code=303)


@post(BASE + "/settings/close", **ORGANISER)
async def settings_close(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
) -> Redirect:
    event = await services.get_event(db_session, slug)
    await admin.close_registration(db_session, event)
    await _audit(request, db_session, "registration.close", event)
    return Redirect(_url(event, "/settings?notice=closed"), status_code=303)


routes = [
    registrations_page,
    registration_page,
    registration_action,
    registration_data,
    export_csv,
    export_xlsx,
    import_page,
    import_submit,
    invitations_page,
    invitation_create,
    invitation_import,
    invitation_remind,
    settings_page,
    settings_submit,
    settings_close,
]
