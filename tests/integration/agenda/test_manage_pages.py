"""The agenda builder and speaker pages through HTTP, as an organiser with a cookie session."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from PIL import Image
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events.accounts.models import AuditEntry
from events.agenda.models import AgendaSession, Event, SessionPerson, Speaker
from tests.integration.agenda.builder_support import SLUG, at, build, signed_in

BASE = f"/manage/events/{SLUG}"


async def fresh(db: AsyncSession, model, key):  # type: ignore[no-untyped-def]
    statement = select(model).where(model.id == key).execution_options(populate_existing=True)
    row = await db.scalar(statement)
    await db.commit()  # SQLite: the app must not wait for this transaction's lock
    return row


async def audit_actions(db: AsyncSession) -> list[tuple[str, str, dict]]:  # type: ignore[type-arg]
    await db.commit()  # a fresh snapshot on the next read
    rows = list(await db.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    await db.commit()
    return [(e.action, e.target, e.details) for e in rows if e.action.startswith("agenda.")]


def page_urls(ids: dict[str, int]) -> list[str]:
    return [
        f"{BASE}/agenda",
        f"{BASE}/agenda/sessions/new?day=2030-05-15&start=10:15&room={ids['lab']}",
        f"{BASE}/agenda/sessions/{ids['opening']}/edit",
        f"{BASE}/agenda/sessions/{ids['opening']}/move",
        f"{BASE}/agenda/sessions/{ids['opening']}/delete",
        f"{BASE}/speakers",
        f"{BASE}/speakers/new",
        f"{BASE}/speakers/{ids['aigerim']}/edit",
        f"{BASE}/speakers/{ids['aigerim']}/delete",
    ]


def post_urls(ids: dict[str, int]) -> list[str]:
    return [
        f"{BASE}/agenda/sessions",
        f"{BASE}/agenda/sessions/{ids['opening']}/edit",
        f"{BASE}/agenda/sessions/{ids['opening']}/move",
        f"{BASE}/agenda/sessions/{ids['opening']}/duplicate",
        f"{BASE}/agenda/sessions/{ids['opening']}/delete",
        f"{BASE}/speakers",
        f"{BASE}/speakers/{ids['aigerim']}/edit",
        f"{BASE}/speakers/{ids['aigerim']}/sessions",
        f"{BASE}/speakers/{ids['aigerim']}/sessions/{ids['opening']}/remove",
        f"{BASE}/speakers/{ids['aigerim']}/photo",
        f"{BASE}/speakers/{ids['aigerim']}/photo/remove",
        f"{BASE}/speakers/{ids['aigerim']}/delete",
    ]


async def test_every_page_opens_for_the_organiser_and_no_one_else(settings, db) -> None:  # type: ignore[no-untyped-def]
    people, ids = await build(db)
    async with signed_in(settings, people.organiser_a) as (client, _csrf):
        for url in page_urls(ids):
            response = await client.get(url)
            assert response.status_code == 200, url
            assert 'aria-current="page"' in response.text
    async with signed_in(settings, None) as (client, _csrf):
        for url in page_urls(ids):
            response = await client.get(url, follow_redirects=False)
            assert response.status_code == 303, url
            assert response.headers["location"].startswith("/login?next=")
        for url in post_urls(ids):
            response = await client.post(url, data={}, follow_redirects=False)
            assert response.status_code == 303, url
    for outsider in (people.desk_a, people.organiser_b):
        async with signed_in(settings, outsider) as (client, csrf):
            for url in page_urls(ids):
                assert (await client.get(url)).status_code == 403, url
            for url in post_urls(ids):
                response = await client.post(url, data={"csrf_token": csrf})
                assert response.status_code == 403, url
    # Nothing changed on the way.
    assert (await fresh(db, AgendaSession, ids["opening"])) is not None
    assert await audit_actions(db) == []


async def test_a_post_without_the_csrf_token_is_refused(settings, db) -> None:  # type: ignore[no-untyped-def]
    people, ids = await build(db)
    async with signed_in(settings, people.organiser_a) as (client, _csrf):
        response = await client.post(f"{BASE}/agenda/sessions/{ids['opening']}/delete", data={})
        assert response.status_code == 403
    assert (await fresh(db, AgendaSession, ids["opening"])) is not None


async def test_the_grid_places_sessions_by_day_time_and_room(settings, db) -> None:  # type: ignore[no-untyped-def]
    people, ids = await build(db)
    async with signed_in(settings, people.organiser_a) as (client, _csrf):
        html = (await client.get(f"{BASE}/agenda")).text
    assert "Day 1: 2030-05-14" in html and "Day 2: 2030-05-15" in html
    heads = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', html)
    assert heads[:4] == ["Time", "Hall A", "Lab 2", "No room"]
    # The opening (09:00-10:00) spans four 15-minute rows in Hall A.
    opening = ids["opening"]
    assert re.search(rf'<td rowspan="4" class="slot-sessions">\s*<article id="session-{opening}"',
                     html)  # fmt: skip
    # An empty slot links to the form prefilled with its day, time and room.
    assert f"sessions/new?day=2030-05-15&amp;start=09:15&amp;room={ids['lab']}" in html
    assert 'data-drop-day="2030-05-15" data-drop-start="09:15"' in html
    assert "No conflicts" in html
    assert '<script src="/static/js/agenda-builder.js" defer></script>' in html
    assert "<script>" not in html and "style=" not in html


async def test_conflicts_are_marked_on_the_sessions_and_listed_with_links(settings, db) -> None:  # type: ignore[no-untyped-def]
    people, ids = await build(db)
    # Aigerim also speaks in a session overlapping the opening, in the other room; and the panel
    # gets a twin in the same room.
    clash = AgendaSession(
        event_id=people.event_a.id, title={"en": "Lab tour"}, kind="lab_visit",
        starts_at=at(9, 30), ends_at=at(10, 30), room_id=ids["lab"],
    )  # fmt: skip
    clash.people = [SessionPerson(speaker_id=ids["aigerim"], role="speaker", position=0)]
    twin = AgendaSession(
        event_id=people.event_a.id, title={"en": "Twin panel"}, kind="panel",
        starts_at=at(11, 30), ends_at=at(12, 30), room_id=ids["lab"],
    )  # fmt: skip
    db.add_all([clash, twin])
    await db.commit()
    async with signed_in(settings, people.organiser_a) as (client, _csrf):
        html = (await client.get(f"{BASE}/agenda")).text
    begin = html.index('class="conflict-summary"')
    summary = html[begin : html.index("</section>", begin)]
    assert 'role="alert"' in html[html.index('<section class="conflict-summary"') - 5 :][:200]
    assert "2 conflicts in the agenda" in summary
    assert "Айгерім Сәрсенбаева is in two sessions at once" in summary
    assert "Lab 2 is booked for two sessions at once" in summary
    assert (
        f'href="#session-{clash.id}"' in summary and f'href="#session-{ids["opening"]}"' in summary
    )
    for session_id in (ids["opening"], clash.id, ids["panel"], twin.id):
        article = re.search(rf'<article id="session-{session_id}" class="([^"]+)"[^>]*>', html)
        assert article and "has-conflict" in article.group(1), session_id
        assert f'aria-describedby="conflict-{session_id}"' in article.group(0)
        assert f'id="conflict-{session_id}"' in html
    # The two sessions of Lab 2 that overlap share one cell, so both stay visible.
    panel = ids["panel"]
    cell = re.search(rf'<td rowspan="(\d+)" class="slot-sessions">\s*<article id="session-{panel}"',
                     html)  # fmt: skip
    assert cell and cell.group(1) == "6"
    assert html.index(f'id="session-{twin.id}"') > html.index(f'id="session-{ids["panel"]}"')


async def test_a_hostile_title_is_inert_in_the_grid(settings, db) -> None:  # type: ignore[no-untyped-def]
    people, ids = await build(db)
    opening = await fresh(db, AgendaSession, ids["opening"])
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    opening.title = {"en": hostile}
    await db.commit()
    async with signed_in(settings, people.organiser_a) as (client, _csrf):
        for url in (f"{BASE}/agenda", f"{BASE}/agenda/sessions/{ids['opening']}/edit",
                    f"{BASE}/agenda/sessions/{ids['opening']}/delete",
                    f"{BASE}/speakers/{ids['aigerim']}/edit"):  # fmt: skip
            html = (await client.get(url)).text
            assert "<script>alert" not in html and "<img src=x" not in html, url
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url


def session_form(**overrides: str) -> dict[str, str]:
    values = {
        "title_en": "Memorandum signing", "title_kk": "Меморандумға қол қою",
        "abstract_en": "KarIU and AGH sign.", "abstract_kk": "",
        "kind": "ceremony", "day": "2030-05-15", "start": "10:15", "end": "11:00",
        "room": "", "track": "", "language": "", "capacity": "",
        "person_speaker_0": "", "person_role_0": "speaker", "person_order_0": "",
        "person_speaker_1": "", "person_role_1": "speaker", "person_order_1": "",
    }  # fmt: skip
    values.update(overrides)
    return values


async def test_a_session_is_created_in_a_slot_with_people_in_order_and_audited(
    settings, db
) -> None:  # type: ignore[no-untyped-def]
    people, ids = await build(db)
    async with signed_in(settings, people.organiser_a) as (client, csrf):
        form = await client.get(
            f"{BASE}/agenda/sessions/new?day=2030-05-15&start=10:15&room={ids['lab']}"
        )
        assert 'value="10:15"' in form.text and 'value="11:15"' in form.text
        assert f'<option value="{ids["lab"]}" selected>Lab 2</option>' in form.text
        assert '<option value="2030-05-15" selected>' in form.text
        assert 'lang="kk"' in form.text and 'name="title_kk"' in form.text
        response = await client.post(
            f"{BASE}/agenda/sessions",
            data={**session_form(room=str(ids["lab"]), capacity="40", track="Policy",
                                 language="kk",
                                 person_speaker_0=str(ids["lukasz"]), person_order_0="2",
                                 person_speaker_1=str(ids["aigerim"]), person_role_1="moderator",
                                 person_order_1="1"),
                  "csrf_token": csrf},
            follow_redirects=False,
        )  # fmt: skip
        assert response.status_code == 303
        assert "done=created" in response.headers["location"]
        grid = await client.get(response.headers["location"])
        assert "The session was created." in grid.text
    session = await db.scalar(
        select(AgendaSession)
        .where(AgendaSession.kind == "ceremony", AgendaSession.room_id == ids["lab"])
        .execution_options(populate_existing=True)
    )
    assert session is not None
    assert session.title == {"en": "Memorandum signing", "kk": "Меморандумға қол қою"}
    assert session.starts_at == datetime(2030, 5, 15, 5, 15, tzinfo=UTC)
    assert session.ends_at == datetime(2030, 5, 15, 6, 0, tzinfo=UTC)
    assert (session.capacity, session.track, session.language) == (40, "Policy", "kk")
    assert [(p.speaker_id, p.role) for p in session.people] == [
        (ids["aigerim"], "moderator"), (ids["lukasz"], "speaker"),
    ]  # fmt: skip
    actions = await audit_actions(db)
    assert actions[-1][0] == "agenda.session.create"
    assert actions[-1][1] == f"session:{session.id}"
    assert actions[-1][2]["after"]["title"]["kk"] == "Меморандумға қол қою"


@pytest.mark.parametrize(
    ("overrides", "field_id"),
    [
        ({"title_en": ""}, "f-title_en"),
        ({"end": "10:00"}, "f-end"),
        ({"day": "2030-05-16"}, "f-day"),
        ({"start": "25:99"}, "f-start"),
        ({"kind": "party"}, "f-kind"),
        ({"capacity": "many"}, "f-capacity"),
        ({"room": "999999"}, "f-room"),
        ({"person_speaker_1": "999999"}, "person_speaker_1"),
        ({"title_en": "x" * 301}, "f-title_en"),
    ],
)
async def test_a_bad_session_form_answers_4xx_naming_the_field_and_writes_nothing(
    settings, db, overrides, field_id
) -> None:  # type: ignore[no-untyped-def]
    people, _ids = await build(db)
    async with signed_in(settings, people.organiser_a) as (client, csrf):
        response = await client.post(
            f"{BASE}/agenda/sessions", data={**session_form(**overrides), "csrf_token": csrf}
        )
    assert 400 <= response.status_code < 500
    assert f'id="{field_id}-error"' in response.text, response.text[-3000:]
    assert re.search(rf'id="{field_id}"[^>]*aria-invalid="true"', response.text)
    assert 'value="Memorandum signing"' in response.text or overrides.get("title_en") is not None
    await db.commit()
    count = len((await db.scalars(select(AgendaSession))).all())
    assert count == 2
    assert await audit_actions(db) == []


async def test_editing_changes_every_field_and_the_audit_keeps_before_and_after(
    settings, db
) -> None:  # type: ignore[no-untyped-def]
    people, ids = await build(db)
    async with signed_in(settings, people.organiser_a) as (client, csrf):
        form = await client.get(f"{BASE}/agenda/sessions/{ids['opening']}/edit")
        assert 'value="Ашылу"' in form.text and 'value="09:00"' in form.text
        assert f'<option value="{ids["aigerim"]}" selected>' in form.text
        response = await client.post(
            f"{BASE}/agenda/sessions/{ids['opening']}/edit",
            data={**session_form(title_en="Welcome", title_kk="Қош келдіңіздер", day="2030-05-14",
                                 start="09:30", end="10:15", kind="keynote", room=str(ids["hall"])),
                  "csrf_token": csrf},
            follow_redirects=False,
        )  # fmt: skip
        assert response.status_code == 303
    session = await fresh(db, AgendaSession, ids["opening"])
    assert session.title == {"en": "Welcome", "kk": "Қош келдіңіздер"}
    assert session.abstract == {"en": "KarIU and AGH sign."}
    assert session.kind == "keynote" and session.people == []
    assert session.starts_at == at(9, 30)
    action, target, details = (await audit_actions(db))[-1]
    assert (action, target) == ("agenda.session.update", f"session:{ids['opening']}")
    assert details["before"]["title"] == {"en": "Opening", "kk": "Ашылу"}
    assert details["before"]["people"][0]["speaker_id"] == ids["aigerim"]
    assert details["after"]["title"]["en"] == "Welcome"


async def test_the_move_form_moves_keeping_the_duration_and_names_a_bad_field(settings, db) -> None:  # type: ignore[no-untyped-def]
    people, ids = await build(db)
    async with signed_in(settings, people.organiser_a) as (client, csrf):
        page = await client.get(f"{BASE}/agenda/sessions/{ids['opening']}/move")
        assert "keeps its duration" in page.text
        response = await client.post(
            f"{BASE}/agenda/sessions/{ids['opening']}/move",
            data={"day": "2030-05-15", "start": "14:00", "room": "", "csrf_token": csrf},
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert response.headers["location"].endswith(f"done=moved#session-{ids['opening']}")
        bad = await client.post(
            f"{BASE}/agenda/sessions/{ids['opening']}/move",
            data={"day": "2031-01-01", "start": "14:00", "room": "", "csrf_token": csrf},
        )
        assert bad.status_code == 422 and 'id="f-day-error"' in bad.text
        via_js = await client.post(
            f"{BASE}/agenda/sessions/{ids['opening']}/move",
            data={"day": "2030-05-14", "start": "15:00", "room": str(ids["lab"])},
            headers={"X-CSRF-Token": csrf},
            follow_redirects=False,
        )
        assert via_js.status_code == 303
    session = await fresh(db, AgendaSession, ids["opening"])
    assert (session.starts_at, session.ends_at) == (at(15), at(16))
    assert session.room_id == ids["lab"]
    moves = [a for a in await audit_actions(db) if a[0] == "agenda.session.move"]
    assert len(moves) == 2
    assert moves[0][2]["before"]["starts_at"] == at(9).isoformat()
    assert moves[0][2]["after"]["starts_at"] == at(14, day=15).isoformat()


async def test_duplicate_and_delete_with_its_confirmation(settings, db) -> None:  # type: ignore[no-untyped-def]
    people, ids = await build(db)
    async with signed_in(settings, people.organiser_a) as (client, csrf):
        response = await client.post(
            f"{BASE}/agenda/sessions/{ids['opening']}/duplicate", data={"csrf_token": csrf},
            follow_redirects=False,
        )  # fmt: skip
        assert response.status_code == 303
        copy_id = int(response.headers["location"].rsplit("session-", 1)[1])
        confirm = await client.get(f"{BASE}/agenda/sessions/{ids['opening']}/delete")
        assert "Delete “Opening”?" in confirm.text
        assert "Айгерім Сәрсенбаева (Speaker)" in confirm.text
        assert "they stay speakers of the event" in confirm.text
        response = await client.post(
            f"{BASE}/agenda/sessions/{ids['opening']}/delete", data={"csrf_token": csrf},
            follow_redirects=False,
        )  # fmt: skip
        assert response.status_code == 303
        gone = await client.get(f"{BASE}/agenda/sessions/{ids['opening']}/edit")
        assert gone.status_code == 404
    copy = await fresh(db, AgendaSession, copy_id)
    assert copy.title == {"en": "Opening", "kk": "Ашылу"} and copy.starts_at == at(10)
    assert await fresh(db, AgendaSession, ids["opening"]) is None
    assert await fresh(db, Speaker, ids["aigerim"]) is not None
    actions = await audit_actions(db)
    assert [a[0] for a in actions] == ["agenda.session.duplicate", "agenda.session.delete"]
    assert actions[1][2]["before"]["title"]["en"] == "Opening"


def speaker_form(**overrides: str) -> dict[str, str]:
    values = {
        "honorific": "Prof. Dr.", "given_name": "Jürgen", "family_name": "Groß",
        "position": "Rector", "organisation": "", "country": "de", "email": "j.gross@agh.edu.pl",
        "biography_en": "Metallurgist.", "biography_kk": "Металлург.",
    }  # fmt: skip
    values.update(overrides)
    return values


async def test_speakers_are_created_edited_attached_and_deleted_with_a_confirmation(
    settings, db
) -> None:  # type: ignore[no-untyped-def]
    people, ids = await build(db)
    async with signed_in(settings, people.organiser_a) as (client, csrf):
        response = await client.post(
            f"{BASE}/speakers", data={**speaker_form(), "csrf_token": csrf}, follow_redirects=False
        )
        assert response.status_code == 303
        speaker_id = int(re.search(r"/speakers/(\d+)/edit", response.headers["location"]).group(1))
        bad = await client.post(
            f"{BASE}/speakers", data={**speaker_form(given_name="", country="QQ"),
                                      "csrf_token": csrf},
        )  # fmt: skip
        assert bad.status_code == 422 and 'id="f-given_name-error"' in bad.text
        listing = await client.get(f"{BASE}/speakers")
        assert "Prof. Dr. Jürgen Groß" in listing.text and "Łukasz Wójcik" in listing.text
        response = await client.post(
            f"{BASE}/speakers/{speaker_id}/edit",
            data={**speaker_form(position="Vice-rector"), "csrf_token": csrf},
            follow_redirects=False,
        )
        assert response.status_code == 303
        # Attach to the opening as the first chair, then take out again.
        response = await client.post(
            f"{BASE}/speakers/{speaker_id}/sessions",
            data={"session": str(ids["opening"]), "role": "chair", "order": "1",
                  "csrf_token": csrf},
            follow_redirects=False,
        )  # fmt: skip
        assert response.status_code == 303
        page = await client.get(f"{BASE}/speakers/{speaker_id}/edit")
        assert "Opening" in page.text and "Chair" in page.text
        again = await client.post(
            f"{BASE}/speakers/{speaker_id}/sessions",
            data={"session": str(ids["opening"]), "role": "chair", "csrf_token": csrf},
        )
        assert again.status_code == 409 and 'id="f-role-error"' in again.text
        unknown = await client.post(
            f"{BASE}/speakers/{speaker_id}/sessions",
            data={"session": "999999", "role": "chair", "csrf_token": csrf},
        )
        assert unknown.status_code == 422 and 'id="f-session-error"' in unknown.text
        session = await fresh(db, AgendaSession, ids["opening"])
        assert [(p.speaker_id, p.role) for p in session.people] == [
            (speaker_id, "chair"), (ids["aigerim"], "speaker"),
        ]  # fmt: skip
        confirm = await client.get(f"{BASE}/speakers/{speaker_id}/delete")
        assert "These sessions lose this speaker" in confirm.text and "Opening" in confirm.text
        response = await client.post(
            f"{BASE}/speakers/{speaker_id}/delete", data={"csrf_token": csrf},
            follow_redirects=False,
        )  # fmt: skip
        assert response.status_code == 303
        response = await client.post(
            f"{BASE}/speakers/{ids['aigerim']}/sessions/{ids['opening']}/remove",
            data={"role": "speaker", "csrf_token": csrf}, follow_redirects=False,
        )  # fmt: skip
        assert response.status_code == 303
    assert await fresh(db, Speaker, speaker_id) is None
    session = await fresh(db, AgendaSession, ids["opening"])
    assert session.people == []
    actions = [a[0] for a in await audit_actions(db)]
    assert actions == [
        "agenda.speaker.create", "agenda.speaker.update", "agenda.session.people",
        "agenda.speaker.delete", "agenda.session.people",
    ]  # fmt: skip
    deleted = (await audit_actions(db))[3][2]["before"]
    assert deleted["position"] == "Vice-rector"
    assert deleted["sessions"] == [{"session_id": ids["opening"], "role": "chair", "position": 0}]


def jpeg_with_gps() -> bytes:
    from tests.unit.agenda.test_photos import jpeg_with_gps as make

    return make((1200, 900))


async def test_a_photo_is_uploaded_re_encoded_and_served_only_while_the_event_is_public(
    settings, db
) -> None:  # type: ignore[no-untyped-def]
    people, ids = await build(db)
    url = f"{BASE}/speakers/{ids['aigerim']}/photo"
    async with signed_in(settings, people.organiser_a) as (client, csrf):
        response = await client.post(
            url, data={"csrf_token": csrf},
            files={"photo": ("portrait.png", jpeg_with_gps(), "image/png")},
            follow_redirects=False,
        )  # fmt: skip
        assert response.status_code == 303, response.text[-2000:]
        text_file = await client.post(
            url, data={"csrf_token": csrf},
            files={"photo": ("portrait.png", b"not an image at all", "image/png")},
        )  # fmt: skip
        assert text_file.status_code == 422
        assert 'id="f-photo-error"' in text_file.text
        assert "JPEG, PNG or WebP" in text_file.text
        missing = await client.post(url, data={"csrf_token": csrf})
        assert missing.status_code == 422 and 'id="f-photo-error"' in missing.text
    speaker = await fresh(db, Speaker, ids["aigerim"])
    assert speaker.photo and speaker.photo.endswith(".webp")
    stored = settings.data_dir / "media" / "speakers" / speaker.photo
    image = Image.open(io.BytesIO(stored.read_bytes()))
    assert image.format == "WEBP" and image.size == (800, 600) and not image.getexif()
    action, _target, details = (await audit_actions(db))[-1]
    assert action == "agenda.speaker.photo"
    assert details["before"]["photo"] is None and details["after"]["photo"] == speaker.photo

    async with signed_in(settings, None) as (client, _csrf):
        served = await client.get(f"/media/speakers/{speaker.photo}")
        assert served.status_code == 200
        assert served.headers["content-type"] == "image/webp"
        assert "immutable" in served.headers["cache-control"]
        assert served.content == stored.read_bytes()
        public_page = await client.get(f"/e/{SLUG}/speakers/{ids['aigerim']}")
        assert f'src="/media/speakers/{speaker.photo}"' in public_page.text
        assert (await client.get("/media/speakers/..%2Fsecret_key")).status_code == 404
        assert (await client.get(f"/media/speakers/{'0' * 64}.webp")).status_code == 404

    event = await fresh(db, Event, people.event_a.id)
    event.status = "draft"
    await db.commit()
    async with signed_in(settings, None) as (client, _csrf):
        assert (await client.get(f"/media/speakers/{speaker.photo}")).status_code == 404
        assert (await client.get(f"/e/{SLUG}/speakers/{ids['aigerim']}")).status_code == 404
    async with signed_in(settings, people.organiser_a) as (client, csrf):
        private = await client.get(f"/media/speakers/{speaker.photo}")
        assert private.status_code == 200 and "private" in private.headers["cache-control"]
        response = await client.post(
            f"{url}/remove", data={"csrf_token": csrf}, follow_redirects=False
        )
        assert response.status_code == 303
    assert (await fresh(db, Speaker, ids["aigerim"])).photo is None


async def test_a_photo_beyond_the_size_limit_is_refused_naming_the_field(settings, db) -> None:  # type: ignore[no-untyped-def]
    people, ids = await build(db)
    big = b"\xff\xd8\xff" + b"\0" * (5 * 1024 * 1024 + 10)
    async with signed_in(settings, people.organiser_a) as (client, csrf):
        response = await client.post(
            f"{BASE}/speakers/{ids['aigerim']}/photo", data={"csrf_token": csrf},
            files={"photo": ("big.jpg", big, "image/jpeg")},
        )  # fmt: skip
    assert response.status_code == 422
    assert 'id="f-photo-error"' in response.text and "5 MB" in response.text
    assert (await fresh(db, Speaker, ids["aigerim"])).photo is None


async def test_a_session_can_require_its_own_check_in_and_lose_it_again(settings, db) -> None:  # type: ignore[no-untyped-def]
    people, _ids = await build(db)
    async with signed_in(settings, people.organiser_a) as (client, csrf):
        blank = await client.get(f"{BASE}/agenda/sessions/new")
        box = re.search(r'<input id="f-requires_checkin"[^>]*>', blank.text)
        assert box and "checked" not in box.group(0)
        assert 'aria-describedby="f-requires_checkin-hint"' in box.group(0)
        assert 'id="f-requires_checkin-hint"' in blank.text
        response = await client.post(
            f"{BASE}/agenda/sessions",
            data={**session_form(title_en="Round table: rare earths", requires_checkin="1"),
                  "csrf_token": csrf},
            follow_redirects=False,
        )  # fmt: skip
        assert response.status_code == 303
        created = int(response.headers["location"].rsplit("#session-", 1)[1])
        session = await fresh(db, AgendaSession, created)
        assert session is not None and session.requires_checkin is True
        edit = await client.get(f"{BASE}/agenda/sessions/{session.id}/edit")
        box = re.search(r'<input id="f-requires_checkin"[^>]*>', edit.text)
        assert box and "checked" in box.group(0)
        # An unticked checkbox is not sent at all: saving without it turns it off.
        response = await client.post(
            f"{BASE}/agenda/sessions/{session.id}/edit",
            data={**session_form(title_en="Round table: rare earths"), "csrf_token": csrf},
            follow_redirects=False,
        )  # fmt: skip
        assert response.status_code == 303
    assert (await fresh(db, AgendaSession, session.id)).requires_checkin is False
    actions = await audit_actions(db)
    assert actions[0][2]["after"]["requires_checkin"] is True
    assert actions[1][2]["before"]["requires_checkin"] is True
    assert actions[1][2]["after"]["requires_checkin"] is False
