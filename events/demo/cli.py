"""``events demo``: load the demo events (idempotent)."""

from __future__ import annotations

import asyncio

import click
from sqlalchemy.ext.asyncio import async_sessionmaker

from events.db.engine import create_engine
from events.demo.loader import DemoResult, load_demo
from events.settings import get_settings


async def _run(if_empty: bool) -> DemoResult:
    engine = create_engine(get_settings())
    try:
        maker = async_sessionmaker(engine, expire_on_commit=False)
        async with maker() as session, session.begin():
            return await load_demo(session, if_empty=if_empty)
    finally:
        await engine.dispose()


@click.command(help="Load the demo events; a second run changes nothing.")
@click.option(
    "--if-empty",
    is_flag=True,
    default=False,
    help="Load only when the database holds no events at all.",
)
def demo(if_empty: bool) -> None:
    result = asyncio.run(_run(if_empty))
    if if_empty and not result.created_events and result.skipped_events:
        click.echo("events exist already: demo not loaded")
        return
    for slug in result.created_events:
        click.echo(f"loaded {slug}")
    for slug in result.skipped_events:
        click.echo(f"kept {slug} (exists)")
    click.echo(f"{result.created_organisations} organisations added")
