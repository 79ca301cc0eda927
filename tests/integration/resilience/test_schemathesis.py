"""Schemathesis against the real app (PostgreSQL, ``events serve``), every operation of the schema.

For each operation of /schema/openapi.json a bounded number of generated requests (derandomized,
so CI is reproducible), authorised as an admin by bearer token so write operations get past the
guard. No answer may be a 5xx, and every answer must match the schema's description of it.
Two passes: paths as generated (mostly unknown slugs and ids: validation), and paths on a real
demo event (the code behind validation), without DELETE so the event stays for the other cases.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.exceptions import CheckFailed
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.integration.resilience.live import Live, live_stack

# Litestar writes OpenAPI 3.1; schemathesis 3 supports it behind this switch.
schemathesis.experimental.OPEN_API_3_1.enable()

# Cases per operation and pass; EVENTS_SCHEMATHESIS_EXAMPLES raises it for a longer hunt.
EXAMPLES = int(os.environ.get("EVENTS_SCHEMATHESIS_EXAMPLES", "5"))
DEMO = "rare-earths-round-table"
TIMEOUT = 20
CHECKS = (not_a_server_error, response_schema_conformance)
# Not operations to fuzz: the schema viewer pages and the static files.
SKIP_PATHS = ("/schema", "/static")
# Endless by design (server-sent events with keep-alives): a read timeout never ends them. The
# stream has its own tests in tests/integration/checkin/.
SKIP_SUFFIXES = ("/checkin-stream",)


@pytest.fixture(scope="module")
def live() -> Iterator[Live]:
    with live_stack(demo=True, env={"EVENTS_REGISTER_RATE_LIMIT": "100000"}) as stack:
        yield stack


def _operations(live: Live) -> list[Any]:
    schema = schemathesis.from_uri(f"{live.url}/schema/openapi.json", base_url=live.url)
    found = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith(SKIP_PATHS) and not operation.path.endswith(SKIP_SUFFIXES):
            found.append(operation)
    return found


def _run(live: Live, operation: Any, *, on_demo: bool, failures: list[str]) -> None:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {live.admin_token}"

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def check(case: Any) -> None:
        if on_demo and case.path_parameters is not None and "slug" in case.path_parameters:
            case.path_parameters["slug"] = DEMO
        try:
            response = case.call(session=session, timeout=TIMEOUT)
        except CheckFailed:  # no answer within TIMEOUT seconds
            failures.append(f"{operation.method.upper()} {operation.path}: no answer in time")
            return
        try:
            case.validate_response(response, checks=CHECKS)
        except CheckFailed as failure:
            failures.append(
                f"{operation.method.upper()} {operation.path} -> {response.status_code}: "
                f"{str(failure).strip().splitlines()[0]}\n    {case.as_curl_command()}"
            )

    check()


def test_every_operation_answers_within_its_schema_and_never_5xx(live: Live) -> None:
    operations = _operations(live)
    assert len(operations) > 30  # the whole API, not an empty schema
    failures: list[str] = []
    for operation in operations:
        _run(live, operation, on_demo=False, failures=failures)
    for operation in operations:
        if operation.method.lower() != "delete":
            _run(live, operation, on_demo=True, failures=failures)
    unique = sorted(set(failures))
    assert not unique, f"{len(unique)} failures:\n" + "\n".join(unique[:40])
