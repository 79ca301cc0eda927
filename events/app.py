"""create_app(): plugins, routes, middleware; nothing else."""

from __future__ import annotations

from litestar import Litestar
from litestar.config.compression import CompressionConfig
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.datastructures import State
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin
from litestar.plugins.sqlalchemy import SQLAlchemyPlugin
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from events import errors_http, templating
from events.db.engine import create_engine, sqlalchemy_config
from events.mail import sender as mail_sender
from events.registration import api as registration_api
from events.registration import pages as registration_pages
from events.settings import PROJECT_ROOT, Settings, get_settings
from events.system import api as system_api

MAX_BODY_BYTES = 10 * 1024 * 1024


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or get_settings()
    engine = create_engine(settings)
    db_config = sqlalchemy_config(settings, engine)
    route_handlers: list[object] = [
        *system_api.routes,
        *registration_api.routes,
        *registration_pages.routes,
        create_static_files_router(path="/static", directories=[PROJECT_ROOT / "static"]),
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
            render_plugins=[ScalarRenderPlugin()],
        ),
        exception_handlers=errors_http.handlers(),
        compression_config=CompressionConfig(backend="gzip", minimum_size=1024),
        request_max_body_size=MAX_BODY_BYTES,
        state=State({"settings": settings, "engine": engine}),
        lifespan=[lambda _app: mail_sender.background_sender(engine, settings)],
        debug=settings.debug,
    )
