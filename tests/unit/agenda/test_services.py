"""Agenda rules in the services, on a database session (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from events.agenda import schemas, services
from events.agenda.models import AgendaSession, Event, SessionPerson
from events.errors import Conflict, DomainError, InvalidInput, NotFound


def event_data(**overrides: Any) -> schemas.EventCreate:
    values: dict[str, Any] = {
        "slug": "german-kazakh-science-day",
        "title": {"en": "German–Kazakh Science Day", "kk": "Қазақ-неміс ғылым күні"},
        "kind": "science_day",
        "status": "published",
        "starts_at": datetime(2023, 10, 12, 9, 0),  # naive: Almaty time
        "ends_at": datetime(2023, 10, 13, 18, 0),
        "timezone": "Asia/Almaty",
        "country": "kz",
        "languages": ["en", "kk", "de"],
        "default_language": "en",
        "partner_countries": ["de"],
        "city": "Алматы",
    }
    values.update(overrides)
    return schemas.EventCreate(**values)


def session_data(**overrides: Any) -> schemas.SessionCreate:
    values: dict[str, Any] = {
        "title": {"en": "Opening", "kk": "Ашылу"},
        "kind": "ceremony",
        "starts_at": datetime(2023, 10, 12, 9, 0),
        "ends_at": datetime(2023, 10, 12, 10, 0),
    }
    values.update(overrides)
    return schemas.SessionCreate(**values)


async def failure(awaitable: Any) -> DomainError:
    with pytest.raises(DomainError) as caught:
        await awaitable
    return caught.value


async def test_an_event_is_created_with_normalised_values_and_utc_times(db: AsyncSession) -> None:
    event = await services.create_event(db, event_data(title={"en": "  Science Day "}))
    assert event.slug == "german-kazakh-science-day"
    assert event.country == "KZ"
    assert event.partner_countries == ["DE"]
    assert event.title == {"en": "Science Day"}
    assert event.starts_at == datetime(2023, 10, 12, 3, 0, tzinfo=UTC)
    assert event.ends_at == datetime(2023, 10, 13, 12, 0, tzinfo=UTC)


async def test_a_taken_slug_answers_409(db: AsyncSession) -> None:
    await services.create_event(db, event_data())
    error = await failure(services.create_event(db, event_data()))
    assert (error.status_code, error.code, error.field) == (409, "slug_taken", "slug")
    other = await services.create_event(db, event_data(slug="other-day"))
    error = await failure(
        services.update_event(db, other.slug, schemas.EventUpdate(slug="german-kazakh-science-day"))
    )
    assert error.code == "slug_taken"


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"slug": "Bad Slug"}, "invalid_slug", "slug"),
        ({"languages": ["en", "xx"]}, "invalid_language", "languages[1]"),
        ({"languages": []}, "required", "languages"),
        ({"default_language": "ru"}, "invalid_language", "default_language"),
        ({"title": {"en": "Day", "ru": "День"}}, "invalid_language", "title.ru"),
        ({"title": {"kk": "Күн"}}, "required", "title.en"),
        ({"description": {"fr": "Jour"}}, "invalid_language", "description.fr"),
        ({"country": "XK1"}, "too_long", "country"),
        ({"country": "QQ"}, "invalid_country", "country"),
        ({"partner_countries": ["de", "EU"]}, "invalid_country", "partner_countries[1]"),
        ({"timezone": "Mars/Olympus"}, "invalid_timezone", "timezone"),
        ({"ends_at": datetime(2023, 10, 12, 9, 0)}, "ends_before_start", "ends_at"),
        ({"kind": "party"}, "invalid_choice", "kind"),
        ({"status": "secret"}, "invalid_choice", "status"),
        ({"venue": "x" * 301}, "too_long", "venue"),
        ({"city": "Al\x00maty"}, "control_character", "city"),
    ],
)
async def test_event_rules_refuse_bad_input_with_422_naming_the_field(
    db: AsyncSession, overrides: dict[str, Any], code: str, field: str
) -> None:
    error = await failure(services.create_event(db, event_data(**overrides)))
    assert (error.status_code, error.code, error.field) == (422, code, field)
    assert await db.scalar(select(func.count()).select_from(Event)) == 0


async def test_patch_changes_only_what_was_sent(db: AsyncSession) -> None:
    await services.create_event(db, event_data())
    event = await services.update_event(
        db, "german-kazakh-science-day", schemas.EventUpdate(city=None, venue="Rixos")
    )
    assert (event.city, event.venue, event.country) == (None, "Rixos", "KZ")
    # A naive time in a patch is read in the (possibly new) zone of the event.
    event = await services.update_event(
        db,
        event.slug,
        schemas.EventUpdate(timezone="Europe/Berlin", ends_at=datetime(2023, 10, 13, 18, 0)),
    )
    assert event.ends_at == datetime(2023, 10, 13, 16, 0, tzinfo=UTC)
    error = await failure(
        services.update_event(db, event.slug, schemas.EventUpdate(default_language="ru"))
    )
    assert error.field == "default_language"


async def test_drafts_are_hidden_unless_asked_for(db: AsyncSession) -> None:
    await services.create_event(db, event_data(slug="draft-day", status="draft"))
    await services.create_event(db, event_data(slug="open-day"))
    public = await services.list_events(db, include_drafts=False)
    assert [e.slug for e in public.items] == ["open-day"]
    everything = await services.list_events(db, include_drafts=True)
    assert {e.slug for e in everything.items} == {"draft-day", "open-day"}
    with pytest.raises(NotFound):
        await services.get_event(db, "draft-day", include_drafts=False)
    assert (await services.get_event(db, "draft-day", include_drafts=True)).slug == "draft-day"
    with pytest.raises(NotFound):
        await services.list_rooms(db, "draft-day", include_drafts=False)


async def test_events_filter_by_status_kind_and_unicode_search(db: AsyncSession) -> None:
    await services.create_event(db, event_data())
    await services.create_event(
        db,
        event_data(
            slug="kariu-agh",
            kind="round_table",
            status="closed",
            city="Караганда",
            title={"en": "KarIU – AGH round table"},
        ),
    )
    page = await services.list_events(db, include_drafts=False, kind="round_table")
    assert [e.slug for e in page.items] == ["kariu-agh"]
    page = await services.list_events(db, include_drafts=False, status="published")
    assert [e.slug for e in page.items] == ["german-kazakh-science-day"]
    page = await services.list_events(db, include_drafts=False, q="караГАНДА")
    assert [e.slug for e in page.items] == ["kariu-agh"]
    page = await services.list_events(db, include_drafts=False, q="ҒЫЛЫМ")
    assert [e.slug for e in page.items] == ["german-kazakh-science-day"]
    assert (await failure(services.list_events(db, include_drafts=False, kind="x"))).field == "kind"
    page = await services.list_events(db, include_drafts=False, limit=1, offset=1)
    assert (page.total, len(page.items), page.limit, page.offset) == (2, 1, 1, 1)
    assert (await failure(services.list_events(db, include_drafts=False, limit=101))).field == (
        "limit"
    )


async def test_organisations_rules_filters_and_in_use(db: AsyncSession) -> None:
    agh = await services.create_organisation(
        db,
        schemas.OrganisationCreate(
            name="AGH University of Kraków", country="pl", kind="university", short_name="AGH"
        ),
    )
    await services.create_organisation(
        db,
        schemas.OrganisationCreate(
            name="Карагандинский индустриальный университет", country="KZ", kind="university"
        ),
    )
    await services.create_organisation(
        db, schemas.OrganisationCreate(name="BMBF", country="DE", kind="ministry")
    )
    assert agh.country == "PL"
    assert [o.name for o in (await services.list_organisations(db, country="pl")).items] == [
        agh.name
    ]
    assert (await services.list_organisations(db, kind="ministry")).total == 1
    found = await services.list_organisations(db, q="ИНДУСТРИАЛЬНЫЙ")
    assert [o.country for o in found.items] == ["KZ"]
    error = await failure(
        services.create_organisation(
            db, schemas.OrganisationCreate(name="X", country="KZ", kind="club")
        )
    )
    assert (error.code, error.field) == ("invalid_choice", "kind")
    assert "funding_agency" in error.message
    error = await failure(
        services.create_organisation(
            db, schemas.OrganisationCreate(name="X", country="KZ", website="ftp://x")
        )
    )
    assert error.field == "website"

    await services.create_event(db, event_data())
    await services.add_partner(
        db, "german-kazakh-science-day", schemas.PartnerCreate(organisation_id=agh.id, role="host")
    )
    error = await failure(services.delete_organisation(db, agh.id))
    assert (error.status_code, error.code) == (409, "organisation_in_use")
    error = await failure(
        services.add_partner(
            db, "german-kazakh-science-day", schemas.PartnerCreate(organisation_id=agh.id)
        )
    )
    assert (error.status_code, error.code) == (409, "partner_exists")
    error = await failure(
        services.add_partner(
            db, "german-kazakh-science-day", schemas.PartnerCreate(organisation_id=agh.id + 100)
        )
    )
    assert (error.code, error.field) == ("organisation_not_found", "organisation_id")
    partner = (
        await services.list_partners(db, "german-kazakh-science-day", include_drafts=False)
    ).items[0]
    await services.delete_partner(db, "german-kazakh-science-day", partner.id)
    await services.delete_organisation(db, agh.id)
    with pytest.raises(NotFound):
        await services.get_organisation(db, agh.id)


async def _agenda(db: AsyncSession) -> tuple[Event, int, int, int]:
    event = await services.create_event(db, event_data())
    room = await services.create_room(db, event.slug, schemas.RoomCreate(name="Hall A"))
    speaker = await services.create_speaker(
        db,
        event.slug,
        schemas.SpeakerCreate(
            given_name="Айгерім",
            family_name="Сәрсенбаева",
            email="a@example.kz",
            biography={"kk": "Ғалым"},
        ),
    )
    other = await services.create_event(db, event_data(slug="other-event"))
    other_room = await services.create_room(db, other.slug, schemas.RoomCreate(name="Hall A"))
    return event, room.id, speaker.id, other_room.id


async def test_a_session_is_created_with_its_people_in_order(db: AsyncSession) -> None:
    event, room_id, speaker_id, _ = await _agenda(db)
    moderator = await services.create_speaker(
        db, event.slug, schemas.SpeakerCreate(given_name="Łukasz", family_name="Wójcik")
    )
    _, session = await services.create_session(
        db,
        event.slug,
        session_data(
            room_id=room_id,
            language="kk",
            track="Mining",
            capacity=50,
            people=[
                schemas.PersonIn(speaker_id=moderator.id, role="moderator"),
                schemas.PersonIn(speaker_id=speaker_id),
            ],
        ),
    )
    assert session.starts_at == datetime(2023, 10, 12, 3, 0, tzinfo=UTC)
    assert [(p.speaker.given_name, p.role, p.position) for p in session.people] == [
        ("Łukasz", "moderator", 0),
        ("Айгерім", "speaker", 1),
    ]
    _, session = await services.update_session(
        db,
        event.slug,
        session.id,
        schemas.SessionUpdate(people=[schemas.PersonIn(speaker_id=speaker_id, role="chair")]),
    )
    assert [(p.speaker_id, p.role) for p in session.people] == [(speaker_id, "chair")]
    assert session.track == "Mining"
    assert await db.scalar(select(func.count()).select_from(SessionPerson)) == 1


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"ends_at": datetime(2023, 10, 12, 9, 0)}, "ends_before_start", "ends_at"),
        # 23:30 the evening before the first day, Almaty time: outside the event's days.
        ({"starts_at": datetime(2023, 10, 11, 23, 30)}, "outside_event_days", "starts_at"),
        (
            {"starts_at": datetime(2023, 10, 13, 23, 0), "ends_at": datetime(2023, 10, 14, 0, 30)},
            "outside_event_days",
            "ends_at",
        ),
        ({"kind": "party"}, "invalid_choice", "kind"),
        ({"language": "ru"}, "invalid_language", "language"),
        ({"title": {"kk": "Ашылу"}}, "required", "title.en"),
        ({"title": {"en": "x" * 301}}, "too_long", "title.en"),
        ({"abstract": {"en": "ok", "pl": "nie"}}, "invalid_language", "abstract.pl"),
        ({"track": "x" * 121}, "too_long", "track"),
        ({"capacity": 0}, "out_of_range", "capacity"),
    ],
)
async def test_session_rules_refuse_bad_input(
    db: AsyncSession, overrides: dict[str, Any], code: str, field: str
) -> None:
    event, *_ = await _agenda(db)
    error = await failure(services.create_session(db, event.slug, session_data(**overrides)))
    assert (error.status_code, error.code, error.field) == (422, code, field)
    assert await db.scalar(select(func.count()).select_from(AgendaSession)) == 0


async def test_a_session_may_fill_the_first_and_last_local_days(db: AsyncSession) -> None:
    event, *_ = await _agenda(db)
    # 00:30 on the first day and up to 24:00 on the last day, Almaty time, are inside.
    await services.create_session(
        db,
        event.slug,
        session_data(starts_at=datetime(2023, 10, 12, 0, 30), ends_at=datetime(2023, 10, 12, 1, 0)),
    )
    await services.create_session(
        db,
        event.slug,
        session_data(starts_at=datetime(2023, 10, 13, 23, 0), ends_at=datetime(2023, 10, 14, 0, 0)),
    )


async def test_rooms_and_speakers_of_another_event_are_refused(db: AsyncSession) -> None:
    event, _, speaker_id, other_room_id = await _agenda(db)
    error = await failure(
        services.create_session(db, event.slug, session_data(room_id=other_room_id))
    )
    assert (error.code, error.field) == ("room_not_in_event", "room_id")
    stranger = await services.create_speaker(
        db, "other-event", schemas.SpeakerCreate(given_name="Jürgen", family_name="Groß")
    )
    error = await failure(
        services.create_session(
            db, event.slug, session_data(people=[schemas.PersonIn(speaker_id=stranger.id)])
        )
    )
    assert (error.code, error.field) == ("speaker_not_in_event", "people[0].speaker_id")
    error = await failure(
        services.create_session(
            db,
            event.slug,
            session_data(
                people=[
                    schemas.PersonIn(speaker_id=speaker_id),
                    schemas.PersonIn(speaker_id=speaker_id),
                ]
            ),
        )
    )
    assert (error.code, error.field) == ("duplicate_person", "people[1]")
    error = await failure(
        services.create_session(
            db,
            event.slug,
            session_data(people=[schemas.PersonIn(speaker_id=speaker_id, role="host")]),
        )
    )
    assert (error.code, error.field) == ("invalid_choice", "people[0].role")


async def test_rooms_names_are_unique_per_event(db: AsyncSession) -> None:
    event, room_id, *_ = await _agenda(db)
    error = await failure(services.create_room(db, event.slug, schemas.RoomCreate(name="Hall A")))
    assert (error.status_code, error.code) == (409, "room_name_taken")
    room = await services.update_room(db, event.slug, room_id, schemas.RoomUpdate(capacity=300))
    assert (room.name, room.capacity) == ("Hall A", 300)


async def test_speaker_rules_and_search(db: AsyncSession) -> None:
    event, _, speaker_id, _ = await _agenda(db)
    speaker = await services.get_speaker(db, event.slug, speaker_id, include_drafts=False)
    assert speaker.biography == {"kk": "Ғалым"}
    for data, field in [
        (schemas.SpeakerCreate(given_name="", family_name="X"), "given_name"),
        (schemas.SpeakerCreate(given_name="A", family_name="X", email="nope"), "email"),
        (schemas.SpeakerCreate(given_name="A", family_name="X", country="ZZ"), "country"),
        (
            schemas.SpeakerCreate(given_name="A", family_name="X", biography={"ru": "x"}),
            "biography.ru",
        ),
        (
            schemas.SpeakerCreate(given_name="A", family_name="X", organisation_id=999),
            "organisation_id",
        ),
    ]:
        error = await failure(services.create_speaker(db, event.slug, data))
        assert (error.status_code, error.field) == (422, field)
    found = await services.list_speakers(db, event.slug, include_drafts=False, q="сәрсенбаев")
    assert [s.id for s in found.items] == [speaker_id]
    assert (await services.list_speakers(db, event.slug, include_drafts=False, q="zzz")).total == 0


async def test_sessions_filter_by_local_day_room_kind_and_track(db: AsyncSession) -> None:
    event, room_id, *_ = await _agenda(db)
    # 01:00 on 13 October in Almaty is still 12 October in UTC: the day is the local one.
    await services.create_session(
        db,
        event.slug,
        session_data(
            starts_at=datetime(2023, 10, 13, 1, 0),
            ends_at=datetime(2023, 10, 13, 2, 0),
            kind="talk",
            room_id=room_id,
            track="Mining",
        ),
    )
    await services.create_session(db, event.slug, session_data())

    async def ids(**filters: Any) -> int:
        _, page = await services.list_sessions(db, event.slug, include_drafts=False, **filters)
        return page.total

    assert await ids(day=date(2023, 10, 13)) == 1
    assert await ids(day=date(2023, 10, 12)) == 1
    assert await ids(room_id=room_id) == 1
    assert await ids(kind="ceremony") == 1
    assert await ids(track="Mining") == 1
    assert await ids() == 2


async def test_the_conflict_service_reports_the_events_agenda(db: AsyncSession) -> None:
    event, room_id, speaker_id, _ = await _agenda(db)
    person = [schemas.PersonIn(speaker_id=speaker_id)]
    _, first = await services.create_session(
        db, event.slug, session_data(room_id=room_id, people=person)
    )
    _, second = await services.create_session(
        db,
        event.slug,
        session_data(
            title={"en": "Coffee"},
            kind="break",
            room_id=room_id,
            people=person,
            starts_at=datetime(2023, 10, 12, 8, 30),
            ends_at=datetime(2023, 10, 12, 9, 30),
        ),
    )
    conflicts = await services.event_conflicts(db, event.slug, include_drafts=True)
    assert sorted((c.code, tuple(sorted(c.session_ids))) for c in conflicts) == [
        ("outside_event_hours", (second.id,)),
        ("room_double_booked", tuple(sorted((first.id, second.id)))),
        ("speaker_double_booked", tuple(sorted((first.id, second.id)))),
    ]
    await services.update_session(
        db,
        event.slug,
        second.id,
        schemas.SessionUpdate(
            starts_at=datetime(2023, 10, 12, 10, 0), ends_at=datetime(2023, 10, 12, 10, 30)
        ),
    )
    assert await services.event_conflicts(db, event.slug, include_drafts=True) == []


async def test_deleting_cascades_and_unknown_ids_are_not_found(db: AsyncSession) -> None:
    event, room_id, speaker_id, _ = await _agenda(db)
    _, session = await services.create_session(
        db,
        event.slug,
        session_data(room_id=room_id, people=[schemas.PersonIn(speaker_id=speaker_id)]),
    )
    await services.delete_room(db, event.slug, room_id)
    _, session = await services.get_session(db, event.slug, session.id, include_drafts=False)
    assert session.room_id is None
    await services.delete_speaker(db, event.slug, speaker_id)
    _, session = await services.get_session(db, event.slug, session.id, include_drafts=False)
    assert session.people == []
    await services.delete_event(db, event.slug)
    assert await db.scalar(select(func.count()).select_from(AgendaSession)) == 0
    for call in (
        services.get_event(db, event.slug, include_drafts=True),
        services.get_room(db, "other-event", 9999, include_drafts=True),
        services.get_speaker(db, "other-event", 9999, include_drafts=True),
        services.get_session(db, "other-event", 9999, include_drafts=True),
        services.get_partner(db, "other-event", 9999, include_drafts=True),
    ):
        error = await failure(call)
        assert isinstance(error, NotFound) and error.status_code == 404
        assert error.code.endswith("_not_found")


def test_error_classes_have_the_documented_status_codes() -> None:
    assert InvalidInput("x", "y").status_code == 422
    assert Conflict("x", "y").status_code == 409


async def test_deleting_under_an_event_marks_the_event_changed(db: AsyncSession) -> None:
    # Exports take Last-Modified from the newest updated_at; a deleted row leaves none behind.
    event, room_id, speaker_id, _ = await _agenda(db)
    _, session = await services.create_session(db, event.slug, session_data(room_id=room_id))
    stamps = []
    for delete_one in (
        services.delete_session(db, event.slug, session.id),
        services.delete_speaker(db, event.slug, speaker_id),
        services.delete_room(db, event.slug, room_id),
    ):
        before = await db.scalar(select(Event.updated_at).where(Event.id == event.id))
        await delete_one
        after = await db.scalar(
            select(Event.updated_at)
            .where(Event.id == event.id)
            .execution_options(populate_existing=True)
        )
        assert before is not None and after is not None and after > before
        stamps.append(after)
    assert stamps == sorted(stamps)
