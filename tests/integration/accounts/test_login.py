"""/login, /logout, cookies, session renewal, lockout, timeouts, restarts, security headers, 413."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from litestar.testing import AsyncTestClient

from events.accounts.security import LOGIN_CSRF_COOKIE, SESSION_COOKIE
from tests.accounts_support import PASSWORD, make_people, sign_in
from tests.conftest import make_settings


@pytest.fixture
async def people(db):  # type: ignore[no-untyped-def]
    return await make_people(db)


async def login_form(client: AsyncTestClient) -> str:  # type: ignore[type-arg]
    page = await client.get("/login")
    assert page.status_code == 200
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match
    return match.group(1)


async def post_login(client, email: str, password: str, csrf: str | None = None):  # type: ignore[no-untyped-def]
    csrf = csrf if csrf is not None else await login_form(client)
    return await client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf, "next": "/manage"},
        follow_redirects=False,
    )


async def test_login_sets_a_fresh_session_cookie_and_logout_ends_it(client, people) -> None:  # type: ignore[no-untyped-def]
    page = await client.get("/login")
    assert 'name="csrf-token"' in page.text
    response = await post_login(client, "ORG-A@example.org", PASSWORD)
    assert response.status_code == 303
    assert response.headers["location"] == "/manage"
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE)
    )
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    assert "Secure" not in cookie
    first = client.cookies[SESSION_COOKIE]
    dashboard = await client.get("/manage")
    assert dashboard.status_code == 200
    assert "Round table" in dashboard.text

    # Signing in again (same browser) renews the id and ends the old session.
    again = await post_login(client, "org-a@example.org", PASSWORD)
    assert again.status_code == 303
    second = client.cookies[SESSION_COOKIE]
    assert second != first
    client.cookies.set(SESSION_COOKIE, first)
    assert (await client.get("/manage", follow_redirects=False)).status_code == 303
    client.cookies.set(SESSION_COOKIE, second)

    csrf = re.search(r'name="csrf-token" content="([^"]+)"', (await client.get("/manage")).text)
    assert csrf and csrf.group(1)
    assert (await client.post("/logout", follow_redirects=False)).status_code == 403
    out = await client.post("/logout", data={"csrf_token": csrf.group(1)}, follow_redirects=False)
    assert out.status_code == 303
    client.cookies.set(SESSION_COOKIE, second)
    assert (await client.get("/manage", follow_redirects=False)).status_code == 303


async def test_login_without_its_csrf_cookie_pair_is_refused(client, people) -> None:  # type: ignore[no-untyped-def]
    await login_form(client)
    response = await post_login(client, "org-a@example.org", PASSWORD, csrf="forged")
    assert response.status_code == 403
    assert SESSION_COOKIE not in client.cookies
    client.cookies.delete(LOGIN_CSRF_COOKIE)
    token = await login_form(client)
    client.cookies.delete(LOGIN_CSRF_COOKIE)
    assert (await post_login(client, "org-a@example.org", PASSWORD, csrf=token)).status_code == 403


async def test_unknown_email_and_wrong_password_answer_the_same_in_similar_time(
    client, people
) -> None:  # type: ignore[no-untyped-def]
    timings: dict[str, list[float]] = {"unknown": [], "wrong": []}
    bodies = {}
    for _ in range(3):
        for kind, email in (("unknown", "nobody@example.org"), ("wrong", "org-b@example.org")):
            csrf = await login_form(client)
            start = time.perf_counter()
            response = await post_login(client, email, "not the password", csrf)
            timings[kind].append(time.perf_counter() - start)
            assert response.status_code == 422
            bodies[kind] = re.search(r'id="password-error"[^>]*>([^<]+)<', response.text).group(1)  # type: ignore[union-attr]
    assert bodies["unknown"] == bodies["wrong"] == "The e-mail or the password is wrong."
    unknown, wrong = sorted(timings["unknown"])[1], sorted(timings["wrong"])[1]
    # Both verify one Argon2 hash; medians stay within a factor of 3 even on a busy machine.
    assert max(unknown, wrong) / min(unknown, wrong) < 3


async def test_repeated_failures_lock_the_account_with_growing_back_off(client, people) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        assert (await post_login(client, "org-a@example.org", "wrong password!")).status_code == 422
    locked = await post_login(client, "org-a@example.org", PASSWORD)  # even the right password
    assert locked.status_code == 429
    assert 1 <= int(locked.headers["retry-after"]) <= 30
    assert "Too many attempts" in locked.text
    # Another account from the same address is not locked yet (the address threshold is higher).
    assert (await post_login(client, "org-b@example.org", PASSWORD)).status_code == 303


async def test_session_survives_an_app_restart(settings, people) -> None:  # type: ignore[no-untyped-def]
    from events.app import create_app

    async with AsyncTestClient(app=create_app(settings), base_url="http://testserver.local") as one:
        assert (await post_login(one, "desk-a@example.org", PASSWORD)).status_code == 303
        cookie = one.cookies[SESSION_COOKIE]
    async with AsyncTestClient(app=create_app(settings), base_url="http://testserver.local") as two:
        two.cookies.set(SESSION_COOKIE, cookie)
        me = await two.get("/api/v1/me")
        assert me.status_code == 200
        assert me.json()["email"] == "desk-a@example.org"


async def test_idle_and_absolute_timeouts(app, client, settings, people) -> None:  # type: ignore[no-untyped-def]
    start = datetime(2030, 1, 1, 8, 0, tzinfo=UTC)
    now = {"t": start}
    app.state.clock = lambda: now["t"]
    await sign_in(client, settings, people.organiser_a, now=start)
    now["t"] = start + timedelta(hours=1, minutes=59)
    assert (await client.get("/api/v1/me")).status_code == 200
    now["t"] += timedelta(hours=2, seconds=1)  # 2 h idle since the last request
    assert (await client.get("/api/v1/me")).status_code == 401

    await sign_in(client, settings, people.organiser_a, now=start)
    for hour in range(1, 12):  # active every hour: only the absolute limit ends it
        now["t"] = start + timedelta(hours=hour)
        assert (await client.get("/api/v1/me")).status_code == 200
    now["t"] = start + timedelta(hours=12, seconds=1)
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_security_headers_on_every_answer(client) -> None:  # type: ignore[no-untyped-def]
    for path in ("/health", "/login", "/no-such-page", "/static/css/site.css"):
        response = await client.get(path)
        csp = response.headers["content-security-policy"]
        assert "script-src 'self';" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert response.headers["x-frame-options"] == "DENY"
        assert "strict-transport-security" not in response.headers


async def test_https_gives_hsts_and_secure_cookies(tmp_path, backend, settings, people) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from events.app import create_app

    secure = replace(settings, base_url="https://events.example.org")
    async with AsyncTestClient(
        app=create_app(secure), base_url="https://testserver.local"
    ) as client:
        response = await post_login(client, "org-a@example.org", PASSWORD)
        assert response.status_code == 303
        assert "max-age=" in response.headers["strict-transport-security"]
        cookie = next(
            c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE)
        )
        assert "Secure" in cookie


async def test_request_body_over_the_limit_is_413(client) -> None:  # type: ignore[no-untyped-def]
    from events.app import MAX_BODY_BYTES

    response = await client.post(
        "/login",
        content=b"a" * (MAX_BODY_BYTES + 1),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413


def test_settings_helper_is_plain(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # Guard against the https switch being read from anything but EVENTS_BASE_URL.
    assert make_settings("sqlite+aiosqlite:///x.db", tmp_path).https is False


@pytest.mark.parametrize(("lang", "text"), [("de", "Anmelden"), ("ru", "Войти"), ("kk", "Кіру")])
async def test_login_page_speaks_the_interface_language(client, lang: str, text: str) -> None:  # type: ignore[no-untyped-def]
    page = await client.get(f"/login?lang={lang}")
    assert f"<h1>{text}</h1>" in page.text


async def test_answers_in_a_language_say_what_they_vary_on(client, db) -> None:  # type: ignore[no-untyped-def]
    from tests.unit.registration.factories import open_event

    await open_event(db)
    for path in ("/", "/e/rare-earths-round-table/programme", "/login", "/health"):
        response = await client.get(path, headers={"Accept-Encoding": "gzip"})
        vary = {v.strip().lower() for v in response.headers.get("vary", "").split(",")}
        assert {"accept-language", "cookie"} <= vary, (path, vary)
        if response.headers.get("content-encoding") == "gzip":
            assert "accept-encoding" in vary, path  # kept, not replaced
    css = await client.get("/static/css/site.css")
    assert "cookie" not in css.headers.get("vary", "").lower()
