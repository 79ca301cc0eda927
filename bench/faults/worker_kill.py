"""Fault: a worker is killed (SIGKILL) in the middle of a registration burst.

Real ``events serve --workers 2`` on a fresh PostgreSQL database, 400 registrations for 100 seats
from 40 clients; one worker is SIGKILLed while they run (uvicorn starts a new one). Each request
that failed is retried with the same ``idempotency_key``, as a form's double submit would. Then
``events mail send --once`` delivers the outbox to .eml files. Checks that nothing was lost:

- every person is registered exactly once (no half-written row, no duplicate);
- exactly 100 confirmed (no seat counted twice), the rest waitlisted;
- every registration has exactly one "new registration" mail, and each was sent exactly once.

Run: ``.venv/bin/python -m bench.faults.worker_kill`` (exits 1 when something was lost).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import httpx

from bench.registrations import OF_THE_EVENT, SLUG, body, open_registration
from bench.stack import AppServer, events_command, postgres_database

PEOPLE = 400
SEATS = 100
CLIENTS = 40


async def burst(server: AppServer, answers: dict[str, object]) -> dict[str, int]:
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(PEOPLE):
        queue.put_nowait(n)
    outcome: Counter[str] = Counter()
    done = 0
    killed = asyncio.Event()

    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:

        async def one(n: int) -> None:
            payload = {**body(n, answers), "idempotency_key": f"burst-{n}"}
            for _attempt in range(20):
                try:
                    response = await client.post(
                        f"/api/v1/events/{SLUG}/registrations", json=payload
                    )
                    if response.status_code in (200, 201):
                        outcome[response.json()["status"]] += 1
                        return
                    outcome[f"retry after {response.status_code}"] += 1
                except httpx.HTTPError:
                    outcome["retry after a broken connection"] += 1
                await asyncio.sleep(0.2)
            outcome["gave up"] += 1

        async def worker() -> None:
            nonlocal done
            while not queue.empty():
                await one(queue.get_nowait())
                done += 1
                if done == PEOPLE // 3 and not killed.is_set():
                    killed.set()
                    victim = server.worker_pids()[0]
                    os.kill(victim, signal.SIGKILL)
                    print(f"killed worker {victim} after {done} registrations", flush=True)

        await asyncio.gather(*(worker() for _ in range(CLIENTS)))
    return dict(outcome)


def query(url: str, sql: str) -> list[list[str]]:
    output = subprocess.run(
        ["psql", url.replace("+asyncpg", ""), "-At", "-F", "|", "-c", sql],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return [line.split("|") for line in output.splitlines() if line]


def main() -> int:
    with postgres_database() as url:
        server = AppServer(url, workers=2)
        server.extra_env.update({"EVENTS_MAIL_IN_APP": "0", "EVENTS_REGISTER_RATE_LIMIT": "100000"})
        server.migrate()
        events_command(server.env, "demo")
        answers = open_registration(url, SEATS)
        with server:
            outcome = asyncio.run(burst(server, answers))
        print("answers:", outcome)
        events_command(server.env, "mail", "send", "--once")
        events_command(server.env, "mail", "send", "--once")  # a second pass sends nothing new
        statuses = dict(
            query(url, f"SELECT r.status, count(*) FROM {OF_THE_EVENT} GROUP BY r.status")
        )
        people = query(url, f"SELECT r.email, count(*) FROM {OF_THE_EVENT} GROUP BY r.email")
        mails = query(
            url,
            "SELECT dedupe_key, status, count(*) FROM outbox_messages "
            "WHERE kind LIKE 'registration.%' GROUP BY dedupe_key, status",
        )
        files = list(Path(server.data_dir, "outbox").glob("*.eml"))
    problems = []
    if len(people) != PEOPLE or any(int(c) != 1 for _e, c in people):
        problems.append(f"{len(people)} people registered, some more than once: not {PEOPLE}")
    if int(statuses.get("confirmed", 0)) != SEATS:
        problems.append(f"confirmed {statuses.get('confirmed')} != {SEATS} seats")
    if int(statuses.get("waitlisted", 0)) != PEOPLE - SEATS:
        problems.append(f"waitlisted {statuses.get('waitlisted')} != {PEOPLE - SEATS}")
    if len(mails) != PEOPLE or any(s != "sent" or int(c) != 1 for _k, s, c in mails):
        problems.append(f"mails: {len(mails)} keys, not every one sent exactly once")
    if len(files) != PEOPLE:
        problems.append(f"{len(files)} .eml files for {PEOPLE} registrations")
    if outcome.get("gave up"):
        problems.append(f"{outcome['gave up']} clients gave up")
    print("registrations:", statuses, "| mails:", len(mails), "| .eml files:", len(files))
    print("nothing lost" if not problems else "LOST: " + "; ".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
