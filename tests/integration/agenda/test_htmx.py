"""The agenda builder with htmx: the same POSTs answer a redirect without ``HX-Request`` and the
board fragment with it; bad input in an htmx request comes back as the board with the error at
its field (422) and writes nothing. Both databases, as the other page tests."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from events.agenda.models import AgendaSession
from tests.integration.agenda.builder_support import SLUG, build, signed_in
from tests.integration.agenda.test_manage_pages import audit_actions, fresh

BASE = f"/manage/events/{SLUG}"
HX = {"HX-Request": "true"}


def quick_form(**overrides: str) -> dict[str, str]:
    """What the board's "add a session" panel sends."""
    values = {"title_en": "Memorandum signing", "kind": "ceremony", "day": "2030-05-15",
              "start": "10:15", "end": "11:00", "room": ""}  # fmt: skip
    values.update(overrides)
    return values


def assert_board(response) -> str:  # type: ignore[no-untyped-def]
    """A board fragment: the board and the status line, no page around them."""
    text: str = response.text
    assert "HX-Request" in response.headers["vary"]
    assert text.lstrip().startswith('<div id="agenda-board"'), text[:300]
    assert "<html" not in text and "<h1" not in text and "event-nav" not in text
    assert '<div id="agenda-status" hx-swap-oob="innerHTML">' in text
    return text


async def count_sessions(db) -> int:  # type: ignore[no-untyped-def]
    await db.commit()
    count = await db.scalar(select(func.count()).select_from(AgendaSession))
    await db.commit()
    return int(count or 0)


async def test_the_page_loads_htmx_with_its_config_and_the_csrf_header(settings, db) -> None:  # type: ignore[no-untyped-def]
    people, _ids = await build(db)
    async with signed_in(settings, people.organiser_a) as (client, csrf):
        html = (await client.get(f"{BASE}/agenda")).text
        public = (await client.get(f"/e/{SLUG}")).text
    assert '<script src="/static/vendor/htmx/htmx.js" defer></script>' in html
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html)
    assert config is not None
    options = json.loads(config.group(1))
    assert options["allowEval"] is False and options["allowScriptTags"] is False
    assert options["includeIndicatorStyles"] is False
    assert options["historyRestoreAsHxRequest"] is False
    assert {"code": "422", "swap": True} in options["responseHandling"]
    assert f'hx-headers=\'{{"X-CSRF-Token": "{csrf}"}}\'' in html
    # Public pages do without it.
    assert "htmx" not in public


async def test_create_move_duplicate_delete_answer_redirects_without_htmx(settings, db) -> None:  # type: ignore[no-untyped-def]
    people, ids = await build(db)
    async with signed_in(settings, people.organiser_a) as (client, csrf):
        created = await client.post(
            f"{BASE}/agenda/sessions", data={**quick_form(), "csrf_token": csrf},
            follow_redirects=False,
        )  # fmt: skip
        assert created.status_code == 303 and "done=created" in created.headers["location"]
        assert "HX-Request" in created.headers["vary"]
        moved = await client.post(
            f"{BASE}/agenda/sessions/{ids['opening']}/move",
            data={"csrf_token": csrf, "day": "2030-05-15", "start": "14:00", "room": ""},
            follow_redirects=False,
        )
        assert moved.status_code == 303 and "done=moved" in moved.headers["location"]
        copied = await client.post(
            f"{BASE}/agenda/sessions/{ids['panel']}/duplicate", data={"csrf_token": csrf},
            follow_redirects=False,
        )  # fmt: skip
        assert copied.status_code == 303 and "done=duplicated" in copied.headers["location"]
        deleted = await client.post(
            f"{BASE}/agenda/sessions/{ids['panel']}/delete", data={"csrf_token": csrf},
            follow_redirects=False,
        )  # fmt: skip
        assert deleted.status_code == 303 and deleted.headers["location"].endswith("done=deleted")
    assert await count_sessions(db) == 3  # two, one created, one copied, one deleted
    opening = await fresh(db, AgendaSession, ids["opening"])
    assert opening.starts_at == datetime(2030, 5, 15, 9, 0, tzinfo=UTC) and opening.room_id is None


