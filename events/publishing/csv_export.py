"""CSV exports for organisers: the agenda and the speakers.

UTF-8 with a byte order mark (so that Excel reads Kazakh and Polish letters correctly), one column
per event language for multilingual text, and every cell that a spreadsheet would evaluate as a
formula (starting with = + - @) neutralised with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from events.publishing.schemas import EventData
from events.publishing.text import clean, neutralise_cell

BOM = "\ufeff"


def _csv(header: list[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [neutralise_cell(clean(str(cell))) if cell is not None else "" for cell in row]
        )
    return (BOM + buffer.getvalue()).encode("utf-8")


def agenda_csv(event: EventData) -> bytes:
    zone = ZoneInfo(event.timezone)
    speakers = event.speakers_by_id()
    languages = event.languages
    header = ["id", "date", "start", "end", "room", "kind", "track", "language"]
    header += [f"title_{lang}" for lang in languages]
    header += ["speakers", "organisations"]
    header += [f"abstract_{lang}" for lang in languages]
    rows: list[list[object]] = []
    for session in event.sessions:
        start = session.starts_at.astimezone(zone)
        end = session.ends_at.astimezone(zone)
        people = [speakers[p.speaker_id] for p in session.people if p.speaker_id in speakers]
        rows.append(
            [
                session.id,
                start.date().isoformat(),
                start.strftime("%H:%M"),
                end.strftime("%H:%M"),
                session.room,
                session.kind,
                session.track,
                session.language,
                *[session.title.get(lang, "") for lang in languages],
                "; ".join(p.display_name for p in people),
                "; ".join(dict.fromkeys(p.organisation for p in people if p.organisation)),
                *[session.abstract.get(lang, "") for lang in languages],
            ]
        )
    return _csv(header, rows)


def speakers_csv(event: EventData) -> bytes:
    zone = ZoneInfo(event.timezone)
    sessions_of: dict[int, list[str]] = {}
    for session in event.sessions:
        start = session.starts_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        title = session.title.get(event.default_language) or next(iter(session.title.values()), "")
        for person in session.people:
            sessions_of.setdefault(person.speaker_id, []).append(f"{start} {title} ({person.role})")
    header = [
        "id",
        "honorific",
        "given_name",
        "family_name",
        "position",
        "organisation",
        "country",
        "email",
    ]
    header += [f"biography_{lang}" for lang in event.languages]
    header += ["sessions"]
    rows = [
        [
            s.id,
            s.honorific,
            s.given_name,
            s.family_name,
            s.position,
            s.organisation,
            s.country,
            s.email,
            *[s.biography.get(lang, "") for lang in event.languages],
            " | ".join(sessions_of.get(s.id, [])),
        ]
        for s in event.speakers
    ]
    return _csv(header, rows)
