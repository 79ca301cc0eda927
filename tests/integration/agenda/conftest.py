"""The agenda API tests act as an organiser: ``client`` carries an admin's bearer token.

Anonymous and desk refusals of these routes are proven by the route walk in
tests/integration/accounts/test_route_walk.py.
"""

from __future__ import annotations

import pytest


@pytest.fixture
async def client(admin_client):  # type: ignore[no-untyped-def]
    return admin_client


@pytest.fixture
async def anonymous_client(settings):  # type: ignore[no-untyped-def]
    from litestar.testing import AsyncTestClient

    from events.app import create_app

    async with AsyncTestClient(app=create_app(settings), base_url="http://testserver.local") as c:
        yield c
