"""Statements for the hot paths: INSERT … ON CONFLICT for both databases, and Core statements
run on a session's connection.

PostgreSQL and SQLite spell ON CONFLICT alike, but SQLAlchemy 2.0 offers it only through each
dialect's own ``insert``, which it never caches: every execution compiles the statement afresh
(about a millisecond). The hot paths (a desk's scan, every rate-limited request) therefore use
plain SQL text built once per dialect and table, which SQLAlchemy compiles once and caches.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import CursorResult, Executable, Sequence, Table, TextualSelect, bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession

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
