"""A burst of 1,000 registrations for 300 seats through the public API.

50 clients send the 1,000 registrations as fast as the app answers. Afterwards: exactly 300
confirmed (never oversold, never undersold), the rest waitlisted, no error, and at least 200
registrations a second. Peak memory of each worker.

Run: ``.venv/bin/python -m bench.registrations [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from bench import loadgen
from bench import targets as t
from bench.stack import BIN, ROOT, AppServer, Row, events_command, postgres_database, print_table

SLUG = "rare-earths-round-table"
WORKERS = 2
CONNECTIONS = 50
# The demo has registrations of its own on other events: count only the round table's.
OF_THE_EVENT = f"registrations r JOIN events e ON e.id = r.event_id WHERE e.slug = '{SLUG}'"


def body(n: int, answers: dict[str, object] | None = None) -> dict[str, object]:
    return {
        "given_name": "Айгерім", "family_name": f"Сәрсенбаева {n}",
        "email": f"burst{n}@example.kz", "organisation": "Karaganda Industrial University",
        "country": "KZ", "category": "participant", "language": "kk", "consent": True,
        "answers": answers or {},
    }  # fmt: skip


def open_registration(url: str, seats: int) -> dict[str, object]:
    """Open the demo round table with ``seats`` seats; the answers its required questions need."""
    output = subprocess.run(
        [str(BIN / "python"), "-m", "bench.seed", url, "open", SLUG, str(seats)],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    answers: dict[str, object] = json.loads(output)
    return answers


def burst(url: str, count: int, answers: dict[str, object]) -> tuple[float, dict[int, int]]:
    """``count`` registrations from 50 clients, each sending its next once answered."""
    requests = [
        loadgen.Request(
            "POST",
            f"{url}/api/v1/events/{SLUG}/registrations",
            json.dumps(body(n, answers)).encode(),
            {"Content-Type": "application/json"},
        )
        for n in range(count)
    ]
    answered, seconds = loadgen.send(requests, connections=CONNECTIONS)
    statuses: dict[int, int] = {}
    for answer in answered:
        statuses[answer.status] = statuses.get(answer.status, 0) + 1
    return seconds, statuses


def counts(url: str) -> dict[str, int]:
    sync_url = url.replace("+asyncpg", "")
    output = subprocess.run(
        ["psql", sync_url, "-At", "-F", " ", "-c",
         f"SELECT r.status, count(*) FROM {OF_THE_EVENT} GROUP BY r.status"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return {line.split()[0]: int(line.split()[1]) for line in output.splitlines() if line}


def run(quick: bool = False) -> list[Row]:
    people = 200 if quick else t.BURST_REGISTRATIONS
    seats = 60 if quick else t.BURST_SEATS
    with postgres_database() as url:
        server = AppServer(url, workers=WORKERS)
        server.extra_env.update(
            {"EVENTS_MAIL_IN_APP": "0", "EVENTS_REGISTER_RATE_LIMIT": "1000000"}
        )
        server.migrate()
        events_command(server.env, "demo")
        answers = open_registration(url, seats)
        with server:
            seconds, statuses = burst(server.url, people, answers)
        peaks = server.worker_peaks
        found = counts(url)
    rate = people / seconds
    confirmed = found.get("confirmed", 0)
    waitlisted = found.get("waitlisted", 0)
    created = statuses.get(201, 0)
    return [
        Row(f"{people} registrations for {seats} seats: confirmed", str(confirmed), f"== {seats}",
            confirmed == seats),
        Row("  waitlisted", str(waitlisted), f"== {people - seats}", waitlisted == people - seats),
        Row("  answered 201", str(created), f"== {people}", created == people),
        Row("registrations per second (50 clients)", f"{rate:.0f}",
            f">= {t.BURST_MIN_PER_SECOND:g}", rate >= t.BURST_MIN_PER_SECOND),
        Row("peak RSS per worker (MB)", ", ".join(f"{p:.0f}" for p in peaks),
            f"< {t.WORKER_RSS_MAX_MB:g}", all(p < t.WORKER_RSS_MAX_MB for p in peaks)),
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, to prove it works")
    args = parser.parse_args(argv)
    rows = run(args.quick)
    print_table(f"Registration burst, PostgreSQL, {WORKERS} workers", rows)
    return 0 if all(r.passed for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
