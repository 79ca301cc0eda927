"""An event with registrations in every status, for the check-in tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from events.agenda.models import AgendaSession, Event
from events.checkin.schemas import ScanIn
from events.registration import tokens
from events.registration.models import Registration
from tests.unit.registration.factories import open_event


@dataclass
class Crowd:
    event: Event
    other: Event
    confirmed: list[Registration]
    cancelled: Registration
    waitlisted: Registration
    pending: Registration
    foreign: Registration  # a confirmed registration of the other event
    round_table: AgendaSession
    lecture: AgendaSession


def registration(
    event: Event, number: int, status: str = "confirmed", **changes: Any
) -> Registration:
    values: dict[str, Any] = {
        "event_id": event.id,
        "status": status,
        "given_name": "Айгерім",
        "family_name": f"Сәрсенбаева {number}",
        "email": f"person{number}-{event.id}@example.kz",
        "organisation": "Karaganda Industrial University",
        "country": "KZ",
        "category": "participant",
        "language": "kk",
        "consent_data": True,
        "manage_seed": tokens.new_seed(),
        "manage_token_hash": uuid.uuid4().hex,
        "checkin_token": tokens.new_checkin_token(),
    }
    values.update(changes)
    return Registration(**values)


async def crowd(db: AsyncSession, people: int = 4) -> Crowd:
    event = await open_event(db, commit=False)
    other = await open_event(db, slug="other-round-table", commit=False)
    confirmed = [registration(event, n) for n in range(people)]
    confirmed[1].given_name, confirmed[1].family_name = "Jan", "Kowalski"
    confirmed[1].organisation, confirmed[1].country = "AGH Kraków", "PL"
    confirmed[2].category = "press"
    cancelled = registration(event, 100, "cancelled")
    waitlisted = registration(event, 101, "waitlisted")
    pending = registration(event, 102, "pending")
    foreign = registration(other, 200)
    start = event.starts_at
    round_table = AgendaSession(
        event_id=event.id, title={"en": "Round table"}, kind="panel", starts_at=start,
        ends_at=start + timedelta(hours=1), requires_checkin=True,
    )  # fmt: skip
    lecture = AgendaSession(
        event_id=event.id, title={"en": "Lecture"}, kind="talk", starts_at=start,
        ends_at=start + timedelta(hours=1),
    )  # fmt: skip
    db.add_all([*confirmed, cancelled, waitlisted, pending, foreign, round_table, lecture])
    await db.commit()
    return Crowd(
        event, other, confirmed, cancelled, waitlisted, pending, foreign, round_table, lecture
    )


def scan(token: str | None = None, **changes: Any) -> ScanIn:
    values: dict[str, Any] = {
        "token": token,
        "nonce": uuid.uuid4().hex,
        "scanned_at": datetime.now(UTC),
        "desk": "Desk 1",
    }
    values.update(changes)
    return ScanIn(**values)
