"""Data for the benchmarks, written straight into the benchmark's database.

``python -m bench.seed URL open SLUG SEATS`` opens registration for a demo event with SEATS seats
and prints, as JSON, an answer to each of its required questions (as an attendee would give);
``python -m bench.seed URL confirmed SLUG COUNT`` adds COUNT confirmed registrations and prints
their check-in tokens, one a line. Run in a child process with the app's own models.
"""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from events.agenda.models import Event
from events.registration import tokens
from events.registration.models import Question, Registration, RegistrationSettings


async def open_registration(url: str, slug: str, seats: int) -> dict[str, object]:
    engine = create_async_engine(url)
    async with async_sessionmaker(engine)() as db, db.begin():
        event = (await db.scalars(select(Event).where(Event.slug == slug))).one()
        found = await db.scalar(
            select(RegistrationSettings).where(RegistrationSettings.event_id == event.id)
        )
        if found is None:
            db.add(RegistrationSettings(event_id=event.id, capacity=seats))
        else:
            await db.execute(
                update(RegistrationSettings)
                .where(RegistrationSettings.event_id == event.id)
                .values(capacity=seats, opens_at=None, closes_at=None, waitlist_enabled=True,
                        approval_required=False, invitation_only=False, category_capacity={},
                        public_categories={"participant": "#2563eb"})
            )  # fmt: skip
        questions = await db.scalars(
            select(Question).where(Question.event_id == event.id, Question.required.is_(True))
        )
        answers = {str(q.id): _an_answer(q) for q in questions}
    await engine.dispose()
    return answers


def _an_answer(question: Question) -> object:
    """A valid answer to a required question: the first offered option, yes, or some text."""
    if question.kind == "single":
        return str(question.options[0]["value"])
    if question.kind == "multiple":
        return [str(question.options[0]["value"])]
    if question.kind == "yes_no":
        return True
    return "Benchmark"


async def confirmed(url: str, slug: str, count: int) -> list[str]:
    engine = create_async_engine(url)
    now = datetime.now(UTC)
    made = []
    async with async_sessionmaker(engine)() as db, db.begin():
        event = (await db.scalars(select(Event).where(Event.slug == slug))).one()
        for n in range(count):
            seed = tokens.new_seed()
            token = tokens.new_checkin_token()
            db.add(
                Registration(
                    event_id=event.id, status="confirmed", given_name="Bench", family_name=f"N{n}",
                    email=f"bench{n}@example.org", organisation="Bench", country="KZ",
                    category="participant", language="en", consent_data=True, consent_data_at=now,
                    answers={}, manage_seed=seed,
                    manage_token_hash=tokens.token_hash(tokens.manage_token("bench", seed)),
                    checkin_token=token, confirmed_at=now, source="import",
                )
            )  # fmt: skip
            made.append(token)
    await engine.dispose()
    return made


def main() -> None:
    url, what, slug, number = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    if what == "open":
        print(json.dumps(asyncio.run(open_registration(url, slug, number))))
    else:
        print("\n".join(asyncio.run(confirmed(url, slug, number))))


if __name__ == "__main__":
    main()
