"""The organiser's check-in page: live counts, double admissions, attendance per session."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from events.checkin import services
from events.web import render


@get(
    "/manage/events/{slug:str}/checkin",
    opt={"access": "organiser"},
    cache=False,
    include_in_schema=False,
)
async def checkin_page(
    request: Request[Any, Any, Any], slug: str, db_session: AsyncSession
) -> Template:
    event = await services.get_event(db_session, slug)
    return render(
        request,
        "manage/checkin.html",
        event=event,
        counts=await services.counts(db_session, event.id),
        flagged=await services.double_admissions(db_session, event.id),
        attendance=await services.session_attendance(db_session, event.id),
    )


routes = [checkin_page]
