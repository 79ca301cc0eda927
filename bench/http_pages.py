"""Public pages under load, measured side by side with the same app's /health.

Run: ``.venv/bin/python -m bench.http_pages`` (PostgreSQL at 127.0.0.1:5432, 2 workers).
"""

from __future__ import annotations

import sys

from bench import targets as t
from bench.stack import AppServer, Row, events_command, postgres_database, print_table, wrk

WORKERS = 2
SECONDS = 8


def run(quick: bool = False) -> list[Row]:
    seconds = 3 if quick else SECONDS
    with postgres_database() as url:
        server = AppServer(url, workers=WORKERS)
        server.migrate()
        events_command(server.env, "demo")
        with server:
            health = wrk(f"{server.url}/health", seconds=seconds)
            page = wrk(f"{server.url}/e/german-kazakh-science-day-2023/programme", seconds=seconds)
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
        Row(
            "programme page p99 (ms)",
            f"{page.p99_ms:.1f}",
            f"< {t.PROGRAMME_PAGE_P99_MS:g}",
            page.p99_ms < t.PROGRAMME_PAGE_P99_MS,
        ),
        Row(
            "programme page / health",
            f"{ratio:.2f}",
            f">= {t.PROGRAMME_PAGE_VS_HEALTH_MIN:.2f}",
            ratio >= t.PROGRAMME_PAGE_VS_HEALTH_MIN,
        ),
        Row(
            "peak RSS per worker (MB)",
            ", ".join(f"{p:.0f}" for p in peaks),
            f"< {t.WORKER_RSS_MAX_MB:g}",
            all(p < t.WORKER_RSS_MAX_MB for p in peaks),
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
