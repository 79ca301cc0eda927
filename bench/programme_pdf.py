"""How long the printed programme takes: 200 sessions and 300 speakers, in two languages.

Run: ``.venv/bin/python -m bench.programme_pdf`` (exits non-zero when a target is missed).
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.stack import Row
from events.documents.programme import render_programme
from events.publishing.schemas import (
    EventData,
    OrganisationData,
    PartnerData,
    ProgrammeOptions,
    RoomData,
    SessionData,
    SessionPersonData,
    SpeakerData,
)
from events.publishing.services import render_cached_programme
from events.settings import Settings

SESSIONS = 200
SPEAKERS = 300
TARGET_SECONDS = 2.0

GIVEN = ["Айгерім", "Łukasz", "Jürgen", "Нұрлан", "Małgorzata", "Ерлан", "Anna", "Жанар"]
FAMILY = ["Сәрсенбаева", "Wójcik", "Groß", "Қасымов", "Brzęczyszczykiewicz", "Өтепов", "Schmidt"]


def build_event(sessions: int = SESSIONS, speakers: int = SPEAKERS) -> EventData:
    start = datetime(2023, 10, 12, 3, 0, tzinfo=UTC)
    stamp = datetime(2023, 9, 1, tzinfo=UTC)
    orgs = [
        OrganisationData(
            id=i,
            name=f"Университет {i} / Universität {i}",
            short_name=f"U{i}",
            country=["KZ", "DE", "PL"][i % 3],
            kind="university",
            website=None,
        )
        for i in range(1, 21)
    ]
    people = [
        SpeakerData(
            id=i,
            honorific="Prof. Dr." if i % 4 == 0 else None,
            given_name=GIVEN[i % len(GIVEN)],
            family_name=f"{FAMILY[i % len(FAMILY)]} {i}",
            position="Professor of materials science",
            organisation=orgs[i % len(orgs)].name,
            organisation_short=orgs[i % len(orgs)].short_name,
            country=orgs[i % len(orgs)].country,
            biography={
                "de": "Forscht zu seltenen Erden. " * 12,
                "kk": "Сирек жер металдары. " * 12,
            },
            email=None,
            updated_at=stamp,
        )
        for i in range(1, speakers + 1)
    ]
    rooms = [RoomData(id=i, name=f"Hall {i}", capacity=100) for i in range(1, 5)]
    items = []
    per_day = sessions // 2
    for i in range(sessions):
        day, slot = divmod(i, per_day)
        begins = start + timedelta(days=day, minutes=(slot // 4) * 30)
        items.append(
            SessionData(
                id=i + 1,
                title={
                    "de": f"Vortrag {i + 1}: Wasserstoff und Klima",
                    "kk": f"Баяндама {i + 1}: сутегі",
                },
                abstract={
                    "de": "Eine Zusammenfassung des Vortrags. " * 6,
                    "kk": "Баяндаманың қысқаша мазмұны. " * 6,
                },
                kind="break" if slot % 20 == 19 else ("panel" if i % 10 == 0 else "talk"),
                starts_at=begins,
                ends_at=begins + timedelta(minutes=30),
                room_id=rooms[i % 4].id,
                room=rooms[i % 4].name,
                track=None,
                language="de",
                people=[
                    SessionPersonData(speaker_id=(i * 3 + k) % speakers + 1, role="speaker")
                    for k in range(3)
                ],
                created_at=stamp,
                updated_at=stamp,
            )
        )
    return EventData(
        id=1,
        slug="bench-science-day",
        title={"de": "Wissenschaftstag", "kk": "Ғылым күні"},
        description={"de": "Willkommen. " * 80, "kk": "Қош келдіңіздер. " * 80},
        kind="science_day",
        status="published",
        starts_at=start,
        ends_at=start + timedelta(days=1, hours=10),
        timezone="Asia/Almaty",
        venue="Rixos",
        city="Almaty",
        country="KZ",
        languages=["de", "kk"],
        default_language="de",
        partner_countries=["DE", "KZ"],
        partners=[
            PartnerData(role="host" if i < 2 else "partner", organisation=o)
            for i, o in enumerate(orgs)
        ],
        rooms=rooms,
        sessions=items,
        speakers=people,
        base_url="https://events.example.org",
        url="https://events.example.org/e/bench-science-day",
        last_modified=stamp,
    )


def main() -> int:
    event = build_event()
    render_programme(event, ProgrammeOptions(languages=["de"]))  # warm up: fonts, imports
    rows = []
    for label, options in [
        ("A4, one language (de)", ProgrammeOptions(languages=["de"])),
        ("A4, two languages (de+kk)", ProgrammeOptions(languages=["de", "kk"])),
        ("A5, two languages (de+kk)", ProgrammeOptions(languages=["de", "kk"], size="a5")),
    ]:
        began = time.perf_counter()
        pdf = render_programme(event, options)
        seconds = time.perf_counter() - began
        rows.append((label, seconds, len(pdf)))
    with tempfile.TemporaryDirectory() as directory:
        settings = Settings(data_dir=Path(directory), database_url="sqlite+aiosqlite://",
                            secret_key="bench", base_url=event.base_url, smtp_url=None,
                            host="127.0.0.1", port=8000)  # fmt: skip
        options = ProgrammeOptions(languages=["de", "kk"])
        render_cached_programme(settings, event, options)  # fills the cache
        began = time.perf_counter()
        pdf = render_cached_programme(settings, event, options)
        rows.append(("cached, two languages", time.perf_counter() - began, len(pdf)))
    print(f"programme PDF: {SESSIONS} sessions, {SPEAKERS} speakers")
    print(f"| {'figure':<28} | {'seconds':>7} | {'target':>6} | {'KiB':>6} | result |")
    print(f"| {'-' * 28} | {'-' * 7} | {'-' * 6} | {'-' * 6} | ------ |")
    failed = False
    for label, seconds, size in rows:
        ok = seconds < TARGET_SECONDS
        failed |= not ok
        print(
            f"| {label:<28} | {seconds:7.2f} | {TARGET_SECONDS:6.1f} | {size // 1024:6d} | "
            f"{'pass' if ok else 'FAIL':<6} |"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())


def run(quick: bool = False) -> list[Row]:
    """The two-language A4 programme as a table row for ``make bench``."""
    from bench import targets as t

    event = build_event(50, 80) if quick else build_event()
    render_programme(event, ProgrammeOptions(languages=["de"]))
    began = time.perf_counter()
    render_programme(event, ProgrammeOptions(languages=["de", "kk"]))
    seconds = time.perf_counter() - began
    label = f"programme PDF, {len(event.sessions)} sessions, de+kk (s)"
    return [
        Row(label, f"{seconds:.2f}", f"< {t.PROGRAMME_PDF_MAX_SECONDS:g}",
            seconds < t.PROGRAMME_PDF_MAX_SECONDS)
    ]  # fmt: skip
