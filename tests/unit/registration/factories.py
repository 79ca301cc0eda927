"""Events with registration open, for the registration and mail tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from events.agenda.models import Event
from events.registration.models import Question, RegistrationSettings
from events.registration.schemas import RegistrationIn


async def open_event(
    session: AsyncSession,
    slug: str = "rare-earths-round-table",
    *,
    capacity: int | None = 10,
    questions: bool = False,
    commit: bool = True,
    **settings: Any,
) -> Event:
    start = datetime.now(UTC) + timedelta(days=20)
    event = Event(
        slug=slug,
        title={"en": "Rare Earths Round Table", "kk": "Сирек жер металдары дөңгелек үстелі"},
        description={"en": "Critical raw materials."},
        kind="round_table",
        status="published",
        starts_at=start,
        ends_at=start + timedelta(hours=8),
        timezone="Asia/Almaty",
        venue="East Kazakhstan Technical University",
        city="Öskemen",
        country="KZ",
        languages=["en", "kk", "ru", "de"],
        default_language="en",
    )
    session.add(event)
    await session.flush()
    options: dict[str, Any] = {
        "capacity": capacity,
        "public_categories": {"participant": "#2563eb", "press": "#dc2626"},
        "privacy_notice": {"en": "We keep your data until the event ends."},
    }
    options.update(settings)
    session.add(RegistrationSettings(event_id=event.id, **options))
    if questions:
        session.add_all(
            [
                Question(
                    event_id=event.id,
                    kind="single",
                    label={"en": "Which session?", "kk": "Қай сессия?"},
                    options=[
                        {"value": "mining", "label": {"en": "Mining"}},
                        {"value": "policy", "label": {"en": "Policy"}},
                    ],
                    required=True,
                    position=1,
                ),
                Question(event_id=event.id, kind="yes_no", label={"en": "Lab tour?"}, position=2),
            ]
        )
    if commit:
        await session.commit()
    else:
        await session.flush()
    return event


def person(number: int = 1, **changes: Any) -> RegistrationIn:
    values: dict[str, Any] = {
        "given_name": "Айгерім",
        "family_name": f"Сәрсенбаева {number}",
        "email": f"aigerim{number}@example.kz",
        "organisation": "Karaganda Industrial University",
        "country": "KZ",
        "category": "participant",
        "language": "kk",
        "consent": True,
    }
    values.update(changes)
    return RegistrationIn(**values)
