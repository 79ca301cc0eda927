"""The organiser's workspace through HTTP, on SQLite and PostgreSQL: who may use each page, the
event form with its errors, partners, rooms, publishing and previews, confirmed deletes, and the
audit entries that let an organiser undo a change by editing back."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events.accounts.models import AuditEntry
from events.agenda.models import AgendaSession, Event, Organisation, Room
from events.checkin.models import EVENT_DOOR, CheckIn
from events.mail.models import OutboxMessage
from events.registration.models import Registration
from tests.accounts_support import People, make_people, sign_in

SLUG = "kariu-agh-round-table"

# Every page of an event (GET) and every action (POST) of the workspace; {p} and {r} are filled.
EVENT_PAGES = [
    "/manage/events/{slug}",
    "/manage/events/{slug}/edit",
    "/manage/events/{slug}/delete",
    "/manage/events/{slug}/preview",
    "/manage/events/{slug}/preview/programme",
    "/manage/events/{slug}/partners/{p}/delete",
    "/manage/events/{slug}/rooms/{r}/delete",
]
EVENT_ACTIONS = [
    "/manage/events/{slug}/edit",
    "/manage/events/{slug}/status",
    "/manage/events/{slug}/delete",
    "/manage/events/{slug}/partners",
    "/manage/events/{slug}/partners/{p}",
    "/manage/events/{slug}/partners/{p}/delete",
    "/manage/events/{slug}/rooms",
    "/manage/events/{slug}/rooms/{r}",
    "/manage/events/{slug}/rooms/{r}/delete",
]


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match
    return match.group(1)


@pytest.fixture
async def people(db: AsyncSession) -> People:
    return await make_people(db)


@pytest.fixture
async def furnished(db: AsyncSession, people: People) -> dict[str, int]:
    """Event A with a partner, two rooms, and a session in the first room."""
    org = Organisation(name="AGH University of Kraków", short_name="AGH", country="PL")
    db.add(org)
    await db.flush()
    from events.agenda.models import EventPartner

    partner = EventPartner(event_id=people.event_a.id, organisation_id=org.id, role="partner")
    hall = Room(event_id=people.event_a.id, name="Senate hall", capacity=80, position=0)
    lab = Room(event_id=people.event_a.id, name="Lab 2", position=1)
    db.add_all([partner, hall, lab])
    await db.flush()
    start = people.event_a.starts_at
    db.add(
        AgendaSession(
            event_id=people.event_a.id, title={"en": "Opening"}, kind="talk",
            starts_at=start, ends_at=start + timedelta(hours=1), room_id=hall.id,
        )
    )  # fmt: skip
    await db.commit()
    return {"partner": partner.id, "hall": hall.id, "lab": lab.id, "org": org.id}


def fill(path: str, ids: dict[str, int], slug: str = SLUG) -> str:
    return path.format(slug=slug, p=ids["partner"], r=ids["lab"])


async def test_anonymous_is_sent_to_login(client, furnished) -> None:  # type: ignore[no-untyped-def]
    for path in ["/manage", "/manage/events/new", *EVENT_PAGES]:
        response = await client.get(fill(path, furnished), follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login"), path
    for path in EVENT_ACTIONS:
        response = await client.post(fill(path, furnished), data={}, follow_redirects=False)
        assert response.status_code in (303, 401), path


@pytest.mark.parametrize("who", ["desk_a", "organiser_b"])
async def test_desk_and_other_organisers_are_refused(  # type: ignore[no-untyped-def]
    client, settings, people, furnished, who
) -> None:
    csrf = await sign_in(client, settings, getattr(people, who))
    for path in EVENT_PAGES:
        assert (await client.get(fill(path, furnished))).status_code == 403, path
    for path in EVENT_ACTIONS:
        response = await client.post(fill(path, furnished), data={"csrf_token": csrf})
        assert response.status_code == 403, path
    # Only admins and organisers of every event create events.
    assert (await client.get("/manage/events/new")).status_code == 403
    assert (await client.post("/manage/events/new", data={"csrf_token": csrf})).status_code == 403
    # Nothing changed.
    assert (await client.get("/e/" + SLUG)).status_code == 200


async def test_organiser_of_the_event_sees_every_page(  # type: ignore[no-untyped-def]
    client, settings, people, furnished
) -> None:
    await sign_in(client, settings, people.organiser_a)
    for path in EVENT_PAGES:
        response = await client.get(fill(path, furnished))
        assert response.status_code == 200, path
    assert (await client.get("/manage/events/new")).status_code == 403


def event_form(csrf: str, **overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "csrf_token": csrf,
        "slug": "kz-de-round-table",
        "kind": "round_table",
        "languages": ["de", "kk"],
        "default_language": "de",
        "title-de": "Deutsch-kasachischer Runder Tisch",
        "title-kk": "Қазақ-неміс дөңгелек үстелі",
        "description-de": "Rohstoffe und Forschung.",
        "description-kk": "",
        "timezone": "Asia/Almaty",
        "starts_at": "2030-09-16T09:00",
        "ends_at": "2030-09-17T17:00",
        "venue": "Hauptgebäude",
        "city": "Almaty",
        "country": "kz",
        "partner_countries": "DE, KZ",
    }
    form.update(overrides)
    return form


async def audit_of(db: AsyncSession, action: str) -> list[AuditEntry]:
    rows = list((await db.scalars(select(AuditEntry).where(AuditEntry.action == action))).all())
    await db.commit()  # SQLite: end the read transaction before the app writes again
    return rows


async def one(db: AsyncSession, statement: Any) -> Any:
    """One row, read in a transaction that ends before the app is called again."""
    db.expire_all()
    row = await db.scalar(statement)
    await db.commit()
    return row


@pytest.mark.parametrize("who", ["admin", "organiser_all"])
async def test_create_an_event_from_the_form(  # type: ignore[no-untyped-def]
    client, settings, db, people, who
) -> None:
    await sign_in(client, settings, getattr(people, who))
    page = await client.get("/manage/events/new")
    assert page.status_code == 200
    assert 'name="title-de"' in page.text and 'name="title-kk"' in page.text
    response = await client.post(
        "/manage/events/new", data=event_form(csrf_of(page.text)), follow_redirects=False
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/manage/events/kz-de-round-table/edit?created=1"
    event = await one(db, select(Event).where(Event.slug == "kz-de-round-table"))
    assert event is not None
    assert event.status == "draft"
    assert event.title["kk"] == "Қазақ-неміс дөңгелек үстелі"
    assert event.languages == ["de", "kk"] and event.country == "KZ"
    assert event.partner_countries == ["DE", "KZ"]
    # 09:00 in Almaty (UTC+5 since March 2024) is 04:00 UTC.
    assert event.starts_at == datetime(2030, 9, 16, 4, 0, tzinfo=UTC)
    [entry] = await audit_of(db, "event.create")
    assert entry.event_id == event.id and entry.details["slug"] == "kz-de-round-table"
    # The editor marks the missing Kazakh description.
    edit = await client.get("/manage/events/kz-de-round-table/edit")
    assert "Translation missing" in edit.text
    # A draft is not public.
    assert (await client.get("/e/kz-de-round-table")).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "field_id", "message"),
    [
        ({"title-de": ""}, "title-de", "default language"),
        ({"slug": "Not a slug!"}, "slug", ""),
        ({"slug": "new"}, "slug", "reserved"),
        ({"ends_at": "2030-09-15T09:00"}, "ends_at", "after the start"),
        ({"starts_at": "yesterday"}, "starts_at", "date"),
        ({"timezone": "Mars/Olympus"}, "timezone", "IANA"),
        ({"country": "XX"}, "country", "ISO"),
        ({"languages": [], "default_language": "de"}, "languages", ""),
        ({"title-ru": "Круглый стол"}, "title-ru", "not one of the event's languages"),
        ({"default_language": "en"}, "default_language", ""),
        ({"title-de": "x\x07y"}, "title-de", "control character"),
    ],
)
async def test_bad_input_is_shown_next_to_its_field(  # type: ignore[no-untyped-def]
    client, settings, db, people, overrides, field_id, message
) -> None:
    await sign_in(client, settings, people.admin)
    page = await client.get("/manage/events/new")
    response = await client.post(
        "/manage/events/new", data=event_form(csrf_of(page.text), **overrides)
    )
    assert 400 <= response.status_code < 500, response.text
    assert f'id="{field_id}-error"' in response.text
    described = re.search(rf'aria-describedby="[^"]*\b{field_id}-error"', response.text)
    assert described or field_id == "languages"
    if message:
        error = re.search(rf'id="{field_id}-error">([^<]+)<', response.text)
        assert error and message in html.unescape(error.group(1))
    # What was typed is shown again (escaped), and nothing was written.
    assert "Deutsch-kasachischer" in response.text or field_id == "title-de"
    assert await one(db, select(Event).where(Event.slug == "kz-de-round-table")) is None


async def test_edit_is_audited_and_undone_by_editing_back(  # type: ignore[no-untyped-def]
    client, settings, db, people
) -> None:
    await sign_in(client, settings, people.organiser_a)
    page = await client.get(f"/manage/events/{SLUG}/edit")
    assert 'value="Round table"' in page.text
    csrf = csrf_of(page.text)
    form = {
        "csrf_token": csrf, "slug": SLUG, "kind": "round_table", "languages": ["en", "kk"],
        "default_language": "en", "title-en": "Round table <b>AGH</b>",
        "title-kk": "Дөңгелек үстел",
        "timezone": "Asia/Almaty", "starts_at": "2030-05-14T09:00", "ends_at": "2030-05-14T17:00",
        "country": "KZ", "venue": "", "city": "Karaganda",
    }  # fmt: skip
    response = await client.post(f"/manage/events/{SLUG}/edit", data=form, follow_redirects=False)
    assert response.status_code == 303
    [entry] = await audit_of(db, "event.update")
    assert entry.details["title"]["before"]["en"] == "Round table"
    assert entry.details["title"]["after"]["en"] == "Round table <b>AGH</b>"
    assert entry.details["city"] == {"before": None, "after": "Karaganda"}
    assert set(entry.details) == {"title", "city"}
    shown = await client.get(f"/manage/events/{SLUG}/edit?saved=1")
    assert "Round table &lt;b&gt;AGH&lt;/b&gt;" in shown.text and "<b>AGH" not in shown.text
    assert "Saved." in shown.text
    # Undo: edit back to the recorded values.
    form.update({"title-en": "Round table", "city": ""})
    await client.post(f"/manage/events/{SLUG}/edit", data=form)
    event = await one(db, select(Event).where(Event.slug == SLUG))
    assert event is not None and event.title["en"] == "Round table" and event.city is None
    assert len(await audit_of(db, "event.update")) == 2
    # Saving without a change records nothing.
    await client.post(f"/manage/events/{SLUG}/edit", data=form)
    assert len(await audit_of(db, "event.update")) == 2
    # The audit page shows it.
    log = await client.get(f"/manage/events/{SLUG}/audit")
    assert "event.update" in log.text


async def test_partners_known_new_update_and_remove(  # type: ignore[no-untyped-def]
    client, settings, db, people, furnished
) -> None:
    await sign_in(client, settings, people.organiser_a)
    page = await client.get(f"/manage/events/{SLUG}/edit")
    csrf = csrf_of(page.text)
    assert "AGH University of Kraków" in page.text
    # A new organisation, created inline.
    response = await client.post(
        f"/manage/events/{SLUG}/partners",
        data={"csrf_token": csrf, "org_name": "Karaganda Industrial University",
              "org_country": "kz", "org_kind": "university", "role": "host", "position": "0"},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303
    kiu = await one(db, select(Organisation).where(Organisation.country == "KZ"))
    assert kiu is not None and kiu.kind == "university"
    # The known one again: already a partner.
    again = await client.post(
        f"/manage/events/{SLUG}/partners",
        data={"csrf_token": csrf, "organisation_id": str(furnished["org"]), "role": "partner"},
    )
    assert again.status_code == 409
    assert 'id="organisation_id-error"' in again.text
    # A new organisation with a bad country, nothing written (no half-created organisation).
    bad = await client.post(
        f"/manage/events/{SLUG}/partners",
        data={"csrf_token": csrf, "org_name": "Nowhere Institute", "org_country": "QQ",
              "role": "partner"},
    )  # fmt: skip
    assert bad.status_code == 422 and 'id="org_country-error"' in bad.text
    assert (
        await one(db, select(Organisation).where(Organisation.name == "Nowhere Institute")) is None
    )
    # Neither picked nor new.
    none = await client.post(
        f"/manage/events/{SLUG}/partners", data={"csrf_token": csrf, "role": "partner"}
    )
    assert none.status_code == 422 and 'id="organisation_id-error"' in none.text
    # Change the role.
    response = await client.post(
        f"/manage/events/{SLUG}/partners/{furnished['partner']}",
        data={"csrf_token": csrf, "role": "delegation", "position": "1"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    [entry] = await audit_of(db, "partner.update")
    assert entry.details["role"] == {"before": "partner", "after": "delegation"}
    bad_role = await client.post(
        f"/manage/events/{SLUG}/partners/{furnished['partner']}",
        data={"csrf_token": csrf, "role": "emperor", "position": "1"},
    )
    assert bad_role.status_code == 422
    assert f'id="partner-{furnished["partner"]}-role-error"' in bad_role.text
    # Remove: a confirmation page first, then the removal.
    confirm = await client.get(f"/manage/events/{SLUG}/partners/{furnished['partner']}/delete")
    assert "AGH University of Kraków is no longer shown as a partner" in confirm.text
    response = await client.post(
        f"/manage/events/{SLUG}/partners/{furnished['partner']}/delete",
        data={"csrf_token": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert len(await audit_of(db, "partner.remove")) == 1
    assert (
        await one(db, select(Organisation).where(Organisation.id == furnished["org"])) is not None
    )
    # A partner of another event, or none, is not found.
    missing = await client.get(f"/manage/events/{SLUG}/partners/{furnished['partner']}/delete")
    assert missing.status_code == 404


async def test_rooms_add_rename_capacity_order_and_remove(  # type: ignore[no-untyped-def]
    client, settings, db, people, furnished
) -> None:
    await sign_in(client, settings, people.organiser_a)
    csrf = csrf_of((await client.get(f"/manage/events/{SLUG}/edit")).text)
    added = await client.post(
        f"/manage/events/{SLUG}/rooms",
        data={"csrf_token": csrf, "name": "Аудитория 101", "capacity": "40", "position": "2"},
        follow_redirects=False,
    )
    assert added.status_code == 303
    taken = await client.post(
        f"/manage/events/{SLUG}/rooms", data={"csrf_token": csrf, "name": "Lab 2"}
    )
    assert taken.status_code == 409 and 'id="room_name-error"' in taken.text
    bad = await client.post(
        f"/manage/events/{SLUG}/rooms", data={"csrf_token": csrf, "name": "X", "capacity": "many"}
    )
    assert bad.status_code == 422 and 'id="room_capacity-error"' in bad.text
    hall = furnished["hall"]
    renamed = await client.post(
        f"/manage/events/{SLUG}/rooms/{hall}",
        data={"csrf_token": csrf, "name": "Great hall", "capacity": "120", "position": "3"},
        follow_redirects=False,
    )
    assert renamed.status_code == 303
    [entry] = await audit_of(db, "room.update")
    assert entry.details["name"] == {"before": "Senate hall", "after": "Great hall"}
    assert entry.details["capacity"] == {"before": 80, "after": 120}
    clash = await client.post(
        f"/manage/events/{SLUG}/rooms/{hall}", data={"csrf_token": csrf, "name": "Lab 2"}
    )
    assert clash.status_code == 409 and f'id="room-{hall}-name-error"' in clash.text
    edit = await client.get(f"/manage/events/{SLUG}/edit")
    # Ordered by position: Lab 2 (1), Аудитория 101 (2), Great hall (3).
    assert (
        edit.text.index("Lab 2") < edit.text.index("Аудитория 101") < edit.text.index("Great hall")
    )
    confirm = await client.get(f"/manage/events/{SLUG}/rooms/{hall}/delete")
    assert "1 session loses its room" in confirm.text
    await client.post(f"/manage/events/{SLUG}/rooms/{hall}/delete", data={"csrf_token": csrf})
    session = await one(db, select(AgendaSession))
    assert session is not None and session.room_id is None
    [removed] = await audit_of(db, "room.remove")
    assert removed.details["sessions_without_room"] == 1


async def test_preview_then_publish_then_unpublish(  # type: ignore[no-untyped-def]
    client, settings, db, people, furnished
) -> None:
    people.event_a.status = "draft"
    db.add(people.event_a)
    await db.commit()
    await sign_in(client, settings, people.organiser_a)
    assert (await client.get(f"/e/{SLUG}")).status_code == 404
    preview = await client.get(f"/manage/events/{SLUG}/preview")
    assert preview.status_code == 200
    assert "Only organisers see this page" in preview.text and "AGH University" in preview.text
    assert preview.headers["x-robots-tag"] == "noindex"
    programme = await client.get(f"/manage/events/{SLUG}/preview/programme")
    assert programme.status_code == 200 and "Opening" in programme.text
    overview = await client.get(f"/manage/events/{SLUG}")
    csrf = csrf_of(overview.text)
    response = await client.post(
        f"/manage/events/{SLUG}/status", data={"csrf_token": csrf, "status": "published"},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303
    assert "is published" in (await client.get(response.headers["location"])).text
    assert (await client.get(f"/e/{SLUG}")).status_code == 200
    [entry] = await audit_of(db, "event.publish")
    assert entry.details["status"] == {"before": "draft", "after": "published"}
    await client.post(f"/manage/events/{SLUG}/status", data={"csrf_token": csrf, "status": "draft"})
    assert (await client.get(f"/e/{SLUG}")).status_code == 404
    assert len(await audit_of(db, "event.unpublish")) == 1
    bad = await client.post(
        f"/manage/events/{SLUG}/status", data={"csrf_token": csrf, "status": "deleted"}
    )
    assert bad.status_code == 422


async def test_delete_the_event_after_confirmation(  # type: ignore[no-untyped-def]
    client, settings, db, people, furnished
) -> None:
    await sign_in(client, settings, people.organiser_a)
    confirm = await client.get(f"/manage/events/{SLUG}/delete")
    assert confirm.status_code == 200
    for line in ["1 partner institution", "2 rooms", "1 session", "0 speakers", "0 registrations"]:
        assert line in confirm.text, line
    response = await client.post(
        f"/manage/events/{SLUG}/delete", data={"csrf_token": csrf_of(confirm.text)},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303 and response.headers["location"] == "/manage?deleted=1"
    assert await one(db, select(Event).where(Event.slug == SLUG)) is None
    [entry] = await audit_of(db, "event.delete")
    assert entry.event_id is None and entry.target == SLUG
    assert entry.details["removed"]["rooms"] == 2


async def add_registration(db: AsyncSession, event_id: int, n: int, status: str) -> Registration:
    registration = Registration(
        event_id=event_id, status=status, given_name="Aigerim", family_name=f"N{n}",
        email=f"a{n}@example.org", country="KZ", category="participant", language="kk",
        manage_token_hash=f"{n:064d}", manage_seed="s", checkin_token=f"t{n}",
    )  # fmt: skip
    db.add(registration)
    await db.flush()
    return registration


async def test_dashboard_shows_figures_and_what_needs_attention(  # type: ignore[no-untyped-def]
    client, settings, db, people, furnished
) -> None:
    event_id = people.event_a.id
    for n, status in enumerate(["confirmed", "confirmed", "pending", "cancelled"]):
        registration = await add_registration(db, event_id, n, status)
        if n == 0:
            db.add(
                CheckIn(
                    event_id=event_id, registration_id=registration.id, door=EVENT_DOOR,
                    checked_in_at=datetime.now(UTC), desk="door 1",
                )
            )  # fmt: skip
    start = people.event_a.starts_at
    db.add(
        AgendaSession(
            event_id=event_id, title={"en": "Clash"}, kind="talk", starts_at=start,
            ends_at=start + timedelta(minutes=30), room_id=furnished["hall"],
        )
    )  # fmt: skip
    db.add(
        OutboxMessage(
            to_address="a@example.org", subject="s", text_body="t", html_body="h", language="en",
            status="failed", next_attempt_at=datetime.now(UTC),
            dedupe_key=f"registration:{registration.id}:new",
        )
    )  # fmt: skip
    await db.commit()
    await sign_in(client, settings, people.organiser_a)
    page = await client.get("/manage")
    assert page.status_code == 200
    row = page.text[page.text.index(f'href="/manage/events/{SLUG}"') :]
    row = row[: row.index("</tr>")]
    assert '<td class="number">3</td>' in row  # live registrations (cancelled not counted)
    assert '<td class="number">1</td>' in row  # admitted at the door
    assert "1 registration to approve" in row
    assert "1 agenda conflict" in row
    assert "1 e-mail failed" in row
    assert "New event" not in page.text  # an organiser of one event creates none
    assert "other-event" not in page.text
    await sign_in(client, settings, people.admin)
    admin_page = await client.get("/manage")
    assert 'href="/manage/events/new"' in admin_page.text
    assert "1 e-mail could not be sent" in admin_page.text


async def test_unknown_event_and_rows_answer_not_found(  # type: ignore[no-untyped-def]
    client, settings, people, furnished
) -> None:
    await sign_in(client, settings, people.organiser_all)
    assert (await client.get("/manage/events/no-such-event")).status_code == 404
    assert (await client.get("/manage/events/no-such-event/edit")).status_code == 404
    assert (await client.get(f"/manage/events/{SLUG}/rooms/999999/delete")).status_code == 404
    # A room of another event is not found through this one.
    assert (
        await client.get(f"/manage/events/other-event/rooms/{furnished['lab']}/delete")
    ).status_code == 404
    assert (await client.get(f"/manage/events/{SLUG}/rooms/0/delete")).status_code == 400


async def test_renaming_the_address_moves_the_pages(  # type: ignore[no-untyped-def]
    client, settings, db, people
) -> None:
    await sign_in(client, settings, people.organiser_a)
    page = await client.get(f"/manage/events/{SLUG}/edit")
    form = {
        "csrf_token": csrf_of(page.text), "slug": "kariu-agh-2030", "kind": "round_table",
        "languages": ["en", "kk"], "default_language": "en", "title-en": "Round table",
        "title-kk": "Дөңгелек үстел", "timezone": "Asia/Almaty", "starts_at": "2030-05-14T09:00",
        "ends_at": "2030-05-14T17:00", "country": "KZ",
    }  # fmt: skip
    response = await client.post(f"/manage/events/{SLUG}/edit", data=form, follow_redirects=False)
    assert response.headers["location"] == "/manage/events/kariu-agh-2030/edit?saved=1"
    assert (await client.get("/e/kariu-agh-2030")).status_code == 200
    taken = await client.post(
        "/manage/events/kariu-agh-2030/edit", data={**form, "slug": "other-event"}
    )
    assert taken.status_code == 409 and 'id="slug-error"' in taken.text
