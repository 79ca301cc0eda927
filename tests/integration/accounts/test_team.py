"""The "Done when" walk: the printed admin signs in, builds a team for the round table through the
pages; the desk person sets a password from the link and reaches only their event's desk."""

from __future__ import annotations

import re
from email import message_from_bytes, policy

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from events.accounts import services
from events.db.engine import create_engine
from tests.accounts_support import make_people, sign_in
from tests.integration.accounts.test_login import login_form, post_login


@pytest.fixture
async def app(settings, monkeypatch):  # type: ignore[no-untyped-def]
    from events.app import create_app

    # The test sends the invitation mails through the outbox itself.
    monkeypatch.setenv("EVENTS_MAIL_IN_APP", "0")
    return create_app(settings)


async def first_admin(settings) -> str:  # type: ignore[no-untyped-def]
    engine = create_engine(settings)
    async with async_sessionmaker(engine, expire_on_commit=False)() as db:
        made = await services.ensure_admin(db, "admin@localhost")
        await db.commit()
    await engine.dispose()
    assert made is not None
    return made[1]


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match
    return match.group(1)


async def invite(client, slug: str, email: str, role: str, name: str = "") -> str:  # type: ignore[no-untyped-def]
    page = await client.get(f"/manage/events/{slug}/team")
    assert page.status_code == 200
    response = await client.post(
        f"/manage/events/{slug}/team",
        data={"csrf_token": csrf_of(page.text), "email": email, "role": role, "display_name": name},
    )
    assert response.status_code == 200, response.text
    match = re.search(r'class="set-password-link">([^<]+)<', response.text)
    assert match, "the set-password link is shown to the organiser"
    return match.group(1)


async def test_admin_builds_a_team_and_the_desk_user_reaches_only_their_desk(
    client, settings, db
) -> None:  # type: ignore[no-untyped-def]
    # (The app's own sender is off, see the fixture below: this test delivers the outbox itself.)
    from tests.accounts_support import new_event

    round_table, other = new_event("kariu-agh-round-table"), new_event("other-event", "Other")
    db.add_all([round_table, other])
    await db.commit()
    password = await first_admin(settings)
    assert (await post_login(client, "admin@localhost", password)).status_code == 303

    organiser_link = await invite(
        client, round_table.slug, "Organiser@KarIU.kz", "organiser", "Әлия Нұрланқызы"
    )
    desk_link = await invite(client, round_table.slug, "desk@kariu.kz", "desk", "Łukasz Wójcik")
    team = await client.get(f"/manage/events/{round_table.slug}/team")
    assert "Әлия Нұрланқызы" in team.text and "Łukasz Wójcik" in team.text
    # The link was also mailed, through the outbox like every mail (here delivered as .eml files).
    from events.mail import sender

    mail_engine = create_engine(settings)
    assert (await sender.deliver_due(mail_engine, settings)).sent == 2
    await mail_engine.dispose()
    mails = [
        message_from_bytes(p.read_bytes(), policy=policy.default)
        for p in (settings.data_dir / "outbox").glob("*.eml")
    ]
    assert {m["To"].addresses[0].addr_spec for m in mails} == {
        "organiser@kariu.kz",
        "desk@kariu.kz",
    }
    texts = [m.get_body(preferencelist=("plain",)).get_content() for m in mails]  # type: ignore[attr-defined]
    assert any(desk_link in text for text in texts)
    assert any("Łukasz Wójcik" in str(m["To"]) for m in mails)

    # The desk person sets a password from the link (once) and signs in.
    client.cookies.clear()
    path = desk_link.replace(settings.base_url, "")
    form = await client.get(path)
    assert form.status_code == 200 and "desk@kariu.kz" in form.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    short = await client.post(
        path, data={"csrf_token": token, "password": "short", "confirm": "short"}
    )
    assert short.status_code == 422 and "at least 10 characters" in short.text
    done = await client.post(
        path,
        data={"csrf_token": token, "password": "desk password 1", "confirm": "desk password 1"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert (await client.get(path)).status_code == 422  # single use
    assert (await post_login(client, "desk@kariu.kz", "desk password 1")).status_code == 303

    desk_page = await client.get(f"/desk/{round_table.slug}")
    assert desk_page.status_code == 200 and 'id="desk-config"' in desk_page.text
    assert (await client.get(f"/desk/{other.slug}")).status_code == 403
    assert (await client.get(f"/manage/events/{round_table.slug}/team")).status_code == 403
    assert (await client.get(f"/manage/events/{round_table.slug}/audit")).status_code == 403
    dashboard = await client.get("/manage")
    assert f"/desk/{round_table.slug}" in dashboard.text
    assert other.slug not in dashboard.text

    # The organiser, once set up, reads their event's audit log and cannot see the other event.
    client.cookies.clear()
    path = organiser_link.replace(settings.base_url, "")
    token = await login_form(client)
    page = await client.get(path)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    await client.post(
        path, data={"csrf_token": token, "password": "organiser pw 1", "confirm": "organiser pw 1"}
    )
    assert (await post_login(client, "organiser@kariu.kz", "organiser pw 1")).status_code == 303
    log = await client.get(f"/manage/events/{round_table.slug}/audit")
    assert log.status_code == 200
    assert "team.invite" in log.text and "desk@kariu.kz" in log.text
    assert (await client.get(f"/manage/events/{other.slug}/team")).status_code == 403
    assert (await client.get(f"/manage/events/{other.slug}/audit")).status_code == 403


async def test_organiser_removes_a_member_but_not_themselves(client, settings, db) -> None:  # type: ignore[no-untyped-def]
    people = await make_people(db)
    slug = people.event_a.slug
    csrf = await sign_in(client, settings, people.organiser_a)
    page = await client.get(f"/manage/events/{slug}/team")
    ids = dict(re.findall(r"<td>([^<]*@example\.org)</td>.*?team/(\d+)/remove", page.text, re.S))
    assert "desk-a@example.org" in ids and "org-a@example.org" not in ids
    removed = await client.post(
        f"/manage/events/{slug}/team/{ids['desk-a@example.org']}/remove",
        data={"csrf_token": csrf},
        follow_redirects=False,
    )
    assert removed.status_code == 303
    assert "desk-a@example.org" not in (await client.get(f"/manage/events/{slug}/team")).text
    log = await client.get(f"/manage/events/{slug}/audit")
    assert "team.remove" in log.text


async def test_invite_errors_are_shown_next_to_the_field_and_nothing_is_written(
    client, settings, db
) -> None:  # type: ignore[no-untyped-def]
    people = await make_people(db)
    slug = people.event_a.slug
    csrf = await sign_in(client, settings, people.organiser_a)
    bad = await client.post(
        f"/manage/events/{slug}/team",
        data={"csrf_token": csrf, "email": "not-an-address", "role": "desk"},
    )
    assert bad.status_code == 422
    assert 'id="email-error"' in bad.text
    twice = await client.post(
        f"/manage/events/{slug}/team",
        data={"csrf_token": csrf, "email": "desk-a@example.org", "role": "desk"},
    )
    assert twice.status_code == 409
    xss = await client.post(
        f"/manage/events/{slug}/team",
        data={
            "csrf_token": csrf,
            "email": "x@example.org",
            "role": "desk",
            "display_name": "<script>x</script>",
        },
    )
    assert xss.status_code == 200
    assert "<script>x</script>" not in xss.text and "&lt;script&gt;" in xss.text
