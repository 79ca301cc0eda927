"""``events user …`` and ``events token …``. Only ``user add`` (without --password-stdin),
``user ensure-admin`` (when it creates the admin) and ``token create`` print a secret, once."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from typing import TypeVar

import click
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from events.accounts import services
from events.db.engine import create_engine
from events.errors import DomainError
from events.settings import Settings, get_settings

T = TypeVar("T")


def settings() -> Settings:
    return get_settings()


def run(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``work`` in one transaction; a DomainError becomes a clean CLI error."""

    async def main() -> T:
        engine = create_engine(settings())
        try:
            maker = async_sessionmaker(engine, expire_on_commit=False)
            async with maker() as db, db.begin():
                return await work(db)
        finally:
            await engine.dispose()

    try:
        return asyncio.run(main())
    except DomainError as exc:
        raise click.ClickException(f"{exc.message} ({exc.code})") from exc


def read_password(from_stdin: bool) -> str:
    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@click.group(help="Staff accounts.")
def user() -> None:
    pass


@user.command("add", help="Create a user (or give an existing one a role).")
@click.argument("email")
@click.option("--role", type=click.Choice(["admin", "organiser", "desk"]), required=True)
@click.option("--event", "slug", default=None, help="Event slug; organisers without it: all.")
@click.option("--name", default="", help="Display name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_add(email: str, role: str, slug: str | None, name: str, password_stdin: bool) -> None:
    password = read_password(True) if password_stdin else services.generate_password()

    async def work(db: AsyncSession) -> tuple[bool, str]:
        event_id = (await services.event_by_slug(db, slug)).id if slug else None
        user = await services.get_user(db, email)
        created = user is None
        if user is None:
            user = await services.create_user(
                db, email, display_name=name, password=password, is_admin=role == "admin"
            )
        elif role == "admin":
            user.is_admin = True
        if role != "admin":
            await services.grant_role(db, user, role, event_id)
        return created, user.email

    created, address = run(work)
    where = f" in {slug}" if slug else (" in all events" if role == "organiser" else "")
    click.echo(f"{'created' if created else 'updated'} {address}: {role}{where}")
    if created and not password_stdin:
        click.echo(f"one-time password (shown only now): {password}")


@user.command("password", help="Set a user's password (prompted, or one line on stdin).")
@click.argument("email")
def user_password(email: str) -> None:
    password = read_password(False)

    async def work(db: AsyncSession) -> str:
        found = await services.require_user(db, email)
        await services.set_password(db, found, password)
        found.active = True
        return found.email

    click.echo(f"password set for {run(work)}")


@user.command("list", help="List users and their roles.")
def user_list() -> None:
    async def work(db: AsyncSession) -> list[str]:
        from sqlalchemy import select

        from events.agenda.models import Event

        slugs = dict((await db.execute(select(Event.id, Event.slug))).tuples().all())
        lines = []
        for found in await services.list_users(db):
            roles = ["admin"] if found.is_admin else []
            roles += [
                f"{r.role}@{slugs.get(r.event_id, '*') if r.event_id else '*'}" for r in found.roles
            ]
            state = "active" if found.active else "inactive"
            lines.append(f"{found.email}\t{found.display_name}\t{state}\t{' '.join(roles) or '-'}")
        return lines

    for line in run(work):
        click.echo(line)


@user.command("ensure-admin", help="Create the first admin when there is none.")
def user_ensure_admin() -> None:
    email = os.environ.get("EVENTS_ADMIN_EMAIL") or "admin@localhost"

    async def work(db: AsyncSession) -> tuple[str, str] | None:
        made = await services.ensure_admin(db, email)
        return (made[0].email, made[1]) if made else None

    made = run(work)
    if made is None:
        click.echo("an admin exists")
        return
    click.echo(f"created the first admin: {made[0]}")
    click.echo(f"one-time password (shown only now): {made[1]}")


@click.group(help="API tokens (Authorization: Bearer …).")
def token() -> None:
    pass


@token.command("create", help="Create a token for EMAIL; it is printed once.")
@click.argument("email")
@click.option("--event", "slug", default=None, help="Limit the token to this event.")
@click.option("--name", default="", help="What the token is for.")
def token_create(email: str, slug: str | None, name: str) -> None:
    async def work(db: AsyncSession) -> tuple[str, str]:
        found = await services.require_user(db, email)
        event_id = (await services.event_by_slug(db, slug)).id if slug else None
        value, row = await services.create_token(db, found, event_id=event_id, name=name)
        return value, row.prefix

    value, prefix = run(work)
    click.echo(f"token {prefix} (shown only now):")
    click.echo(value)


@token.command("list", help="List EMAIL's tokens (prefixes only).")
@click.argument("email")
def token_list(email: str) -> None:
    async def work(db: AsyncSession) -> list[str]:
        found = await services.require_user(db, email)
        rows = await services.list_tokens(db, found)
        return [
            f"{r.prefix}\t{r.name or '-'}\tevent={r.event_id or '*'}\t"
            f"{'revoked' if r.revoked_at else 'active'}\tlast used {r.last_used_at or 'never'}"
            for r in rows
        ]

    for line in run(work):
        click.echo(line)


@token.command("revoke", help="Revoke the token with this PREFIX.")
@click.argument("prefix")
def token_revoke(prefix: str) -> None:
    async def work(db: AsyncSession) -> str:
        return (await services.revoke_token(db, prefix)).prefix

    click.echo(f"revoked {run(work)}")


commands = [user, token]


@click.command(help="Delete expired sessions, old rate-limit rows and spent set-password links.")
def cleanup() -> None:
    from events.accounts import housekeeping
    from events.db.engine import create_engine

    async def main() -> housekeeping.Purged:
        engine = create_engine(settings())
        try:
            return await housekeeping.run_once(engine)
        finally:
            await engine.dispose()

    click.echo(str(asyncio.run(main())))
