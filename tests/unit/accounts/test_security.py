from __future__ import annotations

from datetime import UTC, datetime

from events.accounts import security
from events.accounts.access import (
    CurrentUser,
    Grant,
    can_manage,
    can_staff_desk,
    desk_event_ids,
    managed_event_ids,
)
from events.accounts.pages import safe_next
from events.accounts.ratelimit import lockout_seconds, window_start


def user(*grants: Grant, admin: bool = False) -> CurrentUser:
    return CurrentUser(1, "a@b.c", "", admin, tuple(grants), "session")


def test_password_hash_is_argon2_and_verifies_only_the_right_password() -> None:
    hashed = security.hash_password("Jürgen Groß 2024!")
    assert hashed.startswith("$argon2id$")
    assert security.verify_password(hashed, "Jürgen Groß 2024!")
    assert not security.verify_password(hashed, "jürgen groß 2024!")
    assert not security.verify_password(None, "anything")  # the dummy hash never matches
    assert not security.verify_password("garbage", "x")


def test_tokens_are_random_and_stored_as_sha256() -> None:
    prefix, token = security.new_api_token()
    assert token.startswith(prefix + "_") and len(token) > 50
    assert security.digest(token) != token and len(security.digest(token)) == 64
    assert security.new_api_token()[1] != token


def test_roles_per_event() -> None:
    desk = user(Grant("desk", 1), Grant("organiser", 2))
    assert can_staff_desk(desk, 1) and not can_manage(desk, 1)
    assert can_manage(desk, 2) and can_staff_desk(desk, 2)
    assert not can_staff_desk(desk, 3)
    assert can_manage(user(Grant("organiser", None)), 99)
    assert can_manage(user(admin=True), 99)
    assert not can_manage(None, 1) and not can_staff_desk(None, 1)
    assert managed_event_ids(desk) == {2} and desk_event_ids(desk) == {1, 2}
    assert managed_event_ids(user(admin=True)) is None


def test_lockout_doubles_and_is_capped() -> None:
    assert [lockout_seconds(n, 5) for n in (4, 5, 6, 7)] == [0, 30, 60, 120]
    assert lockout_seconds(50, 5) == 3600


def test_fixed_windows() -> None:
    now = datetime(2030, 1, 1, 10, 7, 30, tzinfo=UTC)
    assert window_start(now, 60) == datetime(2030, 1, 1, 10, 7, tzinfo=UTC)
    assert window_start(now, 3600) == datetime(2030, 1, 1, 10, 0, tzinfo=UTC)


def test_next_only_goes_to_a_local_path() -> None:
    assert safe_next("/manage/events/x/team") == "/manage/events/x/team"
    for bad in ("https://evil.example", "//evil.example", "/\\evil.example", "", None, "manage"):
        assert safe_next(bad) == "/manage"
