"""Walk EVERY route of the real application: each declares its access, anonymous clients are refused
everywhere but the explicit public list, and a desk user is refused on every organiser/admin route.

A new route that forgets ``opt={"access": ...}`` or declares itself public without being listed
below fails here. Path parameters are filled with fakes (``slug`` is the desk user's own event).
"""

from __future__ import annotations

import re

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient

from events.accounts.access import ACCESS_LEVELS
from events.accounts.guards import declared_access, is_automatic_options
from tests.accounts_support import make_people, sign_in

# (method, path) pairs anyone may use. Add a route here only when it is meant to be public.
# Every route anyone may use without signing in, reviewed: public pages, feeds, exports, the
# public registration form and API, the personal /r/{token} pages, login and set-password.
PUBLIC_ROUTES = {
    ("GET", "/"),
    ("GET", "/api/v1/events"),
    ("GET", "/api/v1/events/{slug:str}"),
    ("GET", "/api/v1/events/{slug:str}/partners"),
    ("GET", "/api/v1/events/{slug:str}/partners/{partner_id:int}"),
    ("POST", "/api/v1/events/{slug:str}/registrations"),
    ("POST", "/api/v1/events/{slug:str}/registrations/resend-link"),
    ("GET", "/api/v1/events/{slug:str}/rooms"),
    ("GET", "/api/v1/events/{slug:str}/rooms/{room_id:int}"),
    ("GET", "/api/v1/events/{slug:str}/sessions"),
    ("GET", "/api/v1/events/{slug:str}/sessions/{session_id:int}"),
    ("GET", "/api/v1/events/{slug:str}/speakers"),
    ("GET", "/api/v1/events/{slug:str}/speakers/{speaker_id:int}"),
    ("GET", "/api/v1/organisations"),
    ("GET", "/api/v1/organisations/{organisation_id:int}"),
    ("GET", "/e/{slug:str}"),
    ("GET", "/e/{slug:str}/programme"),
    ("GET", "/e/{slug:str}/programme.ics"),
    ("GET", "/e/{slug:str}/programme.pdf"),
    ("GET", "/e/{slug:str}/register"),
    ("POST", "/e/{slug:str}/register"),
    ("GET", "/e/{slug:str}/register/link"),
    ("POST", "/e/{slug:str}/register/link"),
    ("GET", "/e/{slug:str}/schedule.json"),
    ("GET", "/e/{slug:str}/schedule.xml"),
    ("GET", "/e/{slug:str}/sessions/{filename:str}"),
    ("GET", "/e/{slug:str}/speakers/{speaker_id:int}"),
    ("GET", "/health"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("GET", "/media/speakers/{filename:str}"),
    ("GET", "/r/{token:str}"),
    ("POST", "/r/{token:str}"),
    ("GET", "/r/{token:str}/calendar.ics"),
    ("GET", "/r/{token:str}/badge.pdf"),
    ("GET", "/r/{token:str}/cancel"),
    ("POST", "/r/{token:str}/cancel"),
    ("GET", "/r/{token:str}/done"),
    ("GET", "/schema"),
    ("GET", "/schema/openapi.json"),
    ("GET", "/schema/rapidoc"),
    ("GET", "/schema/{path:str}"),
    ("GET", "/set-password/{token:str}"),
    ("POST", "/set-password/{token:str}"),
    ("GET", "/static/{file_path:path}"),
    ("HEAD", "/static/{file_path:path}"),
    ("GET", "/e/{slug:str}/card.png"),
    ("GET", "/e/{slug:str}/summary"),
    ("GET", "/e/{slug:str}/summary.pdf"),
    ("GET", "/e/{slug:str}/summary/photos/{photo_id:int}"),
    ("GET", "/feed.atom"),
    ("GET", "/r/{token:str}/certificate.pdf"),
    ("GET", "/verify/{code:str}"),
}


def handlers(app: Litestar):  # type: ignore[no-untyped-def]
    for route in app.routes:
        for handler in route.route_handlers:
            methods = sorted(getattr(handler, "http_methods", {"WEBSOCKET"}))
            for method in methods:
                yield route, method, handler


def fake_path(path: str, slug: str) -> str:
    def fill(match: re.Match[str]) -> str:
        name, _, kind = match.group(1).partition(":")
        if name == "slug":
            return slug
        if kind == "int":
            return "1"
        if kind == "uuid":
            return "00000000-0000-0000-0000-000000000001"
        return "x"

    return re.sub(r"\{([^}]+)\}", fill, path)


@pytest.fixture
def real_app(settings):  # type: ignore[no-untyped-def]
    from events.app import create_app

    return create_app(settings)


def test_every_route_declares_its_access(real_app: Litestar) -> None:
    missing, public = [], set()
    for route, method, handler in handlers(real_app):
        access = declared_access(handler)
        if access not in ACCESS_LEVELS:
            missing.append(f"{method} {route.path}")
        elif access == "public" and not is_automatic_options(handler):
            public.add((method, route.path))
    assert missing == [], f"routes without opt={{'access': ...}}: {missing}"
    # Declaring a route public is a decision that has to be written down in PUBLIC_ROUTES.
    assert public == PUBLIC_ROUTES


async def test_anonymous_is_refused_everywhere_but_the_public_routes(
    real_app: Litestar, db
) -> None:  # type: ignore[no-untyped-def]
    people = await make_people(db)
    checked = 0
    async with AsyncTestClient(app=real_app, base_url="http://testserver.local") as client:
        for route, method, _handler in handlers(real_app):
            if method in {"OPTIONS", "WEBSOCKET"} or (method, route.path) in PUBLIC_ROUTES:
                continue
            assert isinstance(route, HTTPRoute)
            url = fake_path(route.path, people.event_a.slug)
            response = await client.request(method, url, json={}, follow_redirects=False)
            json_route = url.startswith("/api/")
            if json_route:
                assert response.status_code == 401, (
                    f"{method} {url} answered {response.status_code}"
                )
            else:
                assert response.status_code in (303, 401), f"{method} {url}"
                if response.status_code == 303:
                    assert response.headers["location"].startswith("/login?next=")
            checked += 1
    assert checked >= 5


async def test_desk_user_is_refused_on_every_organiser_and_admin_route(
    real_app: Litestar, db, settings
) -> None:  # type: ignore[no-untyped-def]
    people = await make_people(db)
    checked = 0
    async with AsyncTestClient(app=real_app, base_url="http://testserver.local") as client:
        csrf = await sign_in(client, settings, people.desk_a)
        for route, method, handler in handlers(real_app):
            if method in {"OPTIONS", "WEBSOCKET"} or declared_access(handler) not in {
                "organiser",
                "admin",
            }:
                continue
            url = fake_path(route.path, people.event_a.slug)
            # With a valid CSRF token, so the refusal is about the role, not the token.
            response = await client.request(
                method, url, json={}, headers={"X-CSRF-Token": csrf}, follow_redirects=False
            )
            assert response.status_code == 403, f"{method} {url} answered {response.status_code}"
            checked += 1
    assert checked >= 4
