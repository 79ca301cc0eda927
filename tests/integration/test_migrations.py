"""Upgrading an empty database gives exactly the models' schema; downgrading to base works."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from events.checkin import in_database
from events.db import migrations
from events.db.engine import create_engine
from events.db.models import metadata
from tests.conftest import PG_ADMIN_URL, _admin_execute, _with_database, make_settings


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        yield make_settings(f"sqlite+aiosqlite:///{tmp_path / 'm.db'}", tmp_path)
        return
    if request.getfixturevalue("postgres_database") is None:
        from tests.conftest import REQUIRE_POSTGRES

        if REQUIRE_POSTGRES:
            pytest.fail("EVENTS_REQUIRE_POSTGRES=1 but no PostgreSQL server answers")
        pytest.skip("no PostgreSQL server answers")
    name = f"events_migrate_{tmp_path.name[-20:].replace('-', '_').lower()}"
    asyncio.run(_admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    asyncio.run(_admin_execute(f'CREATE DATABASE "{name}"'))
    yield make_settings(_with_database(PG_ADMIN_URL, name), tmp_path)
    asyncio.run(_admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _diff(settings) -> list[object]:  # type: ignore[no-untyped-def]
    async def run() -> list[object]:
        engine = create_engine(settings)
        async with engine.connect() as connection:
            diff = await connection.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True}), metadata
                )
            )
        await engine.dispose()
        return list(diff)

    return asyncio.run(run())


def _tables(settings) -> set[str]:  # type: ignore[no-untyped-def]
    async def run() -> set[str]:
        engine = create_engine(settings)
        async with engine.connect() as connection:
            names = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        await engine.dispose()
        return names

    return asyncio.run(run())


def test_upgrade_gives_the_models_schema_and_downgrade_reaches_base(empty_database) -> None:  # type: ignore[no-untyped-def]
    settings = empty_database
    migrations.upgrade(settings)
    assert _diff(settings) == []
    assert set(metadata.tables) <= _tables(settings)

    migrations.downgrade(settings, "base")
    assert _tables(settings) <= {"alembic_version"}

    # And back up again: the chain is repeatable.
    migrations.upgrade(settings)
    assert _diff(settings) == []


def _function_sources(settings) -> list[str]:  # type: ignore[no-untyped-def]
    """The bodies of every function of the scan's name (a changed signature adds one)."""

    async def run() -> list[str]:
        engine = create_engine(settings)
        async with engine.connect() as connection:
            sources = await connection.scalars(
                text("SELECT prosrc FROM pg_proc WHERE proname = :name"),
                {"name": in_database.FUNCTION_NAME},
            )
            found = [str(source) for source in sources]
        await engine.dispose()
        return found

    return asyncio.run(run())


# SQLite has no functions: there the application takes the steps itself.
@pytest.mark.parametrize("empty_database", ["postgres"], indirect=True)
def test_the_migrated_scan_function_is_the_one_the_models_create(empty_database) -> None:  # type: ignore[no-untyped-def]
    """Migration 0008 keeps a frozen copy of the scan's decision function: it must not drift."""
    settings = empty_database
    migrations.upgrade(settings)
    body = in_database.FUNCTION_SQL.split("$function$")[1]
    assert _function_sources(settings) == [body]

    # Down to 0007: its version alone (without the rate limit), then none.
    migrations.downgrade(settings, "0007")
    [previous] = _function_sources(settings)
    assert "rate_limits" not in previous and "v_scan_id" in previous
    migrations.downgrade(settings, "0006")
    assert _function_sources(settings) == []


def _execute(settings, statement: str) -> None:  # type: ignore[no-untyped-def]
    async def run() -> None:
        engine = create_engine(settings)
        async with engine.begin() as connection:
            await connection.execute(text(statement))
        await engine.dispose()

    asyncio.run(run())


def _outbox_columns(settings) -> set[str]:  # type: ignore[no-untyped-def]
    async def run() -> set[str]:
        engine = create_engine(settings)
        async with engine.connect() as connection:
            columns = await connection.run_sync(
                lambda sync: {c["name"] for c in inspect(sync).get_columns("outbox_messages")}
            )
        await engine.dispose()
        return columns

    return asyncio.run(run())


def test_downgrade_below_0009_waits_for_mails_still_to_be_rendered(empty_database) -> None:  # type: ignore[no-untyped-def]
    """The older code would send a mail rendered at sending time empty."""
    settings = empty_database
    migrations.upgrade(settings)
    _execute(
        settings,
        "INSERT INTO outbox_messages (to_address, to_name, subject, text_body, html_body,"
        " attachments, language, kind, status, attempts, next_attempt_at, renderer, render_key,"
        " created_at, updated_at) VALUES ('a@example.org', 'A', '', '', '', '[]', 'en',"
        " 'registration.confirmed', 'pending', 0, CURRENT_TIMESTAMP,"
        " 'events.registration.services:render_registration_mail', '{}',"
        " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
    )
    with pytest.raises(RuntimeError, match="send them first"):
        migrations.downgrade(settings, "0008")
    assert {"renderer", "render_key"} <= _outbox_columns(settings)  # nothing half done
    _execute(settings, "UPDATE outbox_messages SET status = 'sent'")
    migrations.downgrade(settings, "0008")
    assert not {"renderer", "render_key"} & _outbox_columns(settings)
