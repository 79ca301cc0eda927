"""The ``events`` command (also ``python -m events``)."""

from __future__ import annotations

import asyncio
import os
import sys

import click

from events.settings import get_settings


@click.group(help="Run and manage the events application.")
def main() -> None:
    pass


@main.command(help="Serve the application (uvicorn).")
@click.option("--host", default=None, help="Defaults to EVENTS_HOST or 127.0.0.1.")
@click.option("--port", type=int, default=None, help="Defaults to EVENTS_PORT or 8000.")
@click.option("--workers", type=int, default=1, show_default=True)
@click.option("--reload", is_flag=True, default=False)
def serve(host: str | None, port: int | None, workers: int, reload: bool) -> None:
    import uvicorn

    settings = get_settings()
    uvicorn.run(
        "events.app:serve_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        reload=reload,
        proxy_headers=True,
        log_level=os.environ.get("EVENTS_LOG_LEVEL", "info"),
    )


@main.group(help="Database migrations.")
def db() -> None:
    pass


@db.command(help="Apply migrations up to REVISION (default: head).")
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    from events.db import migrations

    migrations.upgrade(get_settings(), revision)
    click.echo(f"database at {revision}")


@db.command(help="Revert migrations down to REVISION (e.g. base, or -1).")
@click.argument("revision")
def downgrade(revision: str) -> None:
    from events.db import migrations

    migrations.downgrade(get_settings(), revision)
    click.echo(f"database at {revision}")


@db.command(help="Create a new migration from the difference between models and database.")
@click.option("-m", "--message", required=True)
@click.option("--empty", is_flag=True, help="Do not autogenerate; write an empty revision.")
def revision(message: str, empty: bool) -> None:
    from events.db import migrations

    migrations.revision(get_settings(), message, autogenerate=not empty)


def run_async(coro: object) -> object:
    return asyncio.run(coro)  # type: ignore[arg-type]


from events.demo.cli import demo as _demo  # noqa: E402

main.add_command(_demo)

from events.publishing.cli import export as _export  # noqa: E402
from events.publishing.cli import programme as _programme  # noqa: E402

main.add_command(_programme)
main.add_command(_export)
from events.accounts.cli import token as _token_cli  # noqa: E402
from events.accounts.cli import user as _user_cli  # noqa: E402

main.add_command(_user_cli)
main.add_command(_token_cli)
from events.mail.cli import mail as _mail_cli  # noqa: E402
from events.registration.cli import purge as _purge_cli  # noqa: E402

main.add_command(_mail_cli)
from events.accounts.cli import cleanup as _cleanup_cli  # noqa: E402

main.add_command(_cleanup_cli)
main.add_command(_purge_cli)
from events.badges.cli import badges as _badges_cli  # noqa: E402

main.add_command(_badges_cli)

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
