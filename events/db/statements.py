"""Statements for the hot paths: INSERT … ON CONFLICT for both databases, and Core statements
run on a session's connection.

PostgreSQL and SQLite spell ON CONFLICT alike, but SQLAlchemy 2.0 offers it only through each
dialect's own ``insert``, which it never caches: every execution compiles the statement afresh
(about a millisecond). The hot paths (a desk's scan, every rate-limited request) therefore use
plain SQL text built once per dialect and table, which SQLAlchemy compiles once and caches.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence as Sequence_
from datetime import datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import (
    CursorResult,
    Executable,
    Select,
    Sequence,
    Table,
    TextualSelect,
    bindparam,
    text,
)
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached

AUDIT_COLUMNS = ("created_at", "updated_at")


def id_column(dialect: str, table: Table) -> tuple[str, str]:
    """The id's column and value: the table's sequence on PostgreSQL, the rowid on SQLite."""
    sequence = table.c.id.default
    if dialect == "postgresql" and isinstance(sequence, Sequence):
        return "id, ", f"nextval('{sequence.name}'), "
    return "", ""


@cache
def insert_or_nothing(dialect: str, table: Table, returning: tuple[str, ...]) -> TextualSelect:
    """``INSERT INTO table (every column) VALUES (…) ON CONFLICT DO NOTHING RETURNING …``.

    No conflict target: any unique index refuses the row (a test that drops the index then shows
    the race it guards against). Bind every column but the id with :func:`row_values`.
    """
    columns = [c for c in table.columns if c.name != "id"]
    id_name, id_value = id_column(dialect, table)
    # Names from the models only, never from input; every value is a bound parameter.
    statement = (
        f"INSERT INTO {table.name} ({id_name}{', '.join(c.name for c in columns)}) "  # noqa: S608
        f"VALUES ({id_value}{', '.join(':' + c.name for c in columns)}) "
        f"ON CONFLICT DO NOTHING RETURNING {', '.join(returning)}"
    )
    return (
        text(statement)
        .bindparams(*(bindparam(c.name, type_=c.type) for c in columns))
        .columns(*(table.c[name] for name in returning))
    )


def row_values(table: Table, values: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Every column's value but the id: those given, else the column's Python default."""
    row: dict[str, Any] = {}
    for column in table.columns:
        if column.name == "id":
            continue
        if column.name in values:
            row[column.name] = values[column.name]
        elif column.name in AUDIT_COLUMNS:
            row[column.name] = now
        elif column.default is not None and getattr(column.default, "is_scalar", False):
            row[column.name] = column.default.arg  # type: ignore[attr-defined]
        elif column.default is not None and getattr(column.default, "is_callable", False):
            row[column.name] = column.default.arg(None)  # type: ignore[attr-defined]
        else:
            row[column.name] = None
    return row


def dialect_of(db: AsyncSession) -> str:
    return db.bind.dialect.name


async def execute_core(
    db: AsyncSession, statement: Executable, params: dict[str, Any] | None = None
) -> CursorResult[Any]:
    """Run a Core statement on the session's connection, in its transaction.

    Skips the ORM's execution layer (autoflush, ORM result processing), which costs more than
    the round trip itself: for hot paths that read and write plain rows. Pending ORM changes are
    not flushed first; flush them before when a statement must see them.
    """
    connection = await db.connection()
    return await connection.execute(statement, params)


async def driver_connection(db: AsyncSession) -> Any:
    """The driver's own connection under the session's (asyncpg's, on PostgreSQL).

    For a hot path's one statement: through SQLAlchemy's execution layer a statement costs the
    worker about three times the CPU the driver alone does (docs/PERFORMANCE.md). The statement
    runs in the session's transaction when one is open on the connection, else as a transaction
    of its own. Flush pending ORM changes first when it must see them; its errors are the driver's
    own (``events.errors_http`` answers a lost connection with 503 all the same).
    """
    connection = await db.connection()
    raw = await connection.get_raw_connection()
    return raw.driver_connection


@cache
def for_driver(statement: Select[Any] | TextualSelect) -> tuple[str, tuple[str, ...]]:
    """The statement as asyncpg takes it ($1, $2 …) and its parameters' names in that order."""
    compiled = statement.compile(dialect=PGDialect_asyncpg())  # type: ignore[no-untyped-call]
    return compiled.string, tuple(compiled.positiontup or ())


async def fetch_rows(
    db: AsyncSession, statement: Select[Any], params: dict[str, Any]
) -> Sequence_[Mapping[str, Any]]:
    """The rows of a Core select of plain columns, each read by column name.

    On PostgreSQL straight through the driver (:func:`driver_connection`), compiled once; on
    SQLite through SQLAlchemy. For the lookups every signed-in request makes (its API token, the
    event of its address): the driver returns values as the columns hold them, so select plain
    columns (numbers, text, times with zone, booleans), not ones a SQLAlchemy type converts.
    """
    if dialect_of(db) != "postgresql":
        return cast(
            Sequence_[Mapping[str, Any]],
            (await execute_core(db, statement, params)).mappings().all(),
        )
    sql, names = for_driver(statement)
    driver = await driver_connection(db)
    rows: Sequence_[Mapping[str, Any]] = await driver.fetch(sql, *(params[n] for n in names))
    return rows


async def insert_instance_or_nothing(db: AsyncSession, instance: Any, now: datetime) -> bool:
    """Insert a new ORM object's row unless a unique index refuses it (then False, nothing written).

    ``INSERT … ON CONFLICT DO NOTHING`` (:func:`insert_or_nothing`) instead of the ORM's insert
    inside a savepoint: two round trips fewer, and the transaction stays usable after a refusal.
    The object then becomes a persistent object of the session with its new id and every column's
    value, as if loaded (a column left unset would be expired, and loading it later is I/O the
    async session forbids).
    """
    table = instance.__table__
    given = {c.name: getattr(instance, c.key) for c in table.columns if c.key in vars(instance)}
    row = row_values(table, given, now)
    statement = insert_or_nothing(dialect_of(db), table, ("id",))
    inserted = (await execute_core(db, statement, row)).one_or_none()
    if inserted is None:
        return False
    instance.id = inserted.id
    for column in table.columns:
        if column.key not in vars(instance):
            setattr(instance, column.key, row[column.name])
    make_transient_to_detached(instance)
    db.add(instance)
    return True
