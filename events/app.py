"""create_app(): plugins, routes, middleware; nothing else."""

from __future__ import annotations

import gc

from litestar import Litestar
from litestar.config.compression import CompressionConfig
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.datastructures import State
from litestar.middleware.base import DefineMiddleware
from litestar.openapi.config import OpenAPIConfig
from litestar.plugins.sqlalchemy import SQLAlchemyPlugin
from litestar.router import Router
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from sqlalchemy.orm import configure_mappers

from events import errors_http, i18n, templating
from events.accounts import api as accounts_api
from events.accounts import guards as accounts_guards
from events.accounts import housekeeping as accounts_housekeeping
from events.accounts import middleware as accounts_middleware
from events.accounts import pages as accounts_pages
from events.agenda import api as agenda_api
from events.agenda import manage_pages as agenda_manage_pages
from events.agenda import pages as agenda_pages
from events.badges import pages as badges_pages
from events.checkin import api as checkin_api
from events.checkin import pages as checkin_pages
from events.db.commit import CommitBeforeAnswerMiddleware
from events.db.engine import create_engine, sqlalchemy_config
from events.desk import pages as desk_pages
from events.mail import compose as mail_compose
from events.mail import sender as mail_sender
from events.publishing import api as publishing_api
from events.publishing import pages as publishing_pages
from events.registration import api as registration_api
from events.registration import manage as registration_manage
from events.registration import pages as registration_pages
from events.settings import PROJECT_ROOT, Settings, get_settings
from events.summary import api as summary_api
from events.summary import pages as summary_pages
from events.system import api as system_api
from events.system.schema_viewer import LocalRapidocPlugin, viewer_headers
from events.workspace import pages as workspace_pages

MAX_BODY_BYTES = 10 * 1024 * 1024


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or get_settings()
    engine = create_engine(settings)
    db_config = sqlalchemy_config(settings, engine)
    route_handlers: list[object] = [
        *system_api.routes,
        *agenda_pages.routes,
        *agenda_api.routes,
        *publishing_pages.routes,
        *publishing_api.routes,
        *accounts_pages.routes,
        *accounts_api.routes,
        create_static_files_router(
            path="/static", directories=[PROJECT_ROOT / "static"], opt={"access": "public"}
        ),
        *registration_api.routes,
        *registration_pages.routes,
        *workspace_pages.routes,
        *desk_pages.routes,
        *checkin_api.routes,
        *checkin_pages.routes,
        *badges_pages.routes,
        *agenda_manage_pages.routes,
        *registration_manage.routes,
        *summary_api.routes,
        *summary_pages.routes,
    ]
    return Litestar(
        route_handlers=route_handlers,  # type: ignore[arg-type]
        plugins=[SQLAlchemyPlugin(config=db_config)],
        template_config=TemplateConfig(
            directory=PROJECT_ROOT / "templates",
            engine=JinjaTemplateEngine,
            engine_callback=templating.configure,
        ),
        openapi_config=OpenAPIConfig(
            title="events",
            version="1.0.0",
            description="Events, agenda, registration and check-in for bilateral science days.",
            path="/schema",
            render_plugins=[LocalRapidocPlugin()],
            # The schema and its viewer are public: declared here, like every other route.
            openapi_router=Router(
                "/schema", route_handlers=[], opt={"access": "public"}, after_request=viewer_headers
            ),
        ),
        # Every route declares opt={"access": ...}; this guard enforces it (docs/accounts.md).
        guards=[accounts_guards.access_guard],
        middleware=[
            CommitBeforeAnswerMiddleware,
            DefineMiddleware(accounts_middleware.AuthenticationMiddleware, exclude=["^/static/"]),
        ],
        before_send=[accounts_middleware.security_headers],
        exception_handlers={**errors_http.handlers(), **accounts_guards.exception_handlers()},
        compression_config=CompressionConfig(backend="gzip", minimum_size=1024),
        request_max_body_size=MAX_BODY_BYTES,
        state=State({"settings": settings, "engine": engine, "db_config": db_config}),
        lifespan=[
            lambda _app: mail_sender.background_sender(engine, settings),
            lambda _app: accounts_housekeeping.background_housekeeping(engine),
        ],
        debug=settings.debug,
    )


def serve_app() -> Litestar:
    """The application as ``events serve`` runs it in each worker process: :func:`create_app`,
    and once it has started, the start-up objects frozen (tests build many apps in one process,
    and there freezing would keep every one of them alive)."""
    app = create_app()
    app.on_startup.extend([warm_up, _freeze_startup_objects])
    return app


def warm_up(app: Litestar) -> None:
    """Load at a worker's start what each page would otherwise load for its first visitors.

    After a restart every worker met its first visitors cold: the first programme page cost
    about 110 ms (templates compiled, locale data read, mappers configured) while the worker's
    other requests waited, which under load was the page's slowest percentile
    (docs/PERFORMANCE.md). Uvicorn accepts connections only once start-up has finished."""
    if app.template_engine is not None:
        pages = app.template_engine.engine
        templating.keep_compiled(pages, app.state.settings.data_dir / "cache" / "templates")
        templating.warm_up(pages, lambda name: not name.startswith("emails/"))
    mail_compose.warm_up()
    i18n.warm_up()
    configure_mappers()


def _freeze_startup_objects() -> None:
    """Move everything alive after start-up out of the garbage collector's sight.

    The modules, templates, mappers and translations loaded at start-up never die, yet every full
    collection walked them all: about 100 ms each, stalling every request in flight on the worker
    (measured with gc.callbacks under load; docs/PERFORMANCE.md). Frozen, a full collection takes
    a few milliseconds.
    """
    gc.collect()
    gc.freeze()
