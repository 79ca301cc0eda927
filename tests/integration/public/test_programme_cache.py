"""The public programme is kept rendered per worker and shows every change at once."""

from __future__ import annotations

from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events.accounts import services as accounts
from events.agenda import queries, schemas, services
from events.agenda.models import (
    AgendaSession,
    Event,
    EventPartner,
    Organisation,
    SessionPerson,
    Speaker,
)
from events.agenda.pages import RenderedPages
from events.settings import Settings
from tests.accounts_support import sign_in
from tests.statements_support import statements_seen

SCIENCE_DAY = "german-kazakh-science-day-2023"
PROGRAMME = f"/e/{SCIENCE_DAY}/programme"
Client = AsyncTestClient  # type: ignore[type-arg]


def kept(client: Client) -> int:
    pages: RenderedPages | None = client.app.state.get("agenda_rendered_programmes")
    return len(pages._pages) if pages is not None else 0


async def first_session(db: AsyncSession) -> AgendaSession:
    event = await db.scalar(select(Event).where(Event.slug == SCIENCE_DAY))
    assert event is not None
    session = await db.scalar(
        select(AgendaSession)
        .where(AgendaSession.event_id == event.id, AgendaSession.kind == "talk")
        .order_by(AgendaSession.starts_at)
    )
    assert session is not None
    await db.commit()
    return session


async def test_a_second_visit_is_served_as_kept_and_identical(
    demo: AsyncSession, client: Client
) -> None:
    first = await client.get(PROGRAMME)
    assert first.status_code == 200 and kept(client) == 1
    second = await client.get(PROGRAMME)
    assert second.text == first.text
    assert second.headers["content-type"].startswith("text/html")
    assert "Content-Security-Policy" in second.headers
    # Each interface and content language is its own page.
    kazakh = await client.get(PROGRAMME, params={"lang": "kk"})
    assert kept(client) == 2 and kazakh.text != first.text
    assert kazakh.cookies.get("lang") == "kk"


async def test_a_kept_page_costs_one_statement(demo: AsyncSession, client: Client) -> None:
    assert (await client.get(PROGRAMME)).status_code == 200
    async with statements_seen(client.app.state.engine) as statements:
        assert (await client.get(PROGRAMME)).status_code == 200
    # The stamp and nothing else reads (besides the pool's ping and the transaction's control).
    reads = [s for s in statements if " FROM " in s]
    assert len(reads) == 1 and reads[0].startswith("SELECT events.id"), statements


async def test_an_edit_a_deletion_and_a_renamed_organisation_show_at_once(
    demo: AsyncSession, client: Client
) -> None:
    db = demo
    assert (await client.get(PROGRAMME)).status_code == 200
    session = await first_session(db)

    await services.update_session(
        db, SCIENCE_DAY, session.id, schemas.SessionUpdate(title={"en": "Renamed on the day"})
    )
    await db.commit()
    assert "Renamed on the day" in (await client.get(PROGRAMME)).text

    # A speaker on the programme: the page shows their organisation's short name.
    speaker = await db.scalar(
        select(Speaker)
        .join(SessionPerson, SessionPerson.speaker_id == Speaker.id)
        .join(AgendaSession, AgendaSession.id == SessionPerson.session_id)
        .join(Event, Event.id == AgendaSession.event_id)
        .where(Event.slug == SCIENCE_DAY, Speaker.organisation_id.is_not(None))
        .limit(1)
    )
    assert speaker is not None and speaker.organisation_id is not None
    await services.update_organisation(
        db, speaker.organisation_id, schemas.OrganisationUpdate(short_name="RENAMED-INST")
    )
    await db.commit()
    assert "RENAMED-INST" in (await client.get(PROGRAMME)).text

    await services.update_session(db, SCIENCE_DAY, session.id, schemas.SessionUpdate(people=[]))
    await db.commit()
    await services.delete_session(db, SCIENCE_DAY, session.id)
    await db.commit()
    assert "Renamed on the day" not in (await client.get(PROGRAMME)).text


async def test_a_change_to_another_event_leaves_this_programme_kept(demo: AsyncSession) -> None:
    """The stamp reads only this event's rows: another event's edits do not throw its page away
    (and the stamp's cost does not grow with every event ever held)."""
    db = demo
    before = await queries.programme_stamp(db, SCIENCE_DAY)
    assert before is not None
    science_day = select(Event.id).where(Event.slug == SCIENCE_DAY).scalar_subquery()
    # A speaker taken off a session of another event...
    person = await db.scalar(
        select(SessionPerson)
        .join(AgendaSession, AgendaSession.id == SessionPerson.session_id)
        .where(AgendaSession.event_id != science_day)
        .limit(1)
    )
    assert person is not None
    other_event = (await db.get(AgendaSession, person.session_id)).event_id  # type: ignore[union-attr]
    other_before = await db.scalar(select(Event.slug).where(Event.id == other_event))
    assert other_before is not None
    other_stamp = await queries.programme_stamp(db, other_before)
    await db.delete(person)
    # ...and an organisation that only the other events name, renamed.
    of_science_day = (
        select(EventPartner.organisation_id)
        .where(EventPartner.event_id == science_day)
        .union(select(Speaker.organisation_id).where(Speaker.event_id == science_day))
    )
    organisation = await db.scalar(
        select(Organisation)
        .join(EventPartner, EventPartner.organisation_id == Organisation.id)
        .where(Organisation.id.not_in(of_science_day))
        .limit(1)
    )
    assert organisation is not None
    await services.update_organisation(
        db, organisation.id, schemas.OrganisationUpdate(short_name="ELSEWHERE")
    )
    await db.commit()
    assert await queries.programme_stamp(db, SCIENCE_DAY) == before
    assert await queries.programme_stamp(db, other_before) != other_stamp


async def test_signed_in_visitors_get_their_own_page_never_a_kept_one(
    demo: AsyncSession, client: Client, settings: Settings
) -> None:
    user = await accounts.create_user(demo, "reader@example.org")
    await demo.commit()
    token = await sign_in(client, settings, user)
    page = await client.get(PROGRAMME)
    assert page.status_code == 200 and kept(client) == 0
    # The signed-in page carries the session's CSRF token...
    assert f'name="csrf-token" content="{token}"' in page.text
    client.cookies.clear()
    anonymous = await client.get(PROGRAMME)
    assert token not in anonymous.text  # ...which no kept page ever holds
    assert kept(client) == 1


async def test_unpublished_events_are_not_served_from_what_was_kept(
    demo: AsyncSession, client: Client
) -> None:
    assert (await client.get(PROGRAMME)).status_code == 200
    event = await demo.scalar(select(Event).where(Event.slug == SCIENCE_DAY))
    assert event is not None
    event.status = "draft"
    await demo.commit()
    assert (await client.get(PROGRAMME)).status_code == 404


def test_only_the_most_recent_pages_are_kept() -> None:
    pages = RenderedPages(size=2)
    pages.put(("a",), "A")
    pages.put(("b",), "B")
    assert pages.get(("a",)) == "A"  # now the most recent
    pages.put(("c",), "C")
    assert pages.get(("b",)) is None and pages.get(("a",)) == "A" and pages.get(("c",)) == "C"


async def test_visitors_arriving_together_wait_for_one_rendering() -> None:
    import asyncio

    pages = RenderedPages()
    made = 0

    async def make() -> str:
        nonlocal made
        made += 1
        await asyncio.sleep(0.01)
        return "<html>"

    answers = await asyncio.gather(*(pages.get_or_make(("p",), make) for _ in range(20)))
    assert answers == ["<html>"] * 20 and made == 1
