"""The real stack for resilience tests: a fresh PostgreSQL database, ``events serve``, an admin.

Built on bench/stack.py (the benchmarks use the same pieces). PostgreSQL only: these tests run
real worker processes, which the embedded SQLite database is not meant for.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from bench.stack import AppServer, events_command, postgres_database
from tests.conftest import REQUIRE_POSTGRES, _postgres_answers


def require_postgres() -> None:
    if not _postgres_answers():
        if REQUIRE_POSTGRES:
            pytest.fail("EVENTS_REQUIRE_POSTGRES=1 but no PostgreSQL server answers")
        pytest.skip("no PostgreSQL server answers on 127.0.0.1:5432")


@dataclass
class Live:
    server: AppServer
    admin_token: str

    @property
    def url(self) -> str:
        return self.server.url

    def command(self, *args: str, input_text: str | None = None) -> str:
        return events_command(self.server.env, *args, input_text=input_text)


def admin_token(server: AppServer, email: str = "admin@example.org") -> str:
    events_command(server.env, "user", "add", email, "--role", "admin")
    output = events_command(server.env, "token", "create", email, "--name", "tests")
    return output.strip().splitlines()[-1]


@contextlib.contextmanager
def live_stack(
    *,
    workers: int = 1,
    demo: bool = False,
    mail_in_app: bool = False,
    env: dict[str, str] | None = None,
) -> Iterator[Live]:
    """Migrate a fresh database, optionally load the demo, start the app, yield; stop and drop."""
    require_postgres()
    with postgres_database() as url:
        server = AppServer(url, workers=workers)
        server.extra_env["EVENTS_MAIL_IN_APP"] = "1" if mail_in_app else "0"
        server.extra_env.update(env or {})
        server.migrate()
        if demo:
            events_command(server.env, "demo")
        token = admin_token(server)
        with server:
            yield Live(server, token)
