"""``events badges SLUG -o FILE``: the badges of an event as one PDF, like the organisers' page."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import click

from events.settings import get_settings

LAYOUTS = ("a6", "a6x4", "card8", "label")
STATUSES = ("confirmed", "waitlisted", "pending", "cancelled", "rejected")
CATEGORIES = ("participant", "delegation", "speaker", "press", "guest")


@click.command(help="Write the badges of event SLUG into one PDF (by default: confirmed people).")
@click.argument("slug")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--layout", type=click.Choice(LAYOUTS), default="a6", show_default=True)
@click.option("--category", type=click.Choice(CATEGORIES), default=None, help="Default: all.")
@click.option("--status", type=click.Choice(STATUSES), default="confirmed", show_default=True)
@click.option("--not-printed", is_flag=True, help="Only badges not printed yet.")
@click.option("--lang", default=None, help="Language of the badges (default: the event's).")
@click.option(
    "--mark-printed/--no-mark-printed",
    default=True,
    show_default=True,
    help="Record these badges as printed.",
)
def badges(
    slug: str,
    output: Path,
    layout: str,
    category: str | None,
    status: str,
    not_printed: bool,
    lang: str | None,
    mark_printed: bool,
) -> None:
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from events.badges import services
    from events.db.engine import create_engine
    from events.errors import DomainError
    from events.registration import services as registrations

    filters = services.BadgeFilter(category=category or "", status=status, not_printed=not_printed)

    async def main() -> services.PrintOutcome:
        engine = create_engine(get_settings())
        try:
            async with async_sessionmaker(engine)() as session, session.begin():
                event = await registrations.get_event(session, slug)
                language = lang or event.default_language
                outcome = await services.print_batch(
                    session, None, event, filters, layout, language, mark=mark_printed, via="cli"
                )
                # Written before the transaction commits: a failed write records no print.
                partial = output.with_name(f".{output.name}.partial")
                partial.write_bytes(outcome.pdf)
                os.replace(partial, output)
                return outcome
        finally:
            await engine.dispose()

    try:
        outcome = asyncio.run(main())
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror or exc}") from exc
    click.echo(f"{outcome.count} badges ({layout}) written to {output}")
