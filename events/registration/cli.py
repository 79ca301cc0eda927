"""``events purge SLUG --after-days N``: anonymise the registrations of an ended event."""

from __future__ import annotations

import asyncio

import click

from events.settings import get_settings


@click.command(help="Anonymise the registrations of event SLUG once it ended N days ago.")
@click.argument("slug")
@click.option("--after-days", type=click.IntRange(min=0), required=True)
def purge(slug: str, after_days: int) -> None:
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from events.db.engine import create_engine
    from events.errors import DomainError
    from events.registration import admin

    async def main() -> int:
        engine = create_engine(get_settings())
        try:
            async with async_sessionmaker(engine)() as session, session.begin():
                return await admin.purge(session, slug, after_days)
        finally:
            await engine.dispose()

    try:
        count = asyncio.run(main())
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"anonymised {count} registrations of {slug}")
