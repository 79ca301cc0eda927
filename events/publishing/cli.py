"""``events programme SLUG -o FILE`` and ``events export SLUG --format … -o FILE``.

Both are for organisers on the server: drafts can be printed and exported too.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import click
from sqlalchemy.ext.asyncio import async_sessionmaker

from events.db.engine import create_engine
from events.errors import DomainError
from events.publishing import csv_export, ics, schedule, services
from events.publishing.schemas import EventData
from events.settings import Settings, get_settings

FORMATS = ("json", "xml", "ics", "agenda-csv", "speakers-csv")


async def _load(settings: Settings, slug: str, *, with_logos: bool, with_emails: bool) -> EventData:
    engine = create_engine(settings)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as db:
            return await services.load_event(
                db, slug, settings, public=False, with_logos=with_logos, with_emails=with_emails
            )
    finally:
        await engine.dispose()


def _write(path: Path, data: bytes) -> None:
    """Write through a temporary file, so a failure never leaves half a file behind."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
    click.echo(f"{path} ({len(data)} bytes)")


@click.command(help="Print the programme of event SLUG as a PDF booklet.")
@click.argument("slug")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option(
    "--lang",
    "languages",
    multiple=True,
    help="Content language; give two (--lang de --lang kk) for a bilingual booklet.",
)
@click.option("--size", type=click.Choice(["a4", "a5"]), default="a4", show_default=True)
def programme(slug: str, output: Path, languages: tuple[str, ...], size: str) -> None:
    from events.documents.programme import render_programme

    settings = get_settings()
    try:
        event = asyncio.run(_load(settings, slug, with_logos=True, with_emails=False))
        options = services.programme_options(event, list(languages), size)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    _write(output, render_programme(event, options))


@click.command(help="Export event SLUG's schedule, calendar or CSV lists.")
@click.argument("slug")
@click.option("--format", "format_", type=click.Choice(FORMATS), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--lang", default=None, help="Content language of schedule and calendar files.")
def export(slug: str, format_: str, output: Path, lang: str | None) -> None:
    settings = get_settings()
    try:
        event = asyncio.run(
            _load(settings, slug, with_logos=False, with_emails=format_ == "speakers-csv")
        )
        language = services.content_language(event, lang)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    builders = {
        "json": lambda: schedule.schedule_json(event, language),
        "xml": lambda: schedule.schedule_xml(event, language),
        "ics": lambda: ics.programme_ics(event, language),
        "agenda-csv": lambda: csv_export.agenda_csv(event),
        "speakers-csv": lambda: csv_export.speakers_csv(event),
    }
    _write(output, builders[format_]())
