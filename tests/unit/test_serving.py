"""What ``events serve`` adds to the application in each worker process."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from events import app as app_module
from events.settings import get_settings
from tests.conftest import make_settings


async def test_a_served_worker_freezes_its_start_up_objects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path / 'events.db'}", tmp_path)
    monkeypatch.setattr(app_module, "get_settings", lambda: settings)
    gc.unfreeze()
    try:
        async with AsyncTestClient(app=app_module.serve_app()) as client:
            assert gc.get_freeze_count() > 0
            assert (await client.get("/health")).status_code == 200
    finally:
        gc.unfreeze()


async def test_an_app_built_for_tests_freezes_nothing(tmp_path: Path) -> None:
    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path / 'events.db'}", tmp_path)
    gc.unfreeze()
    async with AsyncTestClient(app=app_module.create_app(settings)) as client:
        assert (await client.get("/health")).status_code == 200
        assert gc.get_freeze_count() == 0


def test_events_serve_runs_the_served_app(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from events import cli

    seen: dict[str, object] = {}
    monkeypatch.setattr("uvicorn.run", lambda target, **options: seen.update(target=target))
    get_settings.cache_clear()
    result = CliRunner().invoke(cli.main, ["serve", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert seen["target"] == "events.app:serve_app"


def test_the_pool_size_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from events.db.engine import create_engine
    from events.settings import Settings

    monkeypatch.setenv("EVENTS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("EVENTS_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:1/none")
    assert Settings.from_env().database_pool_size == 20
    monkeypatch.setenv("EVENTS_DATABASE_POOL_SIZE", "7")
    settings = Settings.from_env()
    pool = create_engine(settings).pool
    # Kept: at most five more for a moment, closed again when returned.
    assert (pool.size(), pool._max_overflow) == (7, 5)  # type: ignore[attr-defined]
    for wrong in ("0", "-3", "many"):
        monkeypatch.setenv("EVENTS_DATABASE_POOL_SIZE", wrong)
        with pytest.raises(ValueError, match="EVENTS_DATABASE_POOL_SIZE"):
            Settings.from_env()
