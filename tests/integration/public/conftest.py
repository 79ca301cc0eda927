"""The public pages are tried on the demo events."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from events.demo.loader import load_demo


@pytest.fixture
async def demo(db: AsyncSession) -> AsyncSession:
    await load_demo(db)
    await db.commit()
    return db
