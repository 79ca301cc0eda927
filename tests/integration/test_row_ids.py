"""Every route with an integer id in its path refuses ids outside the database's range with a
400 naming the parameter, instead of passing them to the driver (which fails with a 500)."""

from __future__ import annotations

import re

from litestar.routes import HTTPRoute

from events.app import create_app
from tests.conftest import make_settings

TOO_BIG = str(2**64)


def int_routes() -> list[tuple[str, str, str]]:
    from pathlib import Path

    app = create_app(make_settings("sqlite+aiosqlite:////tmp/unused.db", Path("/tmp")))
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for name in re.findall(r"\{(\w+):int\}", route.path):
            for handler in route.route_handlers:
                for method in sorted(handler.http_methods):
                    if method not in ("OPTIONS", "HEAD"):
                        found.append((method, route.path, name))
    return found


def fill(path: str, bad: str) -> str:
    def one(match: re.Match[str]) -> str:
        name, _, kind = match.group(1).partition(":")
        if name == bad:
            return TOO_BIG
        return "1" if kind == "int" else "some-event"

    return re.sub(r"\{([^}]+)\}", one, path)


async def test_out_of_range_ids_answer_400_naming_the_parameter(admin_client) -> None:  # type: ignore[no-untyped-def]
    routes = int_routes()
    assert routes, "expected routes with integer ids"
    failures = []
    for method, path, name in routes:
        response = await admin_client.request(method, fill(path, name), json={})
        if response.status_code != 400 or name not in response.text:
            failures.append(f"{method} {path}: {response.status_code}")
    assert failures == []
