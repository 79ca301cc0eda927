"""``events mail send [--once]``: the outbox sender as its own process."""

from __future__ import annotations

import asyncio
import signal

import click

from events.settings import get_settings


@click.group(help="The e-mail outbox.")
def mail() -> None:
    pass


@mail.command(help="Deliver the outbox (SMTP via EVENTS_SMTP_URL, else .eml files).")
@click.option("--once", is_flag=True, help="One pass over what is due, then exit.")
@click.option(
    "--interval", type=float, default=5.0, show_default=True, help="Seconds between polls."
)
def send(once: bool, interval: float) -> None:
    from events.db.engine import create_engine
    from events.mail import sender

    settings = get_settings()

    async def main() -> sender.Report:
        engine = create_engine(settings)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        if not once:
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
        try:
            return await sender.run(engine, settings, once=once, interval=interval, stop=stop)
        finally:
            await engine.dispose()

    click.echo(sender.summary(asyncio.run(main())))
