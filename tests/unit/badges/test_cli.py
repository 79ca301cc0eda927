"""``events badges SLUG -o FILE`` writes the same PDF the organisers' page gives, and records it."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events.accounts.models import AuditEntry
from events.badges import cli as badges_cli
from events.badges.models import BadgePrint
from events.cli import main
from events.registration import services as registrations
from events.settings import Settings
from tests.unit.registration.factories import open_event, person

SLUG = "rare-earths-round-table"


@pytest.fixture
async def event(db: AsyncSession, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    await open_event(db)
    for n, category in enumerate(["participant", "participant", "press"], start=1):
        await registrations.register(db, settings, SLUG, person(n, category=category))
    await db.commit()
    monkeypatch.setattr(badges_cli, "get_settings", lambda: settings)


async def invoke(*args: str) -> tuple[int, str]:
    result = await asyncio.to_thread(CliRunner().invoke, main, ["badges", *args])
    return result.exit_code, result.output


async def test_badges_command_filters_lays_out_and_records(
    event: None, db: AsyncSession, tmp_path: Path
) -> None:
    output = tmp_path / "badges.pdf"
    code, out = await invoke(SLUG, "-o", str(output), "--layout", "label", "--category", "press")
    assert code == 0, out
    assert "1 badges (label)" in out
    reader = PdfReader(io.BytesIO(output.read_bytes()))
    assert len(reader.pages) == 1
    width, height = reader.pages[0].mediabox.upper_right
    assert (round(float(width)), round(float(height))) == (176, 283)  # 62 x 100 mm
    assert "Баспасөз" not in reader.pages[0].extract_text()  # the event's language: English
    assert "Press" in reader.pages[0].extract_text()

    code, out = await invoke(SLUG, "-o", str(output), "--layout", "card8", "--not-printed")
    assert code == 0, out
    assert "2 badges (card8)" in out
    assert len(list(await db.scalars(select(BadgePrint)))) == 3
    entries = list(await db.scalars(select(AuditEntry).where(AuditEntry.action == "badges.print")))
    assert {e.details["via"] for e in entries} == {"cli"}
    await db.commit()

    code, out = await invoke(SLUG, "-o", str(tmp_path / "none.pdf"), "--not-printed")
    assert code != 0 and "nothing to print" in out
    assert not (tmp_path / "none.pdf").exists()


async def test_badges_command_refuses_bad_input(event: None, tmp_path: Path) -> None:
    output = tmp_path / "never.pdf"
    code, out = await invoke("no-such-event", "-o", str(output))
    assert code != 0 and "no-such-event" in out
    code, out = await invoke(SLUG, "-o", str(output), "--layout", "poster")
    assert code != 0 and "poster" in out
    assert not output.exists()
