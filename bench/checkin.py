"""Check-in under load, side by side with the same app's /health.

1. Closed loop: wrk, 50 connections (50 desks back to back), POSTing scans with unique nonces over
   tokens of seeded confirmed registrations, against wrk on /health: the ratio must be >= 40 %.
2. Open loop: 200 scans a second in all from 50 desks (50 connections): p99 <= 25 ms.
3. Peak memory of each worker.

Run: ``.venv/bin/python -m bench.checkin [--quick]`` (PostgreSQL at 127.0.0.1:5432, 2 workers).
"""

from __future__ import annotations

import argparse
import json
import secrets
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench import loadgen
from bench import targets as t
from bench.stack import (
    BIN,
    ROOT,
    AppServer,
    Row,
    events_command,
    fixed_rate,
    postgres_database,
    print_table,
    wrk,
)

SLUG = "rare-earths-round-table"
WORKERS = 2


def seed_tokens(server: AppServer, count: int) -> list[str]:
    url = server.database_url
    output = subprocess.run(
        [str(BIN / "python"), "-m", "bench.seed", url, "confirmed", SLUG, str(count)],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return [line for line in output.splitlines() if line]


def desk_token(server: AppServer) -> str:
    """A bearer token of a desk user of the event, as the desks at its doors have."""
    events_command(server.env, "user", "add", "desk@example.org", "--role", "desk", "--event", SLUG)
    return (
        events_command(server.env, "token", "create", "desk@example.org").strip().splitlines()[-1]
    )


def run(quick: bool = False) -> list[Row]:
    seconds = 3 if quick else 10
    people = 200 if quick else 2000
    steady = t.CHECKIN_RATE * (3 if quick else 15)
    with postgres_database() as url:
        server = AppServer(url, workers=WORKERS)
        server.extra_env["EVENTS_MAIL_IN_APP"] = "0"
        server.migrate()
        events_command(server.env, "demo")
        tokens = seed_tokens(server, people)
        bearer = desk_token(server)
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
            handle.write("\n".join(tokens))
            token_file = handle.name
        with server:
            health = wrk(f"{server.url}/health", seconds=seconds, connections=t.CHECKIN_DESKS)
            scans = wrk(
                server.url,
                seconds=seconds,
                connections=t.CHECKIN_DESKS,
                script=ROOT / "bench" / "lua" / "checkin.lua",
                script_args=[token_file, bearer, SLUG],
            )
            headers = {"Authorization": f"Bearer {bearer}", "Content-Type": "application/json"}
            requests = []
            for n in range(steady):
                body = {
                    "token": tokens[n % len(tokens)],
                    "nonce": f"steady-{n}-{secrets.token_hex(4)}",
                    "scanned_at": datetime.now(UTC).isoformat(),
                    "desk": f"desk-{n % t.CHECKIN_DESKS}",
                }
                requests.append(
                    loadgen.Request("POST", f"{server.url}/api/v1/events/{SLUG}/checkins",
                                    json.dumps(body).encode(), headers)
                )  # fmt: skip
            steady_result = fixed_rate(requests, t.CHECKIN_RATE, connections=t.CHECKIN_DESKS)
        peaks = server.worker_peaks
        Path(token_file).unlink(missing_ok=True)
    ratio = scans.requests_per_second / health.requests_per_second
    return [
        Row("/health (req/s, 50 connections)", f"{health.requests_per_second:.0f}", "-",
            health.errors == 0),
        Row("check-in scans (req/s, 50 desks back to back)", f"{scans.requests_per_second:.0f}",
            "-", scans.errors == 0),
        Row("check-in / health", f"{ratio:.2f}", f">= {t.CHECKIN_VS_HEALTH_MIN:.2f}",
            ratio >= t.CHECKIN_VS_HEALTH_MIN and scans.errors == 0),
        Row(f"check-in p99 at {t.CHECKIN_RATE}/s from {t.CHECKIN_DESKS} desks (ms)",
            f"{steady_result.p99_ms:.1f}", f"<= {t.CHECKIN_P99_MS:g}",
            steady_result.p99_ms <= t.CHECKIN_P99_MS and steady_result.errors == 0),
        Row("  errors in the steady run", str(steady_result.errors), "0",
            steady_result.errors == 0),
        Row("peak RSS per worker (MB)", ", ".join(f"{p:.0f}" for p in peaks),
            f"< {t.WORKER_RSS_MAX_MB:g}", all(p < t.WORKER_RSS_MAX_MB for p in peaks)),
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, to prove it works")
    args = parser.parse_args(argv)
    rows = run(args.quick)
    print_table(f"Check-in, PostgreSQL, {WORKERS} workers", rows)
    return 0 if all(r.passed for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
