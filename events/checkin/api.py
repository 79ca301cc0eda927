"""The check-in JSON API (access ``desk``): scans, undo, walk-ins, list, search, counts."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.datastructures import State
from litestar.params import Parameter
from litestar.response import ServerSentEvent
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from events import i18n
from events.accounts.access import current_user
from events.checkin import live, services
from events.checkin.schemas import (
    CheckinList,
    Counts,
    ScanIn,
    ScanOut,
    SearchOut,
    UndoIn,
    UndoOut,
    WalkInIn,
    WalkInOut,
)
from events.settings import Settings
from events.web import RowId, ui_language

DESK: dict[str, Any] = {"opt": {"access": "desk"}, "tags": ["check-in"]}
ERRORS = (
    "Errors: 400 token_or_registration (field token); 404 event_not_found; 409 scan_in_flight "
    "(scan again); 422 session_invalid (field session_id); 429 rate_limited with Retry-After."
)


def _language(request: Request[Any, Any, Any]) -> str:
    language = ui_language(request)
    i18n.set_language(language)
    return language


@post(
    "/api/v1/events/{slug:str}/checkins",
    **DESK,
    status_code=200,
    summary="Scan a badge (or check in someone found by search)",
    description="Every outcome answers 200 with `status` (ok, already_checked_in, unknown, "
    "cancelled, waitlisted, pending, wrong_event). A repeated `nonce` answers as the first time. "
    "Offline scans are decided by `scanned_at`: the earliest wins. " + ERRORS,
)
async def scan(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str, data: ScanIn
) -> ScanOut:
    _language(request)
    user = current_user(request)
    event = await services.event_for_scan(db_session, slug, request.scope)
    decision = await services.decide_scan(db_session, event, data, user, counted=True)
    return services.answer_out(decision.answer, event.timezone)


@post(
    "/api/v1/events/{slug:str}/checkins/{checkin_id:int}/undo",
    **DESK,
    status_code=200,
    summary="Undo a mistaken check-in (same desk, within 10 minutes)",
    description="Errors: 403 other_desk; 404 checkin_not_found; 409 undo_expired, already_undone.",
)
async def undo(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    slug: str,
    checkin_id: RowId,
    data: UndoIn,
) -> UndoOut:
    _language(request)
    event = await services.get_event(db_session, slug)
    await services.undo(db_session, event, checkin_id, data.desk, current_user(request))
    return UndoOut(status="undone")


@post(
    "/api/v1/events/{slug:str}/walk-ins",
    **DESK,
    status_code=201,
    summary="Register a walk-in and check them in (one transaction)",
    description="Creates a confirmed registration (source desk). Errors: 409 already_registered "
    "(field email); 422 invalid_input (extra.errors names every field at fault).",
)
async def walk_in(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    state: State,
    slug: str,
    data: WalkInIn,
) -> WalkInOut:
    language = _language(request)
    user = current_user(request)
    settings: Settings = state.settings
    event = await services.get_event(db_session, slug)
    await services.rate_limit_scan(db_session, user, data.desk.strip())
    result = await services.walk_in(db_session, settings, event, data, user, language=language)
    return WalkInOut(
        registration=services.person_of(result.registration),
        checkin=services.answer_out(result.decision.answer, event.timezone),
        badge_url=f"/desk/{event.slug}/badges/{result.registration.id}.pdf",
    )


@get(
    "/api/v1/events/{slug:str}/checkin-list",
    **DESK,
    summary="The event's check-in list for a desk's offline copy (no e-mail, answers or notes)",
)
async def checkin_list(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
) -> CheckinList:
    language = _language(request)
    event = await services.get_event(db_session, slug)
    return await services.checkin_list(db_session, event, language)


@get(
    "/api/v1/events/{slug:str}/checkin-search",
    **DESK,
    summary="Find registrations by name or organisation (at most 20)",
)
async def checkin_search(
    db_session: AsyncSession,
    slug: str,
    q: str = Parameter(query="q", default="", max_length=200),
) -> SearchOut:
    event = await services.get_event(db_session, slug)
    return SearchOut(results=await services.search(db_session, event, q))


@get(
    "/api/v1/events/{slug:str}/checkin-counts",
    **DESK,
    summary="Confirmed and checked-in counts, by category and by country",
)
async def checkin_counts(db_session: AsyncSession, slug: str) -> Counts:
    event = await services.get_event(db_session, slug)
    return await services.counts(db_session, event.id)


@get(
    "/api/v1/events/{slug:str}/checkin-stream",
    **DESK,
    summary="Live counts as server-sent events (event `counts`), from every worker",
    description="Sends the counts on connect and after every check-in, undo or walk-in.",
)
async def checkin_stream(db_session: AsyncSession, state: State, slug: str) -> ServerSentEvent:
    event = await services.get_event(db_session, slug)
    event_id = event.id
    # End the request's transaction now: the stream may stay open for hours, and on SQLite an
    # open (BEGIN IMMEDIATE) transaction would keep every other writer waiting.
    await db_session.rollback()
    engine: AsyncEngine = state.engine
    settings: Settings = state.settings
    return ServerSentEvent(
        live.stream(engine, settings.database_url, event_id),
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


routes = [scan, undo, walk_in, checkin_list, checkin_search, checkin_counts, checkin_stream]