async def test_the_same_posts_with_htmx_answer_the_board_and_store_the_change(settings, db) -> None:  # type: ignore[no-untyped-def]
    people, ids = await build(db)
    async with signed_in(settings, people.organiser_a) as (client, csrf):
        created = await client.post(
            f"{BASE}/agenda/sessions",
            data={**quick_form(room=str(ids["lab"])), "csrf_token": csrf},
            headers=HX,
        )
        assert created.status_code == 200
        board = assert_board(created)
        assert "The session was created." in board and "Memorandum signing" in board
        # The quick form is empty again for the next session.
        assert 'name="title_en" type="text" value=""' in board
        new_id = await db.scalar(
            select(AgendaSession.id).where(
                AgendaSession.title["en"].as_string() == "Memorandum signing"
            )
        )
        await db.commit()
        assert new_id is not None and f'id="session-{new_id}"' in board

        # Move the opening into Lab 2 at 11:30, onto the panel: a room double booking, shown.
        moved = await client.post(
            f"{BASE}/agenda/sessions/{ids['opening']}/move",
            data={"csrf_token": csrf, "day": "2030-05-14", "start": "11:30",
                  "room": str(ids["lab"])},
            headers=HX,
        )  # fmt: skip
        assert moved.status_code == 200
        board = assert_board(moved)
        assert "The session was moved." in board
        assert "Lab 2 is booked for two sessions at once" in board
        assert re.search(rf'<article id="session-{ids["opening"]}" class="[^"]*has-conflict', board)
        opening = await fresh(db, AgendaSession, ids["opening"])
        assert opening.room_id == ids["lab"]
        assert opening.starts_at == datetime(2030, 5, 14, 6, 30, tzinfo=UTC)

        copied = await client.post(
            f"{BASE}/agenda/sessions/{ids['panel']}/duplicate", data={"csrf_token": csrf},
            headers=HX,
        )  # fmt: skip
        assert "The session was duplicated" in assert_board(copied)
        assert await count_sessions(db) == 4

        # The CSRF token as the header htmx sends from <body hx-headers>, without the form field.
        deleted = await client.post(
            f"{BASE}/agenda/sessions/{ids['panel']}/delete",
            headers={**HX, "X-CSRF-Token": csrf},
        )
        board = assert_board(deleted)
        assert "The session was deleted." in board and f'id="session-{ids["panel"]}"' not in board
        assert await count_sessions(db) == 3
        # Without either, refused.
        refused = await client.post(f"{BASE}/agenda/sessions/{ids['opening']}/delete", headers=HX)
        assert refused.status_code == 403
    assert await count_sessions(db) == 3
    actions = [action for action, _target, _details in await audit_actions(db)]
    assert actions == [
        "agenda.session.create", "agenda.session.move", "agenda.session.duplicate",
        "agenda.session.delete",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("overrides", "field_id"),
    [
        ({"title_en": ""}, "f-title_en"),
        ({"end": "10:00"}, "f-end"),
        ({"start": "25:99"}, "f-start"),
        ({"kind": "party"}, "f-kind"),
        ({"room": "999999"}, "f-room"),
        ({"title_en": "x" * 301}, "f-title_en"),
    ],
)
async def test_a_bad_quick_form_in_htmx_answers_the_board_with_the_error_at_its_field(
    settings, db, overrides, field_id
) -> None:  # type: ignore[no-untyped-def]
    people, _ids = await build(db)
    async with signed_in(settings, people.organiser_a) as (client, csrf):
        response = await client.post(
            f"{BASE}/agenda/sessions", data={**quick_form(**overrides), "csrf_token": csrf},
            headers=HX,
        )  # fmt: skip
    assert response.status_code == 422
    board = assert_board(response)
    assert f'id="{field_id}-error"' in board, board[:3000]
    assert re.search(rf'id="{field_id}"[^>]*aria-invalid="true"', board)
    # htmx focuses the field in error, and only that one.
    assert re.search(rf'id="{field_id}"[^>]*autofocus', board) and board.count("autofocus") == 1
    if overrides.get("title_en") is None:
        assert 'value="Memorandum signing"' in board  # what was typed stays
    assert await count_sessions(db) == 2
    assert await audit_actions(db) == []


