"""``events mail send --once`` and ``events purge`` from the command line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events.agenda.models import Event
from events.cli import main
from events.registration import services
from events.settings import Settings, get_settings
from tests.unit.registration.factories import open_event, person


@pytest.fixture
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("EVENTS_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("EVENTS_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("EVENTS_SECRET_KEY", settings.secret_key)
    monkeypatch.delenv("EVENTS_SMTP_URL", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


async def test_mail_send_once_writes_eml_files(env, db: AsyncSession, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    await open_event(db)
    await services.register(db, settings, "rare-earths-round-table", person())
    await db.commit()
    await db.close()
    import asyncio

    result = await asyncio.to_thread(CliRunner().invoke, main, ["mail", "send", "--once"])
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output
    assert len(list(Path(settings.data_dir / "outbox").glob("*.eml"))) == 1


async def test_purge_command(env, db: AsyncSession, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    await open_event(db)
    await services.register(db, settings, "rare-earths-round-table", person())
    await db.commit()
    args = ["purge", "rare-earths-round-table", "--after-days", "30"]
    refused = await asyncio.to_thread(CliRunner().invoke, main, args)
    assert refused.exit_code != 0 and "ended less than" in refused.output
    event = await db.scalar(select(Event))
    assert event is not None
    event.ends_at = datetime.now(UTC) - timedelta(days=31)
    await db.commit()
    await db.close()
    done = await asyncio.to_thread(CliRunner().invoke, main, args)
    assert done.exit_code == 0, done.output
    assert "anonymised 1" in done.output
