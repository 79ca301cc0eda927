"""Fault: PostgreSQL restarts while 50 desks are scanning.

NOT a CI test: it restarts the machine's shared PostgreSQL cluster (``pg_ctlcluster VERSION main
restart``; set EVENTS_FAULT_PG_CLUSTER="15 main" to name another). Run it alone, on a machine where
nothing else uses that server:

    .venv/bin/python -m bench.faults.pg_restart

The app runs with 2 workers on a fresh database; 50 desk clients scan seeded badges, each scan
with its own nonce. Halfway, the cluster restarts. A scan that fails is retried with the SAME
nonce (as the desk app does from its queue) until it is answered 200. Checks:

- while the database is down, answers are 503 with the code ``database_unavailable`` and come
  fast (under 6 s: the connect timeout), never 500;
- after the restart every scan was answered, and each nonce is recorded exactly once.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime

import httpx

from bench.checkin import SLUG, desk_token, seed_tokens
from bench.stack import AppServer, events_command, postgres_database

DESKS = 50
SCANS_PER_DESK = 40
CLUSTER = os.environ.get("EVENTS_FAULT_PG_CLUSTER", "15 main").split()


async def scan_all(server: AppServer, tokens: list[str], bearer: str) -> tuple[Counter[str], float]:
    seen: Counter[str] = Counter()
    slowest_failure = 0.0
    restarted = asyncio.Event()
    done = 0
    headers = {"Authorization": f"Bearer {bearer}"}
    async with httpx.AsyncClient(base_url=server.url, timeout=30, headers=headers) as client:

        async def desk(d: int) -> None:
            nonlocal done, slowest_failure
            for n in range(SCANS_PER_DESK):
                scan = {
                    "token": tokens[(d * SCANS_PER_DESK + n) % len(tokens)],
                    "nonce": f"fault-{d}-{n}",
                    "scanned_at": datetime.now(UTC).isoformat(),
                    "desk": f"desk-{d}",
                }
                while True:
                    began = time.monotonic()
                    try:
                        response = await client.post(f"/api/v1/events/{SLUG}/checkins", json=scan)
                        code = str(response.status_code)
                        if response.status_code == 503:
                            code += " " + response.json().get("code", "?")
                    except httpx.HTTPError as exc:
                        code = type(exc).__name__
                    seen[code] += 1
                    if code == "200":
                        break
                    slowest_failure = max(slowest_failure, time.monotonic() - began)
                    await asyncio.sleep(0.5)  # the desk's retry
                done += 1
                if done == DESKS * SCANS_PER_DESK // 2 and not restarted.is_set():
                    restarted.set()
                    print("restarting PostgreSQL", flush=True)
                    await asyncio.to_thread(
                        subprocess.run, ["pg_ctlcluster", *CLUSTER, "restart"], check=True
                    )

        await asyncio.gather(*(desk(d) for d in range(DESKS)))
    return seen, slowest_failure


def main() -> int:
    with postgres_database() as url:
        server = AppServer(url, workers=2)
        server.extra_env["EVENTS_MAIL_IN_APP"] = "0"
        server.migrate()
        events_command(server.env, "demo")
        tokens = seed_tokens(server, 500)
        bearer = desk_token(server)
        with server:
            seen, slowest = asyncio.run(scan_all(server, tokens, bearer))
        output = subprocess.run(
            ["psql", url.replace("+asyncpg", ""), "-At", "-F", "|", "-c",
             "SELECT count(*), count(DISTINCT nonce) FROM checkin_scans "
             "WHERE nonce LIKE 'fault-%'"],
            check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
    rows, distinct = (int(x) for x in output.split("|"))
    expected = DESKS * SCANS_PER_DESK
    problems = []
    if rows != expected or distinct != expected:
        problems.append(f"{rows} scan rows, {distinct} nonces, expected {expected} each")
    if any(code.startswith("500") for code in seen):
        problems.append("a 500 answer")
    if slowest > 6:
        problems.append(f"a failure took {slowest:.1f} s (not fast)")
    print("answers:", dict(seen), f"| slowest failure {slowest:.2f} s")
    print("nothing lost" if not problems else "LOST: " + "; ".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
