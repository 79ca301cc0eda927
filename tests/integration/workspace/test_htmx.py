"""Partners and rooms on the event editor with htmx: the same POST answers a redirect without
``HX-Request`` and that section of the editor with it; bad input in an htmx request comes back as
the section with the error next to its field (422), and nothing is written."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from events.agenda.models import EventPartner, Organisation, Room
from tests.accounts_support import sign_in
from tests.integration.workspace import test_pages as pages
from tests.integration.workspace.test_pages import SLUG, audit_of, csrf_of, one

# The fixtures of the editor's page tests: the organisers, and event A with a partner and rooms.
people = pages.people
furnished = pages.furnished

HX = {"HX-Request": "true"}
EDIT = f"/manage/events/{SLUG}"


def section(response, name: str) -> str:  # type: ignore[no-untyped-def]
    text: str = response.text
    assert "HX-Request" in response.headers["vary"]
    assert text.lstrip().startswith(f'<section id="{name}-section"'), text[:300]
    assert "<html" not in text and "<h1" not in text and 'class="event-form"' not in text
    assert '<div id="editor-status" hx-swap-oob="innerHTML">' in text
    return text


async def count(db, model) -> int:  # type: ignore[no-untyped-def]
    value = await one(db, select(func.count()).select_from(model))
    return int(value or 0)


async def test_the_editor_marks_its_sections_for_htmx(
    client, settings, db, people, furnished
) -> None:  # type: ignore[no-untyped-def]
    await sign_in(client, settings, people.organiser_a)
    page = (await client.get(f"{EDIT}/edit")).text
    for name in ("partners", "rooms"):
        assert f'<section id="{name}-section" aria-labelledby="{name}" hx-target="this"' in page
        assert f'action="{EDIT}/{name}" hx-post="{EDIT}/{name}"' in page
    # The remove links keep their confirmation page; htmx asks in a dialog saying the same.
    assert f'href="{EDIT}/rooms/{furnished["hall"]}/delete" hx-post=' in page
    assert "Its sessions stay in the agenda without a room." in page
    assert '<div id="editor-status" class="editor-status" role="status"' in page


async def test_rooms_add_change_remove_redirect_without_htmx_and_swap_the_section_with_it(  # type: ignore[no-untyped-def]
    client, settings, db, people, furnished
) -> None:
    await sign_in(client, settings, people.organiser_a)
    csrf = csrf_of((await client.get(f"{EDIT}/edit")).text)
    plain = await client.post(
        f"{EDIT}/rooms", data={"csrf_token": csrf, "name": "Аудитория 101"}, follow_redirects=False
    )
    assert plain.status_code == 303
    assert plain.headers["location"] == f"{EDIT}/edit?saved=1#rooms"
    assert "HX-Request" in plain.headers["vary"]

    added = await client.post(
        f"{EDIT}/rooms", data={"csrf_token": csrf, "name": "Lab 3", "capacity": "12"}, headers=HX
    )
    assert added.status_code == 200
    text = section(added, "rooms")
    assert 'value="Lab 3"' in text and 'value="Аудитория 101"' in text
    assert "Saved. Every change is in the audit log" in text
    assert 'id="room_name" name="name" required autofocus' in text  # ready for the next one
    lab3 = await one(db, select(Room).where(Room.name == "Lab 3"))
    assert lab3 is not None and lab3.capacity == 12

    changed = await client.post(
        f"{EDIT}/rooms/{lab3.id}", data={"csrf_token": csrf, "name": "Lab 3a", "position": "5"},
        headers=HX,
    )  # fmt: skip
    assert 'value="Lab 3a"' in section(changed, "rooms")

    removed = await client.post(
        f"{EDIT}/rooms/{lab3.id}/delete", headers={**HX, "X-CSRF-Token": csrf}
    )
    text = section(removed, "rooms")
    assert "Lab 3a" not in text and "Senate hall" in text
    assert await one(db, select(Room).where(Room.id == lab3.id)) is None
    assert len(await audit_of(db, "room.add")) == 2
    assert len(await audit_of(db, "room.update")) == 1
    assert len(await audit_of(db, "room.remove")) == 1


async def test_bad_room_input_in_htmx_answers_the_section_with_the_error_and_writes_nothing(  # type: ignore[no-untyped-def]
    client, settings, db, people, furnished
) -> None:
    await sign_in(client, settings, people.organiser_a)
    csrf = csrf_of((await client.get(f"{EDIT}/edit")).text)
    rooms = await count(db, Room)
    for data, field_id in [
        ({"name": "X", "capacity": "many"}, "room_capacity"),
        ({"name": ""}, "room_name"),
        ({"name": "Lab 2"}, "room_name"),  # taken: a conflict, still the section for htmx
    ]:
        response = await client.post(f"{EDIT}/rooms", data={"csrf_token": csrf, **data}, headers=HX)
        assert response.status_code == 422, data
        text = section(response, "rooms")
        assert f'id="{field_id}-error"' in text, data
        assert re.search(rf'id="{field_id}"[^>]*aria-invalid="true"', text), data
        assert "Please correct the fields marked below." in text
    hall = furnished["hall"]
    clash = await client.post(
        f"{EDIT}/rooms/{hall}", data={"csrf_token": csrf, "name": "Lab 2"}, headers=HX
    )
    assert clash.status_code == 422 and f'id="room-{hall}-name-error"' in section(clash, "rooms")
    assert await count(db, Room) == rooms
    assert (await one(db, select(Room).where(Room.id == hall))).name == "Senate hall"
    assert await audit_of(db, "room.add") == [] and await audit_of(db, "room.update") == []


async def test_partners_add_and_remove_swap_the_section_and_bad_input_writes_nothing(  # type: ignore[no-untyped-def]
    client, settings, db, people, furnished
) -> None:
    await sign_in(client, settings, people.organiser_a)
    csrf = csrf_of((await client.get(f"{EDIT}/edit")).text)
    organisations = await count(db, Organisation)
    bad = await client.post(
        f"{EDIT}/partners",
        data={"csrf_token": csrf, "org_name": "Nowhere Institute", "org_country": "QQ",
              "role": "partner"},
        headers=HX,
    )  # fmt: skip
    assert bad.status_code == 422
    text = section(bad, "partners")
    assert 'id="org_country-error"' in text
    assert re.search(r'id="org_country"[^>]*aria-invalid="true"', text)
    assert await count(db, Organisation) == organisations
    assert await audit_of(db, "partner.add") == []

    added = await client.post(
        f"{EDIT}/partners",
        data={"csrf_token": csrf, "org_name": "Karaganda Industrial University",
              "org_country": "kz", "org_kind": "university", "role": "host", "position": "0"},
        headers=HX,
    )  # fmt: skip
    assert added.status_code == 200
    text = section(added, "partners")
    assert "Karaganda Industrial University" in text and "AGH University of Kraków" in text
    assert await count(db, EventPartner) == 2

    removed = await client.post(
        f"{EDIT}/partners/{furnished['partner']}/delete", data={"csrf_token": csrf}, headers=HX
    )
    text = section(removed, "partners")
    assert '<th scope="row">AGH University' not in text
    assert '<th scope="row">Karaganda Industrial University' in text
    assert await count(db, EventPartner) == 1
    assert len(await audit_of(db, "partner.remove")) == 1
