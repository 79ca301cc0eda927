"""A served worker loads at start-up what its first visitors would otherwise wait for."""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from events import app as app_module
from events import i18n
from events.mail import compose
from events.settings import Settings

SCIENCE_DAY = "german-kazakh-science-day-2023"


def counting(function: Callable[..., Any], names: list[str]) -> Callable[..., Any]:
    """``function`` (a loader's ``load`` or an environment's ``compile``), noting each template's
    name in ``names``."""

    def count(*args: Any, **kw: Any) -> Any:
        names.append(str(args[1]))  # both take the template's name second
        return function(*args, **kw)

    return count


def served_app(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(app_module, "get_settings", lambda: settings)
    app = app_module.serve_app()
    assert app.template_engine is not None
    return app


async def test_the_first_visitors_of_a_served_worker_find_everything_loaded(
    demo: AsyncSession, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    compose.environment.cache_clear()
    i18n.translations.cache_clear()
    i18n.language_name.cache_clear()
    app = served_app(settings, monkeypatch)
    pages = app.template_engine.engine
    mails = compose.environment()
    loaded: list[str] = []
    gc.unfreeze()
    try:
        async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
            # Start-up loaded every interface catalogue and every language's name...
            assert i18n.translations.cache_info().currsize == len(i18n.UI_LANGUAGES)
            names = i18n.language_name.cache_info().currsize
            assert names == len(i18n.CONTENT_LANGUAGES) * (len(i18n.UI_LANGUAGES) + 1)
            # ...and every template, so that the first visitors, in every language, wait for
            # none of it (a template not loaded yet goes to its loader).
            for env in (pages, mails):
                assert env.loader is not None
                monkeypatch.setattr(env.loader, "load", counting(env.loader.load, loaded))
            for language in i18n.UI_LANGUAGES:
                for path in (f"/e/{SCIENCE_DAY}", f"/e/{SCIENCE_DAY}/programme", "/"):
                    page = await client.get(path, params={"lang": language})
                    assert page.status_code == 200
            for name in ("registration", "invitation", "team_invitation"):
                for kind in ("txt", "html"):
                    mails.get_template(f"emails/{name}.{kind}")
            assert loaded == []
            assert i18n.translations.cache_info().currsize == len(i18n.UI_LANGUAGES)
            assert i18n.language_name.cache_info().currsize == names
    finally:
        gc.unfreeze()


async def test_a_restarted_worker_loads_the_templates_compiled_before(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled: list[str] = []
    gc.unfreeze()
    try:
        for start in ("first", "second"):
            app = served_app(settings, monkeypatch)
            pages = app.template_engine.engine
            monkeypatch.setattr(pages, "compile", counting(pages.compile, compiled))
            async with AsyncTestClient(app=app):
                if start == "first":
                    assert "public/programme.html" in compiled
                    assert list((settings.data_dir / "cache" / "templates").iterdir())
                    compiled.clear()
        assert compiled == []
    finally:
        gc.unfreeze()
