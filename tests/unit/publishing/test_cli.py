from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from sqlalchemy.ext.asyncio import AsyncSession

from events.cli import main
from events.publishing import cli as publishing_cli
from events.settings import Settings
from tests.unit.publishing.factory import SLUG, create_event
from tests.unit.publishing.test_schedule import json_errors


@pytest.fixture
async def draft(db: AsyncSession, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A draft event (organisers print drafts too) and the CLI pointed at its database."""
    await create_event(db, settings.data_dir, status="draft")
    monkeypatch.setattr(publishing_cli, "get_settings", lambda: settings)
    return settings


def test_programme_command_writes_a_bilingual_a5_booklet(draft: Settings, tmp_path: Path) -> None:
    output = tmp_path / "programme.pdf"
    result = CliRunner().invoke(
        main, ["programme", SLUG, "-o", str(output), "--lang", "de", "--lang", "kk", "--size", "a5"]
    )
    assert result.exit_code == 0, result.output
    reader = PdfReader(io.BytesIO(output.read_bytes()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Қазақ-неміс ғылым күні" in text and "Deutsch-Kasachischer Wissenschaftstag" in text
    assert round(float(reader.pages[0].mediabox.width)) == 420


def test_export_command_writes_every_format(draft: Settings, tmp_path: Path) -> None:
    for format_, check in [
        ("json", lambda b: json_errors(b) == []),
        ("xml", lambda b: b.startswith(b"<?xml")),
        ("ics", lambda b: b.startswith(b"BEGIN:VCALENDAR")),
        ("agenda-csv", lambda b: "Кофе-брейк".encode() in b),
        ("speakers-csv", lambda b: b"aigerim@example.kz" in b),
    ]:
        output = tmp_path / f"out.{format_}"
        result = CliRunner().invoke(main, ["export", SLUG, "--format", format_, "-o", str(output)])
        assert result.exit_code == 0, result.output
        assert check(output.read_bytes()), format_
    assert json.loads((tmp_path / "out.json").read_bytes())["schedule"]["conference"]["title"]


def test_commands_fail_clearly_and_write_nothing(draft: Settings, tmp_path: Path) -> None:
    output = tmp_path / "never.pdf"
    unknown = CliRunner().invoke(main, ["programme", "nope", "-o", str(output)])
    assert unknown.exit_code != 0 and "nope" in unknown.output
    bad_lang = CliRunner().invoke(main, ["programme", SLUG, "-o", str(output), "--lang", "ru"])
    assert bad_lang.exit_code != 0 and "ru" in bad_lang.output
    assert not output.exists()
