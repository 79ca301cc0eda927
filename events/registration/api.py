"""Registration's JSON API: the public registration endpoint and the organiser's controls."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, delete, get, post, put
from litestar.datastructures import State
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from events import i18n
from events.accounts.access import current_user
from events.registration import admin, services
from events.registration.models import Registration
from events.registration.pages import rate_limit_hook
from events.registration.schemas import (
    ImportReport,
    InvitationIn,
    InvitationOut,
    RegistrationCreated,
    RegistrationIn,
    RegistrationOut,
    ResendLinkIn,
    SettingsIn,
    SettingsOut,
)
from events.settings import Settings
from events.web import RowId, ui_language

ERRORS = {
    400: "registration_not_open, registration_closed",
    403: "invitation_required",
    404: "event_not_found, registration_not_found",
    409: "already_registered, capacity_full, invitation_used, registration_in_flight",
    422: "invalid_input (extra.errors names every field at fault), invitation_invalid",
}


def _app(state: State) -> Settings:
    settings: Settings = state.settings
    return settings


def _language(request: Request[Any, Any, Any]) -> None:
    i18n.set_language(ui_language(request))


def _ip(request: Request[Any, Any, Any]) -> str | None:
    return request.client.host if request.client else None


async def _audit(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    action: str,
    event: Any,
    target: str = "",
    **details: Any,
) -> None:
    await admin.record(
        session, current_user(request), action, event, target=target, details=details,
        ip=_ip(request),
    )  # fmt: skip


@post(
    "/api/v1/events/{slug:str}/registrations",
    opt={"access": "public"},
    tags=["registration"],
    summary="Register for an event",
    description="Answers 201 with `status` (confirmed, waitlisted, pending) and `manage_url`. "
    "The same `idempotency_key` twice answers 200 with the first registration. Errors: "
    + "; ".join(f"{k}: {v}" for k, v in ERRORS.items()),
    status_code=201,
)
async def create_registration(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    state: State,
    slug: str,
    data: RegistrationIn,
) -> Response[RegistrationCreated]:
    _language(request)
    await rate_limit_hook(request, db_session, "register")
    app = _app(state)
    outcome = await services.register(db_session, app, slug, data, source="api")
    token = outcome.manage_token
    body = RegistrationCreated(
        id=outcome.registration.id,
        status=outcome.registration.status,
        manage_url=services.manage_url(app, token),
        calendar_url=f"{app.base_url}/r/{token}/calendar.ics",
    )
    return Response(body, status_code=201 if outcome.created else 200)


@post(
    "/api/v1/events/{slug:str}/registrations/resend-link",
    opt={"access": "public"},
    tags=["registration"],
    summary="Send the personal link again (the same answer whether or not the address is known)",
    status_code=202,
)
async def resend_link(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    state: State,
    slug: str,
    data: ResendLinkIn,
) -> dict[str, str]:
    _language(request)
    await rate_limit_hook(request, db_session, "resend_link")
    await services.resend_link(db_session, _app(state), slug, data.email)
    return {"status": "accepted"}


# --- organiser ----------------------------------------------------------------------------------

ORGANISER: dict[str, Any] = {"opt": {"access": "organiser"}, "tags": ["registration (organiser)"]}


@get("/api/v1/events/{slug:str}/registrations", **ORGANISER, summary="List registrations")
async def list_registrations(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    slug: str,
    search: str | None = Parameter(query="q", default=None, max_length=200),
    status: str | None = None,
    category: str | None = None,
    limit: int = Parameter(default=200, ge=1, le=1000),
    offset: int = Parameter(default=0, ge=0),
) -> list[RegistrationOut]:
    _language(request)
    event = await services.get_event(db_session, slug)
    rows = await admin.list_registrations(
        db_session, event, search=search, status=status, category=category, limit=limit,
        offset=offset,
    )  # fmt: skip
    return [admin.registration_out(r) for r in rows]


async def _one(session: AsyncSession, slug: str, registration_id: RowId) -> Registration:
    event = await services.get_event(session, slug)
    return await services.get_registration(session, event, registration_id)


@get("/api/v1/events/{slug:str}/registrations/{registration_id:int}", **ORGANISER)
async def get_registration(
    db_session: AsyncSession, slug: str, registration_id: RowId
) -> RegistrationOut:
    return admin.registration_out(await _one(db_session, slug, registration_id))


@get(
    "/api/v1/events/{slug:str}/registrations/{registration_id:int}/data",
    **ORGANISER,
    summary="Everything stored about one attendee (data request)",
)
async def attendee_data(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str, registration_id: RowId
) -> Response[dict[str, Any]]:
    registration = await _one(db_session, slug, registration_id)
    await _audit(
        request, db_session, "registration.export", registration.event,
        f"registration {registration.id}", format="json",
    )  # fmt: skip
    return Response(
        admin.attendee_export(registration),
        headers={
            "Content-Disposition": f'attachment; filename="registration-{registration.id}.json"'
        },
    )


def _action(name: str, summary: str) -> Any:
    @post(
        f"/api/v1/events/{{slug:str}}/registrations/{{registration_id:int}}/{name}",
        **ORGANISER,
        summary=summary,
        status_code=200,
        name=f"registration-{name}",
    )
    async def handler(
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        state: State,
        slug: str,
        registration_id: RowId,
        force: bool = False,
    ) -> RegistrationOut:
        _language(request)
        registration = await _one(db_session, slug, registration_id)
        await admin.act(
            db_session, _app(state), registration, name, current_user(request), force=force,
            ip=_ip(request),
        )  # fmt: skip
        return admin.registration_out(registration)

    return handler


approve = _action("approve", "Approve a pending registration")
reject = _action("reject", "Reject a registration")
promote = _action("promote", "Give a waiting registration a seat (past capacity with ?force=true)")
cancel = _action("cancel", "Cancel a registration; the waiting list moves up")
resend = _action("resend", "Send the confirmation again")


def _download(body: bytes, media_type: str, filename: str) -> Response[bytes]:
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@get("/api/v1/events/{slug:str}/registrations.csv", **ORGANISER, summary="Export as CSV")
async def export_csv(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
) -> Response[bytes]:
    event = await services.get_event(db_session, slug)
    rows = await admin.list_registrations(db_session, event, limit=1000000)
    await _audit(request, db_session, "registration.export", event, format="csv", rows=len(rows))
    return _download(admin.export_csv(rows), "text/csv; charset=utf-8", f"{slug}.csv")


@get("/api/v1/events/{slug:str}/registrations.xlsx", **ORGANISER, summary="Export as XLSX")
async def export_xlsx(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
) -> Response[bytes]:
    event = await services.get_event(db_session, slug)
    rows = await admin.list_registrations(db_session, event, limit=1000000)
    await _audit(request, db_session, "registration.export", event, format="xlsx", rows=len(rows))
    media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(admin.export_xlsx(rows), media, f"{slug}.xlsx")


@post(
    "/api/v1/events/{slug:str}/registrations/import",
    **ORGANISER,
    summary="Import attendees from CSV (the body); ?dry_run=true only reports bad rows",
    status_code=200,
)
async def import_registrations(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    state: State,
    slug: str,
    dry_run: bool = True,
) -> ImportReport:
    _language(request)
    event = await services.get_event(db_session, slug)
    body = await request.body()
    report = await admin.import_csv(db_session, _app(state), event, body, dry_run=dry_run)
    if report.imported:
        await _audit(request, db_session, "registration.import", event, imported=report.imported)
    return report


@get("/api/v1/events/{slug:str}/registration-settings", **ORGANISER)
async def read_settings(db_session: AsyncSession, slug: str) -> SettingsOut:
    event = await services.get_event(db_session, slug)
    return await admin.settings_out(db_session, event)


@put(
    "/api/v1/events/{slug:str}/registration-settings",
    **ORGANISER,
    summary="Open registration or change its settings (questions replaced when given)",
)
async def write_settings(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    state: State,
    slug: str,
    data: SettingsIn,
) -> SettingsOut:
    _language(request)
    event = await services.get_event(db_session, slug)
    before = await admin.current_settings(db_session, event)
    after = await admin.save_settings(db_session, _app(state), event, data)
    changed = admin.settings_changes(before, after)
    await _audit(request, db_session, "registration.settings", event, changed=changed)
    return after


@delete(
    "/api/v1/events/{slug:str}/registration-settings", **ORGANISER, summary="Close registration"
)
async def delete_settings(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
) -> None:
    event = await services.get_event(db_session, slug)
    await admin.close_registration(db_session, event)
    await _audit(request, db_session, "registration.close", event)


@get("/api/v1/events/{slug:str}/invitations", **ORGANISER)
async def list_invitations(
    db_session: AsyncSession, state: State, slug: str
) -> list[InvitationOut]:
    event = await services.get_event(db_session, slug)
    rows = await admin.list_invitations(db_session, event)
    return [admin.invitation_out(_app(state), event, i) for i in rows]


@post("/api/v1/events/{slug:str}/invitations", **ORGANISER, summary="Invite one person")
async def create_invitation(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    state: State,
    slug: str,
    data: InvitationIn,
) -> InvitationOut:
    _language(request)
    event = await services.get_event(db_session, slug)
    invitation = await admin.invite(db_session, _app(state), event, data)
    await _audit(request, db_session, "invitation.create", event, f"invitation {invitation.id}")
    return admin.invitation_out(_app(state), event, invitation)


@post(
    "/api/v1/events/{slug:str}/invitations/import",
    **ORGANISER,
    summary="Invite from CSV (the body); ?dry_run=true only reports bad rows",
    status_code=200,
)
async def import_invitations(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    state: State,
    slug: str,
    dry_run: bool = True,
) -> ImportReport:
    _language(request)
    event = await services.get_event(db_session, slug)
    body = await request.body()
    report = await admin.invite_csv(db_session, _app(state), event, body, dry_run=dry_run)
    if report.imported:
        await _audit(request, db_session, "invitation.import", event, imported=report.imported)
    return report


@post(
    "/api/v1/events/{slug:str}/invitations/remind",
    **ORGANISER,
    summary="Remind everyone invited who has not registered",
    status_code=200,
)
async def remind(
    request: Request[Any, Any, Any], db_session: AsyncSession, state: State, slug: str
) -> dict[str, int]:
    event = await services.get_event(db_session, slug)
    reminded = await admin.remind_invitations(db_session, _app(state), event)
    await _audit(request, db_session, "invitation.remind", event, reminded=reminded)
    return {"reminded": reminded}


routes = [
    create_registration,
    resend_link,
    list_registrations,
    get_registration,
    attendee_data,
    approve,
    reject,
    promote,
    cancel,
    resend,
    export_csv,
    export_xlsx,
    import_registrations,
    read_settings,
    write_settings,
    delete_settings,
    list_invitations,
    create_invitation,
    import_invitations,
    remind,
]
