"""Organiser exports: the agenda and the speakers as CSV (drafts included)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.datastructures import State
from sqlalchemy.ext.asyncio import AsyncSession

from events.publishing import csv_export, services
from events.publishing.http import conditional_file
from events.publishing.openapi import ORGANISER_FILE
from events.publishing.schemas import fingerprint
from events.settings import Settings

ORGANISER = {"access": "organiser"}
CSV = "text/csv; charset=utf-8"


@get(
    "/api/v1/events/{slug:str}/exports/agenda.csv",
    opt=ORGANISER,
    tags=["publishing"],
    cache=False,
    responses=ORGANISER_FILE,
)
async def agenda_export(
    request: Request[Any, Any, Any], state: State, db_session: AsyncSession, slug: str
) -> Response[bytes]:
    """The agenda as CSV (UTF-8 with BOM; cells starting with = + - @ neutralised)."""
    settings: Settings = state.settings
    event = await services.load_event(db_session, slug, settings, public=False)
    return await conditional_file(
        request,
        fingerprint=fingerprint(event, "agenda.csv"),
        last_modified=event.last_modified,
        media_type=CSV,
        filename=f"{event.slug}-agenda.csv",
        body=lambda: csv_export.agenda_csv(event),
        inline=False,
    )


@get(
    "/api/v1/events/{slug:str}/exports/speakers.csv",
    opt=ORGANISER,
    tags=["publishing"],
    cache=False,
    responses=ORGANISER_FILE,
)
async def speakers_export(
    request: Request[Any, Any, Any], state: State, db_session: AsyncSession, slug: str
) -> Response[bytes]:
    """The speakers as CSV, with their e-mail addresses and sessions."""
    settings: Settings = state.settings
    event = await services.load_event(db_session, slug, settings, public=False, with_emails=True)
    return await conditional_file(
        request,
        fingerprint=fingerprint(event, "speakers.csv"),
        last_modified=event.last_modified,
        media_type=CSV,
        filename=f"{event.slug}-speakers.csv",
        body=lambda: csv_export.speakers_csv(event),
        inline=False,
    )


routes = [agenda_export, speakers_export]
