"""The agenda's JSON API under ``/api/v1``: parse, call one service, present.

Reads are public; draft events are shown only to those who manage them (admins and organisers
of all events everywhere; an event's own organisers under its slug). Writes are for organisers.
Request bodies must be ``application/json`` (else 415).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, Router, delete, get, patch, post
from litestar.exceptions import HTTPException
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Parameter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events.accounts.access import can_manage, current_user
from events.agenda import schemas, services
from events.agenda.models import Event
from events.i18n import gettext
from events.web import RowId

PUBLIC: dict[str, Any] = {"access": "public"}


async def sees_drafts(request: Request[Any, Any, Any], db: AsyncSession, slug: str | None) -> bool:
    """Whether this reader may see the event (or, without a slug, all events) while in draft."""
    user = current_user(request)
    if user is None:
        return False
    if user.is_admin or any(g.role == "organiser" and g.event_id is None for g in user.grants):
        return True
    if slug is None:
        return False
    event_id = await db.scalar(select(Event.id).where(Event.slug == slug))
    return event_id is not None and can_manage(user, event_id)


ORGANISER: dict[str, Any] = {"access": "organiser"}

_ERROR_DESCRIPTIONS = {
    400: "Malformed body or parameter (wrong type, missing field, unknown field); names the field",
    404: "Unknown event, organisation or item (code e.g. event_not_found)",
    409: "Clash with existing data (slug_taken, room_name_taken, partner_exists, "
    "organisation_in_use)",
    413: "Request body too large",
    415: "The body is not application/json",
    422: "A rule is broken (code and field say which, e.g. field title.de)",
}


def errors(*codes: int) -> dict[int, ResponseSpec]:
    """OpenAPI documentation of the error answers an operation may give."""
    return {
        code: ResponseSpec(
            data_container=schemas.ErrorOut,
            description=_ERROR_DESCRIPTIONS[code],
            generate_examples=False,
        )
        for code in codes
    }


READ_ERRORS = errors(400, 404, 422)
WRITE_ERRORS = errors(400, 404, 409, 413, 415, 422)

Limit = Annotated[int, Parameter(ge=1, le=services.MAX_LIMIT, description="At most 100")]
Offset = Annotated[int, Parameter(ge=0)]
Query = Annotated[str | None, Parameter(description="Case-insensitive search", max_length=200)]


async def require_json(request: Request[Any, Any, Any]) -> None:
    """415 for a body that is not JSON (a form post, text/plain...)."""
    if request.method in {"POST", "PUT", "PATCH"}:
        media_type, _ = request.content_type
        if media_type != "application/json" and not media_type.endswith("+json"):
            raise HTTPException(
                status_code=415,
                detail=gettext("Send the body as application/json."),
            )


class OrganisationController(Controller):
    path = "/organisations"
    tags = ["organisations"]

    @get("/", opt=PUBLIC, responses=READ_ERRORS, summary="List organisations")
    async def list_organisations(
        self,
        db_session: AsyncSession,
        country: str | None = None,
        kind: str | None = None,
        q: Query = None,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> schemas.OrganisationPage:
        page = await services.list_organisations(
            db_session, country=country, kind=kind, q=q, limit=limit, offset=offset
        )
        return schemas.OrganisationPage(
            items=[schemas.organisation_out(o) for o in page.items],
            total=page.total, limit=page.limit, offset=page.offset,
        )  # fmt: skip

    @post("/", opt=ORGANISER, responses=WRITE_ERRORS, summary="Create an organisation")
    async def create_organisation(
        self, db_session: AsyncSession, data: schemas.OrganisationCreate
    ) -> schemas.OrganisationOut:
        return schemas.organisation_out(await services.create_organisation(db_session, data))

    @get("/{organisation_id:int}", opt=PUBLIC, responses=READ_ERRORS, summary="Read one")
    async def get_organisation(
        self, db_session: AsyncSession, organisation_id: RowId
    ) -> schemas.OrganisationOut:
        organisation = await services.get_organisation(db_session, organisation_id)
        return schemas.organisation_out(organisation)

    @patch("/{organisation_id:int}", opt=ORGANISER, responses=WRITE_ERRORS, summary="Update")
    async def update_organisation(
        self, db_session: AsyncSession, organisation_id: RowId, data: schemas.OrganisationUpdate
    ) -> schemas.OrganisationOut:
        organisation = await services.update_organisation(db_session, organisation_id, data)
        return schemas.organisation_out(organisation)

    @delete(
        "/{organisation_id:int}",
        opt=ORGANISER,
        responses=errors(404, 409),
        summary="Delete an organisation (409 organisation_in_use while it is a partner)",
    )
    async def delete_organisation(self, db_session: AsyncSession, organisation_id: RowId) -> None:
        await services.delete_organisation(db_session, organisation_id)


class EventController(Controller):
    path = "/events"
    tags = ["events"]

    @get("/", opt=PUBLIC, responses=READ_ERRORS, summary="List events (drafts are not listed)")
    async def list_events(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        status: str | None = None,
        kind: str | None = None,
        q: Query = None,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> schemas.EventPage:
        page = await services.list_events(
            db_session,
            include_drafts=await sees_drafts(request, db_session, None),
            status=status, kind=kind, q=q, limit=limit, offset=offset,
        )  # fmt: skip
        return schemas.EventPage(
            items=[schemas.event_out(e) for e in page.items],
            total=page.total, limit=page.limit, offset=page.offset,
        )  # fmt: skip

    @post("/", opt=ORGANISER, responses=WRITE_ERRORS, summary="Create an event")
    async def create_event(
        self, db_session: AsyncSession, data: schemas.EventCreate
    ) -> schemas.EventOut:
        return schemas.event_out(await services.create_event(db_session, data))

    @get("/{slug:str}", opt=PUBLIC, responses=READ_ERRORS, summary="Read an event")
    async def get_event(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
    ) -> schemas.EventOut:
        return schemas.event_out(
            await services.get_event(
                db_session, slug, include_drafts=await sees_drafts(request, db_session, slug)
            )
        )

    @patch("/{slug:str}", opt=ORGANISER, responses=WRITE_ERRORS, summary="Update an event")
    async def update_event(
        self, db_session: AsyncSession, slug: str, data: schemas.EventUpdate
    ) -> schemas.EventOut:
        return schemas.event_out(await services.update_event(db_session, slug, data))

    @delete(
        "/{slug:str}",
        opt=ORGANISER,
        responses=errors(404),
        summary="Delete an event with its partners, rooms, speakers and sessions",
    )
    async def delete_event(self, db_session: AsyncSession, slug: str) -> None:
        await services.delete_event(db_session, slug)

    @get(
        "/{slug:str}/conflicts",
        opt=ORGANISER,
        responses=READ_ERRORS,
        summary="Agenda conflicts: double-booked rooms and speakers, sessions outside hours",
    )
    async def list_conflicts(self, db_session: AsyncSession, slug: str) -> schemas.ConflictList:
        conflicts = await services.event_conflicts(db_session, slug, include_drafts=True)
        items = [
            schemas.ConflictOut(
                code=c.code,
                message=c.message,
                session_ids=c.session_ids,
                titles=c.titles,
                room_id=c.room_id,
                speaker_id=c.speaker_id,
            )
            for c in conflicts
        ]
        return schemas.ConflictList(items=items, total=len(items))


class PartnerController(Controller):
    path = "/events/{slug:str}/partners"
    tags = ["partners"]

    @get("/", opt=PUBLIC, responses=READ_ERRORS, summary="List an event's partners")
    async def list_partners(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        slug: str,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> schemas.PartnerPage:
        page = await services.list_partners(
            db_session,
            slug,
            include_drafts=await sees_drafts(request, db_session, slug),
            limit=limit,
            offset=offset,
        )
        return schemas.PartnerPage(
            items=[schemas.partner_out(p) for p in page.items],
            total=page.total, limit=page.limit, offset=page.offset,
        )  # fmt: skip

    @post("/", opt=ORGANISER, responses=WRITE_ERRORS, summary="Add a partner institution")
    async def add_partner(
        self, db_session: AsyncSession, slug: str, data: schemas.PartnerCreate
    ) -> schemas.PartnerOut:
        return schemas.partner_out(await services.add_partner(db_session, slug, data))

    @get("/{partner_id:int}", opt=PUBLIC, responses=READ_ERRORS, summary="Read a partner")
    async def get_partner(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        slug: str,
        partner_id: RowId,
    ) -> schemas.PartnerOut:
        partner = await services.get_partner(
            db_session,
            slug,
            partner_id,
            include_drafts=await sees_drafts(request, db_session, slug),
        )
        return schemas.partner_out(partner)

    @patch("/{partner_id:int}", opt=ORGANISER, responses=WRITE_ERRORS, summary="Update a partner")
    async def update_partner(
        self, db_session: AsyncSession, slug: str, partner_id: RowId, data: schemas.PartnerUpdate
    ) -> schemas.PartnerOut:
        partner = await services.update_partner(db_session, slug, partner_id, data)
        return schemas.partner_out(partner)

    @delete("/{partner_id:int}", opt=ORGANISER, responses=errors(404), summary="Remove a partner")
    async def delete_partner(self, db_session: AsyncSession, slug: str, partner_id: RowId) -> None:
        await services.delete_partner(db_session, slug, partner_id)


class RoomController(Controller):
    path = "/events/{slug:str}/rooms"
    tags = ["rooms"]

    @get("/", opt=PUBLIC, responses=READ_ERRORS, summary="List an event's rooms")
    async def list_rooms(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        slug: str,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> schemas.RoomPage:
        page = await services.list_rooms(
            db_session,
            slug,
            include_drafts=await sees_drafts(request, db_session, slug),
            limit=limit,
            offset=offset,
        )
        return schemas.RoomPage(
            items=[schemas.room_out(r) for r in page.items],
            total=page.total, limit=page.limit, offset=page.offset,
        )  # fmt: skip

    @post("/", opt=ORGANISER, responses=WRITE_ERRORS, summary="Create a room")
    async def create_room(
        self, db_session: AsyncSession, slug: str, data: schemas.RoomCreate
    ) -> schemas.RoomOut:
        return schemas.room_out(await services.create_room(db_session, slug, data))

    @get("/{room_id:int}", opt=PUBLIC, responses=READ_ERRORS, summary="Read a room")
    async def get_room(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, slug: str, room_id: RowId
    ) -> schemas.RoomOut:
        room = await services.get_room(
            db_session, slug, room_id, include_drafts=await sees_drafts(request, db_session, slug)
        )
        return schemas.room_out(room)

    @patch("/{room_id:int}", opt=ORGANISER, responses=WRITE_ERRORS, summary="Update a room")
    async def update_room(
        self, db_session: AsyncSession, slug: str, room_id: RowId, data: schemas.RoomUpdate
    ) -> schemas.RoomOut:
        return schemas.room_out(await services.update_room(db_session, slug, room_id, data))

    @delete(
        "/{room_id:int}",
        opt=ORGANISER,
        responses=errors(404),
        summary="Delete a room (its sessions stay, without a room)",
    )
    async def delete_room(self, db_session: AsyncSession, slug: str, room_id: RowId) -> None:
        await services.delete_room(db_session, slug, room_id)


class SpeakerController(Controller):
    path = "/events/{slug:str}/speakers"
    tags = ["speakers"]

    @get("/", opt=PUBLIC, responses=READ_ERRORS, summary="List speakers (never their e-mail)")
    async def list_speakers(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        slug: str,
        q: Query = None,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> schemas.SpeakerPage:
        page = await services.list_speakers(
            db_session,
            slug,
            include_drafts=await sees_drafts(request, db_session, slug),
            q=q,
            limit=limit,
            offset=offset,
        )
        return schemas.SpeakerPage(
            items=[schemas.speaker_out(s) for s in page.items],
            total=page.total, limit=page.limit, offset=page.offset,
        )  # fmt: skip

    @post("/", opt=ORGANISER, responses=WRITE_ERRORS, summary="Create a speaker")
    async def create_speaker(
        self, db_session: AsyncSession, slug: str, data: schemas.SpeakerCreate
    ) -> schemas.SpeakerPrivateOut:
        speaker = await services.create_speaker(db_session, slug, data)
        return schemas.speaker_private_out(speaker)

    @get("/{speaker_id:int}", opt=PUBLIC, responses=READ_ERRORS, summary="Read a speaker")
    async def get_speaker(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        slug: str,
        speaker_id: RowId,
    ) -> schemas.SpeakerOut:
        speaker = await services.get_speaker(
            db_session,
            slug,
            speaker_id,
            include_drafts=await sees_drafts(request, db_session, slug),
        )
        return schemas.speaker_out(speaker)

    @patch("/{speaker_id:int}", opt=ORGANISER, responses=WRITE_ERRORS, summary="Update a speaker")
    async def update_speaker(
        self, db_session: AsyncSession, slug: str, speaker_id: RowId, data: schemas.SpeakerUpdate
    ) -> schemas.SpeakerPrivateOut:
        speaker = await services.update_speaker(db_session, slug, speaker_id, data)
        return schemas.speaker_private_out(speaker)

    @delete(
        "/{speaker_id:int}",
        opt=ORGANISER,
        responses=errors(404),
        summary="Delete a speaker (and their parts in sessions)",
    )
    async def delete_speaker(self, db_session: AsyncSession, slug: str, speaker_id: RowId) -> None:
        await services.delete_speaker(db_session, slug, speaker_id)


class SessionController(Controller):
    path = "/events/{slug:str}/sessions"
    tags = ["sessions"]

    @get("/", opt=PUBLIC, responses=READ_ERRORS, summary="List agenda sessions")
    async def list_sessions(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        slug: str,
        day: Annotated[
            date | None, Parameter(description="Local date in the event's time zone")
        ] = None,
        room_id: Annotated[int | None, Parameter(query="room", description="Room id")] = None,
        kind: str | None = None,
        track: Annotated[str | None, Parameter(max_length=120)] = None,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> schemas.SessionPage:
        event, page = await services.list_sessions(
            db_session, slug,
            include_drafts=await sees_drafts(request, db_session, slug),
            day=day, room_id=room_id, kind=kind,
            track=track, limit=limit, offset=offset,
        )  # fmt: skip
        return schemas.SessionPage(
            items=[schemas.session_out(s, event.timezone) for s in page.items],
            total=page.total, limit=page.limit, offset=page.offset,
        )  # fmt: skip

    @post("/", opt=ORGANISER, responses=WRITE_ERRORS, summary="Create a session")
    async def create_session(
        self, db_session: AsyncSession, slug: str, data: schemas.SessionCreate
    ) -> schemas.SessionOut:
        event, session = await services.create_session(db_session, slug, data)
        return schemas.session_out(session, event.timezone)

    @get("/{session_id:int}", opt=PUBLIC, responses=READ_ERRORS, summary="Read a session")
    async def get_session(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        slug: str,
        session_id: RowId,
    ) -> schemas.SessionOut:
        event, session = await services.get_session(
            db_session,
            slug,
            session_id,
            include_drafts=await sees_drafts(request, db_session, slug),
        )
        return schemas.session_out(session, event.timezone)

    @patch("/{session_id:int}", opt=ORGANISER, responses=WRITE_ERRORS, summary="Update a session")
    async def update_session(
        self, db_session: AsyncSession, slug: str, session_id: RowId, data: schemas.SessionUpdate
    ) -> schemas.SessionOut:
        event, session = await services.update_session(db_session, slug, session_id, data)
        return schemas.session_out(session, event.timezone)

    @delete("/{session_id:int}", opt=ORGANISER, responses=errors(404), summary="Delete a session")
    async def delete_session(self, db_session: AsyncSession, slug: str, session_id: RowId) -> None:
        await services.delete_session(db_session, slug, session_id)


api_router = Router(
    path="/api/v1",
    route_handlers=[
        OrganisationController,
        EventController,
        PartnerController,
        RoomController,
        SpeakerController,
        SessionController,
    ],
    before_request=require_json,
)

routes = [api_router]
