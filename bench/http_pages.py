"""Public pages under load, measured side by side with the same app's /health.

Run: ``.venv/bin/python -m bench.http_pages`` (PostgreSQL at 127.0.0.1:5432, 2 workers).
"""

from __future__ import annotations

import sys

from bench.stack import AppServer, Row, events_command, postgres_database, print_table, wrk

WORKERS = 2
SECONDS = 8


def run() -> list[Row]:
    with postgres_database() as url:
        server = AppServer(url, workers=WORKERS)
        server.migrate()
        events_command(server.env, "demo")
        with server:
            health = wrk(f"{server.url}/health", seconds=SECONDS)
            page = wrk(f"{server.url}/e/german-kazakh-science-day-2023/programme", seconds=SECONDS)
        peaks = server.worker_peaks
    ratio = page.requests_per_second / health.requests_per_second
    return [
        Row(
            "/health throughput (req/s, 50 connections)",
            f"{health.requests_per_second:.0f}",
            "-",
            health.errors == 0,
        ),
        Row(
            "programme page throughput (req/s)",
            f"{page.requests_per_second:.0f}",
            "-",
            page.errors == 0,
        ),
        Row("programme page p99 (ms)", f"{page.p99_ms:.1f}", "< 250", page.p99_ms < 250),
        Row("programme page / health", f"{ratio:.2f}", ">= 0.10", ratio >= 0.10),
        Row(
            "peak RSS per worker (MB)",
            ", ".join(f"{p:.0f}" for p in peaks),
            "< 300",
            all(p < 300 for p in peaks),
        ),
    ]


def main() -> int:
    rows = run()
    print_table(
        f"Public pages, PostgreSQL, {WORKERS} workers, wrk 50 connections, {SECONDS} s", rows
    )
    return 0 if all(r.passed for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
