"""What one request costs the app: CPU seconds of the worker per request, one request at a time.

Throughput figures move with whatever else the machine does; the worker's own CPU time per
request (utime + stime from /proc, one worker, requests sent one after another) moves much less,
so it shows where a change helped. No targets: it explains the throughput figures.

Run: ``.venv/bin/python -m bench.cost [--quick]`` (PostgreSQL at 127.0.0.1:5432, 1 worker).
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bench.checkin import SLUG, desk_token, seed_tokens
from bench.registrations import body, open_registration
from bench.stack import AppServer, Row, events_command, postgres_database, print_table

PROGRAMME = "/e/german-kazakh-science-day-2023/programme"


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def per_request(pid: int, send: Callable[[int], None], count: int) -> float:
    """Milliseconds of the worker's CPU per request (after a warm-up of 20)."""
    for n in range(20):
        send(n)
    before = cpu_seconds(pid)
    for n in range(count):
        send(20 + n)
    return (cpu_seconds(pid) - before) / count * 1000


def run(quick: bool = False) -> list[Row]:
    count = 100 if quick else 400
    with postgres_database() as url:
        server = AppServer(url, workers=1)
        server.extra_env.update(
            {"EVENTS_MAIL_IN_APP": "0", "EVENTS_REGISTER_RATE_LIMIT": "1000000"}
        )
        server.migrate()
        events_command(server.env, "demo")
        tokens = seed_tokens(server, count + 40)
        bearer = desk_token(server)
        answers = open_registration(url, 10 * count)
        with server, httpx.Client(base_url=server.url) as client:
            assert server.process is not None
            pid = server.process.pid
            headers = {"Authorization": f"Bearer {bearer}"}

            def health(_n: int) -> None:
                client.get("/health").raise_for_status()

            def scan(n: int) -> None:
                client.post(
                    f"/api/v1/events/{SLUG}/checkins",
                    headers=headers,
                    json={
                        "token": tokens[n],
                        "nonce": f"cost-{n}-{secrets.token_hex(4)}",
                        "scanned_at": datetime.now(UTC).isoformat(),
                        "desk": f"desk-{n % 50}",
                    },
                ).raise_for_status()

            def register(n: int) -> None:
                client.post(
                    f"/api/v1/events/{SLUG}/registrations", json=body(n, answers)
                ).raise_for_status()

            def programme(_n: int) -> None:
                client.get(PROGRAMME).raise_for_status()

            costs = {
                "/health": per_request(pid, health, count),
                "check-in scan (admits)": per_request(pid, scan, count),
                "registration (API)": per_request(pid, register, count),
                "public programme page": per_request(pid, programme, count),
            }
    base = costs["/health"]
    return [
        Row(f"{name}: worker CPU per request (ms), x /health", f"{ms:.2f} ({ms / base:.1f}x)", "-",
            True)
        for name, ms in costs.items()
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests")
    args = parser.parse_args(argv)
    print_table("CPU per request, PostgreSQL, 1 worker, one request at a time", run(args.quick))
    return 0


if __name__ == "__main__":
    sys.exit(main())
