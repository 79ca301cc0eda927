"""A commit that fails as the answer starts (PostgreSQL restarting at that moment) must never be
answered as a success: the client hears 503 and retries, and nothing was written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from events.mail.models import OutboxMessage
from events.registration.models import Registration
from tests.unit.registration.factories import open_event, person

URL = "/api/v1/events/rare-earths-round-table/registrations"


async def _count(db: AsyncSession, model: Any) -> int:
    count = int(await db.scalar(select(func.count()).select_from(model)) or 0)
    await db.commit()
    return count


@pytest.fixture
def failing_commit(monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[int]]:
    """Arm: the next commit of a session holding a registration fails as a lost connection does,
    once.

    The arming function returns the list that records the failure."""
    real_commit = AsyncSession.commit

    def arm() -> list[int]:
        failed: list[int] = []

        async def commit(self: AsyncSession) -> None:
            if not failed and await self.scalar(select(func.count()).select_from(Registration)):
                failed.append(1)
                await self.rollback()
                raise OperationalError(
                    "COMMIT", {}, ConnectionError("server closed the connection")
                )
            await real_commit(self)

        monkeypatch.setattr(AsyncSession, "commit", commit)
        return failed

    return arm


async def test_a_registration_whose_commit_fails_answers_503_and_leaves_nothing(
    client, db: AsyncSession, failing_commit
) -> None:  # type: ignore[no-untyped-def]
    await open_event(db)
    failed = failing_commit()
    body = msgspec.to_builtins(person(1))
    response = await client.post(URL, json=body)
    assert failed, "the commit was not reached"
    assert response.status_code == 503, response.text
    assert response.json()["code"] == "database_unavailable"
    assert response.headers["retry-after"] == "2"
    assert await _count(db, Registration) == 0
    assert await _count(db, OutboxMessage) == 0
    # The retry is registered as usual.
    again = await client.post(URL, json=body)
    assert again.status_code == 201
    assert await _count(db, Registration) == 1


async def test_a_form_whose_commit_fails_shows_the_503_page_not_the_redirect(
    client, db: AsyncSession, failing_commit
) -> None:  # type: ignore[no-untyped-def]
    await open_event(db)
    failed = failing_commit()
    form = {
        "form_token": "tok-1", "given_name": "Anna", "family_name": "Nowak",
        "email": "anna@example.pl", "organisation": "AGH", "country": "PL",
        "category": "participant", "language": "de", "consent": "1",
    }  # fmt: skip
    response = await client.post(
        "/e/rare-earths-round-table/register?lang=de", data=form, follow_redirects=False
    )
    assert failed and response.status_code == 503
    assert "location" not in response.headers
    assert "Datenbank ist gerade nicht erreichbar" in response.text
    assert await _count(db, Registration) == 0