@pytest.mark.parametrize(
    ("values", "field_id"),
    [
        ({"day": "2030-05-14", "start": "25:99"}, "f-start"),
        ({"day": "someday", "start": "10:00"}, "f-day"),
        ({"day": "2030-05-14", "start": "10:00", "room": "999999"}, "f-room"),
    ],
)
async def test_a_bad_move_in_htmx_answers_the_board_with_the_move_form_and_the_error(
    settings, db, values, field_id
) -> None:  # type: ignore[no-untyped-def]
    people, ids = await build(db)
    async with signed_in(settings, people.organiser_a) as (client, csrf):
        response = await client.post(
            f"{BASE}/agenda/sessions/{ids['opening']}/move",
            data={"csrf_token": csrf, "room": "", **values}, headers=HX,
        )  # fmt: skip
    assert response.status_code == 422
    board = assert_board(response)
    assert "Move “Opening”" in board
    assert f'hx-post="{BASE}/agenda/sessions/{ids["opening"]}/move"' in board
    assert f'id="{field_id}-error"' in board and 'aria-invalid="true"' in board
    assert re.search(rf'id="{field_id}"[^>]*autofocus', board) and board.count("autofocus") == 1
    opening = await fresh(db, AgendaSession, ids["opening"])
    assert opening.starts_at == datetime(2030, 5, 14, 4, 0, tzinfo=UTC)
    assert opening.room_id == ids["hall"]
    assert await audit_actions(db) == []


async def test_the_grid_links_open_the_panels_in_place(settings, db) -> None:  # type: ignore[no-untyped-def]
    people, ids = await build(db)
    async with signed_in(settings, people.organiser_a) as (client, _csrf):
        page = (await client.get(f"{BASE}/agenda")).text
        # Each link keeps its own page for browsers without JavaScript.
        assert (
            f'href="{BASE}/agenda/sessions/{ids["opening"]}/move" class="move-link" '
            f'hx-get="{BASE}/agenda?move={ids["opening"]}"'
        ) in page
        assert f'href="{BASE}/agenda/sessions/{ids["opening"]}/delete" hx-post=' in page
        assert "hx-confirm=" in page
        move = await client.get(f"{BASE}/agenda", params={"move": ids["opening"]}, headers=HX)
        board = assert_board(move)
        assert "Move “Opening”" in board and "Now: 2030-05-14, 09:00–10:00, Hall A." in board
        assert 'name="day" autofocus' in board
        # The links of empty slots open the full session form, htmx or not.
        assert (
            f'href="{BASE}/agenda/sessions/new?day=2030-05-15&amp;start=09:15&amp;room={ids["lab"]}">'
            in page
        )
        # A history restore asks for the whole page, even from htmx.
        restore = await client.get(
            f"{BASE}/agenda", headers={**HX, "HX-History-Restore-Request": "true"}
        )
        assert "<html" in restore.text and "HX-Request" in restore.headers["vary"]
        # A session of another event is not found.
        assert (
            await client.get(f"{BASE}/agenda", params={"move": 999999}, headers=HX)
        ).status_code == 404


async def test_an_htmx_request_after_the_session_ended_loads_the_sign_in_page(settings, db) -> None:  # type: ignore[no-untyped-def]
    _people, ids = await build(db)
    async with signed_in(settings, None) as (client, _csrf):
        # Without htmx: the usual redirect.
        plain = await client.post(
            f"{BASE}/agenda/sessions/{ids['opening']}/duplicate", follow_redirects=False
        )
        assert plain.status_code == 303 and plain.headers["location"].startswith("/login?next=")
        # With htmx: no sign-in page swapped into the board, but the whole page sent there,
        # coming back to the agenda the organiser was on.
        response = await client.post(
            f"{BASE}/agenda/sessions/{ids['opening']}/duplicate",
            headers={**HX, "HX-Current-URL": f"http://testserver.local{BASE}/agenda"},
            follow_redirects=False,
        )
    assert response.status_code == 401 and response.text == ""
    assert response.headers["hx-redirect"] == f"/login?next={BASE}/agenda"
    assert await count_sessions(db) == 2
