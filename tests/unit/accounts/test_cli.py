"""The ``events user`` / ``events token`` commands, against the test database."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from events.cli import main


@pytest.fixture
def cli(settings, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr("events.accounts.cli.settings", lambda: settings)
    monkeypatch.delenv("EVENTS_ADMIN_EMAIL", raising=False)
    runner = CliRunner()
    return lambda *args, **kw: runner.invoke(main, list(args), catch_exceptions=False, **kw)


def test_ensure_admin_prints_the_password_once(cli) -> None:  # type: ignore[no-untyped-def]
    first = cli("user", "ensure-admin")
    assert first.exit_code == 0
    assert "admin@localhost" in first.output and "one-time password" in first.output
    second = cli("user", "ensure-admin")
    assert second.output.strip() == "an admin exists"


def test_user_add_list_password_and_tokens(cli, settings) -> None:  # type: ignore[no-untyped-def]
    added = cli("user", "add", "Org@Example.org", "--role", "organiser", "--password-stdin",
                input="a long password\n")  # fmt: skip
    assert added.exit_code == 0 and "password" not in added.output
    generated = cli("user", "add", "admin2@example.org", "--role", "admin")
    assert "one-time password (shown only now):" in generated.output
    desk = cli("user", "add", "desk@example.org", "--role", "desk")
    assert desk.exit_code != 0 and "Desk staff belong to one event" in desk.output
    missing = cli("user", "add", "desk@example.org", "--role", "desk", "--event", "nope")
    assert missing.exit_code != 0 and "event_not_found" in missing.output
    listing = cli("user", "list").output
    assert "org@example.org" in listing and "organiser@*" in listing
    assert cli("user", "password", "org@example.org", input="another password\n").exit_code == 0

    created = cli("token", "create", "org@example.org").output
    token = created.strip().splitlines()[-1]
    prefix = token[:11]
    assert token.startswith("ev_") and token not in cli("token", "list", "org@example.org").output
    assert prefix in cli("token", "list", "org@example.org").output
    assert cli("token", "revoke", prefix).exit_code == 0
    assert "revoked" in cli("token", "list", "org@example.org").output
