"""The access guard, CSRF and rate limits, on test-only handlers of every access level."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Request, get, post
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from events.accounts.ratelimit import rate_limit
from tests.accounts_support import api_token, make_people, sign_in


@get("/test/public", opt={"access": "public"})
async def t_public() -> dict[str, str]:
    return {"ok": "public"}


@post("/api/v1/test/write", opt={"access": "user"}, status_code=200)
async def t_write(request: Request[Any, Any, Any]) -> dict[str, str]:
    return {"ok": request.user.email}


@post("/test/form", opt={"access": "user"}, status_code=200)
async def t_form(request: Request[Any, Any, Any]) -> dict[str, str]:
    form = await request.form()
    return {"ok": str(form.get("name"))}


@get("/test/page", opt={"access": "user"})
async def t_page() -> dict[str, str]:
    return {"ok": "page"}


@get("/api/v1/test/events/{slug:str}/registrants", opt={"access": "organiser"})
async def t_organiser(slug: str) -> dict[str, str]:
    return {"ok": slug}


@post("/api/v1/test/events/{slug:str}/checkins", opt={"access": "desk"}, status_code=200)
async def t_desk(
    slug: str, db_session: AsyncSession, request: Request[Any, Any, Any]
) -> dict[str, str]:
    await rate_limit(db_session, f"checkin:{request.user.id}", 3, 60)
    return {"ok": slug}


@get("/test/desk/{slug:str}", opt={"access": "desk"})
async def t_desk_page(slug: str) -> dict[str, str]:
    return {"ok": slug}


@get("/api/v1/test/admin", opt={"access": "admin"})
async def t_admin() -> dict[str, str]:
    return {"ok": "admin"}


@get("/api/v1/test/undeclared")
async def t_undeclared() -> dict[str, str]:
    return {"ok": "nobody should see this"}


TEST_HANDLERS = [
    t_public,
    t_write,
    t_form,
    t_page,
    t_organiser,
    t_desk,
    t_desk_page,
    t_admin,
    t_undeclared,
]


@pytest.fixture
async def app(settings):  # type: ignore[no-untyped-def]
    from events.app import create_app

    app = create_app(settings)
    for handler in TEST_HANDLERS:
        app.register(handler)
    return app


@pytest.fixture
async def people(db):  # type: ignore[no-untyped-def]
    return await make_people(db)


async def test_anonymous_json_write_is_401_and_page_redirects_to_login(
    client: AsyncTestClient, people
) -> None:  # type: ignore[no-untyped-def,type-arg]
    response = await client.post("/api/v1/test/write", json={})
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/json")
    page = await client.get("/test/page?x=1", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=/test/page%3Fx%3D1"
    assert (await client.get("/test/public")).json() == {"ok": "public"}


async def test_cookie_write_needs_the_csrf_token(client, settings, people) -> None:  # type: ignore[no-untyped-def]
    csrf = await sign_in(client, settings, people.organiser_a)
    assert (await client.post("/api/v1/test/write", json={})).status_code == 403
    wrong = await client.post("/api/v1/test/write", json={}, headers={"X-CSRF-Token": "nope"})
    assert wrong.status_code == 403
    ok = await client.post("/api/v1/test/write", json={}, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 200
    assert ok.json() == {"ok": "org-a@example.org"}
    # Forms carry it as a field; the handler still reads the whole form.
    form = await client.post("/test/form", data={"csrf_token": csrf, "name": "Айгерім"})
    assert form.status_code == 200
    assert form.json() == {"ok": "Айгерім"}
    assert (await client.post("/test/form", data={"name": "x"})).status_code == 403


async def test_bearer_token_needs_no_csrf_and_a_bad_token_is_anonymous(
    client, settings, people
) -> None:  # type: ignore[no-untyped-def]
    token = await api_token(settings, people.organiser_a)
    ok = await client.post(
        "/api/v1/test/write", json={}, headers={"Authorization": f"Bearer {token}"}
    )
    assert ok.status_code == 200
    bad = await client.post(
        "/api/v1/test/write", json={}, headers={"Authorization": "Bearer ev_x_y"}
    )
    assert bad.status_code == 401
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["via"] == "token"
    assert me.json()["roles"] == [{"role": "organiser", "event_id": people.event_a.id}]


async def test_desk_user_reaches_only_the_desk_routes_of_their_event(
    client, settings, people
) -> None:  # type: ignore[no-untyped-def]
    csrf = await sign_in(client, settings, people.desk_a)
    headers = {"X-CSRF-Token": csrf}
    a, b = people.event_a.slug, people.event_b.slug
    assert (await client.get(f"/test/desk/{a}")).status_code == 200
    assert (
        await client.post(f"/api/v1/test/events/{a}/checkins", headers=headers)
    ).status_code == 200
    assert (await client.get(f"/test/desk/{b}")).status_code == 403
    assert (
        await client.post(f"/api/v1/test/events/{b}/checkins", headers=headers)
    ).status_code == 403
    assert (await client.get(f"/api/v1/test/events/{a}/registrants")).status_code == 403
    assert (await client.get("/api/v1/test/admin")).status_code == 403
    assert (await client.get("/test/desk/no-such-event")).status_code == 403


async def test_organiser_sees_only_their_event_global_organiser_and_admin_see_all(
    client, settings, people
) -> None:  # type: ignore[no-untyped-def]
    a, b = people.event_a.slug, people.event_b.slug
    await sign_in(client, settings, people.organiser_a)
    assert (await client.get(f"/api/v1/test/events/{a}/registrants")).status_code == 200
    assert (await client.get(f"/test/desk/{a}")).status_code == 200  # organisers staff the desk too
    assert (await client.get(f"/api/v1/test/events/{b}/registrants")).status_code == 403
    assert (await client.get("/api/v1/test/admin")).status_code == 403
    for user in (people.organiser_all, people.admin):
        await sign_in(client, settings, user)
        assert (await client.get(f"/api/v1/test/events/{b}/registrants")).status_code == 200
    assert (await client.get("/api/v1/test/admin")).status_code == 200


async def test_a_route_without_access_is_refused_even_to_an_admin(client, settings, people) -> None:  # type: ignore[no-untyped-def]
    await sign_in(client, settings, people.admin)
    assert (await client.get("/api/v1/test/undeclared")).status_code == 403
    token = await api_token(settings, people.admin)
    response = await client.get(
        "/api/v1/test/undeclared", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 403


async def test_event_scoped_token_carries_only_that_events_rights(client, settings, people) -> None:  # type: ignore[no-untyped-def]
    token = await api_token(settings, people.admin, event_id=people.event_a.id)
    headers = {"Authorization": f"Bearer {token}"}
    a, b = people.event_a.slug, people.event_b.slug
    assert (
        await client.get(f"/api/v1/test/events/{a}/registrants", headers=headers)
    ).status_code == 200
    assert (
        await client.get(f"/api/v1/test/events/{b}/registrants", headers=headers)
    ).status_code == 403
    assert (await client.get("/api/v1/test/admin", headers=headers)).status_code == 403


async def test_revoked_token_is_refused(client, settings, people) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from events.accounts import services
    from events.db.engine import create_engine

    token = await api_token(settings, people.organiser_a)
    engine = create_engine(settings)
    async with async_sessionmaker(engine)() as db:
        await services.revoke_token(db, token[:11])
        await db.commit()
    await engine.dispose()
    response = await client.post("/api/v1/test/write", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


async def test_rate_limit_answers_429_with_retry_after(client, settings, people) -> None:  # type: ignore[no-untyped-def]
    token = await api_token(settings, people.desk_a)
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/test/events/{people.event_a.slug}/checkins"
    for _ in range(3):
        assert (await client.post(url, headers=headers)).status_code == 200
    limited = await client.post(url, headers=headers)
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert limited.json()["code"] == "rate_limited"
