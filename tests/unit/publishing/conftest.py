from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from events.publishing import services
from events.publishing.schemas import EventData
from events.settings import Settings
from tests.unit.publishing.factory import SLUG, create_event


@pytest.fixture
async def event_data(db: AsyncSession, settings: Settings) -> EventData:
    """The awkward event, loaded the way the public routes load it (logos included)."""
    await create_event(db, settings.data_dir)
    return await services.load_event(db, SLUG, settings, with_logos=True)
