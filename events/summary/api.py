"""The organiser's JSON API for outcomes and the summary's state and figures."""

from __future__ import annotations

from typing import Any

from litestar import delete, get, patch, post
from sqlalchemy.ext.asyncio import AsyncSession

from events.agenda.api import errors
from events.summary import services
from events.summary.schemas import OutcomeIn, OutcomeList, OutcomeOut, OutcomePatch, SummaryOut
from events.web import RowId

ORGANISER: dict[str, Any] = {"access": "organiser"}
WRITE = errors(400, 404, 422)
P = "/api/v1/events/{slug:str}"
TAGS = ["summary"]


@get(
    P + "/outcomes",
    opt=ORGANISER,
    tags=TAGS,
    responses=errors(404),
    summary="List the event's outcomes",
)
async def list_outcomes(db_session: AsyncSession, slug: str) -> OutcomeList:
    event = await services.event_by_slug(db_session, slug)
    outcomes = await services.outcomes_of(db_session, event.id)
    return OutcomeList([services.outcome_out(o) for o in outcomes])


@post(P + "/outcomes", opt=ORGANISER, tags=TAGS, responses=WRITE, summary="Record an outcome")
async def create_outcome(db_session: AsyncSession, slug: str, data: OutcomeIn) -> OutcomeOut:
    event = await services.event_by_slug(db_session, slug)
    return services.outcome_out(await services.create_outcome(db_session, event, data))


@get(
    P + "/outcomes/{outcome_id:int}",
    opt=ORGANISER,
    tags=TAGS,
    responses=errors(404),
    summary="Read one",
)
async def get_outcome(db_session: AsyncSession, slug: str, outcome_id: RowId) -> OutcomeOut:
    event = await services.event_by_slug(db_session, slug)
    return services.outcome_out(await services.get_outcome(db_session, event, outcome_id))


@patch(
    P + "/outcomes/{outcome_id:int}",
    opt=ORGANISER,
    tags=TAGS,
    responses=WRITE,
    summary="Change one",
)
async def update_outcome(
    db_session: AsyncSession, slug: str, outcome_id: RowId, data: OutcomePatch
) -> OutcomeOut:
    event = await services.event_by_slug(db_session, slug)
    outcome = await services.get_outcome(db_session, event, outcome_id)
    return services.outcome_out(await services.update_outcome(db_session, event, outcome, data))


@delete(
    P + "/outcomes/{outcome_id:int}",
    opt=ORGANISER,
    tags=TAGS,
    responses=errors(404),
    summary="Delete one",
)
async def delete_outcome(db_session: AsyncSession, slug: str, outcome_id: RowId) -> None:
    event = await services.event_by_slug(db_session, slug)
    await services.delete_outcome(
        db_session, await services.get_outcome(db_session, event, outcome_id)
    )


@get(
    P + "/summary",
    opt=ORGANISER,
    tags=TAGS,
    responses=errors(404),
    summary="The summary and its figures",
)
async def get_summary(db_session: AsyncSession, slug: str) -> SummaryOut:
    event = await services.event_by_slug(db_session, slug)
    summary = await services.summary_of(db_session, event.id)
    return SummaryOut(
        status=summary.status if summary else "draft",
        published_at=summary.published_at if summary else None,
        narrative=dict(summary.narrative) if summary else {},
        lead=dict(summary.lead) if summary else {},
        figures=await services.compute_figures(db_session, event),
    )


routes = [list_outcomes, create_outcome, get_outcome, update_outcome, delete_outcome, get_summary]
